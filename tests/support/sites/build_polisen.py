"""Writer of the ``polisen`` crawler test site (run once; the output is committed).

A polisen.se look-alike: one RSS feed per län (``/aktuellt/rss/<län>/nyheter-rss---<län>/``), news at
``/aktuellt/nyheter/<region>/<yyyy>/<månad>/<slug>/`` (older items without the region), and the standing
medborgarlöfte pages ``/om-polisen/medborgarloften-och-lokal-samverkan/<kommun>/`` reached only from
their listing ``/om-polisen/medborgarloften-och-lokal-samverkan/`` (the slug of the real listing page).

Most items are HARD NEGATIVES: short, factual crime news (a burglary, a drug seizure, a fraud warning,
a traffic control, a bike theft, an arrest, a fire …) quoting the press officer, several naming a kommun
and using "samverkan" or "trygghet" in passing. The positives are a medborgarlöfte, a joint action with
a kommun and Skatteverket against välfärdsbrott, a new samverkansöverenskommelse, and the standing pages.
``manifest.json`` records, per item, ``is_relevant`` and the kommuner named in its text (SCB codes;
the kommun of a police article comes from its text, never from the publisher).
All texts are our own words; kommun names and agencies are facts, every person is invented.
"""
# ruff: noqa: E501
from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "polisen"
KOMMUNER_CSV = Path(__file__).resolve().parents[3] / "pipeline" / "data" / "kommuner.csv"
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]
# län feed slug → (län name, police region in news URLs)
LAN = {
    "stockholms-lan": ("Stockholms län", "stockholm"),
    "vastra-gotaland": ("Västra Götaland", "vast"),
    "skane": ("Skåne", "syd"),
    "ostergotland": ("Östergötland", "ost"),
}


def codes(*names: str) -> list[str]:
    """SCB codes of kommun names (facts from pipeline/data/kommuner.csv)."""
    with KOMMUNER_CSV.open(encoding="utf-8") as f:
        by_name = {r["name"]: r["kommun_code"] for r in csv.DictReader(f)}
    return sorted(by_name[n] for n in names)


