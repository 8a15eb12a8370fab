"""The sources registry: a TOML file of ``[[source]]`` tables, validated into ``Source`` objects.

Only ``id``, ``name``, ``kind`` and ``start_urls`` are required. ``hosts`` lists further hosts where
the source publishes (Göteborgs Stad's news on vartgoteborg.se): links, redirects and articles on
them are followed like those on the start URLs' hosts. Every error names the file,
the entry (index and id), the field and what to do about it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import SourcesError
from pipeline.reference import kommun_codes
from pipeline.urls import host_of, is_private_host

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_REGISTRY: Path = DATA_DIR / "sources" / "kommuner.toml"
KINDS = ("kommun", "newspaper", "newsroom", "agency")
_ID_RE = re.compile(r"^[a-z0-9_-]+$")
_FIELDS = {
    "id", "name", "kind", "kommun", "start_urls", "hosts", "article_pattern", "max_pages", "rate_per_s",
    "verified", "note", "max_articles",
}
_HOST_RE = re.compile(r"^[a-z0-9.-]+(:[0-9]{1,5})?$")


@dataclass(frozen=True)
class Source:
    """One site to crawl."""

    id: str
    name: str
    kind: str
    kommun: str | None
    start_urls: tuple[str, ...]
    article_pattern: str | None = None
    max_pages: int = 50
    rate_per_s: float = 1.0
    extra_hosts: tuple[str, ...] = ()  # registry field ``hosts``: further hosts where this source publishes
    verified: str | None = None  # where the start URL was checked (e.g. "stored page"), for coverage counts
    max_articles: int = 500  # article fetches per crawl at most (bounds the first night's backfill)

    @cached_property
    def hosts(self) -> frozenset[str]:
        """Hosts of the start URLs plus ``extra_hosts``: the only hosts this source may fetch from
        (their www-variants and subdomains included, see ``urls.host_allowed``). Computed once per source."""
        return frozenset(host_of(u) for u in self.start_urls) | frozenset(self.extra_hosts)

    @property
    def allow_private(self) -> bool:
        """True when the source itself lives on a private/loopback address (tests, the demo)."""
        return any(is_private_host(h, resolve=False) for h in self.hosts)

    @property
    def interval(self) -> float:
        """Minimum seconds between two requests to one host of this source."""
        return 1.0 / self.rate_per_s


def _fail(path: Path, index: int, entry_id: object, field: str | None, problem: str, todo: str) -> SourcesError:
    where = f"{path}: [[source]] #{index + 1}"
    if isinstance(entry_id, str) and entry_id:
        where += f" (id {entry_id!r})"
    if field:
        where += f", field {field!r}"
    return SourcesError(f"{where}: {problem}. {todo}")


Fail = Callable[[str | None, str, str], SourcesError]


def _validate(path: Path, index: int, raw: Any) -> Source:
    if not isinstance(raw, dict):
        raise _fail(path, index, None, None, "is not a table", "Write each source as a [[source]] table.")
    entry_id = raw.get("id")

    def fail(field: str | None, problem: str, todo: str) -> SourcesError:
        return _fail(path, index, entry_id, field, problem, todo)

    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise fail(unknown[0], "unknown field", f"Use only: {', '.join(sorted(_FIELDS))}.")
    for field in ("id", "name", "kind", "start_urls"):
        if field not in raw:
            raise fail(field, "is missing", f"Add {field} = … to this entry (id, name, kind, start_urls are required).")
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        raise fail("id", f"{entry_id!r} is not a slug", "Use lower-case letters, digits, '_' and '-' only.")
    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        raise fail("name", "must be a non-empty string", 'Write the publisher\'s name, e.g. "Lerums kommun".')
    kind = raw["kind"]
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not a known kind", f"Use one of: {', '.join(KINDS)}.")
    for field in ("verified", "note"):
        if field in raw and not isinstance(raw[field], str):
            raise fail(field, "must be a string", f'Write e.g. {field} = "stored page".')
    return Source(
        id=entry_id,
        name=name.strip(),
        kind=kind,
        kommun=_kommun(raw.get("kommun"), fail),
        start_urls=_start_urls(raw["start_urls"], fail),
        article_pattern=_pattern(raw.get("article_pattern"), fail),
        max_pages=_max_pages(raw.get("max_pages", 50), fail),
        rate_per_s=_rate(raw.get("rate_per_s", 1.0), fail),
        extra_hosts=_hosts(raw.get("hosts", []), fail),
        verified=raw.get("verified"),
        max_articles=_max_articles(raw.get("max_articles", 500), fail),
    )


def _kommun(kommun: Any, fail: Fail) -> str | None:
    if kommun is not None and (not isinstance(kommun, str) or kommun not in kommun_codes()):
        raise fail(
            "kommun",
            f"{kommun!r} is not an SCB kommun code",
            'Write the four-digit code as a quoted string, e.g. "1441" (see pipeline/data/kommuner.csv).',
        )
    return kommun


def _start_urls(urls: Any, fail: Fail) -> tuple[str, ...]:
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not urls:
        raise fail("start_urls", "must be a non-empty list of URLs", 'Write e.g. start_urls = ["https://www.lerum.se/"].')
    for u in urls:
        if not isinstance(u, str):
            raise fail("start_urls", f"{u!r} is not a string", "Quote each URL.")
        parts = urlsplit(u)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise fail(
                "start_urls", f"{u!r} is not an absolute http(s) URL", "Only http:// and https:// URLs are crawled."
            )
    return tuple(urls)


def _hosts(hosts: Any, fail: Fail) -> tuple[str, ...]:
    if isinstance(hosts, str):
        hosts = [hosts]
    if not isinstance(hosts, list):
        raise fail("hosts", "must be a list of host names", 'Write e.g. hosts = ["vartgoteborg.se"].')
    out: list[str] = []
    for h in hosts:
        if not isinstance(h, str) or not h.strip():
            raise fail("hosts", f"{h!r} is not a host name", 'Quote each host, e.g. hosts = ["vartgoteborg.se"].')
        if "/" in h or "@" in h:
            raise fail("hosts", f"{h!r} is a URL, not a host name", 'Write the bare host, e.g. "vartgoteborg.se".')
        host = host_of("http://" + h.strip())
        name = host.split(":")[0]
        if not _HOST_RE.match(host) or ("." not in name and name != "localhost"):
            raise fail("hosts", f"{h!r} is not a host name", 'Write the bare host, e.g. "vartgoteborg.se".')
        out.append(host)
    return tuple(dict.fromkeys(out))


def _pattern(pattern: Any, fail: Fail) -> str | None:
    if pattern is not None:
        if not isinstance(pattern, str):
            raise fail("article_pattern", "must be a string", "Write a regular expression on the URL path.")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise fail("article_pattern", f"is not a valid regular expression ({exc})", "Fix the regex.") from exc
    return pattern


def _max_pages(max_pages: Any, fail: Fail) -> int:
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise fail("max_pages", f"{max_pages!r} is not a positive integer", "Write e.g. max_pages = 50.")
    return max_pages


def _max_articles(n: Any, fail: Fail) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise fail(
            "max_articles", f"{n!r} is not a positive integer",
            "Write e.g. max_articles = 500 (article fetches per crawl at most; bounds the first night).",
        )
    return n


def _rate(rate: Any, fail: Fail) -> float:
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 100:
        raise fail("rate_per_s", f"{rate!r} is not a number in (0, 100]", "Write e.g. rate_per_s = 1.0.")
    return float(rate)


def parse_sources(text: str, path: Path | str = "<string>") -> list[Source]:
    """Parse and validate registry TOML text; ``path`` is used in error messages."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML ({exc}). Fix the syntax of the registry file.") from exc
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: no [[source]] tables found. Add at least one [[source]] entry.")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(entries):
        src = _validate(path, i, raw)
        if src.id in seen:
            raise _fail(
                path, i, src.id, "id", f"duplicates entry #{seen[src.id] + 1}", "Give every source a unique id."
            )
        seen[src.id] = i
        sources.append(src)
    return sources


def load_sources(path: str | Path = DEFAULT_REGISTRY) -> list[Source]:
    """Load and validate a registry file; raises ``SourcesError`` naming file, entry and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: registry file not found. Check the path given on the command line.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the registry ({exc}). Check the file is UTF-8 text.") from exc
    return parse_sources(text, path)
