"""The bundled demo sites: article pages, dates, links, robots, expected.json and extractability."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
import pytest
import trafilatura

from pipeline.config import DATA_FILES_DIR
from pipeline.crawl.sources import kommun_codes, load_sources
from pipeline.demo import SITES_ROOT, DemoServer, load_expected, render_demo_registry

DEMO_NOTE = "Demosajt – påhittat innehåll"
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
MONTH_NO = {m: i for i, m in enumerate(MONTHS.split("|"), start=1)}
EXPECTED = load_expected()
ARTICLES = EXPECTED["articles"]
VOCAB = DATA_FILES_DIR / "vocab"


def file_for(site: str, path: str) -> Path:
    rel = path.lstrip("/")
    return SITES_ROOT / site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def url_path_of(site: str, file: Path) -> str:
    rel = file.relative_to(SITES_ROOT / site).as_posix()
    if "--" in file.name:
        return ""  # query variants (e.g. ?page=2) are listing pages
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def html_files(site: str) -> list[Path]:
    return sorted((SITES_ROOT / site).rglob("*.html"))


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    fake = {site: f"http://127.0.0.1:{9000 + i}" for i, site in enumerate(EXPECTED["sites"])}
    reg = render_demo_registry(fake, tmp_path_factory.mktemp("reg") / "sources.toml")
    by_id = {s.id: s for s in load_sources(reg)}
    return {site: by_id[info["source_id"]] for site, info in EXPECTED["sites"].items()}


def test_expected_covers_exactly_the_article_pages(sources: dict[str, object]) -> None:
    """An article page is any HTML page whose path matches its source's article_pattern."""
    for site, source in sources.items():
        pattern = re.compile(source.article_pattern)  # type: ignore[attr-defined]
        on_disk = {p for f in html_files(site) if (p := url_path_of(site, f)) and pattern.search(p)}
        expected = {a["path"] for a in ARTICLES if a["site"] == site}
        assert on_disk == expected, site
        assert len(expected) >= 6, site


def test_enough_collaboration_and_ordinary_articles() -> None:
    collab = [a for a in ARTICLES if a["is_collaboration"]]
    ordinary = [a for a in ARTICLES if not a["is_collaboration"]]
    assert len(collab) >= 9 and len(ordinary) >= 9
    assert {a["site"] for a in collab} == {"kommun_a", "kommun_b", "tidning"}
    assert {a["collaboration"]["type"] for a in collab} == {
        "samverkansoverenskommelse", "medborgarlofte", "natverk", "handlingsplan", "avsiktsforklaring", "other"
    }  # fmt: skip


def test_expected_uses_the_project_vocabularies() -> None:
    types = {t["type"] for t in json.loads((VOCAB / "collaboration_types.json").read_text(encoding="utf-8"))["types"]}
    areas = {a["code"] for a in json.loads((VOCAB / "priority_areas.json").read_text(encoding="utf-8"))["areas"]}
    agencies = {a["id"] for a in json.loads((VOCAB / "agencies.json").read_text(encoding="utf-8"))["agencies"]}
    kommuner = kommun_codes()
    for a in ARTICLES:
        c = a["collaboration"]
        if not a["is_collaboration"]:
            assert c is None and a["is_relevant"] is False
            continue
        assert a["is_relevant"] is True
        assert c["type"] in types, a["path"]
        assert c["priority_areas"] and set(c["priority_areas"]) <= areas, a["path"]
        assert len(c["parties"]) >= 2, a["path"]
        for party in c["parties"]:
            ok = party in kommuner or party in agencies or re.fullmatch(r"(lansstyrelse|region):\d\d", party)
            assert ok, (a["path"], party)
        if c["period_start"] and c["period_end"]:
            assert c["period_start"] < c["period_end"]


def test_collaboration_parties_are_named_in_the_page(parse_page: Callable[[str], Any]) -> None:
    names = {}
    for line in (DATA_FILES_DIR / "kommuner.csv").read_text(encoding="utf-8").splitlines()[1:]:
        code, name, *_ = line.split(",")
        names[code] = name
    agency_words = {
        "polismyndigheten": "olis", "skatteverket": "Skatteverket", "forsakringskassan": "Försäkringskassan",
        "kriminalvarden": "Kriminalvården", "lansstyrelse:14": "Länsstyrelsen", "region:14": "Västra Götalandsregionen",
    }  # fmt: skip
    for a in ARTICLES:
        if not a["is_collaboration"]:
            continue
        text = parse_page(file_for(a["site"], a["path"]).read_text(encoding="utf-8")).text
        for party in a["collaboration"]["parties"]:
            word = names.get(party) or agency_words[party]
            assert word[:-1] in text, (a["path"], party)  # "Kungälv" also matches "Kungälvs"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["path"])
