"""Writer of the crawler test sites under tests/support/sites (run once; the output is committed)."""
# ruff: noqa: E501
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent

def w(site, rel, text):
    p = ROOT / site / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")

def article(title, date, paras, *, head="", before="", after="", wrap=("<main>", "</main>"), og=True):
    ps = "\n".join(f"<p>{p}</p>" for p in paras)
    ogm = '<meta property="og:type" content="article">' if og else ""
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title}</title>{ogm}
<meta property="article:published_time" content="{date}">{head}</head>
<body>{before}
{wrap[0]}<h1>{title}</h1><p class="date">Publicerad {date}</p>
{ps}
{wrap[1]}{after}
</body></html>
"""

# ---------------------------------------------------------------- Sitevision
SV_NAV = """<header class="sv-layout sv-header"><nav class="sv-menu"><ul>
<li><a href="/barn-och-utbildning.html">Barn och utbildning</a></li>
<li><a href="/omsorg-och-stod.html">Omsorg och stöd</a></li>
<li><a href="/kommun-och-politik/trygghet-och-sakerhet.html">Trygghet och säkerhet</a></li>
<li><a href="/nyheter.html">Nyheter</a></li></ul></nav></header>"""
SV_FOOT = """<footer class="sv-layout sv-footer"><a href="/kontakta-oss.html">Kontakta oss</a>
<a href="/om-webbplatsen/tillganglighetsredogorelse.html">Tillgänglighetsredogörelse</a></footer>"""
sv_articles = [
    ("/nyheter/nyheter-2024/2024-03-04-trygghetsvandring-i-centrum-med-polisen.html", "Trygghetsvandring i centrum med polisen", "2024-03-04",
     ["Kommunen bjöd tillsammans med lokalpolisen in boende till en kvällsvandring genom centrum.",
      "Deltagarna pekade ut mörka passager och platser där de känner sig otrygga."]),
    ("/nyheter/nyheter-2024/2024-02-12-nytt-samarbete-mot-valfardsbrott.html", "Nytt samarbete mot välfärdsbrott", "2024-02-12",
     ["Kommunen och Försäkringskassan ska dela information för att upptäcka felaktiga utbetalningar.",
      "Arbetet följs upp av kommunstyrelsen varje halvår."]),
    ("/nyheter/nyheter-2024/2024-01-20-ny-lekplats-vid-sjon.html", "Ny lekplats vid sjön", "2024-01-20",
     ["En ny lekplats byggs vid badplatsen under våren."]),
]
def sv_page(title, body_html):
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
<link rel="alternate" type="application/rss+xml" title="Nyheter" href="/4.7e1a2b3c18d.html?sv.url=12.7e1a2b3c18d&amp;state=rss">
</head><body class="sv-responsive">{SV_NAV}
<div class="sv-layout" id="svid10_main"><div class="sv-portlet sv-text-portlet">{body_html}</div></div>{SV_FOOT}</body></html>
"""
items = "\n".join(f'<li class="sol-article-item"><a class="sol-article-item__link" href="{u}"><span class="sol-article-item__heading">{t}</span></a><time>{d}</time></li>' for u, t, d, _ in sv_articles)
w("sitevision", "nyheter.html", sv_page("Nyheter", f'<h1>Nyheter</h1><ul class="sol-article-list">{items}</ul>'))
w("sitevision", "index.html", sv_page("Startsida", '<h1>Välkommen</h1><a href="/nyheter.html">Alla nyheter</a>'))
for u, t, d, ps in sv_articles:
    w("sitevision", u.lstrip("/"), article(t, d, ps, before=SV_NAV, after=SV_FOOT,
      wrap=('<div class="sv-layout"><div class="sv-portlet sv-text-portlet sv-use-margins">', "</div></div>")))
