"""Render the bundled demo sites from their content files.

The demo content lives in ``pipeline/demo/content/<site>.toml`` (fictional articles written for
this project). This module turns it into static files under ``pipeline/demo/sites/<site>/`` and
writes ``pipeline/demo/expected.json``. The rendered files are committed, so the demo needs no
build step; rerun ``python scripts/build_demo_sites.py`` after editing the content. It is a build
script, not library code: nothing in ``pipeline/`` imports it.

Conventions shared with :mod:`pipeline.demo.server`:

* links inside HTML are root-relative (``/nyheter/...``); absolute URLs (feeds, sitemaps,
  robots.txt, canonical links) use the ``{{BASE_URL}}`` placeholder, replaced at request time;
* a URL with a query string is stored as ``<name>--<key>-<value>.<ext>``, so
  ``/nyheter/?page=2`` is the file ``nyheter/index--page-2.html``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import tomllib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

DEMO_DIR = Path(__file__).resolve().parents[1] / "pipeline" / "demo"
CONTENT_DIR = DEMO_DIR / "content"
SITES_DIR = DEMO_DIR / "sites"
EXPECTED_PATH = DEMO_DIR / "expected.json"
BASE = "{{BASE_URL}}"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEMO_NOTE = "Demosajt – påhittat innehåll"
MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
PAGE_SIZE_A = 5
PDF_PATH = "/dokument/samverkansoverenskommelse-2024-2027.pdf"
INTERN_PATH = "/intern/personalinformation/"

SITE_INFO: dict[str, dict[str, str | None]] = {
    "kommun_a": {"source_id": "demo_alingsas", "name": "Alingsås kommun", "kind": "kommun", "kommun": "1489"},
    "kommun_b": {"source_id": "demo_kungalv", "name": "Kungälvs kommun", "kind": "kommun", "kommun": "1482"},
    "tidning": {"source_id": "demo_lokalbladet", "name": "Lokalbladet Mitt", "kind": "newspaper", "kommun": None},
}


@dataclass
class Article:
    """One demo article as read from a content file."""

    site: str
    slug: str
    title: str
    published: date
    time: str
    date_style: str
    lead: str
    body: str
    expected: dict[str, object]
    in_listing: bool = True
    section: str = ""
    author: str = ""
    photographer: str = ""
    image_caption: str = ""
    related: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def dt(self) -> datetime:
        """Publication time, Europe/Stockholm."""
        hh, mm = (int(x) for x in self.time.split(":"))
        return datetime(self.published.year, self.published.month, self.published.day, hh, mm, tzinfo=STOCKHOLM)


def sv_date(d: date) -> str:
    """Swedish long date, e.g. ``5 mars 2024``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def esc(text: str) -> str:
    """HTML-escape text (quotes included)."""
    return html.escape(text, quote=True)


_LINK = re.compile(r"\[([^\]]+)\]\((/[^)\s]*)\)")


def inline(text: str) -> str:
    """Escape a line of body text and turn ``[text](/path)`` into a link."""
    out, pos = [], 0
    for m in _LINK.finditer(text):
        out.append(esc(text[pos : m.start()]))
        out.append(f'<a href="{esc(m.group(2))}">{esc(m.group(1))}</a>')
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def body_html(body: str) -> str:
    """Render the small body markup (paragraphs, ``## `` headings, ``- `` bullets) to HTML."""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        if all(ln.startswith("- ") for ln in lines):
            items = "".join(f"<li>{inline(ln[2:])}</li>" for ln in lines)
            parts.append(f"<ul>{items}</ul>")
        elif len(lines) == 1 and lines[0].startswith("## "):
            parts.append(f"<h2>{inline(lines[0][3:])}</h2>")
        else:
            parts.append(f"<p>{inline(' '.join(lines))}</p>")
    return "\n".join(parts)


