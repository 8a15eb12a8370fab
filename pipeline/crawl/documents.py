"""What every discovery document shares: accepted media types, gzip, content sniffing, safe XML.

The type of a discovery document is detected from its content (:func:`sniff`), never declared.
XML is parsed with defusedxml (entity expansion and external entities refused) after a size cap,
and gzip data is inflated with a cap too; a malformed or unsafe document raises
:class:`DiscoveryParseError`.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from pipeline.errors import DiscoveryParseError
from pipeline.urls import vocabulary

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, after decompression
DISCOVERY_TYPES = frozenset({
    "", "text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/rss+xml",
    "application/atom+xml", "application/rdf+xml", "application/x-gzip", "application/gzip",
    "application/octet-stream", "text/plain",
})
ARTICLE_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class Entry:
    """A URL found in a feed or sitemap, with its date if the document gives one."""

    url: str
    lastmod: str | None = None


def discovery_accept(content_type: str) -> bool:
    """Media types worth downloading during discovery."""
    return content_type in DISCOVERY_TYPES or content_type.endswith("+xml")


def article_accept(content_type: str) -> bool:
    """Media types of article pages (HTML)."""
    return content_type in ARTICLE_TYPES


@lru_cache(maxsize=1)
def non_html_extensions() -> tuple[str, ...]:
    """The ``non_html_extensions`` of the discovery vocabulary, lower case, for ``str.endswith``."""
    return tuple(e.lower() for e in vocabulary()["non_html_extensions"])


def has_non_html_extension(url: str) -> bool:
    """True for URLs of PDFs, images, office files and other non-HTML resources."""
    return urlsplit(url).path.lower().endswith(non_html_extensions())


def decompress(body: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Gunzip ``body`` if it is gzip data, refusing output beyond ``limit`` bytes (gzip bombs)."""
    if body[:2] != b"\x1f\x8b":
        return body
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, limit + 1)
    except zlib.error as exc:
        raise DiscoveryParseError(f"corrupt gzip data ({exc})") from exc
    if len(out) > limit or d.unconsumed_tail:
        raise DiscoveryParseError(f"gzip data expands beyond {limit} bytes; refused")
    return out


def sniff(body: bytes, content_type: str = "") -> str:
    """Detect a document type from its content: "feed", "sitemap", "sitemapindex", "html" or "unknown"."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # skip the XML declaration, comments, processing instructions and a doctype
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>", b"", head, flags=re.S).lstrip()
    for marker, kind in ((b"<rss", "feed"), (b"<feed", "feed"), (b"<rdf:rdf", "feed"),
                         (b"<sitemapindex", "sitemapindex"), (b"<urlset", "sitemap")):
        if text.startswith(marker):
            return kind
    if text.startswith(b"<html") or b"<!doctype html" in head or b"<html" in head or b"<body" in head:
        return "html"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        for marker, kind in ((b"<sitemapindex", "sitemapindex"), (b"<urlset", "sitemap"),
                             (b"<rss", "feed"), (b"<feed", "feed")):
            if marker in head:
                return kind
    return "unknown"


def parse_xml(body: bytes) -> Element:
    """The root element of an XML document, parsed safely (size cap, no entities, no external refs)."""
    if len(body) > MAX_XML_BYTES:
        raise DiscoveryParseError(f"XML document larger than {MAX_XML_BYTES} bytes; refused")
    try:
        return SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DiscoveryParseError(f"unsafe XML refused ({type(exc).__name__}: entity declarations are not allowed)") from exc
    except ParseError as exc:
        raise DiscoveryParseError(f"malformed XML ({exc})") from exc


def local_name(tag: object) -> str:
    """An element's tag without its namespace, lower case ("" for comments and the like)."""
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def text_of(el: Element | None) -> str:
    """The stripped text of an element ("" for None)."""
    return (el.text or "").strip() if el is not None else ""
