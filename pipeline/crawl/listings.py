"""HTML listing pages: article links, next-page links (pagination) and feed links.

A link is an article if it matches the source's ``article_pattern``; without one, if it lies outside
navigation (nav, header, footer, menus, cookie banners …) and looks like an article URL or sits in an
article container. A next page is a ``rel="next"`` link, a "Nästa"-like link text, or the same listing
with the page number one higher. A link whose text is a ``news_nav_texts`` word ("Nyheter",
"Nyhetsarkiv", "Pressmeddelanden") is a news listing to walk, wherever it sits on the page; a
filtered view of the same archive (``?start=…&end=…``) is walked like a next page (capped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree as lxml_etree
from lxml import html as lxml_html

from pipeline.crawl.documents import DiscoveryParseError, has_non_html_extension
from pipeline.crawl.sources import Source
from pipeline.urls import canonicalize, host_allowed, host_of, vocabulary
from pipeline.vocabulary import alternation

_ARTICLE_CONTAINER = re.compile(r"(article|news|nyhet|teaser|item|card|puff|entry|post|list)", re.I)


@lru_cache(maxsize=1)
def _page_path() -> re.Pattern[str]:
    """``/<segment>/<n>/`` at the end of a path, with the segments of ``page_path_segments``."""
    segments = alternation(vocabulary()["page_path_segments"], longest_first=False)
    return re.compile(rf"/(?:{segments})/(\d+)/?$", re.I)


@dataclass
class ListingPage:
    """What one HTML page offers discovery."""

    article_links: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    feed_links: list[str] = field(default_factory=list)
    news_listings: list[str] = field(default_factory=list)  # links whose text is a news_nav_texts word
    off_host_news: list[str] = field(default_factory=list)  # such links to a host the source does not list
    is_article: bool = False
    canonical: str | None = None


def _in_navigation(el: lxml_html.HtmlElement, markers: list[str]) -> bool:
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("nav", "header", "footer", "aside"):
            return True
        role = (anc.get("role") or "").lower()
        if role in ("navigation", "banner", "contentinfo", "dialog", "alertdialog"):
            return True
        attrs = f"{anc.get('class') or ''} {anc.get('id') or ''}".lower()
        words = re.split(r"[\s_-]+", attrs)
        if any(m in words for m in markers):
            return True
    return False


def _in_article_container(el: lxml_html.HtmlElement) -> bool:
    for anc in el.iterancestors():
        if anc.tag in ("article", "li"):
            return True
        if _ARTICLE_CONTAINER.search(f"{anc.get('class') or ''} {anc.get('id') or ''}"):
            return True
    return False


def looks_like_article_url(url: str) -> bool:
    """Heuristic on the URL alone: a descriptive slug or a numeric id below a section."""
    path = urlsplit(url).path.rstrip("/")
    segs = [s for s in path.split("/") if s]
    if not segs:
        return False
    last = re.sub(r"\.(html?|aspx?|php|jsp)$", "", segs[-1].lower())
    if last.count("-") >= 2 and len(last) >= 12:
        return True
    if re.fullmatch(r"\d{4,}", last) and len(segs) >= 2:
        return True
    if re.search(r"(^|-)\d{4,}(-|$)", last) and len(segs) >= 2:
        return True
    return len(segs) >= 3 and ("-" in last or "." in segs[-1])


@lru_cache(maxsize=1)
def _archive_params() -> frozenset[str]:
    return frozenset(vocabulary().get("archive_filter_params", []))


def archive_view(url: str) -> bool:
    """True for a filtered view of an archive (Sitevision ``?start=…&end=…``); discovery caps how many
    views of one path it walks."""
    return bool({k.lower() for k, _v in parse_qsl(urlsplit(url).query)} & _archive_params())


def _page_number(url: str) -> int:
    parts = urlsplit(url)
    params = {k.lower(): v for k, v in parse_qsl(parts.query)}
    for name in vocabulary()["page_params"]:
        v = params.get(name)
        if v and v.isdigit():
            return int(v)
    m = _page_path().search(parts.path)
    return int(m.group(1)) if m else 1


def _same_listing(a: str, b: str) -> bool:
    """True if ``b`` is another page of the listing ``a`` (same path modulo page markers)."""
    pa, pb = urlsplit(a), urlsplit(b)
    if host_of(a) != host_of(b):
        return False
    strip = _page_path().sub("", pa.path.rstrip("/")), _page_path().sub("", pb.path.rstrip("/"))
    return strip[0] == strip[1]


def _head(doc: lxml_html.HtmlElement, page_url: str) -> ListingPage:
    """What the document head tells: og:type article, canonical URL, feeds, rel=next."""
    page = ListingPage()
    og = doc.xpath('//meta[@property="og:type"]/@content')
    page.is_article = bool(og) and str(og[0]).strip().lower() == "article"
    canon = doc.xpath('//link[@rel="canonical"]/@href')
    page.canonical = urljoin(page_url, str(canon[0])) if canon else None
    for link in doc.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        typ = (link.get("type") or "").lower()
        if "alternate" in rel and ("rss" in typ or "atom" in typ):
            page.feed_links.append(urljoin(page_url, link.get("href")))
        if "next" in rel:
            page.next_pages.append(urljoin(page_url, link.get("href")))
    return page


def parse_listing(body: bytes, page_url: str, source: Source) -> ListingPage:
    """Article links, next-page links and feed links of an HTML page."""
    if not body.strip():
        raise DiscoveryParseError("empty HTML document")
    try:
        doc = lxml_html.document_fromstring(body)
    except (lxml_etree.ParserError, ValueError) as exc:
        raise DiscoveryParseError(f"malformed HTML ({exc})") from exc
    vocab = vocabulary()
    markers = vocab["navigation_markers"]
    next_texts = set(vocab["next_link_texts"])
    nav_texts = set(vocab.get("news_nav_texts", []))
    page = _head(doc, page_url)
    pattern = re.compile(source.article_pattern) if source.article_pattern else None
    current = _page_number(page_url)
    seen: set[str] = set()
    for a in doc.xpath("//a[@href] | //*[@data-href] | //*[@data-url]"):
        href = a.get("href") or a.get("data-href") or a.get("data-url") or ""
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page_url, href)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        text = " ".join(a.text_content().split()).lower() if a.tag == "a" else " ".join(a.itertext()).strip().lower()
        rel = (a.get("rel") or "").lower().split()
        if "next" in rel or text in next_texts or (
            _same_listing(page_url, url) and (_page_number(url) == current + 1 or archive_view(url))
        ):
            page.next_pages.append(url)
            continue
        named_news = text in nav_texts or (a.get("title") or "").strip().lower() in nav_texts
        if not host_allowed(host_of(url), source.hosts) or has_non_html_extension(url):
            if named_news and not has_non_html_extension(url):
                page.off_host_news.append(url)  # "Nyheter" on another host: `sources check` names it
            continue
        if named_news:
            page.news_listings.append(url)  # "Nyheter", "Nyhetsarkiv" …: a listing to walk, even in <nav>
            continue
        canon_url = canonicalize(url)
        if canon_url in seen or canon_url == canonicalize(page_url) or _same_listing(page_url, url):
            continue
        if pattern is not None:
            ok = bool(pattern.search(urlsplit(url).path))
        elif _in_navigation(a, markers):
            ok = False
        else:
            ok = looks_like_article_url(url) or (
                _in_article_container(a) and len([s for s in urlsplit(url).path.split("/") if s]) >= 2
            )
        if ok:
            seen.add(canon_url)
            page.article_links.append(url)
    page.next_pages = list(dict.fromkeys(u for u in page.next_pages if host_allowed(host_of(u), source.hosts)))
    page.news_listings = list(dict.fromkeys(page.news_listings))
    page.off_host_news = list(dict.fromkeys(page.off_host_news))
    return page