def load_articles(site: str) -> list[Article]:
    """Read ``content/<site>.toml`` into articles, newest first, with their URL paths set."""
    data = tomllib.loads((CONTENT_DIR / f"{site}.toml").read_text(encoding="utf-8"))
    arts = []
    for raw in data["article"]:
        raw = dict(raw)
        raw["published"] = date.fromisoformat(raw["published"])
        a = Article(site=site, **raw)
        if site == "kommun_a":
            a.path = f"/nyheter/{a.slug}/"
        elif site == "kommun_b":
            a.path = f"/nyheter/nyhetsarkiv/{a.slug}.html"
        else:
            a.path = f"/{a.section}/{a.slug}/"
        arts.append(a)
    arts.sort(key=lambda a: a.dt, reverse=True)
    return arts


def write(root: Path, url_path: str, content: str | bytes) -> None:
    """Write a file for a root-relative URL path (directory paths get ``index.html``)."""
    rel = url_path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8")
    else:
        target.write_bytes(content)


# --------------------------------------------------------------------------- feeds, sitemaps


def rss(title: str, site_path: str, description: str, arts: list[Article]) -> str:
    """An RSS 2.0 feed of the articles with absolute ``{{BASE_URL}}`` links."""
    items = []
    for a in arts:
        items.append(
            "  <item>\n"
            f"    <title>{esc(a.title)}</title>\n"
            f"    <link>{BASE}{a.path}</link>\n"
            f'    <guid isPermaLink="true">{BASE}{a.path}</guid>\n'
            f"    <pubDate>{format_datetime(a.dt)}</pubDate>\n"
            f"    <description>{esc(a.lead)}</description>\n"
            "  </item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n<channel>\n'
        f"  <title>{esc(title)}</title>\n  <link>{BASE}{site_path}</link>\n"
        f"  <description>{esc(description)} ({DEMO_NOTE})</description>\n  <language>sv</language>\n"
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )


def urlset(entries: list[tuple[str, date | None]]) -> str:
    """A sitemap ``urlset`` of root-relative paths with optional ``lastmod``."""
    rows = []
    for path, lastmod in entries:
        lm = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        rows.append(f"  <url><loc>{BASE}{path}</loc>{lm}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n"
    )


def minimal_pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF showing the given ASCII lines."""
    text = "BT /F1 12 Tf 50 780 Td 16 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    stream = zlib.compress(text.encode("ascii"))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------- kommun_a (Alingsås)

A_NAV = [("/", "Startsida"), ("/nyheter/", "Nyheter"), ("/kontakt/", "Kontakta oss"), ("/cookies/", "Om kakor")]


def a_page(title: str, main: str, *, path: str, head_extra: str = "", crumbs: Sequence[tuple[str, str]] = ()) -> str:
    """Wrap main content in the kommun_a chrome (header, nav, breadcrumbs, cookie banner, footer)."""
    nav = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for h, t in A_NAV)
    crumb_html = ""
    if crumbs:
        links = " / ".join(f'<a href="{h}">{esc(t)}</a>' for h, t in crumbs)
        crumb_html = f'<nav class="breadcrumbs" aria-label="Brödsmulor">{links} / <span>{esc(title)}</span></nav>'
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - Alingsås kommun</title>
<link rel="canonical" href="{BASE}{path}">
<link rel="stylesheet" href="/static/stil.css">
{head_extra}</head>
<body>
<div id="cookie-banner" class="cookie-banner" role="dialog" aria-label="Kakor">
<p>Vi använder kakor för att webbplatsen ska fungera och för att förbättra den.
<a href="/cookies/">Läs mer om kakor</a></p>
<button type="button">Godkänn alla</button> <button type="button">Endast nödvändiga</button>
</div>
<header class="site-header">
<a class="logo" href="/">Alingsås kommun</a>
<form class="search" action="/sok/" method="get"><input type="search" name="q" aria-label="Sök">
<button>Sök</button></form>
<nav class="main-nav" aria-label="Huvudmeny"><ul>{nav}</ul></nav>
</header>
{crumb_html}
<main id="main">
{main}
</main>
<footer class="site-footer">
<div class="footer-col"><h2>Kontakt</h2><p>Alingsås kommun, Kundtjänst<br>Telefon 0322-00 00 00 (påhittat nummer)</p>
<p><a href="mailto:kundtjanst@example.invalid">kundtjanst@example.invalid</a></p></div>
<div class="footer-col"><h2>Genvägar</h2><ul>
<li><a href="/nyheter/">Alla nyheter</a></li><li><a href="/nyheter/nyheter.rss">Prenumerera via RSS</a></li>
<li><a href="{INTERN_PATH}">Intranät för medarbetare</a></li><li><a href="/cookies/">Kakor och personuppgifter</a></li>
</ul></div>
<p class="demo-note">{DEMO_NOTE}. Sidan är en del av samverkans demo och beskriver inga verkliga händelser.</p>
</footer>
</body>
</html>
"""


