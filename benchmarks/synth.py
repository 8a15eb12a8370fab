"""Synthetic Swedish article pages for the benchmark: our own words, composed from templates.

About half of the pages announce a collaboration against crime (kommun + agencies, a named
agreement, roles and invented people, priority areas, a period); the rest are ordinary kommun
news (roads, schools, culture). Every page is wrapped in one of a few realistic CMS chromes
(cookie banner, menus, breadcrumbs, footer) so the extractor has boilerplate to remove.

    pages = generate_pages(200, seed=1)      # list[SynthPage], deterministic for a seed
    write_site(pages, root)                  # static site for pipeline.demo.server.DemoServer
"""

from __future__ import annotations

import csv
import html
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.config import DATA_FILES_DIR

SITE_PLACEHOLDER_FREE_BASE = "https://bench.example.se"  # base URL for pages used without a server

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december"]
AGENCIES = ["Polisen", "Skatteverket", "Försäkringskassan", "Kriminalvården", "Tullverket",
            "Kronofogden", "Arbetsförmedlingen", "Migrationsverket", "Ekobrottsmyndigheten",
            "Räddningstjänsten", "Brottsförebyggande rådet"]
COUNTY_AGENCY = "Länsstyrelsen {county}"
AGREEMENTS = [
    ("samverkansöverenskommelse", "en ny samverkansöverenskommelse"),
    ("medborgarlöfte", "ett nytt medborgarlöfte"),
    ("avsiktsförklaring", "en avsiktsförklaring"),
    ("samverkansavtal", "ett samverkansavtal"),
    ("handlingsplan", "en gemensam handlingsplan"),
]
AGREEMENT_NAMES = ["Trygg i {k}", "Tillsammans för ett tryggare {k}", "Samverkan {k} {y}",
                   "Trygghetslöftet {k}", "Ett säkrare {k}", "Gemensam kraft {k}"]
FIRST = ["Anna", "Erik", "Maria", "Johan", "Karin", "Lars", "Sara", "Mikael", "Eva", "Anders",
         "Lena", "Per", "Elin", "Fredrik", "Ingrid", "Ahmed", "Fatima", "Jonas", "Helena", "Oskar",
         "Linnea", "Mats", "Amira", "Gustav", "Sofia", "Nils", "Hanna", "Björn", "Ida", "Tomas"]
LAST = ["Lindqvist", "Johansson", "Bergström", "Nyberg", "Holm", "Sandberg", "Ekström", "Falk",
        "Lundgren", "Åberg", "Söderlund", "Hedlund", "Mattsson", "Blom", "Karlsson", "Wikström",
        "Engström", "Dahlberg", "Sjöberg", "Nordin", "Strand", "Hassan", "Öberg", "Viklund"]
PARTIES = ["S", "M", "C", "L", "KD", "V", "MP", "SD"]
KOMMUN_ROLES = ["kommunstyrelsens ordförande", "kommundirektör", "säkerhetschef",
                "brottsförebyggande samordnare", "socialchef", "trygghetssamordnare"]
AGENCY_ROLES = {"Polisen": ["lokalpolisområdeschef", "kommunpolis", "polisområdeschef"],
                "default": ["samordnare", "enhetschef", "regionchef", "verksamhetschef"]}
