"""Main text, title, dates and language from an HTML page or a text file.

trafilatura finds the main text and title; the publication date comes, in
order, from a date given by the caller, the page metadata (htmldate without
guessing), a Swedish publication date in the text ("Publicerad 2022-11-30",
"Artikeln publicerades 3 april 2022", a date line or byline date; see
``pipeline.text.published``), htmldate's look at <time> elements and the URL,
an update date in the text ("Senast uppdaterad: 17 november 2023"), and finally
htmldate's extensive search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import htmldate
import trafilatura

from pipeline.errors import ExtractError
from pipeline.text.language import detect_language

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 400_000

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset=([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_PUBLICATION_META = re.compile(
    r"""(?:property|name|itemprop)=["'](?:article:published_time|og:published_time|datePublished|date|dc\.date|"""
    r"""dcterms\.created|dcterms\.date|pubdate|publish[_-]?date|sailthru\.date)["']|"datePublished"\s*:""",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^\s*(?:[•·>»/|]|Startsida\b|Hem\b)")


@dataclass
class ExtractedText:
    """What the extract stage found in one page or file."""

    title: str | None
    text: str
    published: date | None
    published_source: str  # given | metadata | published | updated | byline | guessed | none
    modified: date | None
    language: str | None


def decode_body(body: bytes, content_type: str | None = None, *, name: str = "input") -> str:
    """Decode page bytes: header charset, then <meta charset>, then UTF-8, then cp1252."""
    if not body or not body.strip():
        raise ExtractError(f"{name}: the file or response is empty; nothing to extract")
    if b"\x00" in body[:4096]:
        raise ExtractError(f"{name}: looks like a binary file (NUL bytes), not HTML or text; give an .html or .txt file")
    candidates: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            charset = m.group(1)
            candidates.append(charset.decode() if isinstance(charset, bytes) else str(charset))
    m2 = _META_CHARSET.search(body[:8192])
    if m2:
        candidates.append(m2.group(1).decode("ascii", "ignore"))
    candidates += ["utf-8", "cp1252", "latin-1"]
    for enc in candidates:
        try:
            return body.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    raise ExtractError(f"{name}: could not decode the bytes as text")  # pragma: no cover - latin-1 always decodes


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text_date(text: str) -> tuple[date | None, str | None]:
    """Publication date from a Swedish date line in the text (pipeline.text.dates)."""
    from pipeline.text.dates import find_publication_date

    found = find_publication_date(text)
    if found is None:
        return None, None
    return found.date, found.source


def _check_length(text: str, name: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractError(
            f"{name}: the text is {len(text):,} characters, more than the {MAX_TEXT_CHARS:,} an article may have; "
            "split the file or check that it is a single article"
        )


def _html_publication_date(html: str, text: str) -> tuple[date | None, str]:
    """The publication date of a page and where it came from, in the order of the module docstring."""
    if _PUBLICATION_META.search(html[:200_000]):
        # explicit publication metadata (article:published_time, datePublished, DC.date …)
        pub = _parse_iso(htmldate.find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"))
        if pub is not None:
            return pub, "metadata"
    found, src = _text_date(text)
    if found is not None and src != "updated":
        return found, src or "text"
    # htmldate's heuristics (<time> elements, the URL), then the text's update date, then an extensive search
    guessed = _parse_iso(htmldate.find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"))
    if found is not None and guessed in (None, found):
        return found, "updated"  # htmldate saw nothing else, or the same date
    if guessed is not None:
        return guessed, "guessed"
    guessed = _parse_iso(htmldate.find_date(html, original_date=True, extensive_search=True, outputformat="%Y-%m-%d"))
    return (guessed, "guessed") if guessed is not None else (None, "none")


def extract_html(
    body: bytes | str,
    url: str | None = None,
    content_type: str | None = None,
    *,
    published: date | None = None,
    name: str | None = None,
) -> ExtractedText:
    """Extract title, main text, dates and language from an HTML page."""
    label = name or url or "page"
    if isinstance(body, bytes):
        if len(body) > MAX_BODY_BYTES:
            raise ExtractError(f"{label}: the page is {len(body):,} bytes, over the {MAX_BODY_BYTES:,}-byte cap")
        html = decode_body(body, content_type, name=label)
    else:
        html = body
        if not html.strip():
            raise ExtractError(f"{label}: the page is empty; nothing to extract")
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, favor_precision=False
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ExtractError(f"{label}: no article text found in the HTML (no body, or only navigation)")
    _check_length(text, label)
    title = (getattr(doc, "title", None) or None) if doc is not None else None

    pub, source = (published, "given") if published else _html_publication_date(html, text)
    modified = _parse_iso(htmldate.find_date(html, original_date=False, extensive_search=False, outputformat="%Y-%m-%d"))
    if modified is not None and pub is not None and modified <= pub:
        modified = None
    return ExtractedText(title, text, pub, source, modified, detect_language(text))


def _guess_title(text: str) -> str | None:
    for line in text.splitlines():
        stripped = line.strip()
        if len(stripped) >= 10 and not _BREADCRUMB.match(stripped):
            return stripped
    return None


def extract_plain_text(text: str, *, published: date | None = None, name: str = "text") -> ExtractedText:
    """Treat ``text`` as the article text itself (a .txt file or pasted text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ExtractError(f"{name}: the text is empty; nothing to extract")
    _check_length(text, name)
    source = "given" if published else "none"
    pub = published
    if pub is None:
        pub, src = _text_date(text)
        source = (src or "text") if pub else "none"
    return ExtractedText(_guess_title(text), text, pub, source, None, detect_language(text))


def extract_file(path: Path, *, url: str | None = None, published: date | None = None) -> ExtractedText:
    """Extract from a local .html/.htm or .txt file; an error names the file and what to do."""
    if not path.exists():
        raise ExtractError(f"{path}: no such file")
    if path.is_dir():
        raise ExtractError(f"{path}: is a folder; give one .html or .txt file")
    size = path.stat().st_size
    if size > MAX_BODY_BYTES:
        raise ExtractError(f"{path}: {size:,} bytes, over the {MAX_BODY_BYTES:,}-byte cap for one article")
    body = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return extract_html(body, url=url, published=published, name=str(path))
    if suffix in {".txt", ".text", ".md", ""}:
        return extract_plain_text(decode_body(body, name=str(path)), published=published, name=str(path))
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return extract_html(body, url=url, published=published, name=str(path))
    raise ExtractError(f"{path}: unsupported file type {suffix!r}; give an .html or .txt file")