def a_article(a: Article) -> str:
    """An Alingsås article page."""
    head = ""
    date_line = ""
    if a.date_style == "meta":
        head = f'<meta property="article:published_time" content="{a.dt.isoformat()}">\n'
    elif a.date_style == "publicerad":
        date_line = f'<p class="published">Publicerad {a.published.isoformat()}</p>'
    elif a.date_style == "uppdaterad":
        date_line = f'<p class="updated">Senast uppdaterad: {sv_date(a.published)}</p>'
    else:
        raise ValueError(f"kommun_a article {a.slug}: unknown date_style {a.date_style!r}")
    main = f"""<article class="news-article">
<h1>{esc(a.title)}</h1>
<p class="lead">{esc(a.lead)}</p>
{body_html(a.body)}
{date_line}
</article>
<aside class="share"><p>Dela sidan: <a href="{a.path}#dela">Kopiera länk</a></p>
<p>Var informationen till hjälp? <button>Ja</button> <button>Nej</button></p></aside>"""
    crumbs = [("/", "Startsida"), ("/nyheter/", "Nyheter")]
    return a_page(a.title, main, path=a.path, head_extra=head, crumbs=crumbs)


def a_listing_item(a: Article) -> str:
    """One teaser on the Alingsås news listing."""
    return (
        f'<li class="news-item"><a href="{a.path}"><h2>{esc(a.title)}</h2></a>'
        f'<span class="date">{a.published.isoformat()}</span><p>{esc(a.lead)}</p></li>'
    )


def build_kommun_a(root: Path) -> list[Article]:
    """Render the Alingsås site; return its articles."""
    arts = load_articles("kommun_a")
    feed_link = '<link rel="alternate" type="application/rss+xml" title="Nyheter" href="/nyheter/nyheter.rss">\n'
    pages = [arts[i : i + PAGE_SIZE_A] for i in range(0, len(arts), PAGE_SIZE_A)]
    for n, chunk in enumerate(pages, start=1):
        items = "\n".join(a_listing_item(a) for a in chunk)
        pager = []
        if n > 1:
            prev = "/nyheter/" if n == 2 else f"/nyheter/?page={n - 1}"
            pager.append(f'<a rel="prev" href="{prev}">Föregående</a>')
        pager.append(f"<span>Sida {n} av {len(pages)}</span>")
        if n < len(pages):
            pager.append(f'<a rel="next" href="/nyheter/?page={n + 1}">Nästa</a>')
        main = f'<h1>Nyheter</h1>\n<ul class="news-list">\n{items}\n</ul>\n<nav class="pager">{" ".join(pager)}</nav>'
        path = "/nyheter/" if n == 1 else f"/nyheter/?page={n}"
        html_page = a_page("Nyheter", main, path=path, head_extra=feed_link, crumbs=[("/", "Startsida")])
        write(root, "/nyheter/" if n == 1 else f"/nyheter/index--page-{n}.html", html_page)
    for a in arts:
        write(root, a.path, a_article(a))
    top = arts[0]
    home = f"""<h1>Välkommen till Alingsås kommun</h1>
<section class="puffs"><h2>Senaste nytt</h2>
<p><a href="{top.path}?utm_source=startsida&amp;utm_medium=puff#main">{esc(top.title)}</a></p>
<p><a href="/nyheter/">Fler nyheter</a></p></section>"""
    write(root, "/", a_page("Startsida", home, path="/", head_extra=feed_link))
    write(
        root,
        "/kontakt/",
        a_page(
            "Kontakta oss",
            "<h1>Kontakta oss</h1><p>Kundtjänst svarar vardagar 8–16.</p>",
            path="/kontakt/",
            crumbs=[("/", "Startsida")],
        ),
    )
    write(
        root,
        "/cookies/",
        a_page(
            "Om kakor",
            "<h1>Om kakor</h1><p>Webbplatsen använder nödvändiga kakor.</p>",
            path="/cookies/",
            crumbs=[("/", "Startsida")],
        ),
    )
    write(root, "/sok/", a_page("Sök", "<h1>Sök</h1><p>Sökfunktionen finns inte i demon.</p>", path="/sok/"))
    write(
        root,
        INTERN_PATH,
        a_page(
            "Personalinformation (intern)",
            "<h1>Personalinformation</h1><p>Intern sida. Ska inte hämtas av sökrobotar.</p>",
            path=INTERN_PATH,
        ),
    )
    write(
        root,
        "/static/stil.css",
        "body{font-family:sans-serif;max-width:60rem;margin:auto}\n.cookie-banner{background:#eee;padding:1rem}\n",
    )
    write(root, "/nyheter/nyheter.rss", rss("Nyheter från Alingsås kommun", "/nyheter/", "Nyheter", arts))
    write(root, "/robots.txt", f"User-agent: *\nDisallow: /intern/\nDisallow: /sok/\n\nSitemap: {BASE}/sitemap.xml\n")
    entries: list[tuple[str, date | None]] = [("/", None), ("/nyheter/", None), ("/kontakt/", None)]
    entries += [(a.path, a.published) for a in arts]
    write(root, "/sitemap.xml", urlset(entries))
    write(
        root,
        PDF_PATH,
        minimal_pdf(
            [
                "Samverkansoverenskommelse 2024-2027",
                "Alingsas kommun och Polisen (demo, pahittat innehall)",
            ]
        ),
    )
    return arts