PRIORITY_AREAS = [
    "att förebygga att barn och unga dras in i kriminalitet",
    "våld i nära relationer",
    "otrygghet i centrum kvällstid",
    "narkotikaförsäljning i bostadsområden",
    "välfärdsbrott och felaktiga utbetalningar",
    "organiserad brottslighet och kriminella nätverk",
    "oseriösa företag, svartarbete och penningtvätt",
    "skadegörelse och klotter",
    "trafiksäkerhet kring skolor",
    "bedrägerier mot äldre",
    "hedersrelaterat våld och förtryck",
    "en gemensam lägesbild och informationsdelning",
]
PERIODS = [
    "Överenskommelsen gäller från {start} till och med {end}.",
    "Arbetet pågår under perioden {start}–{end} och följs upp varje halvår.",
    "Avtalet gäller i {years} år från {start}.",
    "Löftet gäller under {y1} och {y2}.",
    "Samarbetet sträcker sig till och med {end}.",
]
NEWS_TOPICS = [
    ("Ny lekplats invigs vid {place}", ["Lekplatsen har klätterställning, gungor och en sandlåda med skugga.",
                                        "Barn från förskolorna i närheten har varit med och tyckt till om utformningen."]),
    ("Vägarbete på {place} under {month}", ["Trafiken leds om via parallellgatan under arbetet.",
                                           "Busshållplatsen flyttas tillfälligt cirka hundra meter."]),
    ("Budget för {y} klubbad i fullmäktige", ["Skolan och äldreomsorgen får mest av ökningen.",
                                              "Skattesatsen lämnas oförändrad."]),
    ("Sommarlovsaktiviteter för alla barn i {k}", ["Aktiviteterna är gratis och kräver ingen anmälan.",
                                                    "Programmet finns på biblioteken och på webbplatsen."]),
    ("Biblioteket i {place} får längre öppettider", ["Från {month} är biblioteket öppet till klockan 20 på vardagar.",
                                                     "Meröppet gör att låntagare kan gå in med lånekort även när personal saknas."]),
    ("Snöröjningen – så prioriterar vi", ["Först plogas huvudgator, gång- och cykelvägar till skolor och busslinjer.",
                                          "Villagator plogas när snödjupet överstiger tio centimeter."]),
    ("Ny förskola i {place} klar för inflyttning", ["Förskolan har plats för 120 barn fördelade på sex avdelningar.",
                                                    "Gården är planerad tillsammans med en landskapsarkitekt."]),
    ("Medborgardialog om nya cykelvägar", ["Invånarna kan lämna synpunkter på förslaget fram till {month}.",
                                           "Förslaget omfattar drygt fyra kilometer ny cykelväg."]),
]
PLACES = ["Strandpromenaden", "Storgatan", "Centrumparken", "Kvarnbacken", "Södra torget", "Stationsområdet",
          "Ekdalen", "Norra hamnen", "Kyrkbacken", "Björkhagen"]
FILLER = [
    "Mer information finns på kommunens webbplats.",
    "Kommunen följer utvecklingen noga och återkommer med mer information.",
    "Frågor besvaras av kommunens kontaktcenter på vardagar.",
    "Alla invånare är välkomna att höra av sig med synpunkter.",
    "Arbetet sker i nära dialog med föreningar och näringsliv.",
]


@dataclass(frozen=True)
class SynthPage:
    """One generated article page."""

    slug: str
    title: str
    html: str
    published: date
    kommun_code: str
    relevant: bool  # written as a collaboration announcement


def load_kommuner() -> list[tuple[str, str, str]]:
    """(code, name, county name) of the 290 kommuner from the shipped data file."""
    with open(DATA_FILES_DIR / "kommuner.csv", encoding="utf-8", newline="") as fh:
        return [(r["kommun_code"], r["name"], r["county_name"]) for r in csv.DictReader(fh)]


