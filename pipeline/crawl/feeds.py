"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: the article links they list."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from pipeline.crawl.documents import Entry, has_non_html_extension, local_name, parse_xml, text_of
from pipeline.crawl.sources import Source
from pipeline.urls import host_allowed, host_of


def _rss_item(el: Element, base_url: str) -> Entry | None:
    link = guid = date = ""
    for child in el:
        cname = local_name(child.tag)
        if cname == "link" and text_of(child):
            link = text_of(child)
        elif cname == "guid" and child.get("isPermaLink", "true").lower() != "false":
            guid = text_of(child)
        elif cname in ("pubdate", "date", "updated"):
            date = text_of(child)
    href = link or (guid if guid.startswith(("http://", "https://")) else "")
    return Entry(urljoin(base_url, href), date or None) if href else None


def _atom_entry(el: Element, base_url: str) -> Entry | None:
    href = date = ""
    for child in el:
        cname = local_name(child.tag)
        if cname == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
            href = href or child.get("href", "")
        elif cname in ("updated", "published") and not date:
            date = text_of(child)
    return Entry(urljoin(base_url, href), date or None) if href else None


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    out: list[Entry] = []
    for el in parse_xml(body).iter():
        name = local_name(el.tag)
        entry = _rss_item(el, base_url) if name == "item" else _atom_entry(el, base_url) if name == "entry" else None
        if entry is not None:
            out.append(entry)
    return out


def feed_articles(body: bytes, base_url: str, source: Source) -> list[Entry]:
    """The entries of a feed that are candidate articles of ``source`` (allowed host, HTML, pattern)."""
    pattern = re.compile(source.article_pattern) if source.article_pattern else None
    out = []
    for e in parse_feed(body, base_url):
        if not host_allowed(host_of(e.url), source.hosts) or has_non_html_extension(e.url):
            continue
        if pattern is not None and not pattern.search(urlsplit(e.url).path):
            continue
        out.append(e)
    return out