# --------------------------------------------------------------------------- kommun_b (Kungälv, Sitevision-like)

B_NAV = [("/", "Start"), ("/nyheter/", "Nyheter"), ("/kontakt/", "Kontakt"), ("/om-webbplatsen/kakor/", "Kakor")]


def b_page(title: str, main: str, *, path: str, head_extra: str = "", crumbs: Sequence[tuple[str, str]] = ()) -> str:
    """Wrap main content in Sitevision-like chrome for the Kungälv site."""
    nav = "".join(f'<li class="sv-menu-item"><a class="sv-menu-link" href="{h}">{esc(t)}</a></li>' for h, t in B_NAV)
    crumb_html = ""
    if crumbs:
        links = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for h, t in crumbs)
        crumb_html = (
            f'<nav class="sv-breadcrumb-portlet" aria-label="Du är här"><ol>{links}<li aria-current="page">{esc(title)}</li></ol></nav>'
        )
    return f"""<!DOCTYPE html>
<html lang="sv" class="sv-no-js">
<head>
<meta charset="utf-8">
<title>{esc(title)} - Kungälvs kommun</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{BASE}{path}">
<link rel="stylesheet" href="/sitevision/system-resource/stil.css">
{head_extra}</head>
<body class="sv-responsive">
<div class="sv-layout sv-skip-spacer" id="svid10_cookie">
<div class="sv-cookie-consent-banner"><p class="sv-font-brodtext">Kungälvs kommun använder kakor (cookies).
<a href="/om-webbplatsen/kakor/">Vad är kakor?</a></p><button class="env-button">Acceptera</button>
<button class="env-button">Neka</button></div></div>
<div class="sv-layout" id="svid10_header"><div class="sv-image-portlet"><a href="/">Kungälvs kommun</a></div>
<nav class="sv-vertical sv-layout"><ul class="sv-menu">{nav}</ul></nav></div>
<div class="sv-layout" id="svid10_crumbs">{crumb_html}</div>
<main class="sv-layout sv-template-layout" id="svid10_content"><div class="sv-text-portlet sv-use-margins">
<div class="sv-text-portlet-content">
{main}
</div></div></main>
<div class="sv-layout" id="svid10_footer"><div class="sv-text-portlet">
<p class="sv-font-sidfot">Kungälvs kommun, Stadshuset (påhittad adress) · <a href="/kontakt/">Kontakt</a> ·
<a href="/om-webbplatsen/kakor/">Kakor</a></p>
<p class="sv-font-sidfot demo-note">{DEMO_NOTE}. Innehållet är skrivet för samverkans demo.</p>
</div></div>
</body>
</html>
"""


