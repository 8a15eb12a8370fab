"""XML sitemaps and sitemap indexes (plain or ``.xml.gz``): child sitemaps and article URLs."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from pipeline.crawl.documents import DiscoveryParseError, Entry, local_name, non_html_extensions, parse_xml, text_of
from pipeline.crawl.listings import looks_like_article_url
from pipeline.crawl.pagekind import topic_words
from pipeline.crawl.sources import Source
from pipeline.urls import host_allowed, host_of, vocabulary
from pipeline.vocabulary import alternation

MAX_SITEMAP_DOCS = 100
_SV_ARTICLE = re.compile(r"\.5\.[0-9a-f]{6,}\.html?$", re.I)  # Sitevision article: slug.5.<hex>.html
_DATED_PATH = re.compile(r"/(?:19|20)\d{2}/(?:[01]?\d/)?[^/]+|/(?:19|20)\d{2}-[01]\d-[0-3]\d")


def parse_sitemap(body: bytes) -> tuple[str, list[Entry]]:
    """``("sitemapindex", child sitemaps)`` or ``("sitemap", page URLs)`` with their ``<lastmod>``."""
    root = parse_xml(body)
    kind = local_name(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryParseError(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    want = "sitemap" if kind == "sitemapindex" else "url"
    out: list[Entry] = []
    for el in root:
        if local_name(el.tag) != want:
            continue
        loc = lastmod = ""
        for child in el:
            cname = local_name(child.tag)
            if cname == "loc":
                loc = text_of(child)
            elif cname == "lastmod":
                lastmod = text_of(child)
        if loc:
            out.append(Entry(loc, lastmod or None))
    return ("sitemapindex" if kind == "sitemapindex" else "sitemap"), out


_ORIGIN = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)")


@lru_cache(maxsize=64)
def _source_hosts(source: Source) -> frozenset[str]:
    return source.hosts


@lru_cache(maxsize=4096)
def _origin_allowed(origin: str, hosts: frozenset[str]) -> bool:
    return host_allowed(host_of(origin + "/"), hosts)


@lru_cache(maxsize=1)
def _filters() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled once: news words as a non-final path segment, and a final segment that is itself a
    news word (a listing). Both run on the lower-cased path."""
    news = alternation(vocabulary()["news_path_keywords"])
    return (
        re.compile(rf"/(?:{news})[^/]*/[^/]"),
        re.compile(rf"/(?:{news})[a-z]*(?:\.html?|\.aspx)?/?$"),
    )


def sitemap_entry_wanted(url: str, source: Source) -> bool:
    """True if a sitemap URL is worth fetching as an article of ``source``: it looks like news
    (a news path word above it, a Sitevision ``.5.`` article, a dated slug or permalink) or like a
    page about the topics (``topic_path_keywords``: trygghet, medborgarlöften …). Everything else in
    a sitemap that lists every page of a site (sections, ``.4.`` pages, PDFs, images) is dropped.
    Runs on millions of URLs: no parsing beyond one ``urlsplit``, all patterns compiled once."""
    origin = _ORIGIN.match(url)
    if origin is None or not _origin_allowed(origin.group(1), _source_hosts(source)):
        return False
    path = unquote(urlsplit(url).path)
    low = path.lower()
    if low.endswith(non_html_extensions()):
        return False
    if source.article_pattern:
        return bool(re.search(source.article_pattern, path))
    leaf = low.rstrip("/").rsplit("/", 1)[-1]  # the page's own slug: a whole "Trygghet och säkerhet" section
    if any(w in leaf for w in topic_words()):  # (krisberedskap, brandskydd …) is not about the agreements
        return True
    under_news, news_listing = _filters()
    if news_listing.search(low):
        return False  # /nyheter/, /arkiv/nyheter.html: the listing itself, not an article
    if _SV_ARTICLE.search(low) or under_news.search(low):
        return True
    # dated permalinks: /2024/02/slug/ (WordPress) or a slug starting with 2024-02-12
    return bool(_DATED_PATH.search(path)) and looks_like_article_url(url)