# (län, date, time, slug, title, paragraphs, is_relevant, kommuner named, kind, regionless)
NEWS: list[dict[str, object]] = [
    # ------------------------------------------------------------------ hard negatives
    dict(lan="stockholms-lan", date="2024-03-11", time="08.45", kind="inbrott", slug="tre-villainbrott-i-taby-under-helgen",
         title="Tre villainbrott i Täby under helgen",
         paras=["Mellan fredag kväll och söndag morgon anmäldes tre inbrott i villor i norra Täby. I samtliga fall har gärningspersonerna tagit sig in genom att bryta upp en altandörr medan de boende var bortresta.",
                "Smycken, kontanter och en bärbar dator har försvunnit. Ingen är gripen och polisen säkrar nu spår på platserna.",
                "– Vi vill gärna komma i kontakt med den som sett okända bilar i området under helgen, säger polisens presstalesperson Mikael Strand.",
                "Polisen påminner om att det finns grannsamverkan i flera av kvarteren och att tips kan lämnas på 114 14."],
         kommuner=["Täby"]),
    dict(lan="vastra-gotaland", date="2024-02-06", time="14.10", kind="narkotikabeslag", slug="amfetamin-beslagtogs-i-bil-vid-uddevalla",
         title="Amfetamin beslagtogs i bil vid Uddevalla",
         paras=["En bil som stoppades på väg 44 utanför Uddevalla på måndagskvällen visade sig innehålla drygt två kilo amfetamin, gömt i reservhjulet.",
                "Föraren, en man i 30-årsåldern, greps på platsen och har under tisdagen anhållits i sin frånvaro misstänkt för grovt narkotikabrott.",
                "– Det var en rutinkontroll som gav utfall. Ärendet utreds nu i samverkan med åklagare, säger polisens presstalesperson Lina Berglöf."],
         kommuner=["Uddevalla"]),
    dict(lan="ostergotland", date="2024-04-17", time="10.30", kind="bedrageri", slug="falska-bankmaen-ringer-aldre-i-linkoping",
         title="Falska bankmän ringer äldre i Linköping",
         paras=["Sedan i måndags har polisen fått in ett tiotal anmälningar från äldre i Linköping som blivit uppringda av någon som påstår sig arbeta på deras bank.",
                "Personen säger att kontot är hotat och ber den äldre att legitimera sig med bank-id. I två fall har pengar förts över till utländska konton.",
                "– Banken ringer aldrig och ber dig logga in. Lägg på, så kan du känna dig trygg, säger polisens presstalesperson Johan Ekdahl.",
                "Polisen uppmanar anhöriga att prata med sina äldre släktingar om hur bluffen går till."],
         kommuner=["Linköping"]),
    dict(lan="skane", date="2023-09-19", time="16.05", kind="trafikkontroll", slug="hastighetskontroll-vid-skola-i-eslov",
         title="Hastighetskontroll vid skola i Eslöv – var femte körde för fort",
         paras=["Under tisdagsmorgonen kontrollerade trafikpolisen hastigheten på en gata utanför en skola i centrala Eslöv, där det är 30 kilometer i timmen.",
                "Av 140 kontrollerade fordon körde 28 för fort. Den högsta hastigheten som uppmättes var 61 kilometer i timmen, och den föraren blev av med körkortet på stället.",
                "– Boende och kommunen har hört av sig om farten här, och det visade sig stämma, säger polisens presstalesperson Anders Nyqvist.",
                "Fler kontroller kommer under hösten för att öka trafiksäkerheten kring skolorna."],
         kommuner=["Eslöv"]),
    dict(lan="skane", date="2024-05-02", time="09.20", kind="cykelstold", slug="cykelstolder-vid-resecentrum-i-helsingborg",
         title="Många cykelstölder vid resecentrum i Helsingborg",
         paras=["Under april anmäldes drygt 80 cykelstölder vid Knutpunkten i Helsingborg, nästan dubbelt så många som under samma månad förra året.",
                "De flesta cyklarna var låsta med enkla vajerlås som klipptes av. Dyra elcyklar är särskilt utsatta.",
                "– Använd ett rejält bygellås och lås fast cykeln i något fast. Ramnummer gör det lättare för oss att lämna tillbaka en cykel vi hittar, säger polisens presstalesperson Sara Holm.",
                "Kommunen har satt upp nya cykelställ vid stationen under våren."],
         kommuner=["Helsingborg"]),
    dict(lan="ostergotland", date="2024-01-27", time="11.40", kind="gripande", slug="man-gripen-efter-misshandel-i-norrkoping",
         title="Man gripen efter misshandel i centrala Norrköping",
         paras=["En man i 25-årsåldern greps natten till lördagen misstänkt för grov misshandel efter ett bråk utanför en nattklubb i centrala Norrköping.",
                "En annan man fick föras till sjukhus med skador i ansiktet. Hans tillstånd beskrivs som stabilt.",
                "– Vi har hållit förhör med flera vittnen och säkrat kameramaterial, säger polisens presstalesperson Johan Ekdahl.",
                "Den gripne har anhållits och förundersökningen leds av åklagare."],
         kommuner=["Norrköping"]),
    dict(lan="vastra-gotaland", date="2023-11-14", time="06.55", kind="brand", slug="brand-i-forrad-i-molndal-polisen-utreder",
         title="Brand i förråd i Mölndal – polisen utreder anlagd brand",
         paras=["Strax efter klockan två natten till tisdagen larmades räddningstjänsten till en brand i ett förrådsutrymme i ett flerfamiljshus i Mölndal.",
                "Branden släcktes snabbt och ingen skadades, men ett tjugotal boende fick lämna sina lägenheter under natten.",
                "– Vi misstänker att branden är anlagd och har inlett en förundersökning om mordbrand. Vi har haft god samverkan med räddningstjänsten under natten, säger polisens presstalesperson Lina Berglöf."],
         kommuner=["Mölndal"]),
    dict(lan="stockholms-lan", date="2024-06-24", time="07.30", kind="sammanfattning", slug="lugn-midsommar-i-sodertalje",
         title="Förhållandevis lugn midsommar i Södertälje",
         paras=["Polisen i Södertälje sammanfattar midsommarhelgen som förhållandevis lugn. Åtta personer omhändertogs för berusning och två rattfyllerister stoppades.",
                "Vid festområdet vid Mälarstranden anmäldes en stöld av en mobiltelefon och ett ofredande.",
                "– Samverkan med arrangören och ordningsvakterna fungerade bra, och de flesta kunde fira i trygghet, säger polisens presstalesperson Mikael Strand."],
         kommuner=["Södertälje"]),
    dict(lan="skane", date="2024-03-28", time="13.15", kind="ran", slug="ran-mot-kiosk-i-trelleborg",
         title="Rån mot kiosk i Trelleborg – polisen söker vittnen",
         paras=["En man med täckt ansikte hotade på onsdagskvällen personalen i en kiosk i Trelleborg med kniv och tog med sig kontanter och cigaretter.",
                "Mannen försvann till fots mot hamnen. Han beskrivs som cirka 180 centimeter lång och klädd i mörk jacka med luva.",
                "– Vi söker vittnen som rört sig kring kiosken mellan klockan 21 och 22, säger polisens presstalesperson Anders Nyqvist."],
         kommuner=["Trelleborg"]),
    dict(lan="vastra-gotaland", date="2024-04-03", time="15.50", kind="stold", slug="batmotorer-stals-i-kungalv",
         title="Båtmotorer stals från bryggor i Kungälv",
         paras=["Under påskhelgen stals minst fem utombordsmotorer från båtar vid två bryggor i Kungälv.",
                "Tjuvarna har sågat av låsen och burit iväg motorerna, troligen med hjälp av en mindre båt.",
                "– Märk motorn och fotografera serienumret. Det ökar chansen att vi kan spåra den, säger polisens presstalesperson Lina Berglöf."],
         kommuner=["Kungälv"]),
    dict(lan="ostergotland", date="2019-10-08", time="10.00", kind="inbrott", slug="inbrott-i-fritidshus-vid-motala", regionless=True,
         title="Flera inbrott i fritidshus vid Motala",
         paras=["Under de senaste veckorna har polisen fått in ett femtontal anmälningar om inbrott i fritidshus runt Motala.",
                "Tjuvarna har framför allt tagit verktyg, trädgårdsmaskiner och elektronik.",
                "– Be en granne titta till stugan under hösten och vintern, säger polisens presstalesperson Johan Ekdahl."],
         kommuner=["Motala"]),
    dict(lan="stockholms-lan", date="2018-05-15", time="09.05", kind="bedrageri", slug="varning-for-falska-hantverkare-i-norrtalje", regionless=True,
         title="Varning för falska hantverkare i Norrtälje",
         paras=["Polisen varnar för personer som knackar dörr hos äldre i Norrtälje och erbjuder billig takrengöring mot betalning i förskott.",
                "Arbetet blir aldrig utfört. Fyra anmälningar har kommit in den senaste veckan.",
                "– Betala aldrig i förskott till någon som dyker upp oanmäld, säger polisens presstalesperson Mikael Strand."],
         kommuner=["Norrtälje"]),
    # crime words without any incident vocabulary: about crime, neither prevention nor collaboration
    dict(lan="skane", date="2024-08-19", time="17.45", kind="sakerhetszon", slug="sakerhetszon-i-malmo-efter-skjutningar",
         title="Polisen inför säkerhetszon i Malmö efter skjutningar",
         paras=["Efter två skjutningar på fyra dagar beslutar polisen om en säkerhetszon i delar av Malmö. I zonen får polisen kroppsvisitera personer och undersöka fordon även utan konkret misstanke om brott.",
                "Polisen bedömer att skjutningarna är en del av en konflikt mellan kriminella grupperingar och att risken för nya våldsbrott är stor.",
                "– Syftet är att hitta vapen innan de används. Alla som bor här ska kunna gå ut utan att vara rädda, säger polisområdeschef Jonas Falk.",
                "Beslutet gäller i två veckor och kan förlängas."],
         kommuner=["Malmö"]),
    dict(lan="ostergotland", date="2024-01-23", time="09.00", kind="statistik", slug="farre-bostadsinbrott-i-ostergotland-2023",
         title="Färre bostadsinbrott i Östergötland under 2023",
         paras=["Under 2023 anmäldes drygt 900 bostadsinbrott i Östergötland, en minskning med nästan en femtedel jämfört med året innan. Störst är minskningen i Linköping.",
                "Samtidigt ökade anmälningarna om bedrägerier via telefon, och antalet anmälda narkotikabrott låg kvar på samma nivå.",
                "– Det är glädjande siffror, men bakom varje inbrott finns någon som har fått sitt hem genomsökt, säger Sofia Ahlgren, analytiker vid polisregion Öst.",
                "Brottsförebyggande rådet redovisar den officiella statistiken för hela landet i mars."],
         kommuner=["Linköping"]),
    dict(lan="vastra-gotaland", date="2023-12-05", time="13.30", kind="utredning", slug="utredning-om-narkotikanatverk-i-goteborg-klar",
         title="Utredning om narkotikanätverk i Göteborg överlämnad till åklagare",
         paras=["Polisens utredning om ett kriminellt nätverk som sålt narkotika i Göteborg och flera grannkommuner är nu klar och har lämnats över till åklagare.",
                "Nätverket misstänks ha omsatt tiotals miljoner kronor och använt bolag för att tvätta pengarna. Tolv personer är misstänkta för grov narkotikabrottslighet och penningtvätt.",
                "– Det här är organiserad brottslighet i stor skala, och utredningen har pågått i över ett år, säger polisens presstalesperson Lina Berglöf."],
         kommuner=["Göteborg"]),
    dict(lan="stockholms-lan", date="2024-09-02", time="10.10", kind="personal", slug="ny-chef-for-lokalpolisomrade-jarfalla",
         title="Ny chef för lokalpolisområde Järfälla",
         paras=["Emma Lindgren tar över som chef för lokalpolisområde Järfälla den 1 november. Hon har tidigare lett en utredningsgrupp i Västerort.",
                "– Jag vill fortsätta den samverkan med kommunen som redan finns och lära känna hur brottsligheten ser ut i olika delar av Järfälla, säger Emma Lindgren.",
                "Hon efterträder Stefan Krook, som blir chef för gränspolisen i regionen."],
         kommuner=["Järfälla"]),
    dict(lan="ostergotland", date="2024-06-10", time="15.20", kind="vald", slug="sprangning-i-norrkoping-kopplas-till-konflikt",
         title="Sprängningen i Norrköping kopplas till konflikt mellan kriminella",
         paras=["Sprängningen vid ett flerfamiljshus i Norrköping natten till söndagen har enligt polisen samband med en pågående gängkonflikt.",
                "Ingen skadades, men ett trapphus och flera fönster förstördes. Fastighetsägaren har ordnat tillfälligt boende för tre familjer.",
                "– Våldet drabbar människor som inte har något med konflikten att göra, och vi arbetar intensivt för att hitta de ansvariga, säger polisens presstalesperson Johan Ekdahl."],
         kommuner=["Norrköping"]),
    # ------------------------------------------------------------------ positives
    dict(lan="stockholms-lan", date="2024-02-20", time="10.15", kind="medborgarlofte", slug="nytt-medborgarlofte-for-sundbyberg",
         title="Polisen och Sundbybergs stad ger nytt medborgarlöfte",
         paras=["Lokalpolisområde Solna och Sundbybergs stad har undertecknat ett gemensamt medborgarlöfte för 2024.",
                "Löftet bygger på en medborgardialog i höstas där många berättade att de känner sig otrygga vid tunnelbanestationen kvällstid och att narkotikahandeln syns öppet.",
                "Polisen och staden lovar att genomföra trygghetsvandringar varannan månad, att synas mer vid stationen på helgkvällar och att arbeta förebyggande med unga i riskzonen tillsammans med skola och socialtjänst.",
                "– Vi gör det här tillsammans för att invånarna ska känna sig trygga, säger lokalpolisområdeschef Karin Wallin.",
                "Löftet följs upp två gånger under året."],
         kommuner=["Sundbyberg", "Solna"], relevant=True),
    dict(lan="vastra-gotaland", date="2024-05-22", time="14.00", kind="valfardsbrott", slug="gemensam-kontroll-mot-valfardsbrott-i-boras",
         title="Gemensam kontroll mot välfärdsbrott i Borås",
         paras=["Under tisdagen genomförde polisen, Borås Stad och Skatteverket en gemensam kontroll av ett tiotal företag i centrala Borås som tar emot ersättning från kommunen.",
                "Syftet är att motverka välfärdsbrott och att stoppa felaktiga utbetalningar till oseriösa aktörer. Skatteverket kontrollerade personalliggare och folkbokföring, och kommunen granskade att villkoren i avtalen följs.",
                "– När vi delar information och arbetar tillsammans blir det svårare för kriminella att tjäna pengar på välfärden, säger kommunpolis Erik Sandberg.",
                "Myndigheterna planerar fler gemensamma kontroller under året."],
         kommuner=["Borås"], relevant=True),
    dict(lan="skane", date="2024-01-16", time="11.20", kind="samverkansoverenskommelse", slug="ny-samverkansoverenskommelse-med-ystads-kommun",
         title="Ny samverkansöverenskommelse mellan polisen och Ystads kommun",
         paras=["Polisen och Ystads kommun har tecknat en ny samverkansöverenskommelse som gäller 2024–2027.",
                "Överenskommelsen pekar ut tre områden där parterna ska arbeta brottsförebyggande tillsammans: våld i nära relation, tryggheten i hamnområdet och att motverka att unga rekryteras till kriminella nätverk.",
                "En gemensam lägesbild tas fram varje kvartal och arbetet följs upp av kommunstyrelsen.",
                "– Överenskommelsen gör det tydligt vem som gör vad, säger lokalpolisområdeschef Per Lindqvist."],
         kommuner=["Ystad"], relevant=True),
    dict(lan="ostergotland", date="2021-03-09", time="13.00", kind="samverkansoverenskommelse", slug="mjolby-och-polisen-forlanger-samarbetet", regionless=True,
         title="Mjölby kommun och polisen förlänger sitt samarbete mot brott",
         paras=["Mjölby kommun och lokalpolisen har kommit överens om att förlänga sin samverkansöverenskommelse i tre år till.",
                "Arbetet ska fortsatt inriktas på narkotika bland unga och på tryggheten i centrum och vid resecentrum.",
                "– Samarbetet har gett resultat, och nu tar vi nästa steg, säger kommunpolis Maria Lund."],
         kommuner=["Mjölby"], relevant=True),
]

