"""Writer of the ``arkiv`` crawler test site (run once; the output is committed).

Every article of this site is offered by exactly one discovery page: three listing pages, an RSS
feed declared on the first one, a sitemap index (from robots.txt) with a plain and a gzipped child
sitemap. A crawl that loses what one page yielded therefore loses articles, which the kill tests
(tests/flows/test_kill_discovery.py, tests/pipeline/crawl/test_discover_kills.py) detect.
The texts are our own words about a fictional news year in Tibro.
"""
# ruff: noqa: E501
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "arkiv"


def w(rel: str, text: str) -> None:
    p = ROOT / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


# (path, title, date, paragraphs); where each is listed is decided below
ARTICLES = {
    "p1": [
        ("/nyheter/2024/tibro-och-polisen-forlanger-sitt-medborgarlofte/", "Tibro och polisen förlänger sitt medborgarlöfte", "2024-06-03",
         ["Tibro kommun och lokalpolisområde Skövde har kommit överens om att förlänga medborgarlöftet ett år till.",
          "Löftet handlar om tryggheten kring busstationen och om att fler ungdomar ska nås av förebyggande insatser.",
          "Kommunstyrelsens ordförande Anna Lind (S) säger att arbetet har gett resultat och ska fortsätta."]),
        ("/nyheter/2024/sommarens-badvakter-ar-pa-plats/", "Sommarens badvakter är på plats", "2024-05-28",
         ["Från och med midsommar finns badvakter vid Baggebadet varje eftermiddag.",
          "Kommunen påminner om att barn alltid ska ha en vuxen i närheten vid vattnet."]),
        ("/nyheter/2024/gemensam-lagesbild-om-narkotika-i-skolan/", "Gemensam lägesbild om narkotika i skolan", "2024-05-20",
         ["Skolan, socialtjänsten och polisen har tagit fram en gemensam lägesbild över narkotika bland elever i högstadiet.",
          "Lägesbilden ska uppdateras varje termin och ligga till grund för kommunens åtgärder."]),
    ],
    "p2": [
        ("/nyheter/2024/ny-belysning-langs-gang-och-cykelvagar/", "Ny belysning längs gång- och cykelvägar", "2024-04-15",
         ["Under våren byts gatlyktorna längs tre gång- och cykelvägar ut mot nya armaturer.",
          "Arbetet är en del av kommunens arbete för trygga offentliga miljöer."]),
        ("/nyheter/2024/avtal-med-skatteverket-mot-valfardsbrott/", "Avtal med Skatteverket mot välfärdsbrott", "2024-03-30",
         ["Tibro kommun har tecknat en avsiktsförklaring med Skatteverket om att motverka felaktiga folkbokföringar.",
          "Samarbetet gäller från 1 april 2024 till 31 mars 2026."]),
    ],
    "p3": [
        ("/nyheter/2024/biblioteket-far-nya-oppettider/", "Biblioteket får nya öppettider", "2024-02-10",
         ["Från februari har huvudbiblioteket öppet till klockan 20 på tisdagar och torsdagar."]),
    ],
    "feed": [
        ("/nyheter/2024/kommunen-soker-nattvandrare-infor-hosten/", "Kommunen söker nattvandrare inför hösten", "2024-06-10",
         ["Föreningen Nattvandrarna i Tibro behöver fler vuxna som vill gå ut på fredagskvällar.",
          "Kommunen och polisen står bakom satsningen och erbjuder en introduktionskväll i augusti."]),
        ("/nyheter/2024/vattenledning-byts-pa-storgatan/", "Vattenledning byts på Storgatan", "2024-06-07",
         ["Storgatan stängs av för biltrafik under två veckor medan en gammal vattenledning byts."]),
    ],
    "sitemap-2023": [
        ("/nyheter/2023/handlingsplan-mot-kriminella-natverk-antagen/", "Handlingsplan mot kriminella nätverk antagen", "2023-11-22",
         ["Kommunfullmäktige antog på måndagen en handlingsplan mot kriminella nätverk för åren 2024–2026.",
          "Planen tar upp rekrytering av unga, stöd till den som vill lämna kriminalitet och kontroller av företag."]),
        ("/nyheter/2023/julmarknad-pa-torget/", "Julmarknad på torget", "2023-11-30",
         ["Den traditionella julmarknaden hålls på torget andra advent med ett trettiotal knallar."]),
    ],
    "sitemap-2022": [
        ("/nyheter/2022/samverkansoverenskommelse-med-polisen-undertecknad/", "Samverkansöverenskommelse med polisen undertecknad", "2022-09-14",
         ["Tibro kommun och Polisen har undertecknat en samverkansöverenskommelse om brottsförebyggande arbete.",
          "Överenskommelsen pekar ut våld i nära relation och trygghet i centrum som de viktigaste områdena."]),
    ],
}


