"""A small fault-injecting HTTP server on 127.0.0.1 for crawler tests.

``SiteServer(site_dir)`` serves the files of a fixture site (``{{BASE}}`` in text files is
replaced with the server's base URL, e.g. ``http://127.0.0.1:40123``), answers conditional GETs
with 304 using ETag/Last-Modified, and lets a test script per-path responses: status sequences,
delays, headers, bodies. Every request is logged (thread-safe) with start/end times.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SITES_DIR = Path(__file__).resolve().parent / "sites"
FIXED_LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/html; charset=utf-8"
    chunked_size: int | None = None  # stream this many bytes of filler without Content-Length
    stall_at: int | None = None  # send this many bytes of the body, then wait ``stall`` seconds before the rest
    stall: float = 0.0


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it."""

    path: str
    host: str
    started: float  # time.monotonic()
    ended: float
    status: int
    headers: dict[str, str]
    client_port: int = 0  # the client's TCP port: the same port for two requests means one kept-alive connection


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        owner = self.server.owner
        with owner._lock:
            owner._inflight += 1
        started = time.monotonic()
        self.last_byte_at: float | None = None
        status = 0
        try:
            status = owner._respond(self)
            self.wfile.flush()
        finally:
            # the end is when the last bytes went to the socket: once written, the client may read them
            # and go on while this thread waits for the GIL, so a clock read afterwards can be late
            ended = self.last_byte_at if self.last_byte_at is not None else time.monotonic()
            owner._log(
                LoggedRequest(self.path, self.headers.get("Host", ""), started, ended, status,
                              {k.lower(): v for k, v in self.headers.items()}, int(self.client_address[1]))
            )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: SiteServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client killed mid-connection (the kill tests) is expected; other errors are printed."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer:
    """Serve a fixture site with scripted faults; use as a context manager."""

    def __init__(self, site: str | Path | None = None) -> None:
        self.site_dir = (SITES_DIR / site) if isinstance(site, str) else site
        self._routes: dict[str, list[Reply] | Callable[[str], Reply]] = {}
        self._lock = threading.Lock()
        self._log_entries: list[LoggedRequest] = []
        self._inflight = 0
        self._settled = threading.Condition(self._lock)
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self.stalled = threading.Event()  # set while a ``stall_at`` reply waits in the middle of its body

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return self.base + path

    # -- scripting -----------------------------------------------------------------------------
    def script(self, path: str, *replies: Reply) -> None:
        """Answer ``path`` (path + query) with these replies in turn; the last one repeats."""
        with self._lock:
            self._routes[path] = list(replies)

    def unscript(self, path: str) -> None:
        """Serve ``path`` from the site files again (forget its script or route)."""
        with self._lock:
            self._routes.pop(path, None)

    def route(self, path: str, fn: Callable[[str], Reply]) -> None:
        """Answer ``path`` by calling ``fn(request_path)``."""
        with self._lock:
            self._routes[path] = fn

    @property
    def log(self) -> list[LoggedRequest]:
        """Requests served so far (waits up to 2 s for requests still being answered)."""
        with self._settled:
            self._settled.wait_for(lambda: self._inflight == 0, timeout=2.0)
            return list(self._log_entries)

    @property
    def n_requests(self) -> int:
        """How many requests have been answered so far (does not wait for requests in flight)."""
        with self._lock:
            return len(self._log_entries)

    def requests_for(self, path: str) -> list[LoggedRequest]:
        """Logged requests whose path (with query) equals ``path``."""
        return [r for r in self.log if r.path == path]

    def clear_log(self) -> None:
        """Forget logged requests."""
        with self._settled:
            self._settled.wait_for(lambda: self._inflight == 0, timeout=2.0)
            self._log_entries.clear()

    def _log(self, entry: LoggedRequest) -> None:
        with self._settled:
            self._log_entries.append(entry)
            self._inflight -= 1
            self._settled.notify_all()

    def _next(self, path: str) -> Reply | None:
        with self._lock:
            route = self._routes.get(path)
            if route is None:
                route = self._routes.get(urlsplit(path).path)
            if route is None:
                return None
            if callable(route):
                return route(path)
            return route.pop(0) if len(route) > 1 else route[0]

    # -- static files --------------------------------------------------------------------------
    def file_reply(self, path: str) -> Reply:
        """The reply the site's files give for ``path`` (to script a variant of it)."""
        reply = self._static(path)
        if reply is None:
            raise FileNotFoundError(f"{self.site_dir}: no file for {path}")
        return reply

    def _static(self, path: str) -> Reply | None:
        if self.site_dir is None:
            return None
        parts = urlsplit(path)
        rel = parts.path.lstrip("/")
        if parts.query:
            rel = rel.rstrip("/") + "/__" + parts.query.replace("=", "_").replace("&", "_")
        target = (self.site_dir / rel).resolve()
        if self.site_dir.resolve() not in target.parents and target != self.site_dir.resolve():
            return None
        if target.is_dir():
            target = next((target / n for n in ("index.html", "index.xml") if (target / n).is_file()),
                          target / "index.html")
        if not target.is_file() and target.with_name(target.name + ".src").is_file():
            target = target.with_name(target.name + ".src")
        if not target.is_file():
            return None
        data = target.read_bytes()
        data = data.replace(b"{{BASE}}", self.base.encode())
        if target.name.endswith(".gz.src"):  # gzip on the fly so fixtures stay readable
            data = gzip.compress(data.replace(b"{{BASE}}", self.base.encode()), mtime=0)
        ctype = _content_type(target)
        return Reply(200, data, {}, 0.0, ctype)

    # -- response ------------------------------------------------------------------------------
    def _respond(self, h: _Handler) -> int:
        reply = self._next(h.path) or self._static(h.path)
        if reply is None:
            reply = Reply(404, b"<html><body><h1>Sidan finns inte</h1></body></html>")
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        headers = {"Content-Type": reply.content_type, **reply.headers}
        if reply.status == 200 and reply.chunked_size is None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            headers.setdefault("ETag", etag)
            headers.setdefault("Last-Modified", FIXED_LAST_MODIFIED)
            if h.headers.get("If-None-Match") == headers["ETag"] or (
                "If-None-Match" not in h.headers and h.headers.get("If-Modified-Since") == headers["Last-Modified"]
            ):
                h.send_response(304)
                for k in ("ETag", "Last-Modified"):
                    h.send_header(k, headers[k])
                h.last_byte_at = time.monotonic()
                h.send_header("Content-Length", "0")
                h.end_headers()
                return 304
        try:
            h.send_response(reply.status)
            for k, v in headers.items():
                h.send_header(k, v)
            if reply.chunked_size is not None:
                h.send_header("Connection", "close")
                h.end_headers()
                chunk = b"<p>" + b"x" * 8187 + b"</p>"
                sent = 0
                while sent < reply.chunked_size:
                    h.wfile.write(chunk)
                    sent += len(chunk)
                h.close_connection = True
            elif reply.stall_at is not None:
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.wfile.write(body[: reply.stall_at])
                h.wfile.flush()
                self.stalled.set()
                time.sleep(reply.stall)
                self.stalled.clear()
                h.wfile.write(body[reply.stall_at:])
            else:
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.last_byte_at = time.monotonic()
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True
        return reply.status