# standing medborgarlöfte pages: (slug, kommun, title, paragraphs, updated)
STANDING = [
    ("solna", "Solna", "Medborgarlöfte i Solna",
     ["Polisen och Solna stad har ett gemensamt medborgarlöfte för 2024. Det bygger på vad invånarna berättade i medborgardialoger och på polisens egen lägesbild.",
      "Löftet handlar om tryggheten vid Solna centrum och om att förebygga att unga dras in i narkotikahandel.",
      "Vi lovar att genomföra trygghetsvandringar tillsammans med boende, att öka närvaron av poliser och fältassistenter på kvällstid och att följa upp arbetet varje halvår."],
     "2024-02-01"),
    ("kungalv", "Kungälv", "Medborgarlöfte i Kungälv",
     ["Lokalpolisområdet och Kungälvs kommun ger tillsammans ett medborgarlöfte för 2024.",
      "Invånarna har pekat ut inbrott i bostäder och otrygghet vid busstationen som de största problemen.",
      "Polisen och kommunen lovar att stödja grannsamverkan i fler bostadsområden och att förbättra belysningen vid busstationen. Löftet följs upp vid ett öppet möte i december."],
     "2024-01-22"),
    ("hassleholm", "Hässleholm", "Medborgarlöfte i Hässleholm",
     ["Hässleholms kommun och polisen har enats om ett medborgarlöfte som gäller 2024–2025.",
      "Fokus ligger på skadegörelse och klotter i centrum och på trafiken kring skolorna, som många tog upp i medborgardialogen.",
      "Kommunen och polisen lovar att sanera klotter inom ett dygn, att genomföra gemensamma trygghetsvandringar och att redovisa resultaten på kommunens webbplats."],
     "2024-03-05"),
    ("mjolby", "Mjölby", "Medborgarlöfte i Mjölby",
     ["Polisen och Mjölby kommun har ett gemensamt medborgarlöfte för 2024 som bygger på samverkansöverenskommelsen mellan parterna.",
      "Löftet riktar sig mot narkotika bland unga och mot otryggheten vid resecentrum.",
      "Vi lovar att arbeta förebyggande i skolorna tillsammans med socialtjänsten och att synas mer vid resecentrum på fredagskvällar."],
     "2024-02-14"),
]