rss_items = "\n".join(f"<item><title>{t}</title><link>{{{{BASE}}}}{u}</link><pubDate>{d}</pubDate></item>" for u, t, d, _ in sv_articles[:2])
w("sitevision", "4.7e1a2b3c18d.html/__sv.url_12.7e1a2b3c18d_state_rss", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Nyheter</title><link>{{{{BASE}}}}/nyheter.html</link>
{rss_items}
</channel></rss>
""")
w("sitevision", "robots.txt", """User-agent: *
Disallow: /intern/
Sitemap: {{BASE}}/sitemap.xml
""")
w("sitevision", "sitemap.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{{BASE}}/sitemap1.xml.gz</loc><lastmod>2024-03-04</lastmod></sitemap>
</sitemapindex>
""")
sm_urls = [(u, d) for u, _, d, _ in sv_articles] + [
    ("/kommun-och-politik/trygghet-och-sakerhet.html", "2023-11-01"),
    ("/nyheter/nyheter-2024/dokument/handlingsplan-trygghet-2024.pdf", "2024-02-01"),
    ("/intern/nyheter/utkast-om-samverkansavtal.html", "2024-02-02"),
]
w("sitevision", "sitemap1.xml.gz.src", '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
  + "".join(f"<url><loc>{{{{BASE}}}}{u}</loc><lastmod>{d}</lastmod></url>\n" for u, d in sm_urls) + "</urlset>\n")
w("sitevision", "intern/nyheter/utkast-om-samverkansavtal.html", article("Utkast", "2024-02-02", ["Internt utkast."]))

# ---------------------------------------------------------------- Municipio / WordPress
MU_HEAD = '<link rel="alternate" type="application/rss+xml" title="Flöde" href="/feed/">'
MU_NAV = """<header class="site-header"><nav class="c-navbar"><a href="/">Hem</a><a href="/uppleva-och-gora/">Uppleva och göra</a>
<a href="/bygga-bo-och-miljo/">Bygga, bo och miljö</a><a href="/nyheter/">Nyheter</a></nav></header>"""
mu_articles = [
    ("/2024/02/kommunen-och-polisen-tecknar-nytt-medborgarlofte/", "Kommunen och polisen tecknar nytt medborgarlöfte", "2024-02-20",
     ["Löftet gäller i två år och handlar om ökad närvaro i skolornas närområden.",
      "Fältsekreterare och kommunpoliser ska synas mer på kvällstid."]),
    ("/2024/01/fler-trygghetskameror-vid-resecentrum/", "Fler trygghetskameror vid resecentrum", "2024-01-15",
     ["Efter beslut i kommunstyrelsen sätts kameror upp vid stationen."]),
    ("/2023/12/julmarknaden-flyttar-till-torget/", "Julmarknaden flyttar till torget", "2023-12-01",
     ["Årets marknad hålls på stortorget."]),
]
cards = "\n".join(f'<article class="c-card"><a class="c-card__link" href="{u}"><h2>{t}</h2></a><time>{d}</time></article>' for u, t, d, _ in mu_articles)
w("municipio", "nyheter/index.html", f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter</title>{MU_HEAD}</head>
<body>{MU_NAV}<main id="main-content"><h1>Nyheter</h1><div class="o-grid">{cards}</div></main>
<footer class="site-footer"><a href="/om-kommunen/kontakt/">Kontakt</a></footer></body></html>
""")
for u, t, d, ps in mu_articles:
    w("municipio", u.lstrip("/") + "index.html", article(t, d, ps, head=MU_HEAD, before=MU_NAV,
      wrap=('<main id="main-content"><article class="c-article">', "</article></main>")))
w("municipio", "feed/index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Kommunen</title>\n'
  + "".join(f"<item><title>{t}</title><link>{{{{BASE}}}}{u}</link><guid isPermaLink=\"false\">{{{{BASE}}}}/?p={i}</guid></item>\n" for i, (u, t, _, _) in enumerate(mu_articles))
  + "</channel></rss>\n")
w("municipio", "robots.txt", "User-agent: *\nDisallow: /wp-admin/\nSitemap: {{BASE}}/wp-sitemap.xml\n")
w("municipio", "wp-sitemap.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{{BASE}}/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc>{{BASE}}/wp-sitemap-posts-page-1.xml</loc></sitemap></sitemapindex>
""")
w("municipio", "wp-sitemap-posts-post-1.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
  + "".join(f"<url><loc>{{{{BASE}}}}{u}</loc><lastmod>{d}</lastmod></url>\n" for u, _, d, _ in mu_articles) + "</urlset>\n")
