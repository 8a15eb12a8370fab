"""Synthetic Swedish article pages for the benchmark: our own words, composed from templates.

About half of the pages announce a collaboration against crime (kommun + agencies, a named
agreement, roles and invented people, priority areas, a period); the rest are ordinary kommun
news (roads, schools, culture). Every page is wrapped in one of a few realistic CMS chromes
(cookie banner, menus, breadcrumbs, footer) so the extractor has boilerplate to remove.

    pages = generate_pages(200, seed=1)      # list[SynthPage], deterministic for a seed
    mix = generate_mix(200, seed=1)          # one collaboration announcement in ten, the rest
                                             # ordinary kommun news of the usual length (~1,500 chars)
    write_site(pages, root)                  # static site for pipeline.demo.server.DemoServer
"""

from __future__ import annotations

import csv
import html
import random
import re
import unicodedata
from collections.abc import Callable
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

# ordinary kommun news of the usual length, for generate_mix: (title, lead, paragraphs)
LONG_NEWS = [
    ("Vägarbete på {place} från {month}",
     "Från {month} bygger kommunen om {place}. Arbetet pågår i ungefär {n} veckor och påverkar både bilar, bussar och cyklister.",
     ["Under den första etappen byts vatten- och avloppsledningar under gatan. Därefter läggs ny asfalt och gatubelysningen "
       "byts mot LED-armaturer.",
      "Trafiken leds om via parallellgatan och skyltar visar vägen. Gående och cyklister kommer förbi arbetsområdet hela tiden, "
       "men räkna med att det tar lite längre tid.",
      "Busshållplatsen närmast korsningen flyttas tillfälligt ett femtiotal meter. Kollektivtrafiken informerar om ändringarna "
       "i sin reseplanerare.",
      "Fastighetsägare längs gatan har fått brev med information om när deras infarter berörs. Sophämtningen fungerar som "
       "vanligt under hela arbetet.",
      "Arbetet görs dagtid på vardagar mellan sju och sjutton. Vissa moment, som asfaltering, kan behöva göras kvällstid för "
       "att störa trafiken så lite som möjligt.",
      "När gatan är klar blir trottoarerna bredare och det blir en separat cykelbana på den norra sidan."]),
    ("Ny förskola i {place} öppnar till hösten",
     "Den nya förskolan i {place} tar emot de första barnen i augusti. Där blir det plats för drygt hundra barn i sex avdelningar.",
     ["Byggnaden är uppförd i trä och har solceller på taket. Köket lagar maten på plats varje dag, med mycket grönsaker från "
       "närodlade leverantörer.",
      "Vårdnadshavare som vill byta till den nya förskolan kan göra det i e-tjänsten fram till slutet av {month}. Placeringar "
       "görs efter kötid och syskonförtur.",
      "Gården är planerad tillsammans med en landskapsarkitekt och har odlingslådor, en kulle att åka pulka i och en skogsdunge "
       "där barnen kan leka.",
      "Personalen rekryteras just nu. Kommunen söker förskollärare, barnskötare och en kock, och annonserna finns på kommunens webbplats.",
      "Den gamla förskolan i området har haft tillfälliga lokaler i moduler sedan flera år tillbaka. De flyttas bort när den "
       "nya förskolan är i gång.",
      "Under våren ordnas en öppen visning där familjer kan gå runt i lokalerna och träffa rektorn."]),
    ("Kulturnatt i {k} lockar med musik och konst",
     "Lördagen den {n} {month} fylls centrum av musik, dans och utställningar när kulturnatten går av stapeln för tionde gången.",
     ["Över fyrtio föreningar, konstnärer och företag deltar med aktiviteter på gator, torg och i butiker. Allt är gratis.",
      "På biblioteket blir det sagostund för de minsta och en författarkväll för vuxna. Konsthallen har förlängt öppet till midnatt.",
      "Kulturskolans elever spelar på scenen vid torget under eftermiddagen, och på kvällen avslutas programmet med en konsert.",
      "Kommunen sätter in extra bussar från ytterområdena och det finns gott om cykelparkering vid stationen.",
      "Programmet finns i en folder som delas ut i alla hushåll och på kommunens webbplats, där det också går att filtrera på "
       "ålder och plats.",
      "Den som vill vara med nästa år kan redan nu anmäla intresse till kulturförvaltningen."]),
    ("Budgeten för {y} är beslutad",
     "Kommunfullmäktige har beslutat om budgeten för {y}. Skolan och äldreomsorgen får mest av ökningen, och skattesatsen "
      "lämnas oförändrad.",
     ["Totalt ökar kommunens ramar med drygt {n} miljoner kronor jämfört med i år. Ökningen förklaras främst av fler barn i "
       "skolåldern och fler äldre.",
      "Investeringarna under året omfattar bland annat en ny idrottshall, upprustning av två skolor och fortsatt utbyggnad av "
       "gång- och cykelvägar.",
      "Samtidigt ska förvaltningarna effektivisera sin administration. Fler lokaler ska samutnyttjas och vissa e-tjänster "
       "ersätter blanketter.",
      "Oppositionen lade egna budgetförslag med andra prioriteringar, bland annat en sänkt skatt och mer pengar till kultur och fritid.",
      "Budgeten följs upp tre gånger under året, och resultatet redovisas i årsredovisningen.",
      "Hela budgetdokumentet finns att läsa på kommunens webbplats under Ekonomi och budget."]),
    ("Hemtjänsten i {k} inför digitala nycklar",
     "Under {month} byter hemtjänsten ut de fysiska nycklarna mot digitala lås hos alla som har hemtjänst i kommunen.",
     ["Det digitala låset monteras på insidan av ytterdörren och påverkar inte den vanliga nyckeln. Den som har hemtjänst får "
       "besök av en montör som visar hur det fungerar.",
      "Med digitala nycklar slipper personalen hämta och lämna nycklar på kontoret, vilket ger mer tid hos brukarna.",
      "Varje besök loggas, så att den som har hemtjänst eller anhöriga kan se när personalen har varit där.",
      "Installationen är kostnadsfri. Den som inte vill ha ett digitalt lås kan tacka nej och har då kvar dagens lösning.",
      "Omställningen görs område för område och beräknas vara klar till sommaren.",
      "Frågor om bytet besvaras av hemtjänstens samordnare på vardagar."]),
    ("Nu öppnar utomhusbadet i {place}",
     "Efter renoveringen öppnar utomhusbadet i {place} igen den {n} {month}. Bassängen har fått nytt kakel, ny "
      "reningsanläggning och en ramp för rullstol.",
     ["Badet har öppet varje dag mellan tio och arton under sommarlovet. Vid dåligt väder kan det stänga tidigare, och det "
       "meddelas på kommunens sociala medier.",
      "Barn under sju år ska bada tillsammans med en vuxen. Simlärare finns på plats under förmiddagarna för den som vill öva.",
      "Kiosken drivs i år av en lokal idrottsförening som säljer glass, fika och enklare lunch.",
      "Entrén är gratis för barn och ungdomar upp till arton år. Vuxna betalar en mindre avgift, och säsongskort finns att köpa "
       "i receptionen.",
      "Under renoveringen byttes även duschar och omklädningsrum, och solpanelerna på taket värmer nu en del av vattnet.",
      "Simskolan för barn startar i juni och anmälan görs via kommunens e-tjänst."]),
    ("Medborgardialog om nya cykelvägar i {k}",
     "Kommunen vill veta vad invånarna tycker om förslaget till nya cykelvägar. Synpunkter kan lämnas fram till den {n} {month}.",
     ["Förslaget omfattar drygt fyra kilometer ny cykelväg mellan centrum och de norra bostadsområdena, med belysning hela vägen.",
      "På kommunens webbplats finns en karta där man kan markera platser och skriva kommentarer direkt.",
      "Två öppna möten hålls i biblioteket, där tjänstepersoner från samhällsbyggnadsförvaltningen svarar på frågor.",
      "Synpunkterna sammanställs under hösten och ligger till grund för den plan som politikerna beslutar om nästa år.",
      "Cykelvägarna ska göra det enklare att välja cykeln till jobbet och skolan, och minska trafiken med bil på de största gatorna.",
      "Den som inte kan delta digitalt kan lämna synpunkter på papper i kommunhusets reception."]),
    ("Snöröjningen i {k} – så prioriteras gatorna",
     "När snön kommer plogar kommunen i en bestämd ordning. Först huvudgator, busslinjer och gång- och cykelvägar till skolor, "
      "sedan övriga gator.",
     ["Villagator plogas när snödjupet är mer än tio centimeter. Det kan ta upp till två dygn efter att det slutat snöa innan "
       "alla gator är klara.",
      "Sandning görs i första hand vid övergångsställen, busshållplatser och backar.",
      "Fastighetsägare ansvarar själva för att skotta trottoaren framför sin tomt och för att ta ner istappar från tak.",
      "Enskilda vägar och samfälligheter sköter sin egen snöröjning, men kan i vissa fall få bidrag från kommunen.",
      "Den som ser en gata som inte är plogad kan felanmäla det i kommunens app eller ringa kontaktcenter.",
      "Under vintern arbetar ett trettiotal maskiner och förare på entreprenad åt kommunen."]),
]
GENERAL_PARAS = [
    "Kommunen har tagit fram informationen tillsammans med de verksamheter som berörs. Har du frågor kan du vända dig till "
     "kontaktcenter, som har öppet på vardagar och svarar på telefon, chatt och e-post.",
    "Information på lätt svenska och på flera andra språk finns på kommunens webbplats. Där går det också att få texten uppläst.",
    "Beslutet fattades av den ansvariga nämnden vid dess senaste sammanträde. Protokollet publiceras på kommunens webbplats när "
     "det är justerat.",
    "Kommunen följer upp arbetet under året och berättar om resultatet i sina kanaler. Den som vill få nyheter direkt kan "
     "prenumerera på kommunens nyhetsbrev.",
    "Den som har synpunkter eller vill lämna förslag kan göra det via e-tjänsten Synpunkter och förslag. Alla inlämnade "
     "synpunkter diarieförs och besvaras.",
]
QUOTES = [
    "Vi är glada att kunna erbjuda det här och hoppas att många vill ta del av det",
    "Det här är något som invånarna har efterfrågat länge",
    "Vi har lyssnat på synpunkterna och gjort flera ändringar i förslaget",
    "Det är ett viktigt steg för att kommunen ska fortsätta vara en bra plats att bo på",
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


def _long_news_body(rng: random.Random, kommun: str, pub: date) -> tuple[str, list[str]]:
    """Ordinary kommun news of the usual length: a lead, four to six paragraphs, a quote, contacts."""
    title_t, lead_t, paras_t = rng.choice(LONG_NEWS)
    fmt = {"place": rng.choice(PLACES), "month": MONTHS[rng.randrange(12)], "y": pub.year + 1, "k": kommun,
           "n": rng.randint(3, 40), "person": _person(rng)}
    title = title_t.format(**fmt)
    paras = [f'<p class="lead">{html.escape(lead_t.format(**fmt))}</p>']
    chosen = rng.sample(paras_t, k=min(len(paras_t), rng.randint(5, 6)))
    paras += [f"<p>{html.escape(t.format(**fmt))}</p>" for t in chosen]
    paras += [f"<p>{html.escape(t)}</p>" for t in rng.sample(GENERAL_PARAS, k=2)]
    paras.append(f"<p>– {rng.choice(QUOTES)}, säger {fmt['person']}, "
                 f"{rng.choice(['enhetschef', 'projektledare', 'förvaltningschef', 'verksamhetsutvecklare'])} "
                 f"på {kommun} kommun.</p>")
    paras += [f"<p>{rng.choice(FILLER)}</p>" for _ in range(rng.randint(1, 2))]
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
    return [_page(rng, i, kommuner, lambda: rng.random() < 0.5, _news_body) for i in range(n)]


def generate_mix(n: int, seed: int = 1, relevant_every: int = 10,
                 kommuner: list[tuple[str, str, str]] | None = None) -> list[SynthPage]:
    """``n`` pages as a kommun publishes them: one collaboration announcement in
    ``relevant_every``, the rest ordinary kommun news of the usual length (roadworks, schools,
    culture, care, budget; about 1,200–1,900 characters of text, like a real news page).
    Deterministic for ``seed``."""
    rng = random.Random(seed)
    kommuner = kommuner or load_kommuner()
    pick = relevant_every // 2
    return [_page(rng, i, kommuner, lambda i=i: i % relevant_every == pick, _long_news_body) for i in range(n)]


def _page(rng: random.Random, i: int, kommuner: list[tuple[str, str, str]], draw: Callable[[], bool],
          news_body: Callable[[random.Random, str, date], tuple[str, list[str]]]) -> SynthPage:
    """Page number ``i``: a collaboration announcement when ``draw()`` is true, else ``news_body``."""
    code, kommun, county = rng.choice(kommuner)
    pub = date(2018, 1, 1) + timedelta(days=rng.randrange(7 * 365))
    relevant = draw()
    title, paras = _collab_body(rng, kommun, county, pub) if relevant else news_body(rng, kommun, pub)
    slug = f"{slugify(title)}-{i}"
    url_path = f"/nyheter/{slug}/"
    page_html = _chrome(rng, rng.randrange(3), kommun, title, paras, pub, url_path)
    return SynthPage(slug, title, page_html, pub, code, relevant)


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
