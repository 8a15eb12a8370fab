"""A polite HTTP fetcher: robots.txt, per-host interval and one request in flight per host,
retries with backoff (429/5xx, Retry-After honoured and capped), timeouts, a streamed size cap,
redirects followed by hand only within the source's hosts, conditional GET.

One ``PoliteFetcher`` is shared by all threads of a crawl; different hosts proceed in parallel.
Every HTTP request (robots.txt included) is reported to the ``recorder`` hook.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.crawl.urls import host_of, is_fetchable

DEFAULT_USER_AGENT = "samverkan/0.1 (+https://github.com/samverkan/samverkan; research crawler)"
OUTCOMES = ("ok", "not_modified", "skipped_robots", "skipped_size", "skipped_type", "off_host_redirect", "error")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetching one URL (after retries and redirects)."""

    url: str
    final_url: str
    outcome: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    attempts: int = 0

    @property
    def ok(self) -> bool:
        """True when a body was received (outcome ``ok``)."""
        return self.outcome == "ok"

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class RequestEvent:
    """One HTTP request as seen by the fetcher, for the recorder hook."""

    url: str
    host: str
    started: float  # time.monotonic()
    ended: float
    status: int | None
    error: str | None
    purpose: str  # "robots" | "page"


def crawl_delay_for(lines: list[str], user_agent: str) -> float | None:
    """The ``Crawl-delay`` (seconds, fractions allowed) of the robots.txt group for our agent, else ``*``."""
    token = user_agent.split("/")[0].strip().lower()
    groups: list[tuple[list[str], float | None]] = []
    agents: list[str] = []
    delay: float | None = None
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (x.strip() for x in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if in_rules:
                groups.append((agents, delay))
                agents, delay, in_rules = [], None, False
            agents.append(value.lower())
        else:
            in_rules = True
            if key == "crawl-delay":
                try:
                    delay = max(0.0, float(value))
                except ValueError:
                    pass
    if agents:
        groups.append((agents, delay))
    for wanted in (lambda a: a != "*" and a in token, lambda a: a == "*"):
        for names, d in groups:
            if any(wanted(a) for a in names):
                return d
    return None


class _Host:
    """Per-host politeness: a lock (one request in flight) and the earliest next start."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.crawl_delay = 0.0
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_loaded = False
        self.robots_expires = 0.0
        self.robots_lock = threading.Lock()
        self.sitemaps: list[str] = []
        self.robots_error: str | None = None


class PoliteFetcher:
    """Thread-safe polite HTTP client (see module docstring)."""

    def __init__(
        self,
        user_agent: str = DEFAULT_USER_AGENT,
        default_interval: float = 1.0,
        timeout: float = 20.0,
        max_bytes: int = 10 * 1024 * 1024,
        retries: int = 3,
        backoff: float = 1.0,
        max_retry_after: float = 120.0,
        max_redirects: int = 5,
        recorder: Callable[[RequestEvent], None] | None = None,
        obey_robots: bool = True,
        robots_ttl: float = 6 * 3600.0,
    ) -> None:
        self.user_agent = user_agent
        self.default_interval = default_interval
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_redirects = max_redirects
        self.recorder = recorder
        self.obey_robots = obey_robots
        self.robots_ttl = robots_ttl
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ----------------------------------------------------------------------------
    def _host(self, host: str) -> _Host:
        with self._hosts_lock:
            h = self._hosts.get(host)
            if h is None:
                h = self._hosts[host] = _Host()
            return h

    def _send(
        self, url: str, headers: dict[str, str], interval: float, purpose: str, max_bytes: int,
        accept: Callable[[str], bool] | None,
    ) -> tuple[int | None, dict[str, str], bytes, str | None]:
        """One request under the host's lock and interval. Returns (status, headers, body, problem).

        ``problem`` is None, "size", "type" or an error message (then status may be None).
        """
        host = host_of(url)
        h = self._host(host)
        with h.lock:
            wait = h.next_start - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            started = time.monotonic()
            status: int | None = None
            err: str | None = None
            resp_headers: dict[str, str] = {}
            body = b""
            problem: str | None = None
            try:
                with self._client.stream("GET", url, headers=headers) as resp:
                    status = resp.status_code
                    resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                    # httpx decodes gzip/deflate transfer; the body we keep is the decoded one.
                    if "content-encoding" in resp_headers:
                        resp_headers["x-original-content-encoding"] = resp_headers.pop("content-encoding")
                        resp_headers.pop("content-length", None)
                    declared = resp.headers.get("content-length")
                    ctype = resp_headers.get("content-type", "").split(";")[0].strip().lower()
                    if status == 200 and accept is not None and not accept(ctype):
                        problem = "type"
                    elif declared and declared.isdigit() and int(declared) > max_bytes:
                        problem = "size"
                    else:
                        chunks: list[bytes] = []
                        size = 0
                        for chunk in resp.iter_bytes():
                            size += len(chunk)
                            if size > max_bytes:
                                problem = "size"
                                break
                            chunks.append(chunk)
                        if problem is None:
                            body = b"".join(chunks)
            except httpx.TimeoutException as exc:
                err = f"timeout after {self.timeout:g} s ({type(exc).__name__})"
            except (httpx.HTTPError, OSError) as exc:
                err = f"{type(exc).__name__}: {exc}"
            ended = time.monotonic()
            h.next_start = ended + max(interval, h.crawl_delay)
            if self.recorder is not None:
                self.recorder(RequestEvent(url, host, started, ended, status, err, purpose))
        return status, resp_headers, body, err or problem

    # -- robots.txt ----------------------------------------------------------------------------
    def _robots(self, url: str, interval: float) -> _Host:
        parts = urlsplit(url)
        host = host_of(url)
        h = self._host(host)
        with h.robots_lock:
            if h.robots_loaded and time.monotonic() < h.robots_expires:
                return h
            h.robots_error = None
            h.sitemaps = []
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            rp = urllib.robotparser.RobotFileParser(robots_url)
            status, _hdrs, body, problem = self._send(robots_url, {}, interval, "robots", ROBOTS_MAX_BYTES, None)
            if status is None or (status >= 500 and problem not in ("size", "type")):
                rp.parse(["User-agent: *", "Disallow: /"])  # server trouble: do not crawl this host for now
                h.robots_error = f"robots.txt unavailable ({problem or f'HTTP {status}'}); host not crawled this run"
            elif status >= 400 or problem in ("size", "type"):
                rp.parse([])  # no robots.txt: everything allowed
            else:
                lines = body.decode("utf-8", "replace").splitlines()
                rp.parse(lines)
                delay = crawl_delay_for(lines, self.user_agent)
                if delay:
                    with h.lock:
                        h.crawl_delay = min(delay, 60.0)
                        h.next_start = max(h.next_start, time.monotonic() + h.crawl_delay)
                h.sitemaps = list(rp.site_maps() or [])
            h.robots = rp
            h.robots_loaded = True
            # robots.txt is re-read after robots_ttl (a long-running server); after a failure sooner
            h.robots_expires = time.monotonic() + (self.robots_ttl if h.robots_error is None
                                                   else min(self.robots_ttl, 300.0))
        return h

    def robots_allows(self, url: str, interval: float | None = None) -> bool:
        """True if robots.txt of the URL's host allows our user agent to fetch it."""
        if not self.obey_robots:
            return True
        h = self._robots(url, self.default_interval if interval is None else interval)
        assert h.robots is not None
        return h.robots.can_fetch(self.user_agent, url)

    def robots_sitemaps(self, url: str, interval: float | None = None) -> list[str]:
        """``Sitemap:`` URLs listed in the robots.txt of the URL's host."""
        h = self._robots(url, self.default_interval if interval is None else interval)
        return list(h.sitemaps)

    def crawl_delay(self, url: str) -> float:
        """The Crawl-delay robots.txt asks of us for this host (0 if none or not yet loaded)."""
        return self._host(host_of(url)).crawl_delay

    # -- retries -------------------------------------------------------------------------------
    def _retry_after(self, value: str | None) -> float | None:
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            return min(float(value), self.max_retry_after)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, min((when - datetime.now(UTC)).total_seconds(), self.max_retry_after))

    # -- public --------------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        *,
        allowed_hosts: Iterable[str] | None = None,
        allow_private: bool = False,
        interval: float | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Callable[[str], bool] | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """Fetch ``url`` politely and return a ``FetchResult`` (never raises for network trouble).

        ``allowed_hosts`` defaults to the URL's own host; redirects leaving them give
        ``off_host_redirect``. ``accept`` gets the media type of a 200 response and may refuse it
        (``skipped_type``, body not downloaded). ``etag``/``last_modified`` make the request
        conditional (``not_modified`` on 304).
        """
        hosts = frozenset(allowed_hosts) if allowed_hosts is not None else frozenset({host_of(url)})
        interval = self.default_interval if interval is None else interval
        cap = self.max_bytes if max_bytes is None else max_bytes
        current = url
        attempts = 0
        for _hop in range(self.max_redirects + 1):
            ok, reason = is_fetchable(current, hosts, allow_private)
            if not ok:
                outcome = "off_host_redirect" if current != url else "error"
                return FetchResult(url, current, outcome, error=f"{current}: {reason}", attempts=attempts)
            if self.obey_robots and not self.robots_allows(current, interval):
                robots_error = self._host(host_of(current)).robots_error
                if robots_error:
                    return FetchResult(url, current, "error", error=f"{current}: {robots_error}", attempts=attempts)
                return FetchResult(url, current, "skipped_robots", error=f"{current}: disallowed by robots.txt",
                                   attempts=attempts)
            headers: dict[str, str] = {}
            if current == url:
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            status: int | None = None
            resp_headers: dict[str, str] = {}
            body = b""
            problem: str | None = None
            for attempt in range(self.retries + 1):
                attempts += 1
                status, resp_headers, body, problem = self._send(current, headers, interval, "page", cap, accept)
                retryable = (status in RETRY_STATUSES) or (status is None and problem is not None)
                if not retryable or attempt == self.retries:
                    break
                delay = self._retry_after(resp_headers.get("retry-after")) if status is not None else None
                if delay is None:
                    delay = self.backoff * (2**attempt) * (1 + 0.1 * random.random())
                time.sleep(delay)
            fetched_at = datetime.now(UTC)
            if status is None:
                return FetchResult(url, current, "error", error=f"{current}: {problem}", attempts=attempts,
                                   fetched_at=fetched_at)
            if status in REDIRECT_STATUSES and "location" in resp_headers:
                current = urljoin(current, resp_headers["location"].strip())
                continue
            if status == 304:
                return FetchResult(url, current, "not_modified", status, resp_headers, attempts=attempts,
                                   fetched_at=fetched_at)
            if problem == "size":
                return FetchResult(url, current, "skipped_size", status, resp_headers,
                                   error=f"{current}: larger than {cap} bytes", attempts=attempts,
                                   fetched_at=fetched_at)
            if problem == "type":
                return FetchResult(url, current, "skipped_type", status, resp_headers,
                                   error=f"{current}: content type {resp_headers.get('content-type', '?')!r} "
                                   "not wanted",
                                   attempts=attempts, fetched_at=fetched_at)
            if status >= 400 or status < 200:
                return FetchResult(url, current, "error", status, resp_headers, body,
                                   error=f"{current}: HTTP {status}", attempts=attempts, fetched_at=fetched_at)
            return FetchResult(url, current, "ok", status, resp_headers, body, attempts=attempts, fetched_at=fetched_at)
        return FetchResult(url, current, "error", error=f"{url}: more than {self.max_redirects} redirects",
                           attempts=attempts)