def article(title: str, date: str, paras: list[str]) -> str:
    ps = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} – Tibro kommun</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="{date}"></head>
<body><nav class="meny"><a href="/">Start</a> <a href="/nyheter/">Nyheter</a></nav>
<main><article><h1>{title}</h1><p class="datum">Publicerad {date}</p>
{ps}
</article></main>
<footer><a href="/kontakt/">Kontakt</a></footer></body></html>
"""


def listing(n: int, items: list[tuple[str, str, str, list[str]]], last: bool) -> str:
    lis = "\n".join(f'<li class="nyhet"><a href="{u}">{t}</a> <time>{d}</time></li>' for u, t, d, _ in items)
    nxt = "" if last else f'<a class="nasta" href="/nyheter/?sida={n + 1}">Nästa</a>'
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Nyheter – sida {n}</title>
<link rel="alternate" type="application/rss+xml" title="Nyheter från Tibro" href="/nyheter/flode.xml"></head>
<body><nav class="meny"><a href="/">Start</a> <a href="/nyheter/">Nyheter</a></nav>
<main><h1>Nyheter</h1><ul class="nyhetslista">
{lis}
</ul>{nxt}</main>
<footer><a href="/kontakt/">Kontakt</a></footer></body></html>
"""


def urlset(items: list[tuple[str, str, str, list[str]]]) -> str:
    urls = "\n".join(f"<url><loc>{{{{BASE}}}}{u}</loc><lastmod>{d}</lastmod></url>" for u, _, d, _ in items)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'


for group in ARTICLES.values():
    for u, t, d, ps in group:
        w(u.lstrip("/") + "index.html", article(t, d, ps))
w("nyheter/index.html", listing(1, ARTICLES["p1"], False))
w("nyheter/__sida_2/index.html", listing(2, ARTICLES["p2"], False))
w("nyheter/__sida_3/index.html", listing(3, ARTICLES["p3"], True))
items = "\n".join(f"<item><title>{t}</title><link>{{{{BASE}}}}{u}</link><pubDate>{d}</pubDate></item>" for u, t, d, _ in ARTICLES["feed"])
w("nyheter/flode.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nyheter från Tibro</title><link>{{{{BASE}}}}/nyheter/</link>
{items}
</channel></rss>
""")
w("sitemap.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{{BASE}}/sitemap-2023.xml</loc><lastmod>2023-12-01</lastmod></sitemap>
<sitemap><loc>{{BASE}}/sitemap-2022.xml.gz</loc><lastmod>2022-12-01</lastmod></sitemap>
</sitemapindex>
""")
w("sitemap-2023.xml", urlset(ARTICLES["sitemap-2023"]))
w("sitemap-2022.xml.gz.src", urlset(ARTICLES["sitemap-2022"]))
w("robots.txt", "User-agent: *\nDisallow: /sok/\nSitemap: {{BASE}}/sitemap.xml\n")
w("index.html", '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Tibro kommun</title></head><body><a href="/nyheter/">Nyheter</a></body></html>\n')