def b_article(a: Article) -> str:
    """A Kungälv article page with a Sitevision-style date line."""
    if a.date_style != "sitevision":
        raise ValueError(f"kommun_b article {a.slug}: unknown date_style {a.date_style!r}")
    main = f"""<h1 class="sv-font-rubrik-1">{esc(a.title)}</h1>
<p class="sv-font-ingress">{esc(a.lead)}</p>
{body_html(a.body)}
<p class="sv-font-uppdaterad-info">Publicerad {sv_date(a.published)}</p>
<div class="sv-related"><p>Sidansvarig: Kommunikationsavdelningen</p></div>"""
    crumbs = [("/", "Start"), ("/nyheter/", "Nyheter")]
    return b_page(a.title, main, path=a.path, crumbs=crumbs)


def build_kommun_b(root: Path) -> list[Article]:
    """Render the Kungälv site; return its articles."""
    arts = load_articles("kommun_b")
    listed = [a for a in arts if a.in_listing]
    items = "\n".join(
        f'<li class="sv-channel-item"><a href="{a.path}"><span class="sv-font-rubrik-3">{esc(a.title)}</span></a>'
        f'<p class="sv-font-liten">{sv_date(a.published)}</p></li>'
        for a in listed
    )
    main = (
        f'<h1 class="sv-font-rubrik-1">Nyheter</h1>\n<p>Här visas de senaste nyheterna. '
        f'Äldre nyheter finns i arkivet.</p>\n<ul class="sv-channel">\n{items}\n</ul>'
    )
    write(root, "/nyheter/", b_page("Nyheter", main, path="/nyheter/", crumbs=[("/", "Start")]))
    for a in arts:
        write(root, a.path, b_article(a))
    home = '<h1 class="sv-font-rubrik-1">Kungälvs kommun</h1><p><a href="/nyheter/">Nyheter</a></p>'
    write(root, "/", b_page("Start", home, path="/"))
    write(
        root,
        "/kontakt/",
        b_page(
            "Kontakt",
            "<h1>Kontakt</h1><p>Kontaktcenter svarar vardagar.</p>",
            path="/kontakt/",
            crumbs=[("/", "Start")],
        ),
    )
    write(
        root,
        "/om-webbplatsen/kakor/",
        b_page(
            "Kakor",
            "<h1>Kakor</h1><p>Om kakor på webbplatsen.</p>",
            path="/om-webbplatsen/kakor/",
            crumbs=[("/", "Start")],
        ),
    )
    write(root, "/sitevision/system-resource/stil.css", ".sv-layout{margin:0 auto}\n")
    write(root, "/robots.txt", f"User-agent: *\nDisallow: /sitevision/\n\nSitemap: {BASE}/sitemap.xml\n")
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <sitemap><loc>{BASE}/sitemap-sidor.xml</loc></sitemap>\n"
        f"  <sitemap><loc>{BASE}/sitemap-nyheter.xml</loc>"
        f"<lastmod>{arts[0].published.isoformat()}</lastmod></sitemap>\n"
        "</sitemapindex>\n"
    )
    write(root, "/sitemap.xml", index)
    write(root, "/sitemap-sidor.xml", urlset([("/", None), ("/nyheter/", None), ("/kontakt/", None)]))
    write(root, "/sitemap-nyheter.xml", urlset([(a.path, a.published) for a in arts]))
    return arts


# --------------------------------------------------------------------------- tidning (Lokalbladet Mitt)

T_SECTIONS = {
    "alingsas": "Alingsås",
    "lerum": "Lerum",
    "vargarda": "Vårgårda",
    "herrljunga": "Herrljunga",
    "sport": "Sport",
}