def test_article_page_has_title_date_cue_and_demo_note(article: dict[str, object], parse_page: Callable[[str], Any]) -> None:
    html = file_for(article["site"], article["path"]).read_text(encoding="utf-8")  # type: ignore[arg-type]
    page = parse_page(html)
    assert page.h1.strip() == article["title"]
    assert page.title.startswith(article["title"])  # type: ignore[arg-type]
    assert DEMO_NOTE in page.text
    found: set[str] = set()
    if "article:published_time" in page.meta:
        found.add(page.meta["article:published_time"][:10])
    found.update(t[:10] for t in page.times)
    for m in re.finditer(r"Publicerad (\d{4}-\d\d-\d\d)", page.text):
        found.add(m.group(1))
    for m in re.finditer(rf"(?:Publicerad|Senast uppdaterad:) (\d{{1,2}}) ({MONTHS}) (\d{{4}})", page.text):
        found.add(f"{m.group(3)}-{MONTH_NO[m.group(2)]:02d}-{int(m.group(1)):02d}")
    assert found == {article["published"]}, found


def test_date_cues_are_varied() -> None:
    assert {a["date_cue"] for a in ARTICLES} == {"meta_published_time", "publicerad", "senast_uppdaterad", "time_element"}


def test_every_html_page_has_demo_note_and_no_external_links(parse_page: Callable[[str], Any]) -> None:
    for site in EXPECTED["sites"]:
        for f in html_files(site):
            page = parse_page(f.read_text(encoding="utf-8"))
            assert DEMO_NOTE in page.text, f
            for link in page.links:
                assert link.startswith(("/", "mailto:", "{{BASE_URL}}/")), (f, link)


def test_every_link_resolves_within_its_site(demo_server: DemoServer, parse_page: Callable[[str], Any]) -> None:
    checked: dict[str, int] = {}
    client = httpx.Client()
    for site, base in demo_server.base_urls.items():
        robots = RobotFileParser()
        robots.parse(client.get(base + "/robots.txt").text.splitlines())
        for f in html_files(site):
            page_url = base + url_path_of(site, f) if url_path_of(site, f) else base + "/nyheter/"
            for link in parse_page(f.read_text(encoding="utf-8").replace("{{BASE_URL}}", base)).links:
                if link.startswith("mailto:"):
                    continue
                url = urljoin(page_url, link).split("#")[0]
                assert urlsplit(url).netloc == urlsplit(base).netloc, (f, link)
                if url not in checked:
                    checked[url] = client.get(url).status_code
                assert checked[url] == 200, (f, link)
        if site == "kommun_a":
            assert not robots.can_fetch("samverkan", base + "/intern/personalinformation/")
            assert robots.can_fetch("samverkan", base + "/nyheter/")
    client.close()
    linked = {urlsplit(u).path for u in checked}
    assert "/intern/personalinformation/" in linked
    assert "/dokument/samverkansoverenskommelse-2024-2027.pdf" in linked
    assert len(checked) > 40


def test_listing_pagination_feed_and_sitemap_only_articles(demo_server: DemoServer, parse_page: Callable[[str], Any]) -> None:
    a = demo_server.base_urls["kommun_a"]
    first = parse_page(httpx.get(a + "/nyheter/").text)
    assert any(x.get("type") == "application/rss+xml" for x in first.alternates)
    assert "/nyheter/?page=2" in first.links
    # kommun_b: no feed, and some articles are only reachable through the sitemap
    b = demo_server.base_urls["kommun_b"]
    listing = parse_page(httpx.get(b + "/nyheter/").text)
    assert listing.alternates == []
    hidden = [x["path"] for x in ARTICLES if x["site"] == "kommun_b" and not x["in_listing"]]
    assert hidden and not set(hidden) & set(listing.links)
    sitemap = httpx.get(b + "/sitemap-nyheter.xml").text
    assert all(b + p in sitemap for p in hidden)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a["path"])
def test_trafilatura_extracts_article_not_chrome(article: dict[str, object]) -> None:
    html = file_for(article["site"], article["path"]).read_text(encoding="utf-8")  # type: ignore[arg-type]
    text = trafilatura.extract(html.replace("{{BASE_URL}}", "http://127.0.0.1:8000")) or ""
    heading_words = [w for w in re.findall(r"\w+", str(article["title"])) if len(w) > 3]
    assert heading_words and all(w in text for w in heading_words), text[:200]
    assert len(text) > 300
    for chrome in ("Godkänn alla", "Acceptera", "Mest läst", "Annons", DEMO_NOTE, "Brödsmulor", "Få nyhetsbrevet"):
        assert chrome not in text, chrome


def test_demo_is_small() -> None:
    demo_dir = SITES_ROOT.parent
    total = sum(p.stat().st_size for p in demo_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 1_000_000
