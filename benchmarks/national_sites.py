"""Generated kommun websites for the national benchmark, served on 127.0.0.1 (one port per site).

Each site imitates one of three CMS families seen on real kommun sites (in our own words):

- ``sitevision``: robots.txt → ``sitemap.xml`` index → ``sitemap<N>.xml`` (every fourth site ``.xml.gz``) children listing every page
  (standing pages ``…/slug.4.<hex>.html``, section pages, PDFs, news ``/nyheter/<date>-slug.html`` or
  ``/nyheter/slug.5.<hex>.html``); half of them have an RSS portlet found through ``<link rel="alternate">``.
- ``municipio`` (WordPress): ``wp-sitemap.xml`` index with a posts and a pages child, news at
  ``/YYYY/MM/DD/slug/``, a ``/feed/``.
- ``episerver``: no sitemap and no feed; only the ``/nyheter/`` listing paginated with ``?page=N`` and "Nästa".

News, sitemaps, feeds, listings and the home page are written as files into a temp dir; the thousands of
standing pages are rendered on request (they are listed, rarely fetched). Deterministic for a seed and a
reference date. Every request is logged with start/end times for the politeness checks.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.synth import _chrome, _collab_body, _news_body, load_kommuner, slugify

CMS_WEIGHTS = (("sitevision", 0.6), ("municipio", 0.25), ("episerver", 0.15))
SECTIONS = ["kommun-och-politik", "barn-och-utbildning", "omsorg-och-stod", "bygga-bo-och-miljo", "uppleva-och-gora",
            "naringsliv-och-arbete", "trafik-och-infrastruktur", "trygghet-och-sakerhet"]
STANDING_WORDS = ["ansokan", "taxor", "kontakt", "oppettider", "blanketter", "riktlinjer", "planer", "stod",
                  "information", "verksamheter", "utbildning", "parkering", "avfall", "vatten", "bygglov", "forening"]
PER_SITEMAP = 1000
PER_LISTING = 10


@dataclass
class News:
    """One news article of a generated site."""

    path: str
    title: str
    published: date
    relevant: bool


@dataclass
class Site:
    """One generated kommun site."""

    index: int
    code: str
    name: str
    county: str
    cms: str
    root: Path
    n_pages: int
    has_feed: bool
    broken: bool = False  # robots.txt answers 503: the crawler must skip this host, the others go on
    news: list[News] = field(default_factory=list)
    base: str = ""

    @property
    def news_paths(self) -> set[str]:
        """Paths of all news articles."""
        return {n.path for n in self.news}


def _hex(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(20))


def _news_path(site: Site, rng: random.Random, title: str, pub: date, i: int) -> str:
    slug = f"{slugify(title)[:50]}-{i}"
    if site.cms == "municipio":
        return f"/{pub:%Y/%m/%d}/{slug}/"
    if site.cms == "episerver":
        return f"/nyheter/{slug}/"
    if site.index % 2:
        return f"/nyheter/{pub.isoformat()}-{slug}.html"
    return f"/nyheter/{slug}.5.{_hex(rng)}.html"


def _make_news(site: Site, rng: random.Random, pub: date, i: int) -> News:
    relevant = rng.random() < 0.25
    if relevant:
        title, _ = _collab_body(rng, site.name, site.county, pub)
    else:
        title, _ = _news_body(rng, site.name, pub)
    return News(_news_path(site, rng, title, pub, i), title, pub, relevant)


def _standing_paths(site: Site, rng: random.Random) -> list[str]:
    """The non-news pages the sitemap lists (sections, standing pages, documents)."""
    paths = [f"/{s}.html" if site.cms == "sitevision" else f"/{s}/" for s in SECTIONS]
    while len(paths) < site.n_pages - len(site.news):
        sec = rng.choice(SECTIONS)
        word = f"{rng.choice(STANDING_WORDS)}-{rng.choice(STANDING_WORDS)}-{len(paths)}"
        if site.cms == "sitevision":
            roll = rng.random()
            if roll < 0.15:
                paths.append(f"/download/18.{_hex(rng)}/{word}.pdf")
            elif roll < 0.25:
                paths.append(f"/{sec}/{word}.{rng.randrange(1000, 9999)}.html")
            else:
                paths.append(f"/{sec}/{word}.4.{_hex(rng)}.html")
        else:
            paths.append(f"/{sec}/{word}/" if rng.random() > 0.1 else f"/wp-content/uploads/{word}.pdf")
    return paths


def plan_sites(n: int, seed: int, root: Path, today: date, pages: tuple[int, int] = (1000, 2000),
               broken: int = 0) -> list[Site]:
    """Plan ``n`` sites (the first ``broken`` ones with a failing robots.txt); nothing is written yet."""
    kommuner = load_kommuner()
    sites: list[Site] = []
    for i in range(n):
        rng = random.Random(seed * 100_003 + i)
        code, name, county = kommuner[i % len(kommuner)]
        roll, cms = rng.random(), CMS_WEIGHTS[-1][0]
        acc = 0.0
        for c, w in CMS_WEIGHTS:
            acc += w
            if roll < acc:
                cms = c
                break
        n_pages = rng.randint(*pages)
        site = Site(i, code, name, county, cms, root / f"site{i:03d}", n_pages,
                    has_feed=cms == "municipio" or (cms == "sitevision" and rng.random() < 0.5), broken=i < broken)
        n_news = max(4, round(n_pages * rng.uniform(0.015, 0.03)))
        for k in range(n_news):  # spread over four years, newest first
            site.news.append(_make_news(site, rng, today - timedelta(days=rng.randrange(1, 4 * 365)), k))
        site.news.sort(key=lambda x: x.published, reverse=True)
        sites.append(site)
    return sites


def add_news(site: Site, k: int, today: date, night: int) -> list[News]:
    """Publish ``k`` new articles dated ``today`` (rewrite the site afterwards)."""
    rng = random.Random(hash((site.index, night)) & 0xFFFF_FFFF)
    new = [_make_news(site, rng, today, 10_000 * night + j) for j in range(k)]
    site.news = new + site.news
    return new


# -- rendering -----------------------------------------------------------------------------------------
def _page(site: Site, title: str, body: str, head: str = "") -> str:
    nav = "".join(f'<li><a href="/{s}{".html" if site.cms == "sitevision" else "/"}">{s.replace("-", " ").capitalize()}'
                  "</a></li>" for s in SECTIONS[:5])
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} - {site.name} '
            f'kommun</title>{head}</head><body><header><a href="/">{site.name} kommun</a><nav class="main-menu"><ul>'
            f'<li><a href="/nyheter/">Nyheter</a></li>{nav}</ul></nav></header><main>{body}</main>'
            f'<footer><p>{site.name} kommun · Kommunhuset</p><a href="/kontakt/">Kontakt</a></footer></body></html>')


def _feed_path(site: Site) -> str | None:
    if not site.has_feed:
        return None
    if site.cms == "municipio":
        return "/feed/"
    return f"/4.{site.index + 100}/12.{site.index + 500}.portlet?state=rss&sv.contenttype=text/xml;charset=UTF-8"


def _feed_link(site: Site) -> str:
    fp = _feed_path(site)
    return f'<link rel="alternate" type="application/rss+xml" title="Nyheter" href="{html.escape(fp)}">' if fp else ""


def render_standing(site: Site, path: str) -> str:
    """A standing or section page (rendered on request, not stored)."""
    words = path.strip("/").split("/")[-1].split(".")[0].replace("-", " ")
    text = "".join(f"<p>Här finns information om {words} i {site.name}. Kontakta kommunens servicecenter vid frågor "
                   f"om {words}.</p>" for _ in range(6))
    return _page(site, words.capitalize(), f"<h1>{html.escape(words.capitalize())}</h1>{text}")


def _article(site: Site, news: News) -> str:
    rng = random.Random(f"{site.index}:{news.path}")
    if news.relevant:
        _t, paras = _collab_body(rng, site.name, site.county, news.published)
    else:
        _t, paras = _news_body(rng, site.name, news.published)
    style = {"sitevision": 0, "municipio": 1, "episerver": 2}[site.cms]
    return _chrome(rng, style, site.name, news.title, paras, news.published, news.path).replace("{{BASE_URL}}", site.base)


def _urlset(entries: list[tuple[str, str]], base: str) -> str:
    rows = "".join(f"<url><loc>{base}{html.escape(p)}</loc><lastmod>{m}</lastmod></url>" for p, m in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'


def _index(children: list[tuple[str, str]], base: str) -> str:
    rows = "".join(f"<sitemap><loc>{base}{p}</loc><lastmod>{m}</lastmod></sitemap>" for p, m in children)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{rows}</sitemapindex>")


def _sitemaps(site: Site, standing: list[str], today: date) -> dict[str, str]:
    base = site.base
    old = (today - timedelta(days=900)).isoformat()
    news = [(n.path, n.published.isoformat()) for n in site.news]
    pages = [(p, old) for p in standing]
    files: dict[str, str] = {}
    if site.cms == "municipio":
        chunks = [("/wp-sitemap-posts-post-1.xml", news)]
        chunks += [(f"/wp-sitemap-posts-page-{j + 1}.xml", pages[j * PER_SITEMAP:(j + 1) * PER_SITEMAP])
                   for j in range((len(pages) + PER_SITEMAP - 1) // PER_SITEMAP)]
        index = "/wp-sitemap.xml"
    else:  # sitevision: every page mixed, news appended in publication order like a CMS export
        entries = pages + sorted(news, key=lambda e: e[1])
        ext = ".xml.gz" if site.index % 4 == 3 else ".xml"  # some Sitevision sites serve gzipped children
        chunks = [(f"/sitemap{j + 1}{ext}", entries[j * PER_SITEMAP:(j + 1) * PER_SITEMAP])
                  for j in range((len(entries) + PER_SITEMAP - 1) // PER_SITEMAP)]
        index = "/sitemap.xml"
    for p, rows in chunks:
        files[p] = _urlset(rows, base)
    files[index] = _index([(p, max((m for _, m in rows), default=old)) for p, rows in chunks], base)
    return files


def _listing(site: Site) -> dict[str, str]:
    files: dict[str, str] = {}
    pages = [site.news[i:i + PER_LISTING] for i in range(0, len(site.news), PER_LISTING)]
    for n, items in enumerate(pages, start=1):
        lis = "".join(f'<li><a href="{n_.path}">{html.escape(n_.title)}</a> <time>{n_.published}</time></li>'
                      for n_ in items)
        nxt = f'<a class="next" href="/nyheter/?page={n + 1}">Nästa</a>' if n < len(pages) else ""
        files["/nyheter/" if n == 1 else f"/nyheter/?page={n}"] = _page(
            site, "Nyheter", f'<h1>Nyheter</h1><ul class="news-list">{lis}</ul><nav class="pagination">{nxt}</nav>',
            _feed_link(site))
    return files


def _feed(site: Site) -> str:
    items = "".join(f"<item><title>{html.escape(n.title)}</title><link>{site.base}{n.path}</link>"
                    f"<pubDate>{formatdate(time.mktime(n.published.timetuple()), usegmt=True)}</pubDate></item>"
                    for n in site.news[:20])
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{site.name} kommun nyheter'
            f"</title><link>{site.base}/nyheter/</link>{items}</channel></rss>")


def write_site(site: Site, today: date) -> None:
    """Write robots.txt, sitemaps, feed, listings, home and articles of ``site`` under ``site.root``."""
    rng = random.Random(f"standing:{site.index}")
    standing = _standing_paths(site, rng)
    sitemap = {"municipio": "/wp-sitemap.xml", "sitevision": "/sitemap.xml"}.get(site.cms)
    files: dict[str, str] = {"/robots.txt": "User-agent: *\nDisallow: /sok/\n"
                             + (f"Sitemap: {site.base}{sitemap}\n" if sitemap else "")}
    if sitemap:
        files.update(_sitemaps(site, standing, today))
    fp = _feed_path(site)
    if fp:
        files[fp] = _feed(site)
    files.update(_listing(site))
    teasers = "".join(f'<li><a href="{n.path}">{html.escape(n.title)}</a></li>' for n in site.news[:3])
    files["/"] = _page(site, "Startsida", f'<h1>Välkommen till {site.name}</h1><section class="news"><h2>Aktuellt'
                       f'</h2><ul>{teasers}</ul><a href="/nyheter/">Alla nyheter</a></section>', _feed_link(site))
    for n in site.news:
        files[n.path] = _article(site, n)
    for path, text in files.items():
        target = site.root / _file_name(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")


def _file_name(path: str) -> str:
    return hashlib.sha1(path.encode()).hexdigest()[:2] + "/" + hashlib.sha1(path.encode()).hexdigest()


# -- serving -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """One request as a site saw it."""

    site: int
    path: str
    started: float  # time.monotonic()
    ended: float
    status: int
    kind: str  # robots | sitemap | feed | listing | home | news | standing | missing
    user_agent: str


def classify(site: Site, path: str) -> str:
    """What kind of page ``path`` is on ``site`` (for the benchmark's counts)."""
    p = urlsplit(path).path
    if p == "/robots.txt":
        return "robots"
    if p.endswith((".xml", ".xml.gz")):
        return "sitemap"
    if path == _feed_path(site) or p == "/feed/":
        return "feed"
    if p == "/nyheter/" or p == "/nyheter":
        return "listing"
    if p == "/":
        return "home"
    return "news" if p in site.news_paths else "standing"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _SiteHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence stderr
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        started = time.monotonic()
        site, farm = self.server.site, self.server.farm
        status, body, ctype = self._answer(site)
        headers = {"Content-Type": ctype}
        if status == 200:
            headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        kind = classify(site, self.path) if status != 404 else "missing"
        farm.record(Hit(site.index, self.path, started, time.monotonic(), status, kind,
                        self.headers.get("User-Agent", "")))

    def _answer(self, site: Site) -> tuple[int, bytes, str]:
        if site.broken and self.path == "/robots.txt":
            return 503, b"tillfalligt fel", "text/plain"
        target = site.root / _file_name(self.path)
        if target.is_file():
            p = urlsplit(self.path).path
            ctype = ("text/plain; charset=utf-8" if p == "/robots.txt" else
                     "application/rss+xml; charset=utf-8" if classify(site, self.path) == "feed" else
                     "application/xml; charset=utf-8" if p.endswith(".xml") else "text/html; charset=utf-8")
            if p.endswith(".xml.gz"):  # stored as text, served as a gzip file (fixed mtime: same bytes each time)
                return 200, gzip.compress(target.read_bytes(), mtime=0), "application/x-gzip"
            return 200, target.read_bytes(), ctype
        p = urlsplit(self.path).path
        if p.endswith(".pdf"):
            return 200, b"%PDF-1.4\n% genererad\n" + b"0" * 20_000, "application/pdf"
        if any(p.startswith(f"/{s}") for s in SECTIONS):
            return 200, render_standing(site, p).encode(), "text/html; charset=utf-8"
        return 404, b"<html><body><h1>Sidan finns inte</h1></body></html>", "text/html; charset=utf-8"


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: Site
    farm: SiteFarm


class SiteFarm:
    """Serve every site on its own 127.0.0.1 port; a context manager."""

    def __init__(self, sites: list[Site]) -> None:
        self.sites = sites
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._servers: list[_SiteHTTPServer] = []
        self._threads: list[threading.Thread] = []
        for site in sites:
            srv = _SiteHTTPServer(("127.0.0.1", 0), _Handler)
            srv.site, srv.farm = site, self
            site.base = f"http://127.0.0.1:{srv.server_address[1]}"
            self._servers.append(srv)

    def record(self, hit: Hit) -> None:
        """Log one request."""
        with self._lock:
            self.hits.append(hit)

    def take_hits(self) -> list[Hit]:
        """The requests logged since the last call."""
        with self._lock:
            out, self.hits = self.hits, []
        return out

    def __enter__(self) -> SiteFarm:
        for srv in self._servers:
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def __exit__(self, *exc: object) -> None:
        for srv in self._servers:
            srv.shutdown()
            srv.server_close()