w("municipio", "wp-sitemap-posts-page-1.xml", """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{BASE}}/bygga-bo-och-miljo/</loc></url></urlset>
""")

# ---------------------------------------------------------------- EPiServer-like, paginated listings only
EP_NAV = """<div id="header"><ul class="main-menu"><li><a href="/bygga-och-bo/">Bygga och bo</a></li>
<li><a href="/kommun-och-politik/">Kommun och politik</a></li><li><a href="/nyheter/">Nyheter</a></li></ul></div>"""
ep_articles = [(f"/nyheter/{y}/{slug}/", t, f"{y}-0{m}-1{m}") for (y, m, slug, t) in [
    (2024, 5, "samverkan-mot-valfardsbrott-inleds", "Samverkan mot välfärdsbrott inleds"),
    (2024, 4, "brottsforebyggande-radet-har-sammantrade", "Brottsförebyggande rådet har sammanträtt"),
    (2024, 3, "nattvandrare-sokes-till-helgerna", "Nattvandrare sökes till helgerna"),
    (2024, 2, "lagesbild-over-ungdomsbrottslighet-presenterad", "Lägesbild över ungdomsbrottslighet presenterad"),
    (2024, 1, "nya-regler-for-serveringstillstand", "Nya regler för serveringstillstånd"),
    (2023, 9, "kommunen-anstaller-samordnare-mot-vald", "Kommunen anställer samordnare mot våld"),
    (2023, 8, "avtal-med-lansstyrelsen-om-kontroller", "Avtal med länsstyrelsen om kontroller"),
    (2023, 7, "sommarjobb-for-unga-blev-succe", "Sommarjobb för unga blev succé"),
]]
def ep_listing(items, page, last):
    lis = "\n".join(f'<li class="news-list__item"><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in items)
    pager = '<div class="pagination">' + "".join(
        f'<a href="/nyheter/?page={n}">{n}</a>' for n in range(1, last + 1) if n != page)
    if page < last:
        pager += f'<a href="/nyheter/?page={page + 1}">Nästa</a>'
    pager += "</div>"
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter – sida {page}</title></head>
<body>{EP_NAV}<div id="content"><h1>Nyheter</h1><ul class="news-list">{lis}</ul>{pager}</div></body></html>
"""
w("episerver", "nyheter/index.html", ep_listing(ep_articles[0:3], 1, 3))
w("episerver", "nyheter/__page_1/index.html", ep_listing(ep_articles[0:3], 1, 3))
w("episerver", "nyheter/__page_2/index.html", ep_listing(ep_articles[3:6], 2, 3))
w("episerver", "nyheter/__page_3/index.html", ep_listing(ep_articles[6:8], 3, 3))
for u, t, d in ep_articles:
    w("episerver", u.lstrip("/") + "index.html", article(t, d, [f"{t}. Mer information lämnas av kommunens kontaktcenter."],
      og=False, before=EP_NAV, wrap=('<div id="content"><div class="article">', "</div></div>")))

# ---------------------------------------------------------------- MyNewsdesk-like newsroom
nr_articles = [
    ("/pressreleases/kommunen-och-skatteverket-i-gemensam-satsning-mot-vaelfaerdsbrott-3312345",
     "Kommunen och Skatteverket i gemensam satsning mot välfärdsbrott", "2024-04-02"),
    ("/pressreleases/oeverenskommelse-med-polisen-foer-tryggare-centrum-3311001",
     "Överenskommelse med polisen för tryggare centrum", "2024-03-18"),
    ("/news/aarets-miljoepris-delas-ut-i-maj-3309876", "Årets miljöpris delas ut i maj", "2024-03-01"),
]
utm = "?utm_source=rss&utm_medium=rss&utm_campaign=Prenumeration&utm_content=pressrelease"
w("newsroom", "rss/index.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Pressrum</title>\n'
  + "".join(f"<item><title>{t}</title><link>{{{{BASE}}}}{u}{utm.replace('&', '&amp;')}</link><pubDate>{d}</pubDate></item>\n" for u, t, d in nr_articles)
  + "</channel></rss>\n")
nr_list = "\n".join(f'<li class="panel-item"><a href="{u}"><h3>{t}</h3></a></li>' for u, t, _ in nr_articles)
w("newsroom", "pressreleases/index.html", f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Pressmeddelanden</title>
<link rel="alternate" type="application/rss+xml" href="/rss/"></head>
<body><nav class="newsroom-nav"><a href="/pressreleases">Pressmeddelanden</a><a href="/news">Nyheter</a><a href="/contact_people">Kontakt</a></nav>
<main><ul class="material-list">{nr_list}</ul></main></body></html>
""")
for u, t, d in nr_articles:
    w("newsroom", u.lstrip("/") + "/index.html", article(t, d, [f"{t}. Frågor besvaras av kommunens presstjänst."],
      wrap=('<main><article class="newsroom-article">', "</article></main>")))