def _content_type(path: Path) -> str:
    name = path.name
    if name.endswith(".gz.src") or name.endswith(".gz"):
        return "application/x-gzip"
    if name == "robots.txt" or path.suffix == ".txt":
        return "text/plain; charset=utf-8"
    if path.suffix == ".rss" or name.endswith("state_rss"):
        return "application/rss+xml; charset=utf-8"
    if path.suffix == ".atom":
        return "application/atom+xml; charset=utf-8"
    if path.suffix == ".xml":
        return "application/xml; charset=utf-8"
    if path.suffix in (".html", ""):
        return "text/html; charset=utf-8"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def overlapping(log: list[LoggedRequest]) -> list[tuple[LoggedRequest, LoggedRequest]]:
    """Pairs of requests whose [started, ended] intervals overlap (should be empty per host)."""
    entries = sorted(log, key=lambda r: r.started)
    return [(a, b) for a, b in zip(entries, entries[1:], strict=False) if b.started < a.ended]


def min_gap(log: list[LoggedRequest]) -> float:
    """Smallest time between the end of one request and the start of the next (inf if < 2)."""
    entries = sorted(log, key=lambda r: r.started)
    gaps = [b.started - a.ended for a, b in zip(entries, entries[1:], strict=False)]
    return min(gaps) if gaps else float("inf")


def min_start_gap(log: list[LoggedRequest]) -> float:
    """Smallest time between the starts of two consecutive requests (inf if < 2): the crawler's interval
    is kept start-to-start."""
    starts = sorted(r.started for r in log)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    return min(gaps) if gaps else float("inf")