NAV = """<header class="site-header"><a class="logo" href="/">Polisen</a><nav class="main-nav" aria-label="Huvudmeny"><ul>
<li><a href="/aktuellt/">Aktuellt</a></li><li><a href="/utsatt-for-brott/">Utsatt för brott</a></li>
<li><a href="/om-polisen/">Om Polisen</a></li><li><a href="/kontakt/">Kontakt</a></li></ul></nav></header>"""
FOOT = """<footer class="site-footer"><p>Polisen, telefon 114 14</p><a href="/om-polisen/om-webbplatsen/">Om webbplatsen</a>
<a href="/om-polisen/om-webbplatsen/kakor/">Kakor</a></footer>"""


def w(rel: str, text: str) -> None:
    p = ROOT / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def human_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d} {MONTHS[m - 1]} {y}"


def news_path(item: dict[str, object]) -> str:
    y, m, _ = str(item["date"]).split("-")
    region = "" if item.get("regionless") else LAN[str(item["lan"])][1] + "/"
    return f"/aktuellt/nyheter/{region}{y}/{MONTHS[int(m) - 1]}/{item['slug']}/"


def page(title: str, body: str, *, og: str, date: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} | Polismyndigheten</title>
<meta property="og:type" content="{og}">{meta}</head>
<body>{NAV}
<div class="breadcrumbs"><a href="/">Startsida</a> / <a href="/aktuellt/">Aktuellt</a></div>
<main id="main-content">{body}</main>
{FOOT}
</body></html>
"""


def news_page(item: dict[str, object]) -> str:
    lan_name = LAN[str(item["lan"])][0]
    ps = "\n".join(f"<p>{p}</p>" for p in item["paras"])  # type: ignore[attr-defined]
    body = f"""<article class="news-article"><h1>{item['title']}</h1>
