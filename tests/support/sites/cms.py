"""Kommun test sites on real CMS patterns, written at test time into a directory that
:class:`tests.support.server.SiteServer` serves (issue 16). All texts are our own words.

Each builder writes a site for a server whose base URL is known (absolute links on another host
need it) and returns a :class:`CmsSite`: which paths are articles and standing pages (must be
stored), which are listing/section/feed pages (must never be stored), and which sitemap entries
are junk that must never be requested.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = ["CmsSite", "build_episerver", "build_municipio", "build_other_host", "build_sitevision"]

_TOPICS = [
    ("trygghetsvandring i centrum", "Boende, fastighetsägare och lokalpolisen gick tillsammans genom centrum en kväll "
     "och noterade platser som behöver bättre belysning och mer uppsikt."),
    ("nattvandrare söks till helgerna", "Föreningen som samordnar nattvandringarna behöver fler vuxna som vill röra "
     "sig ute på fredags- och lördagskvällar och prata med unga."),
    ("ny lekplats vid sjön", "Den gamla lekplatsen byts ut mot en ny med gungor, klätterställning och sittplatser "
     "i skugga, och arbetet väntas vara klart före sommarlovet."),
    ("samverkan mot välfärdsbrott", "Kommunen och flera myndigheter ska dela uppgifter oftare för att upptäcka "
     "felaktiga utbetalningar och företag som utnyttjar offentliga medel."),
    ("biblioteket får längre öppettider", "Huvudbiblioteket håller öppet två timmar längre på vardagar under "
     "hösten, efter önskemål från studerande och pendlare."),
    ("kameror vid resecentrum", "Efter beslut i kommunstyrelsen sätts kameror upp vid resecentrum, där flera "
     "rån och överfall har anmälts under det senaste året."),
    ("vattenledningen på storgatan byts", "Ledningsarbetet pågår under sex veckor och trafiken leds om via "
     "parallellgatan; bussarna stannar vid en tillfällig hållplats."),
    ("lägesbild om unga i kriminalitet", "Socialtjänsten, skolan och polisen har tagit fram en gemensam "
     "lägesbild som visar var insatserna för unga behövs mest."),
]
_FILL = ("Kommunen återkommer med mer information när arbetet har kommit längre. Frågor besvaras av "
         "kontaktcenter på vardagar mellan åtta och fem.")


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", " ": "-"})
    return text.lower().translate(table)


def _dates(n: int, newest: date = date(2025, 6, 10), step: int = 47) -> list[date]:
    """``n`` publication dates, newest first, about a month and a half apart."""
    return [newest - timedelta(days=step * i) for i in range(n)]


@dataclass
class CmsSite:
    """What a built site holds, as paths (or absolute URLs for another host)."""

    root: str  # start URL path ("/")
    articles: dict[str, date] = field(default_factory=dict)  # path -> publication date
    standing: list[str] = field(default_factory=list)
    non_articles: list[str] = field(default_factory=list)  # listing, section, feed pages: never stored
    junk: list[str] = field(default_factory=list)  # sitemap entries that must never be requested
    hosts: tuple[str, ...] = ()  # extra registry hosts
    hidden: str = ""  # an article found only through a sitemap index child


def _write(site: Path, rel: str, text: str | bytes) -> None:
    p = site / rel.lstrip("/")
    if rel.endswith("/"):
        p = p / "index.html"
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")


def _article(title: str, when: date, para: str, *, og: bool, nav: str = "") -> str:
    ogm = '<meta property="og:type" content="article">' if og else ""
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>{ogm}</head>'
            f"<body>{nav}<main><article><h1>{title}</h1><p>Publicerad <time datetime=\"{when}\">{when}</time></p>"
            f"<p>{para}</p><p>{_FILL}</p></article></main></body></html>")


def _standing(title: str, nav: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{nav}<main><h1>{title}</h1><p>Kommunen och lokalpolisen har kommit överens om vad de ska göra "
            "tillsammans under året för att fler ska känna sig trygga där de bor och rör sig.</p>"
            "<p>Överenskommelsen följs upp två gånger om året i trygghetsrådet, där även föreningar och "
            "fastighetsägare deltar.</p></main></body></html>")


def _section(title: str, links: list[str], nav: str = "") -> str:
    items = "".join(f'<li><a href="{u}">{u.strip("/").split("/")[-1] or "start"}</a></li>' for u in links)
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{nav}<main><h1>{title}</h1><ul class=\"link-list\">{items}</ul></main></body></html>")


def _listing(title: str, items: list[tuple[str, str, date]], extra: str = "", nav: str = "", head: str = "") -> str:
    lis = "".join(f'<li class="news-item"><a href="{u}">{t}</a> <time datetime="{d}">{d}</time></li>'
                  for u, t, d in items)
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{nav}<main><h1>{title}</h1><ul>{lis}</ul>{extra}</main></body></html>")


def _urlset(base: str, entries: list[tuple[str, date | None]]) -> str:
    rows = "".join(f"<url><loc>{base}{p}</loc>" + (f"<lastmod>{d}</lastmod>" if d else "") + "</url>\n"
                   for p, d in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n'


def _index(base: str, children: list[str]) -> str:
    rows = "".join(f"<sitemap><loc>{base}{c}</loc><lastmod>2025-06-10</lastmod></sitemap>\n" for c in children)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"\n{rows}</sitemapindex>\n")


def _rss(base: str, items: list[tuple[str, str, date]]) -> str:
    rows = "".join(f"<item><title>{t}</title><link>{base}{u}</link><pubDate>{d:%a, %d %b %Y} 08:00:00 +0100</pubDate>"
                   "</item>" for u, t, d in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Nyheter</title>{rows}</channel></rss>'


def _titles(n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        topic, para = _TOPICS[i % len(_TOPICS)]
        title = f"{topic[0].upper()}{topic[1:]} del {i + 1}"
        out.append((title, para))
    return out


# ----------------------------------------------------------------------------------- Sitevision
def build_sitevision(site: Path, base: str) -> CmsSite:
    """Root with nav; robots -> sitemap.xml index -> sitemap1.xml.gz (~300 pages: sections, PDFs,
    images, 26 articles ``.5.``/dated/short id, 2 standing ``.4.`` pages) and sitemap2.xml (one news page
    found nowhere else); an RSS portlet found only through ``<link rel="alternate">``."""
    nav = ('<header class="sv-header"><nav class="sv-menu"><ul>'
           '<li><a href="/barn-och-utbildning.html">Barn och utbildning</a></li>'
           '<li><a href="/bygga-bo-och-miljo.html">Bygga, bo och miljö</a></li>'
           '<li><a href="/kommun-och-politik/trygghet-och-sakerhet.4.1a2b3c4d5e6f.html">Trygghet och säkerhet</a></li>'
           '<li><a href="/nyheter.html">Nyheter</a></li></ul></nav></header>')
    out = CmsSite("/")
    titles = _titles(27)
    dates = _dates(27)
    arts: list[tuple[str, str, date]] = []
    for i, ((title, para), when) in enumerate(zip(titles, dates, strict=True)):
        slug = _slug(title)
        if i % 3 == 0:
            path = f"/nyheter/{slug}.5.{0x4f000 + i:x}abc.html"
        elif i % 3 == 1:
            path = f"/nyheter/{when.isoformat()}-{slug}.html"
        else:
            path = f"/arkiv/nyheter/{slug}.{3700 + i}.html"
        arts.append((path, title, when))
        _write(site, path, _article(title, when, para, og=i % 2 == 0, nav=nav))
        out.articles[path] = when
    hidden = arts.pop(12)  # only in the second sitemap child: no listing, no feed links it
    out.hidden = hidden[0]
    standing = ["/kommun-och-politik/trygghet-och-sakerhet.4.1a2b3c4d5e6f.html",
                "/kommun-och-politik/trygghet-och-sakerhet/medborgarloften.4.2b3c4d5e6f7a.html"]
    for p, t in zip(standing, ["Trygghet och säkerhet", "Medborgarlöften"], strict=True):
        _write(site, p, _standing(t, nav))
    out.standing = standing
    sections = ["/barn-och-utbildning.html", "/bygga-bo-och-miljo.html", "/omsorg-och-stod.html",
                "/kommun-och-politik.html"]
    sections += [f"/barn-och-utbildning/skola-{i}.4.{0x9a000 + i:x}def.html" for i in range(120)]
    sections += [f"/bygga-bo-och-miljo/avfall-och-atervinning/sida-{i}.html" for i in range(60)]
    for p in sections[:4]:
        _write(site, p, _section(p.strip("/").removesuffix(".html"), sections[4:40], nav))
    files = [f"/download/18.{0x3c000 + i:x}/blankett-{i}.pdf" for i in range(60)]
    files += [f"/images/18.{0x5d000 + i:x}/bild-{i}.jpg" for i in range(50)]
    listings = ["/nyheter.html", "/nyhetsarkiv.html"]
    out.junk = sections + files
    entries: list[tuple[str, date | None]] = [("/", None), *((p, date(2025, 1, 2)) for p in sections + files)]
    entries += [(p, d) for p, _t, d in arts] + [(p, date(2024, 11, 5)) for p in standing]
    entries += [(p, date(2025, 6, 10)) for p in listings]
    years = [f"/nyheter/nyheter-{y}.html" for y in (2024, 2025)]  # year listings: news-like URLs, not articles
    for y, p in zip((2024, 2025), years, strict=True):
        _write(site, p, _listing(f"Nyheter {y}", [a for a in arts if a[2].year == y], "", nav))
    entries += [(p, date(2025, 6, 10)) for p in years]
    _write(site, "/robots.txt", f"User-agent: *\nDisallow: /intern/\nSitemap: {base}/sitemap.xml\n")
    _write(site, "/sitemap.xml", _index(base, ["/sitemap1.xml.gz", "/sitemap2.xml"]))
    _write(site, "/sitemap1.xml.gz", gzip.compress(_urlset(base, entries).encode(), mtime=0))
    _write(site, "/sitemap2.xml", _urlset(base, [(hidden[0], hidden[2])]))
    portlet = "/4.1a2b3c4d5e6f/12.7f8e9d0c1b2a.portlet?state=rss&sv.contenttype=text/xml;charset=UTF-8"
    feed_file = "/4.1a2b3c4d5e6f/12.7f8e9d0c1b2a.portlet/__state_rss_sv.contenttype_text/xml;charset_UTF-8"
    _write(site, feed_file, _rss(base, arts[:10]))
    head = f'<link rel="alternate" type="application/rss+xml" title="Nyheter" href="{portlet.replace("&", "&amp;")}">'
    _write(site, "/index.html", _section("Startsida", ["/kontakta-oss.html"], nav).replace("</head>", head + "</head>"))
    views = "".join(f'<a href="/nyhetsarkiv.html?start={y}-01-01&amp;end={y}-12-31">{y}</a> ' for y in range(2025, 2019, -1))
    _write(site, "/nyheter.html", _listing("Nyheter", arts[:10], '<p><a href="/nyhetsarkiv.html">Nyhetsarkiv</a></p>',
                                           nav, head))
    _write(site, "/nyhetsarkiv.html/index.html", _listing("Nyhetsarkiv", arts[:5], views, nav))
    for y in range(2020, 2026):
        rel = f"/nyhetsarkiv.html/__start_{y}-01-01_end_{y}-12-31"
        _write(site, rel, _listing(f"Nyhetsarkiv {y}", [a for a in arts if a[2].year == y], views, nav))
    out.non_articles = ["/", "/index.html", *listings, *sections[:4], *years]
    return out


# ------------------------------------------------------------------------------ Municipio (WordPress)
def build_municipio(site: Path, base: str) -> CmsSite:
    """wp-sitemap.xml (posts, pages, categories, users), /feed/, /YYYY/MM/DD/slug/ posts, /nyheter/
    listing paginated /page/N/, a standing page about medborgarlöften."""
    nav = ('<header class="site-header"><nav class="main-menu"><a href="/">Start</a> <a href="/nyheter/">Nyheter</a> '
           '<a href="/uppleva-och-gora/">Uppleva och göra</a></nav></header>')
    out = CmsSite("/")
    posts = []
    for (title, para), when in zip(_titles(20), _dates(20, step=31), strict=True):
        path = f"/{when:%Y/%m/%d}/{_slug(title)}/"
        posts.append((path, title, when))
        _write(site, path, _article(title, when, para, og=True, nav=nav))
        out.articles[path] = when
    standing = ["/trygghet-och-sakerhet/medborgarloften/"]
    _write(site, standing[0], _standing("Medborgarlöften", nav))
    out.standing = standing
    pages = [f"/uppleva-och-gora/anlaggning-{i}/" for i in range(40)] + ["/uppleva-och-gora/", "/kontakt/"]
    cats = ["/category/nyheter/", "/category/kultur/", "/category/idrott/", "/author/redaktion/"]
    _write(site, "/uppleva-och-gora/", _section("Uppleva och göra", pages[:20], nav))
    _write(site, "/robots.txt", f"User-agent: *\nSitemap: {base}/wp-sitemap.xml\n")
    _write(site, "/wp-sitemap.xml", _index(base, ["/wp-sitemap-posts-post-1.xml", "/wp-sitemap-posts-page-1.xml",
                                                   "/wp-sitemap-taxonomies-category-1.xml", "/wp-sitemap-users-1.xml"]))
    _write(site, "/wp-sitemap-posts-post-1.xml", _urlset(base, [(p, d) for p, _t, d in posts]))
    _write(site, "/wp-sitemap-posts-page-1.xml", _urlset(base, [(p, None) for p in pages + standing + ["/nyheter/"]]))
    _write(site, "/wp-sitemap-taxonomies-category-1.xml", _urlset(base, [(c, None) for c in cats[:3]]))
    _write(site, "/wp-sitemap-users-1.xml", _urlset(base, [(cats[3], None)]))
    _write(site, "/feed/index.xml", _rss(base, posts[:10]))
    head = f'<link rel="alternate" type="application/rss+xml" href="{base}/feed/">'
    _write(site, "/index.html", _section("Välkommen", ["/kontakt/"], nav).replace("</head>", head + "</head>"))
    for n, chunk in enumerate([posts[:8], posts[8:16], posts[16:]], start=1):
        more = f'<a class="next" href="/nyheter/page/{n + 1}/">Äldre inlägg</a>' if n < 3 else ""
        _write(site, "/nyheter/" if n == 1 else f"/nyheter/page/{n}/", _listing("Nyheter", chunk, more, nav, head))
    out.junk = pages + cats
    out.non_articles = ["/", "/nyheter/", "/nyheter/page/2/", "/nyheter/page/3/", "/feed/", "/uppleva-och-gora/"]
    return out


# ------------------------------------------------------------------------------ EPiServer/Optimizely
def build_episerver(site: Path, base: str) -> CmsSite:
    """No sitemap, no feed: the root's nav leads to /aktuellt/, a listing of 25 undated-URL articles
    on 3 pages (``?page=N`` behind "Visa fler")."""
    nav = ('<header><nav class="main-nav"><a href="/kommun-och-politik/">Kommun och politik</a> '
           '<a href="/aktuellt/">Aktuellt</a> <a href="/stod-och-omsorg/">Stöd och omsorg</a></nav></header>')
    out = CmsSite("/")
    arts = []
    for (title, para), when in zip(_titles(25), _dates(25, step=20), strict=True):
        path = f"/aktuellt/nyheter/{_slug(title)}/"
        arts.append((path, title, when))
        _write(site, path, _article(title, when, para, og=False, nav=nav))
        out.articles[path] = when
    _write(site, "/index.html", _section("Välkommen till kommunen", ["/kontakt/"], nav))
    _write(site, "/kommun-och-politik/", _section("Kommun och politik", [f"/kommun-och-politik/n{i}/" for i in range(9)],
                                                     nav))
    cats = [f"/aktuellt/kategori/{c}/" for c in ("trygghet-och-sakerhet", "skola-och-forskola", "bygga-och-bo")]
    for c in cats:  # category listings linked beside the news: they look like article slugs
        _write(site, c, _listing("Kategori", arts[:6], "", nav))
    filters = '<ul class="categories">' + "".join(f'<li><a href="{c}">{c.split("/")[-2]}</a></li>' for c in cats) + "</ul>"
    for n, chunk in enumerate([arts[:10], arts[10:20], arts[20:]], start=1):
        more = filters + (f'<a class="btn" href="/aktuellt/?page={n + 1}">Visa fler</a>' if n < 3 else "")
        _write(site, "/aktuellt/" if n == 1 else f"/aktuellt/__page_{n}", _listing("Aktuellt", chunk, more, nav))
    out.non_articles = ["/", "/aktuellt/", "/aktuellt/?page=2", "/aktuellt/?page=3", "/kommun-och-politik/", *cats]
    return out


# ------------------------------------------------------------------------------ news on another host
def build_other_host(site: Path, base: str, other: str) -> CmsSite:
    """A kommun at ``base`` whose news (20 articles) are on ``other`` (same server, another host name:
    ``localhost`` for ``127.0.0.1``); the registry's ``hosts`` names the other host."""
    nav = (f'<header><nav><a href="{base}/">Start</a> <a href="{other}/nyheter/">Nyheter</a> '
           f'<a href="{base}/forskola/">Förskola</a></nav></header>')
    out = CmsSite("/", hosts=(other.split("://", 1)[1],))
    arts = []
    for (title, para), when in zip(_titles(20), _dates(20, step=40), strict=True):
        path = f"/nyheter/{when:%Y/%m}/{_slug(title)}/"
        arts.append((f"{other}{path}", title, when))
        _write(site, path, _article(title, when, para, og=True, nav=nav))
        out.articles[path] = when
    _write(site, "/index.html", _section("Välkommen", [f"{base}/kontakt/"], nav))
    for n, chunk in enumerate([arts[:10], arts[10:]], start=1):
        more = f'<a href="{other}/nyheter/?sida={n + 1}">Nästa</a>' if n < 2 else ""
        _write(site, "/nyheter/" if n == 1 else f"/nyheter/__sida_{n}", _listing("Nyheter", chunk, more, nav))
    out.non_articles = ["/", "/nyheter/", "/nyheter/?sida=2"]
    return out
