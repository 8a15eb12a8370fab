"""A real local HTTP server for the bundled demo sites.

``DemoServer`` starts one :class:`http.server.ThreadingHTTPServer` per site on ``127.0.0.1`` with
an ephemeral port and serves the static files under ``sites_root/<site>/``::

    with DemoServer() as srv:
        srv.base_urls            # {"kommun_a": "http://127.0.0.1:41234", ...}
        srv.requests()           # thread-safe request log

How URLs map to files (the same scheme `scripts/build_demo_sites.py` writes):

* ``/a/b.html`` is the file ``a/b.html``; ``/a/`` is ``a/index.html`` (else ``index.rss``,
  ``index.xml``); ``/a`` where ``a`` is a directory redirects (301) to ``/a/``.
* A query string selects a variant file ``<stem>--<key>-<value>[--<key>-<value>...]<suffix>``
  with the parameters sorted by key: ``/nyheter/?page=2`` is ``nyheter/index--page-2.html``.
  Tracking parameters (``utm_*``, ``fbclid``, ``gclid``) are ignored; any other query without
  a variant file is a 404, like a listing page that does not exist.
* Text files (HTML, XML, RSS, robots.txt) have every ``{{BASE_URL}}`` replaced by the site's
  base URL at request time, because ports are only known when the server starts.
* Responses carry ``Content-Type``, ``Content-Length``, a strong ``ETag`` (hash of the served
  bytes) and ``Last-Modified`` (file mtime); ``If-None-Match`` / ``If-Modified-Since`` give 304.

``inject(site, path, status, ...)`` makes the next requests to a path fail on purpose (e.g. 429
with ``Retry-After`` or 503) so crawler behaviour can be shown and tested against a real server.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qsl, unquote, urlsplit

from pipeline.errors import DemoServerError

SITES_ROOT = Path(__file__).resolve().parent / "sites"
PLACEHOLDER = b"{{BASE_URL}}"
INDEX_FILES = ("index.html", "index.rss", "index.xml")
TRACKING_PARAMS = ("utm_", "fbclid", "gclid")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
    ".png": "image/png",
}
TEXT_SUFFIXES = {".html", ".rss", ".xml", ".txt", ".css"}


@dataclass(frozen=True)
class RequestLogEntry:
    """One request received by a demo site."""

    site: str
    method: str
    path: str  # path and query string as requested
    status: int
    time: datetime  # UTC
    user_agent: str


@dataclass
class _Injected:
    status: int
    remaining: int
    headers: dict[str, str]


def variant_name(filename: str, query: str) -> str | None:
    """File name of the variant of ``filename`` selected by ``query`` (None when there is none).

    ``variant_name("index.html", "page=2") == "index--page-2.html"``; tracking parameters are
    dropped, and an empty remainder returns ``filename`` itself.
    """
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not k.startswith(TRACKING_PARAMS)]
    if not params:
        return filename
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    parts = "--".join(f"{k}-{v}" for k, v in sorted(params))
    if "/" in parts or "\\" in parts or ".." in parts:
        return None
    return f"{stem}--{parts}" + (f".{suffix}" if suffix else "")


def resolve_path(site_root: Path, url_path: str, query: str) -> tuple[Path | None, str | None]:
    """Map a request path and query to ``(file, None)``, ``(None, redirect_location)`` or ``(None, None)``."""
    path = unquote(url_path)
    segments = [s for s in path.split("/") if s]
    if any(s in (".", "..") or "\\" in s or "\x00" in s for s in segments):
        return None, None
    target = site_root.joinpath(*segments)
    if path.endswith("/") or not segments:
        for index in INDEX_FILES:
            if (target / index).is_file():
                name = variant_name(index, query)
                if name and (target / name).is_file():
                    return target / name, None
                return None, None
        return None, None
    if target.is_dir():
        return None, path + "/" + (f"?{query}" if query else "")
    name = variant_name(target.name, query)
    if name and (target.parent / name).is_file():
        return target.parent / name, None
    return None, None


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: DemoServer, site: str, root: Path, port: int = 0) -> None:
        self.owner = owner
        self.site = site
        self.root = root
        self.base_url = ""
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _SiteHTTPServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: avoid 40 ms delayed-ACK stalls
    server_version = "SamverkanDemo/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Silence the default stderr log; requests go to the DemoServer log instead."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        """Serve a GET request."""
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        """Serve a HEAD request."""
        self._serve(head=True)

    def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool) -> None:
        # log first, so a client that has its response always finds the request in the log
        self.server.owner._record(self.server.site, self.command, self.path, status, self.headers.get("User-Agent"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:  # a 304 has no body and must not announce a different length
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        injected = srv.owner._take_injected(srv.site, parts.path)
        if injected is not None:
            body = f"{injected.status} {HTTPStatus(injected.status).phrase}\n".encode()
            headers = {"Content-Type": "text/plain; charset=utf-8", **injected.headers}
            self._send(injected.status, body, headers, head)
            return
        file, redirect = resolve_path(srv.root, parts.path, parts.query)
        if redirect is not None:
            self._send(301, b"", {"Location": redirect}, head)
            return
        if file is None:
            self._send(404, b"404 Not Found\n", {"Content-Type": "text/plain; charset=utf-8"}, head)
            return
        body = file.read_bytes()
        if file.suffix in TEXT_SUFFIXES:
            body = body.replace(PLACEHOLDER, srv.base_url.encode())
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        mtime = datetime.fromtimestamp(int(file.stat().st_mtime), tz=UTC)
        headers = {
            "Content-Type": CONTENT_TYPES.get(file.suffix, "application/octet-stream"),
            "ETag": etag,
            "Last-Modified": format_datetime(mtime, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if _not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, mtime):
            del headers["Content-Type"]
            self._send(304, b"", headers, head=True)
            return
        self._send(200, body, headers, head)


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, mtime: datetime) -> bool:
    """RFC 9110 conditional GET: If-None-Match wins over If-Modified-Since."""
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return mtime <= since
    return False


class DemoServer:
    """Serve the bundled demo sites on 127.0.0.1, one port per site.

    Use as a context manager (or call :meth:`start` / :meth:`stop`). ``base_urls`` maps each
    site name to its ``http://127.0.0.1:PORT`` base URL once started. With ``base_port`` the
    sites get the stable ports ``base_port``, ``base_port + 1``, … (so URLs, and with them
    article ids, stay the same from one demo run to the next); without it, ephemeral ports.
    """

    def __init__(
        self, sites_root: Path | str | None = None, sites: Iterable[str] | None = None, base_port: int | None = None
    ) -> None:
        """Prepare servers for ``sites`` (default: every folder in ``sites_root``, default the bundled sites)."""
        self.base_port = base_port
        self.sites_root = Path(sites_root) if sites_root is not None else SITES_ROOT
        if not self.sites_root.is_dir():
            raise DemoServerError(
                f"demo sites folder {self.sites_root} does not exist; pass the folder that holds one "
                "sub-folder per site (the bundled one is pipeline/demo/sites)"
            )
        available = sorted(p.name for p in self.sites_root.iterdir() if p.is_dir())
        chosen = list(sites) if sites is not None else available
        unknown = [s for s in chosen if s not in available]
        if unknown:
            raise DemoServerError(f"unknown demo site(s) {unknown} in {self.sites_root}; available: {', '.join(available)}")
        self.sites = chosen
        self._servers: dict[str, _SiteHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._log: list[RequestLogEntry] = []
        self._injected: dict[tuple[str, str], list[_Injected]] = {}

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> DemoServer:
        """Bind every site to 127.0.0.1 on a free port and start serving in background threads."""
        if self._servers:
            return self
        try:
            for i, site in enumerate(self.sites):
                port = self.base_port + i if self.base_port else 0
                try:
                    httpd = _SiteHTTPServer(self, site, self.sites_root / site, port)
                except OSError as exc:
                    if not port:
                        raise
                    raise DemoServerError(
                        f"port {port} on 127.0.0.1 is taken ({exc}); the demo needs stable ports so that a second "
                        "run finds the same URLs: free the port or choose others with --port"
                    ) from exc
                httpd.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
                self._servers[site] = httpd
                thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"demo-{site}", daemon=True)
                thread.start()
                self._threads.append(thread)
        except OSError as exc:
            self.stop()
            raise DemoServerError(f"could not start the demo server on 127.0.0.1: {exc}") from exc
        return self

    def stop(self) -> None:
        """Shut every site server down and wait for its thread."""
        for httpd in self._servers.values():
            httpd.shutdown()
            httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    # ---------------------------------------------------------------- info
    @property
    def base_urls(self) -> dict[str, str]:
        """``{site: "http://127.0.0.1:PORT"}`` for every running site."""
        if not self._servers:
            raise DemoServerError("the demo server is not running; use `with DemoServer() as srv:` or call start()")
        return {site: httpd.base_url for site, httpd in self._servers.items()}

    def requests(self, site: str | None = None) -> list[RequestLogEntry]:
        """A snapshot of the request log, optionally for one site only."""
        with self._lock:
            return [e for e in self._log if site is None or e.site == site]

    def clear_log(self) -> None:
        """Forget all logged requests."""
        with self._lock:
            self._log.clear()

    def inject(self, site: str, path: str, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        """Answer the next ``times`` requests for ``path`` on ``site`` with ``status`` (and ``headers``)."""
        if site not in self.sites:
            raise DemoServerError(f"unknown demo site {site!r}; available: {', '.join(self.sites)}")
        with self._lock:
            self._injected.setdefault((site, path), []).append(_Injected(status, times, dict(headers or {})))

    # ---------------------------------------------------------------- called from handler threads
    def _record(self, site: str, method: str, path: str, status: int, user_agent: str | None) -> None:
        entry = RequestLogEntry(site, method, path, status, datetime.now(UTC), user_agent or "")
        with self._lock:
            self._log.append(entry)

    def _take_injected(self, site: str, path: str) -> _Injected | None:
        with self._lock:
            queue = self._injected.get((site, path))
            if not queue:
                return None
            item = queue[0]
            item.remaining -= 1
            if item.remaining <= 0:
                queue.pop(0)
            return item
