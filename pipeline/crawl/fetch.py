"""A polite HTTP fetcher: robots.txt (RFC 9309, parsed by ``protego``), per-host interval and one request in flight per host,
retries with backoff (429/5xx, Retry-After honoured and capped), timeouts, a streamed size cap,
redirects followed by hand only within the source's hosts, conditional GET.

One ``PoliteFetcher`` is shared by all threads of a crawl; different hosts proceed in parallel, each with
its own connection pool (one kept-alive connection: never two requests in flight to one host). The interval
is kept start-to-start as the server sees it: the next request to a host is sent no sooner than ``interval``
after the previous response's headers arrived (the server began that request before it answered, so its
two starts are at least ``interval`` apart even when it was slow to pick the first one up) and never before
the previous body was read. Downloading a body does not lengthen the pause that follows it.
Every HTTP request (robots.txt included) is reported to the ``recorder`` hook.
"""

from __future__ import annotations

import email.utils
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from pipeline.config import user_agent as configured_user_agent
from pipeline.urls import host_of, is_fetchable

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


def robots_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against (``samverkan`` of ``samverkan/0.1 (…)``)."""
    return user_agent.split("/")[0].split()[0].strip().lower() if user_agent.strip() else "*"


def parse_robots(text: str) -> Protego:
    """Parse robots.txt text with an RFC 9309 parser (longest match wins, ``*`` and ``$`` wildcards)."""
    return Protego.parse(text)


_DISALLOW_ALL = "User-agent: *\nDisallow: /\n"


class _Host:
    """Per-host politeness: a lock (one request in flight), the earliest next start and the host's own client."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.client: httpx.Client | None = None
        self.next_start = 0.0
        self.crawl_delay = 0.0
        self.robots: Protego | None = None
        self.robots_loaded = False
        self.robots_expires = 0.0
        self.robots_lock = threading.Lock()
        self.sitemaps: list[str] = []
        self.robots_error: str | None = None


class PoliteFetcher:
    """Thread-safe polite HTTP client (see module docstring)."""

    def __init__(
        self,
        user_agent: str | None = None,
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
        user_agent = user_agent or configured_user_agent()
        self.user_agent = user_agent
        self.robots_token = robots_token(user_agent)
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
        self._ssl_context: ssl.SSLContext | None = None  # one for all hosts (loading CA certificates is slow)

    def _new_client(self) -> httpx.Client:
        """A client for one host: one connection, kept alive between that host's requests."""
        with self._hosts_lock:
            if self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context()
            context = self._ssl_context
        return httpx.Client(
            verify=context,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=30.0),
        )

    def close(self) -> None:
        """Close every host's connection pool."""
        with self._hosts_lock:
            hosts = list(self._hosts.values())
        for h in hosts:
            with h.lock:
                if h.client is not None:
                    h.client.close()
                    h.client = None

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
            if h.client is None:
                h.client = self._new_client()
            client = h.client
            started = time.monotonic()
            gap = max(interval, h.crawl_delay)
            # until the answer begins, the server may not have started this request yet: pace from then
            h.next_start = started + gap
            status: int | None = None
            err: str | None = None
            resp_headers: dict[str, str] = {}
            body = b""
            problem: str | None = None
            try:
                with client.stream("GET", url, headers=headers) as resp:
                    # the headers are in: the server started this request by now; the next one starts
                    # one interval later (start-to-start, whatever the body's download takes)
                    h.next_start = time.monotonic() + gap
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
            if status is None:  # no answer (timeout, refused): the server may have seen the request late
                h.next_start = ended + gap
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
            status, _hdrs, body, problem = self._send(robots_url, {}, interval, "robots", ROBOTS_MAX_BYTES, None)
            if status is None or (status >= 500 and problem not in ("size", "type")):
                rp = parse_robots(_DISALLOW_ALL)  # server trouble: do not crawl this host for now
                h.robots_error = f"robots.txt unavailable ({problem or f'HTTP {status}'}); host not crawled this run"
            elif status >= 400 or problem in ("size", "type"):
                rp = parse_robots("")  # no robots.txt: everything allowed
            else:
                rp = parse_robots(body.decode("utf-8", "replace"))
                delay = rp.crawl_delay(self.robots_token)
                if delay:
                    with h.lock:
                        h.crawl_delay = min(max(0.0, float(delay)), 60.0)
                        h.next_start = max(h.next_start, time.monotonic() + h.crawl_delay)
                h.sitemaps = list(rp.sitemaps)
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
        return h.robots.can_fetch(url, self.robots_token)

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
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        current = url
        attempts = 0
        for _hop in range(self.max_redirects + 1):
            refused = self._refusal(url, current, hosts, allow_private, interval, attempts)
            if refused is not None:
                return refused
            headers = conditional if current == url else {}
            status, resp_headers, body, problem, n = self._with_retries(current, headers, interval, cap, accept)
            attempts += n
            if status in REDIRECT_STATUSES and "location" in resp_headers:
                current = urljoin(current, resp_headers["location"].strip())
                continue
            return _result(url, current, status, resp_headers, body, problem, attempts, cap)
        return FetchResult(url, current, "error", error=f"{url}: more than {self.max_redirects} redirects",
                           attempts=attempts)

    def _refusal(
        self, url: str, current: str, hosts: frozenset[str], allow_private: bool, interval: float, attempts: int
    ) -> FetchResult | None:
        """The result for a URL that must not be requested (host, address, robots.txt), else None."""
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
        return None

    def _with_retries(
        self, url: str, headers: dict[str, str], interval: float, cap: int, accept: Callable[[str], bool] | None
    ) -> tuple[int | None, dict[str, str], bytes, str | None, int]:
        """``_send`` with retries on 429/5xx and network errors; returns its tuple plus the attempts made."""
        for attempt in range(self.retries + 1):
            status, resp_headers, body, problem = self._send(url, headers, interval, "page", cap, accept)
            retryable = (status in RETRY_STATUSES) or (status is None and problem is not None)
            if not retryable or attempt == self.retries:
                break
            delay = self._retry_after(resp_headers.get("retry-after")) if status is not None else None
            if delay is None:
                delay = self.backoff * (2**attempt) * (1 + 0.1 * random.random())
            time.sleep(delay)
        return status, resp_headers, body, problem, attempt + 1


def _result(
    url: str, current: str, status: int | None, headers: dict[str, str], body: bytes, problem: str | None,
    attempts: int, cap: int,
) -> FetchResult:
    """The ``FetchResult`` of a final (non-redirect) response."""
    fetched_at = datetime.now(UTC)
    if status is None:
        return FetchResult(url, current, "error", error=f"{current}: {problem}", attempts=attempts, fetched_at=fetched_at)
    if status == 304:
        return FetchResult(url, current, "not_modified", status, headers, attempts=attempts, fetched_at=fetched_at)
    if problem == "size":
        return FetchResult(url, current, "skipped_size", status, headers, error=f"{current}: larger than {cap} bytes",
                           attempts=attempts, fetched_at=fetched_at)
    if problem == "type":
        return FetchResult(url, current, "skipped_type", status, headers,
                           error=f"{current}: content type {headers.get('content-type', '?')!r} not wanted",
                           attempts=attempts, fetched_at=fetched_at)
    if status >= 400 or status < 200:
        return FetchResult(url, current, "error", status, headers, body, error=f"{current}: HTTP {status}",
                           attempts=attempts, fetched_at=fetched_at)
    return FetchResult(url, current, "ok", status, headers, body, attempts=attempts, fetched_at=fetched_at)