def t_page(title: str, main: str, *, path: str, arts: list[Article], head_extra: str = "") -> str:
    """Wrap main content in the newspaper chrome (ads, most-read, newsletter, cookie banner)."""
    nav = "".join(f'<a href="/{k}/">{esc(v)}</a>' for k, v in T_SECTIONS.items())
    most_read = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in arts[:4])
    return f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{esc(title)} | Lokalbladet Mitt</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="{BASE}{path}">
<link rel="alternate" type="application/rss+xml" title="Lokalbladet Mitt" href="/feed/">
{head_extra}</head>
<body>
<div class="consent-overlay"><div class="consent-box"><h2>Vi värnar om din integritet</h2>
<p>Vi och våra partner använder kakor för att anpassa innehåll och annonser.</p>
<button>Acceptera alla</button> <button>Hantera val</button></div></div>
<div class="top-ad"><span>Annons</span><p>Vinterdäck till bästa pris – boka skifte i dag!</p></div>
<header class="masthead"><a class="brand" href="/">Lokalbladet Mitt</a>
<span class="tagline">Nyheter från Alingsås, Lerum, Vårgårda och Herrljunga</span>
<nav class="sections">{nav}</nav>
<a class="login" href="/prenumerera/">Prenumerera</a></header>
<div class="page">
{main}
<aside class="sidebar"><section class="most-read"><h2>Mest läst</h2><ol>{most_read}</ol></section>
<section class="newsletter"><h2>Få nyhetsbrevet</h2>
<form action="/prenumerera/"><input type="email" aria-label="E-post">
<button>Anmäl</button></form></section>
<div class="ad"><span>Annons</span><p>Mäklarbyrån hjälper dig sälja – värdering utan kostnad.</p></div></aside>
</div>
<footer class="site-footer"><p>Lokalbladet Mitt · Ansvarig utgivare: Greta Holm (påhittad) ·
<a href="/prenumerera/">Kundservice</a> · <a href="/feed/">RSS</a></p>
<p class="demo-note">{DEMO_NOTE}. Lokalbladet Mitt är en påhittad tidning i samverkans demo.</p></footer>
</body>
</html>
"""


def t_article(a: Article, by_slug: dict[str, Article], arts: list[Article]) -> str:
    """A newspaper article page with byline, photo credit and related links."""
    if a.date_style != "byline":
        raise ValueError(f"tidning article {a.slug}: unknown date_style {a.date_style!r}")
    when = f"{sv_date(a.published)} kl. {a.time.replace(':', '.')}"
    related = "".join(f'<li><a href="{by_slug[s].path}">{esc(by_slug[s].title)}</a></li>' for s in a.related)
    section = T_SECTIONS[a.section]
    main = f"""<article class="story">