# ---------------------------------------------------------------- Local newspaper with boilerplate
NP_COOKIE = """<div id="cookie-consent" class="cookie-banner" role="dialog"><p>Vi använder kakor för att sajten ska fungera.</p>
<a href="/om-kakor/">Läs mer om kakor</a><button>Godkänn alla</button></div>"""
NP_NAV = """<header class="masthead"><a class="logo" href="/">Lokalbladet</a><nav class="sections"><a href="/nyheter/">Nyheter</a>
<a href="/sport/">Sport</a><a href="/kultur-och-noje/">Kultur och nöje</a><a href="/familj/">Familj</a><a href="/prenumerera/">Prenumerera</a></nav></header>"""
NP_ASIDE = """<aside class="most-read"><h2>Mest läst</h2><ol><li><a href="/sport/2024-05-02/lokala-laget-vann-derbyt-efter-forlangning">Lokala laget vann derbyt</a></li></ol></aside>"""
np_articles = [
    ("/nyheter/2024-05-12/polisen-och-kommunen-startar-trygghetsgrupp", "Polisen och kommunen startar trygghetsgrupp", "2024-05-12"),
    ("/nyheter/2024-05-10/ny-strategi-mot-narkotika-i-skolorna", "Ny strategi mot narkotika i skolorna", "2024-05-10"),
    ("/nyheter/2024-05-08/fullmaktige-sa-ja-till-kameror", "Fullmäktige sa ja till kameror", "2024-05-08"),
    ("/nyheter/2024-05-03/vagarbete-stanger-bron-i-tva-veckor", "Vägarbete stänger bron i två veckor", "2024-05-03"),
]
def np_list(items, more):
    teasers = "\n".join(f'<div class="teaser"><a href="{u}"><h2>{t}</h2><p>Läs mer</p></a></div>' for u, t, _ in items)
    button = f'<button class="load-more" data-href="{more}">Visa fler</button>' if more else ""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Nyheter – Lokalbladet</title></head>
<body>{NP_COOKIE}{NP_NAV}<div class="page"><section class="feed">{teasers}{button}</section>{NP_ASIDE}</div>
<footer class="site-footer"><a href="/kundservice/">Kundservice</a><a href="/annonsera/">Annonsera</a></footer></body></html>
"""
w("newspaper", "nyheter/index.html", np_list(np_articles[:2], "/nyheter/?sida=2"))
w("newspaper", "nyheter/__sida_2/index.html", np_list(np_articles[2:], None))
for u, t, d in np_articles:
    w("newspaper", u.lstrip("/") + "/index.html", article(t, d, [f"{t}. Reportern har talat med flera berörda.",
      "Frågan väntas tas upp igen efter sommaren."], before=NP_COOKIE + NP_NAV, after=NP_ASIDE,
      wrap=('<div class="page"><article class="story">', '<div class="paywall-teaser">Logga in för att läsa vidare</div></article></div>')))
w("newspaper", "robots.txt", "User-agent: *\nDisallow: /sok/\n")

# ---------------------------------------------------------------- hostile documents
w("faults", "bomb.xml", """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{BASE}}/nyheter/&lol9;</loc></url></urlset>
""")
w("faults", "broken.xml", """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{BASE}}/nyheter/halv-post</loc>
<url><lastmod>2024-01-01</urlset
""")
w("faults", "external.xml", """<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{{BASE}}/nyheter/&xxe;</loc></url></urlset>
""")
print("ok")