<p class="meta">Publicerad {human_date(str(item['date']))} {item['time']}</p>
<p class="category">{lan_name}</p>
{ps}
</article>"""
    return page(str(item["title"]), body, og="article", date=str(item["date"]))


def standing_page(title: str, paras: list[str], updated: str) -> str:
    ps = "\n".join(f"<p>{p}</p>" for p in paras)
    body = f"""<article class="page"><h1>{title}</h1>
{ps}
<p class="updated">Senast uppdaterad: {human_date(updated)}</p>
</article>"""
    return page(title, body, og="website")


def feed(lan: str, items: list[dict[str, object]]) -> str:
    lan_name = LAN[lan][0]
    rows = "\n".join(
        f"<item><title>{it['title']}</title><link>{{{{BASE}}}}{news_path(it)}</link>"
        f"<pubDate>{it['date']}T{str(it['time']).replace('.', ':')}:00+01:00</pubDate></item>" for it in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nyheter, {lan_name}</title><link>{{{{BASE}}}}/aktuellt/nyheter/</link>
<description>Polisens nyheter för {lan_name}</description>
{rows}
</channel></rss>
"""


LISTING = "/om-polisen/medborgarloften-och-lokal-samverkan/"


def main() -> None:
    manifest: list[dict[str, object]] = []
    for it in NEWS:
        path = news_path(it)
        w(path.lstrip("/") + "index.html", news_page(it))
        manifest.append({"path": path, "kind": "news", "lan": it["lan"], "topic": it["kind"],
                         "is_relevant": bool(it.get("relevant", False)), "kommuner": codes(*it["kommuner"])})  # type: ignore[misc]
    for lan in LAN:
        items = sorted((it for it in NEWS if it["lan"] == lan), key=lambda it: str(it["date"]), reverse=True)
        w(f"aktuellt/rss/{lan}/nyheter-rss---{lan}/index.xml", feed(lan, items))
    links = []
    for slug, kommun, title, paras, updated in STANDING:
        path = f"{LISTING}{slug}/"
        w(path.lstrip("/") + "index.html", standing_page(title, paras, updated))
        links.append(f'<li><a href="{path}">{kommun}</a></li>')
        manifest.append({"path": path, "kind": "medborgarlofte", "lan": None, "topic": "medborgarlofte",
                         "is_relevant": True, "kommuner": codes(kommun)})
    filters = "".join(f'<a href="{LISTING}?lpfm.loc={n.replace(" ", "+")}">{n}</a> ' for n, _ in LAN.values())
    body = f"""<h1>Medborgarlöften och lokal samverkan</h1>
<p>Här finns de medborgarlöften som polisen ger tillsammans med kommunerna. Välj län eller kommun.</p>
<form class="filter"><div class="filter-links">{filters}</div></form>
<ul class="local-promises">{"".join(links)}</ul>"""
    w(LISTING.lstrip("/") + "index.html", page("Medborgarlöften och lokal samverkan", body, og="website"))
    w("robots.txt", "User-agent: *\nDisallow: /sok/\n")
    w("index.html", page("Polisen", '<h1>Polisen</h1><a href="/aktuellt/nyheter/">Nyheter</a>', og="website"))
    (ROOT / "manifest.json").write_text(json.dumps(
        {"_doc": "Every item of the polisen test site: is_relevant and the kommuner (SCB codes) its text names. "
                 "Written by tests/support/sites/build_polisen.py.", "feeds": [f"/aktuellt/rss/{lan}/nyheter-rss---{lan}/" for lan in LAN],
         "listing": LISTING, "items": manifest}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"ok: {len(manifest)} items")


if __name__ == "__main__":
    main()
