"""XML sitemaps and sitemap indexes (plain or ``.xml.gz``): child sitemaps and article URLs."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pipeline.crawl.documents import DiscoveryParseError, Entry, has_non_html_extension, local_name, parse_xml, text_of
from pipeline.crawl.listings import looks_like_article_url
from pipeline.crawl.sources import Source
from pipeline.urls import host_allowed, host_of, vocabulary

MAX_SITEMAP_DOCS = 100
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


def sitemap_entry_wanted(url: str, source: Source) -> bool:
    """Whether a sitemap URL is a candidate article of ``source`` (pattern, else news path words)."""
    if has_non_html_extension(url) or not host_allowed(host_of(url), source.hosts):
        return False
    path = urlsplit(url).path
    if source.article_pattern:
        return bool(re.search(source.article_pattern, path))
    segs = [s.lower() for s in path.split("/") if s]
    keywords = vocabulary()["news_path_keywords"]
    if len(segs) >= 2 and any(any(s.startswith(k) for k in keywords) for s in segs[:-1]):
        return True
    # dated permalinks: /2024/02/slug/ (WordPress) or a slug starting with 2024-02-12
    return bool(_DATED_PATH.search(path)) and looks_like_article_url(url)
