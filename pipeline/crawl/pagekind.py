"""What kind of page a fetched body is: an article, a standing page worth reading, or a listing,
section or feed page that must never be stored as an article.

:func:`classify` uses cheap signals only: ``og:type``, ``article:published_time`` and ``<time>``
elements, how much running text the page has against how many article-like links, the URL shape
(Sitevision ``.5.`` articles and ``.4.`` pages, dated slugs and ``/YYYY/MM/DD/`` permalinks,
pagination parameters) and topic words (``topic_path_keywords`` in discovery.toml) in URL or title.
"""

from __future__ import annotations

import calendar
import re
from enum import StrEnum
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree as lxml_etree
from lxml import html as lxml_html

from pipeline.urls import vocabulary

__all__ = ["STORED_KINDS", "PageKind", "classify", "is_topic_url", "looks_like_news_url", "topic_words", "url_date"]


class PageKind(StrEnum):
    """The kinds of page :func:`classify` tells apart."""

    ARTICLE = "article"  # a dated news item or press release
    STANDING = "standing"  # an undated page about trygghet, brottsförebyggande, medborgarlöften …
    LISTING = "listing"  # a list of articles (news listing, archive, search result, paginated page)
    SECTION = "section"  # a navigation/section page: links to sub-pages, little text of its own
    FEED = "feed"  # RSS/Atom/sitemap XML
    PAGE = "page"  # any other page (contact, about the website …)


# Stored as articles. A PAGE is a page with no positive sign either way (a short body, no links):
# kept, so that only positive evidence (a listing, section or feed) keeps a fetched candidate out.
STORED_KINDS = frozenset({PageKind.ARTICLE, PageKind.STANDING, PageKind.PAGE})

_SV_ARTICLE = re.compile(r"\.5\.[0-9a-f]{6,}\.html?$", re.I)  # Sitevision article
_SV_PAGE = re.compile(r"\.4\.[0-9a-f]{6,}\.html?$", re.I)  # Sitevision page (standing or section)
_SV_SHORT = re.compile(r"\.\d{3,}\.html?$", re.I)  # Sitevision short id /slug.3782.html
_DATED_SLUG = re.compile(r"/((?:19|20)\d{2})-([01]\d)-([0-3]\d)-[^/]+")
_DATED_DIRS = re.compile(r"/((?:19|20)\d{2})/([01]\d)/([0-3]\d)/[^/]+")
_YEAR_MONTH_DIRS = re.compile(r"/((?:19|20)\d{2})/([01]\d)/[^/]+")
_RELATED = re.compile(r"related|relaterad|fler-nyheter|more-news|sidebar", re.I)
_MANY_TEASERS = 6  # with og:type article, this many dated teasers still make a listing
_MIN_ARTICLE_TEXT = 250  # characters of paragraph text an article has at least
_XML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(rss|feed|rdf:RDF|urlset|sitemapindex)\b",
                        re.S | re.I)


@lru_cache(maxsize=1)
def topic_words() -> tuple[str, ...]:
    """The ``topic_path_keywords`` of the discovery vocabulary, lower case."""
    return tuple(w.lower() for w in vocabulary().get("topic_path_keywords", []))


@lru_cache(maxsize=1)
def _news_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in vocabulary()["news_path_keywords"])


@lru_cache(maxsize=1)
def _page_params() -> frozenset[str]:
    return frozenset(vocabulary()["page_params"])


def is_topic_url(text: str) -> bool:
    """True if a URL (or title) names a topic of ``topic_path_keywords`` (trygghet, medborgarlöften …)."""
    low = unquote(text).lower()
    return any(w in low for w in topic_words())


def url_date(url: str) -> str | None:
    """The date a URL carries (``/2023/03/15/slug``, ``/2023-03-15-slug``, ``/2023/03/slug``) as ISO text;
    for a year and month only, the month's last day (so ``since`` never drops an article of its month)."""
    path = urlsplit(url).path
    for rx in (_DATED_SLUG, _DATED_DIRS):
        m = rx.search(path)
        if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = _YEAR_MONTH_DIRS.search(path)
    if m and 1 <= int(m.group(2)) <= 12:  # no day: the month's last, so a URL date is never earlier than the truth
        last = calendar.monthrange(int(m.group(1)), int(m.group(2)))[1]
        return f"{m.group(1)}-{m.group(2)}-{last:02d}"
    return None


