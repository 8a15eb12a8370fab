"""Discover article URLs of a source: RSS/Atom feeds, sitemaps (incl. indexes and ``.xml.gz``) and
HTML listing pages with pagination.

The type of every start URL is detected from its content. Feeds are also found through
``<link rel="alternate">``, sitemaps through robots.txt ``Sitemap:`` lines. XML is parsed with
defusedxml (entity expansion and external entities refused) after a size cap; a malformed
document becomes a recorded error, never an exception out of ``discover_source``.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from lxml import etree as lxml_etree
from lxml import html as lxml_html

from pipeline.crawl.fetch import FetchResult, PoliteFetcher
from pipeline.crawl.sources import Source
from pipeline.crawl.state import CrawlState
from pipeline.crawl.urls import canonicalize, host_allowed, host_of, is_fetchable, vocabulary

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, after decompression
MAX_SITEMAP_DOCS = 100
DISCOVERY_TYPES = frozenset({
    "", "text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/rss+xml",
    "application/atom+xml", "application/rdf+xml", "application/x-gzip", "application/gzip",
    "application/octet-stream", "text/plain",
})
ARTICLE_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})
_ARTICLE_CONTAINER = re.compile(r"(article|news|nyhet|teaser|item|card|puff|entry|post|list)", re.I)
_DATED_PATH = re.compile(r"/(?:19|20)\d{2}/(?:[01]?\d/)?[^/]+|/(?:19|20)\d{2}-[01]\d-[0-3]\d")
_PAGE_PATH = re.compile(r"/(?:page|sida)/(\d+)/?$", re.I)


class DiscoveryParseError(ValueError):
    """A feed, sitemap or listing page could not be parsed."""


def discovery_accept(content_type: str) -> bool:
    """Media types worth downloading during discovery."""
    return content_type in DISCOVERY_TYPES or content_type.endswith("+xml")


def article_accept(content_type: str) -> bool:
    """Media types of article pages (HTML)."""
    return content_type in ARTICLE_TYPES


def has_non_html_extension(url: str) -> bool:
    """True for URLs of PDFs, images, office files and other non-HTML resources."""
    path = urlsplit(url).path.lower()
    return any(path.endswith(ext) for ext in vocabulary()["non_html_extensions"])


# -- content sniffing ---------------------------------------------------------------------------
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


def _parse_xml(body: bytes) -> Element:
    if len(body) > MAX_XML_BYTES:
        raise DiscoveryParseError(f"XML document larger than {MAX_XML_BYTES} bytes; refused")
    try:
        return SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DiscoveryParseError(f"unsafe XML refused ({type(exc).__name__}: entity declarations are not allowed)") from exc
    except ParseError as exc:
        raise DiscoveryParseError(f"malformed XML ({exc})") from exc


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(el: Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


@dataclass(frozen=True)
class Entry:
    """A URL found in a feed or sitemap, with its date if the document gives one."""

    url: str
    lastmod: str | None = None


def parse_feed(body: bytes, base_url: str) -> list[Entry]:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    root = _parse_xml(body)
    out: list[Entry] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":
            link = guid = date = ""
            for child in el:
                cname = _local(child.tag)
                if cname == "link" and _text(child):
                    link = _text(child)
                elif cname == "guid" and child.get("isPermaLink", "true").lower() != "false":
                    guid = _text(child)
                elif cname in ("pubdate", "date", "updated"):
                    date = _text(child)
            href = link or (guid if guid.startswith(("http://", "https://")) else "")
            if href:
                out.append(Entry(urljoin(base_url, href), date or None))
        elif name == "entry":
            href = date = ""
            for child in el:
                cname = _local(child.tag)
                if cname == "link" and child.get("rel", "alternate") == "alternate" and child.get("href"):
                    href = href or child.get("href", "")
                elif cname in ("updated", "published") and not date:
                    date = _text(child)
            if href:
                out.append(Entry(urljoin(base_url, href), date or None))
    return out


def parse_sitemap(body: bytes) -> tuple[str, list[Entry]]:
    """``("sitemapindex", child sitemaps)`` or ``("sitemap", page URLs)`` with their ``<lastmod>``."""
    root = _parse_xml(body)
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryParseError(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    want = "sitemap" if kind == "sitemapindex" else "url"
    out: list[Entry] = []
    for el in root:
        if _local(el.tag) != want:
            continue
        loc = lastmod = ""
        for child in el:
            cname = _local(child.tag)
            if cname == "loc":
                loc = _text(child)
            elif cname == "lastmod":
                lastmod = _text(child)
        if loc:
            out.append(Entry(loc, lastmod or None))
    return ("sitemapindex" if kind == "sitemapindex" else "sitemap"), out


# -- HTML listings ------------------------------------------------------------------------------
@dataclass
class ListingPage:
    """What one HTML page offers discovery."""

    article_links: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    feed_links: list[str] = field(default_factory=list)
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


def _page_number(url: str) -> int:
    parts = urlsplit(url)
    params = {k.lower(): v for k, v in parse_qsl(parts.query)}
    for name in vocabulary()["page_params"]:
        v = params.get(name)
        if v and v.isdigit():
            return int(v)
    m = _PAGE_PATH.search(parts.path)
    return int(m.group(1)) if m else 1


def _same_listing(a: str, b: str) -> bool:
    """True if ``b`` is another page of the listing ``a`` (same path modulo page markers)."""
    pa, pb = urlsplit(a), urlsplit(b)
    if host_of(a) != host_of(b):
        return False
    strip = _PAGE_PATH.sub("", pa.path.rstrip("/")), _PAGE_PATH.sub("", pb.path.rstrip("/"))
    return strip[0] == strip[1]


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
            _same_listing(page_url, url) and _page_number(url) == current + 1
        ):
            page.next_pages.append(url)
            continue
        if not host_allowed(host_of(url), source.hosts) or has_non_html_extension(url):
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
    return page


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


# -- the discovery pass -------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """An article URL found by discovery."""

    url: str
    canonical: str
    via: str  # "feed" | "sitemap" | "listing"
    lastmod: str | None = None


@dataclass
class DiscoveryResult:
    """Everything one discovery pass found."""

    source_id: str
    articles: dict[str, Candidate] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    n_requests: int = 0


def discover_source(
    source: Source,
    fetcher: PoliteFetcher,
    state: CrawlState | None = None,
    *,
    conditional: bool = True,
    is_known: Callable[[str], bool] | None = None,
) -> DiscoveryResult:
    """Run discovery for one source. With ``state``, discovery pages are requested conditionally and
    their validators recorded; ``is_known(canonical_url)`` tells which articles are already archived
    (a listing page with only known articles ends the pagination). Never raises for site faults.
    """
    result = DiscoveryResult(source.id)
    known = is_known or (lambda _u: False)
    queue: deque[tuple[str, str, str | None]] = deque((u, "start", None) for u in source.start_urls)
    try:
        for start in source.start_urls:
            ok, _ = is_fetchable(start, source.hosts, source.allow_private)
            if ok:
                for sm in fetcher.robots_sitemaps(start, source.interval):
                    queue.append((sm, "sitemap", None))
    except Exception as exc:  # noqa: BLE001 - robots trouble must not stop the source
        result.errors.append(f"{source.id}: robots.txt: {exc}")
    seen: set[str] = set()
    n_listing = 0
    n_sitemaps = 0
    while queue:
        url, role, lastmod = queue.popleft()
        canon = canonicalize(url)
        if canon in seen:
            continue
        seen.add(canon)
        if role == "listing" and n_listing >= source.max_pages:
            continue
        if role == "sitemap":
            if n_sitemaps >= MAX_SITEMAP_DOCS:
                result.skipped.append(f"{url}: more than {MAX_SITEMAP_DOCS} sitemaps; rest not read")
                continue
            prev = state.get(canon) if state else None
            if (conditional and lastmod and prev is not None and prev.sitemap_lastmod == lastmod
                    and prev.status in ("fetched", "unchanged")):
                result.unchanged.append(url)
                continue
        try:
            _visit(source, fetcher, state, result, queue, url, canon, role, lastmod, conditional, known)
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop discovery
            result.errors.append(f"{url}: discovery failed ({type(exc).__name__}: {exc})")
            if state is not None:
                state.record_visit(canon, source.id, "discovery", "failed", error=str(exc)[:500])
        if role in ("listing", "start"):
            n_listing += 1
        if role == "sitemap":
            n_sitemaps += 1
    return result


def _visit(
    source: Source,
    fetcher: PoliteFetcher,
    state: CrawlState | None,
    result: DiscoveryResult,
    queue: deque[tuple[str, str, str | None]],
    url: str,
    canon: str,
    role: str,
    lastmod: str | None,
    conditional: bool,
    known: Callable[[str], bool],
) -> None:
    prev = state.get(canon) if state is not None else None
    # A sitemap index is always read in full: its children may change while it stays the same.
    use_validators = (conditional and prev is not None and prev.status in ("fetched", "unchanged")
                      and prev.doc_type != "sitemapindex")
    res: FetchResult = fetcher.fetch(
        url,
        allowed_hosts=source.hosts,
        allow_private=source.allow_private,
        interval=source.interval,
        etag=prev.etag if use_validators and prev else None,
        last_modified=prev.last_modified if use_validators and prev else None,
        accept=discovery_accept,
    )
    result.n_requests += max(res.attempts, 0)
    if res.outcome == "not_modified":
        result.unchanged.append(url)
        if state is not None:
            state.record_visit(canon, source.id, "discovery", "unchanged", sitemap_lastmod=lastmod)
        return
    if res.outcome != "ok":
        msg = res.error or f"{url}: {res.outcome}"
        (result.skipped if res.outcome.startswith("skipped") else result.errors).append(msg)
        if state is not None:
            status = "skipped" if res.outcome.startswith("skipped") else "failed"
            state.record_visit(canon, source.id, "discovery", status, error=msg[:500])
        return
    base = res.final_url
    kind = "unknown"
    try:
        body = decompress(res.body)
        kind = sniff(body, res.content_type)
        if kind == "feed":
            result.feeds.append(url)
            pattern = re.compile(source.article_pattern) if source.article_pattern else None
            for e in parse_feed(body, base):
                if not host_allowed(host_of(e.url), source.hosts) or has_non_html_extension(e.url):
                    continue
                if pattern is not None and not pattern.search(urlsplit(e.url).path):
                    continue
                _add(result, e.url, "feed", e.lastmod)
        elif kind in ("sitemap", "sitemapindex"):
            skind, entries = parse_sitemap(body)
            result.sitemaps.append(url)
            for e in entries:
                if skind == "sitemapindex":
                    if host_allowed(host_of(e.url), source.hosts):
                        queue.append((e.url, "sitemap", e.lastmod))
                elif sitemap_entry_wanted(e.url, source):
                    _add(result, e.url, "sitemap", e.lastmod)
        elif kind == "html":
            page = parse_listing(body, base, source)
            if role == "start" and page.is_article:
                _add(result, url, "start", None)  # a start URL that is itself an article page
            elif role in ("start", "listing"):
                result.listings.append(url)
            for f in page.feed_links:
                if host_allowed(host_of(f), source.hosts):
                    queue.appendleft((f, "feed", None))
            new = 0
            for link in page.article_links:
                c = canonicalize(link)
                if c not in result.articles and not known(c):
                    new += 1
                _add(result, link, "listing", None)
            if new and role in ("start", "listing"):
                for nxt in page.next_pages:
                    queue.append((nxt, "listing", None))
        else:
            raise DiscoveryParseError(f"unrecognised document (content type {res.content_type or 'none'})")
    except DiscoveryParseError as exc:
        result.errors.append(f"{url}: {exc}")
        if state is not None:
            state.record_visit(canon, source.id, "discovery", "failed", error=str(exc)[:500])
        return
    if state is not None:
        state.record_visit(
            canon, source.id, "discovery", "fetched",
            etag=res.headers.get("etag"), last_modified=res.headers.get("last-modified"),
            content_sha256=hashlib.sha256(res.body).hexdigest(), sitemap_lastmod=lastmod, doc_type=kind,
        )


def _add(result: DiscoveryResult, url: str, via: str, lastmod: str | None) -> None:
    canon = canonicalize(url)
    if canon not in result.articles:
        result.articles[canon] = Candidate(url, canon, via, lastmod)