<p class="kicker"><a href="/{a.section}/">{esc(section)}</a></p>
<h1>{esc(a.title)}</h1>
<p class="byline">Av <span class="author">{esc(a.author)}</span> ·
<time datetime="{a.dt.isoformat()}">{when}</time></p>
<figure><img src="/bilder/{a.slug}.jpg" alt="">
<figcaption>{esc(a.image_caption)} Foto: {esc(a.photographer)}</figcaption></figure>
<p class="ingress">{esc(a.lead)}</p>
{body_html(a.body)}
<div class="share">Dela: <a href="{a.path}#dela">Facebook</a> <a href="{a.path}#dela">E-post</a></div>
</article>
<section class="related"><h2>Läs också</h2><ul>{related}</ul></section>"""
    head = f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(a.title)}">\n'
    return t_page(a.title, main, path=a.path, arts=arts, head_extra=head)


def build_tidning(root: Path) -> list[Article]:
    """Render the newspaper site; return its articles."""
    arts = load_articles("tidning")
    by_slug = {a.slug: a for a in arts}
    for a in arts:
        write(root, a.path, t_article(a, by_slug, arts))

    def teasers(items: list[Article]) -> str:
        return "\n".join(f'<div class="teaser"><a href="{a.path}"><h2>{esc(a.title)}</h2></a><p>{esc(a.lead)}</p></div>' for a in items)

    write(root, "/", t_page("Lokalbladet Mitt", f'<main class="front">\n{teasers(arts)}\n</main>', path="/", arts=arts))
    for key, label in T_SECTIONS.items():
        items = [a for a in arts if a.section == key]
        listing = teasers(items) or "<p>Inga artiklar just nu.</p>"
        body = f'<main class="section"><h1>{esc(label)}</h1>\n{listing}</main>'
        write(root, f"/{key}/", t_page(label, body, path=f"/{key}/", arts=arts))
    write(
        root,
        "/prenumerera/",
        t_page("Prenumerera", "<main><h1>Prenumerera</h1><p>Demo.</p></main>", path="/prenumerera/", arts=arts),
    )
    write(root, "/feed/index.rss", rss("Lokalbladet Mitt", "/", "Lokala nyheter", arts))
    write(root, "/robots.txt", f"User-agent: *\nDisallow: /konto/\n\nSitemap: {BASE}/sitemap.xml\n")
    write(root, "/sitemap.xml", urlset([("/", None)] + [(a.path, a.published) for a in arts]))
    for a in arts:  # tiny placeholder images (1x1 GIF) so image links resolve
        write(root, f"/bilder/{a.slug}.jpg", _PIXEL)
    return arts


_PIXEL = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")


# --------------------------------------------------------------------------- expected.json


def expected_entry(a: Article) -> dict[str, object]:
    """The expected.json entry of one article."""
    exp = dict(a.expected)
    is_collab = bool(exp.pop("is_collaboration"))
    collab = None
    if is_collab:
        collab = {
            "type": exp["type"],
            "name": exp.get("name"),
            "parties": exp["parties"],
            "period_start": exp.get("period_start"),
            "period_end": exp.get("period_end"),
            "decided_on": exp.get("decided_on"),
            "priority_areas": exp["priority_areas"],
        }
    cue = {
        "meta": "meta_published_time",
        "publicerad": "publicerad",
        "uppdaterad": "senast_uppdaterad",
        "sitevision": "publicerad",
        "byline": "time_element",
    }[a.date_style]
    return {
        "site": a.site,
        "source_id": SITE_INFO[a.site]["source_id"],
        "path": a.path,
        "title": a.title,
        "published": a.published.isoformat(),
        "date_cue": cue,
        "in_listing": a.in_listing,
        "is_collaboration": is_collab,
        "is_relevant": is_collab,
        "collaboration": collab,
    }


def build(sites_dir: Path = SITES_DIR, expected_path: Path = EXPECTED_PATH) -> dict[str, object]:
    """Render all demo sites into ``sites_dir`` and write ``expected_path``; return the expected data."""
    builders = {"kommun_a": build_kommun_a, "kommun_b": build_kommun_b, "tidning": build_tidning}
    articles = []
    for site, fn in builders.items():
        root = sites_dir / site
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        articles += [expected_entry(a) for a in fn(root)]
    expected: dict[str, object] = {
        "note": f"{DEMO_NOTE}. Expected end-to-end results for the bundled demo sites (generated by build.py).",
        "fields": {
            "published": "the date the page shows (date_cue says how: meta tag, <time>, visible Swedish line)",
            "is_relevant": "true exactly for collaboration articles; ordinary news (incl. a traffic week that "
            "mentions the police in passing) is not relevant",
            "collaboration.parties": "SCB kommun codes and agency ids (DESIGN.md vocabularies)",
            "collaboration.priority_areas": "the areas the article sets as priorities; other areas may be "
            "mentioned in passing, so compare as recall",
            "in_listing": "false: the article is reachable only through the sitemap",
        },
        "sites": SITE_INFO,
        "not_to_fetch": {"kommun_a": [INTERN_PATH]},
        "not_articles": {"kommun_a": [PDF_PATH]},
        "articles": articles,
    }
    expected_path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return expected


def main() -> int:
    """Rebuild the demo sites and expected.json in place."""
    exp = build()
    n = len(exp["articles"])  # type: ignore[arg-type]
    print(f"wrote {n} articles to {SITES_DIR} and {EXPECTED_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