def looks_like_news_url(url: str) -> bool:
    """URL shape of a news item: Sitevision ``.5.``, a dated slug or permalink, or a short id or slug
    below a news path word (``/nyheter/…``)."""
    path = urlsplit(url).path
    if _SV_ARTICLE.search(path) or url_date(url):
        return True
    segs = [s.lower() for s in path.split("/") if s]
    if len(segs) < 2:
        return False
    return any(s.startswith(w) for s in segs[:-1] for w in _news_words())


def _text_len(els: list[lxml_html.HtmlElement]) -> int:
    return sum(len(" ".join(p.text_content().split())) for p in els)


def classify(body: bytes, url: str, content_type: str = "") -> PageKind:
    """The kind of page ``body`` (fetched from ``url``) is. Cheap: one parse, a few XPath queries."""
    if "xml" in content_type and "html" not in content_type or _XML_START.match(body[:4096]):
        return PageKind.FEED
    parts = urlsplit(url)
    params = {k.lower() for k, v in parse_qsl(parts.query)}
    if params & _page_params():
        return PageKind.LISTING
    try:
        doc = lxml_html.document_fromstring(body)
    except (lxml_etree.ParserError, ValueError):
        return PageKind.PAGE
    og = [str(v).strip().lower() for v in doc.xpath('//meta[@property="og:type"]/@content')]
    published = bool(doc.xpath('//meta[@property="article:published_time" or @name="article:published_time"]'))
    main = doc.xpath("//main | //*[@role='main']")
    scope = main[0] if main else doc
    articles = [e for e in scope.xpath(".//article") if not _aside(e)]
    times = [e for e in scope.xpath(".//time") if not _aside(e)]
    text = _text_len(scope.xpath(".//p"))
    links = [a for a in scope.xpath(".//a[@href]") if not a.xpath("ancestor::nav | ancestor::header | ancestor::footer")]
    title = " ".join(doc.xpath("//title//text()") + doc.xpath("//h1//text()"))
    # many teasers, each with its own date or <article>: a listing whatever the URL says
    teasers = max(len(articles), len(times))
    # the page's own publication date or og:type article: an article, even with a few related items
    if published or og and og[0] == "article" and teasers < _MANY_TEASERS:
        return PageKind.ARTICLE
    if teasers >= 3:  # several dated teasers or <article>s: a listing whatever the URL says
        return PageKind.LISTING
    path = parts.path
    news_shape = bool(_SV_ARTICLE.search(path) or url_date(url) or _SV_SHORT.search(path))
    if text < _MIN_ARTICLE_TEXT and len(links) >= 5:
        return PageKind.LISTING if _names_news(path) else PageKind.SECTION
    if news_shape and text >= _MIN_ARTICLE_TEXT // 2 or times and text >= _MIN_ARTICLE_TEXT // 2:
        return PageKind.ARTICLE
    if is_topic_url(path) or is_topic_url(title):
        return PageKind.STANDING if text >= _MIN_ARTICLE_TEXT // 2 or len(links) < 3 else PageKind.SECTION
    if looks_like_news_url(url) and text >= _MIN_ARTICLE_TEXT:
        return PageKind.ARTICLE
    if len(links) >= 3 and (_SV_PAGE.search(path) or len(links) > 2 * max(1, text // 200)):
        return PageKind.SECTION if text < _MIN_ARTICLE_TEXT else PageKind.PAGE
    return PageKind.ARTICLE if text >= 2 * _MIN_ARTICLE_TEXT else PageKind.PAGE


def _aside(el: lxml_html.HtmlElement) -> bool:
    """True inside an <aside> or a block of related items ("Fler nyheter", "Relaterat") on an article."""
    return any(
        anc.tag == "aside" or _RELATED.search(f"{anc.get('class') or ''} {anc.get('id') or ''}") is not None
        for anc in el.iterancestors()
    )


def _names_news(path: str) -> bool:
    segs = [s.lower() for s in path.split("/") if s]
    return any(s.startswith(w) for s in segs for w in _news_words())