def slugify(text: str) -> str:
    """ASCII URL slug of a Swedish title."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")[:70]


def _sv_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _collab_body(rng: random.Random, kommun: str, county: str, pub: date) -> tuple[str, list[str]]:
    n_agencies = rng.choice([1, 1, 2, 3])
    agencies = rng.sample(AGENCIES, n_agencies)
    if rng.random() < 0.3:
        agencies.append(COUNTY_AGENCY.format(county=county))
    kind, kind_phrase = rng.choice(AGREEMENTS)
    name = rng.choice(AGREEMENT_NAMES).format(k=kommun, y=pub.year)
    parties = " och ".join([", ".join(agencies[:-1]), agencies[-1]] if len(agencies) > 1 else agencies)
    title = rng.choice([
        f"{kommun} kommun och {parties} tecknar {kind}",
        f"Ny {kind} ska öka tryggheten i {kommun}",
        f"{parties} och {kommun} kommun i gemensamt arbete mot brott",
        f"{kind.capitalize()} undertecknad: {name}",
    ])
    areas = rng.sample(PRIORITY_AREAS, rng.randint(2, 4))
    start = date(pub.year, rng.choice([1, 3, 7, 9]), 1)
    end = date(start.year + rng.randint(1, 3), 12, 31)
    period = rng.choice(PERIODS).format(start=_sv_date(start), end=_sv_date(end), years=end.year - start.year,
                                        y1=start.year, y2=start.year + 1)
    decided = pub - timedelta(days=rng.randint(3, 40))
    politician = _person(rng)
    official_agency = agencies[0]
    official_role = rng.choice(AGENCY_ROLES.get(official_agency, AGENCY_ROLES["default"]))
    official = _person(rng)
    paras = [
        f'<p class="lead">{kommun} kommun och {parties} har tecknat {kind_phrase} med namnet {name}. '
        f"Syftet är att minska brottsligheten och öka tryggheten för invånarna.</p>",
        f"<p>Kommunstyrelsen beslutade om överenskommelsen den {_sv_date(decided)}. {period}</p>",
        "<h2>Det här ska parterna arbeta med</h2>",
        "<p>Parterna har enats om följande prioriterade områden:</p>",
        "<ul>" + "".join(f"<li>{html.escape(a[0].upper() + a[1:])}</li>" for a in areas) + "</ul>",
        f"<p>– Vi ser att samverkan ger resultat. Tillsammans kan vi arbeta mer förebyggande, säger "
        f"{politician} ({rng.choice(PARTIES)}), {rng.choice(KOMMUN_ROLES[:1])} i {kommun}.</p>",
        f"<p>– Genom en gemensam lägesbild kan vi sätta in rätt insatser på rätt plats, säger {official}, "
        f"{official_role} vid {official_agency}.</p>",
    ]
    if rng.random() < 0.5:
        paras.append(f"<p>{_person(rng)}, {rng.choice(KOMMUN_ROLES[1:])} i {kommun} kommun, samordnar arbetet "
                     f"och följer upp insatserna tillsammans med {agencies[-1]}.</p>")
    paras += [f"<p>{rng.choice(FILLER)}</p>" for _ in range(rng.randint(1, 3))]
    return title, paras


def _news_body(rng: random.Random, kommun: str, pub: date) -> tuple[str, list[str]]:
    title_t, sentences = rng.choice(NEWS_TOPICS)
    fmt = {"place": rng.choice(PLACES), "month": MONTHS[rng.randrange(12)], "y": pub.year + 1, "k": kommun}
    title = title_t.format(**fmt)
    paras = [f'<p class="lead">{html.escape(title)}. {kommun} kommun informerar om vad som gäller.</p>']
    paras += [f"<p>{s.format(**fmt)} {rng.choice(FILLER)}</p>" for s in sentences]
    paras += [f"<p>– Det här är efterlängtat, säger {_person(rng)}, {rng.choice(['enhetschef', 'projektledare'])} "
              f"på {kommun} kommun.</p>"]
    paras += [f"<p>{rng.choice(FILLER)}</p>" for _ in range(rng.randint(1, 4))]
    return title, paras


def _chrome(rng: random.Random, style: int, kommun: str, title: str, paras: list[str], pub: date, url_path: str) -> str:
    menu = "".join(f'<li><a href="/{slugify(m)}/">{m}</a></li>' for m in
                   ["Start", "Nyheter", "Bo och bygga", "Förskola och skola", "Omsorg", "Kontakt"])
    head = (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} - {kommun} kommun'
            f'</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="canonical" href="{{{{BASE_URL}}}}{url_path}">')
    if style != 2:
        head += f'<meta property="article:published_time" content="{pub.isoformat()}T08:00:00+01:00">'
    head += '<link rel="stylesheet" href="/static/site.css"></head>'
    cookie = (f'<div class="cookie-banner"><p>{kommun} kommun använder kakor för att webbplatsen ska fungera.</p>'
              '<button>Acceptera</button><button>Neka</button></div>')
    body = "".join(paras)
    pubtxt = f"Publicerad {_sv_date(pub)}"
    rel_titles = [t[0].format(place=rng.choice(PLACES), month=rng.choice(MONTHS), y=pub.year, k=kommun)
                  for t in rng.sample(NEWS_TOPICS, 3)]
    related = "".join(f'<li><a href="/nyheter/{slugify(t)}/">{html.escape(t)}</a></li>' for t in rel_titles)
    footer = (f'<footer><p>{kommun} kommun · Kommunhuset · 100 00 {kommun}</p><p>Telefon 000-00 00 00 · '
              '<a href="/kontakt/">Kontakt</a> · <a href="/kakor/">Om kakor</a></p></footer>')
    if style == 0:  # SiteVision-like
        return (f'{head}<body class="sv-responsive">{cookie}<header><a href="/">{kommun} kommun</a><nav><ul>{menu}</ul>'
                f'</nav></header><nav aria-label="Du är här"><ol><li><a href="/">Start</a></li><li><a href="/nyheter/">'
                f'Nyheter</a></li><li>{html.escape(title)}</li></ol></nav><main><div class="sv-text-portlet">'
                f'<h1>{html.escape(title)}</h1>{body}<p class="date">{pubtxt}</p></div></main>'
                f'<aside><h2>Fler nyheter</h2><ul>{related}</ul></aside>{footer}</body></html>')
    if style == 1:  # WordPress-like
        return (f'{head}<body class="post-template-default single">{cookie}<div id="page"><header id="masthead">'
                f'<div class="site-title">{kommun} kommun</div><nav id="site-navigation"><ul class="menu">{menu}</ul>'
                f'</nav></header><div id="content"><article class="post type-post"><header class="entry-header">'
                f'<h1 class="entry-title">{html.escape(title)}</h1><div class="entry-meta"><time datetime="'
                f'{pub.isoformat()}">{_sv_date(pub)}</time></div></header><div class="entry-content">{body}</div>'
                f'</article><div id="secondary" class="widget-area"><h2>Senaste nytt</h2><ul>{related}</ul></div>'
                f'</div>{footer}</div></body></html>')
    return (f'{head}<body>{cookie}<div class="top"><a class="logo" href="/">{kommun}</a><ul class="nav">{menu}</ul>'
            f'<form action="/sok/"><input name="q" placeholder="Sök"></form></div><div class="page"><div class="main">'
            f'<h1>{html.escape(title)}</h1><div class="meta">{pubtxt}</div><div class="text">{body}</div>'
            f'<div class="share">Dela sidan: <a href="#">Facebook</a> <a href="#">LinkedIn</a></div></div>'
            f'<div class="sidebar"><h2>Relaterat</h2><ul>{related}</ul></div></div>{footer}</body></html>')


def generate_pages(n: int, seed: int = 1, kommuner: list[tuple[str, str, str]] | None = None) -> list[SynthPage]:
    """``n`` varied pages (about half collaboration announcements), deterministic for ``seed``."""
    rng = random.Random(seed)
    kommuner = kommuner or load_kommuner()
    pages: list[SynthPage] = []
    seen: set[str] = set()
    for i in range(n):
        code, kommun, county = rng.choice(kommuner)
        pub = date(2018, 1, 1) + timedelta(days=rng.randrange(7 * 365))
        relevant = rng.random() < 0.5
        title, paras = _collab_body(rng, kommun, county, pub) if relevant else _news_body(rng, kommun, pub)
        slug = f"{slugify(title)}-{i}"
        if slug in seen:  # cannot happen with the index suffix; kept as a guard
            slug = f"{slug}-{rng.randrange(10**6)}"
        seen.add(slug)
        url_path = f"/nyheter/{slug}/"
        page_html = _chrome(rng, rng.randrange(3), kommun, title, paras, pub, url_path)
        pages.append(SynthPage(slug, title, page_html, pub, code, relevant))
    return pages


def page_html(page: SynthPage, base_url: str) -> str:
    """The page with its ``{{BASE_URL}}`` placeholder filled in."""
    return page.html.replace("{{BASE_URL}}", base_url.rstrip("/"))


def write_site(pages: list[SynthPage], root: Path) -> None:
    """A static site for DemoServer: robots.txt → sitemap.xml, a listing at /nyheter/ and one folder per page."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /sok/\n\nSitemap: {{BASE_URL}}/sitemap.xml\n",
                                     encoding="utf-8")
    urls = "".join(f"<url><loc>{{{{BASE_URL}}}}/nyheter/{p.slug}/</loc><lastmod>{p.published.isoformat()}</lastmod></url>"
                   for p in pages)
    (root / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
                                      f'schemas/sitemap/0.9">{urls}</urlset>\n', encoding="utf-8")
    items = "".join(f'<li><a href="/nyheter/{p.slug}/">{html.escape(p.title)}</a></li>' for p in pages[:50])
    listing = root / "nyheter" / "index.html"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text(f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter</title></head>'
                       f'<body><main><h1>Nyheter</h1><ul>{items}</ul></main></body></html>', encoding="utf-8")
    for p in pages:
        target = root / "nyheter" / p.slug / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(p.html, encoding="utf-8")
