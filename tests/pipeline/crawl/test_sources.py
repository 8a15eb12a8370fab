import csv
from pathlib import Path

import pytest

from pipeline.config import DATA_FILES_DIR
from pipeline.crawl.sources import DEFAULT_REGISTRY, Source, SourcesError, load_sources
from tests.support.server import Reply, SiteServer


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "reg.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_default_registry_has_all_290_kommuner():
    sources = load_sources(DEFAULT_REGISTRY)
    with open(DATA_FILES_DIR / "kommuner.csv", encoding="utf-8") as fh:
        codes = {r["kommun_code"] for r in csv.DictReader(fh)}
    assert len(codes) == 290
    assert len(sources) == 290
    assert {s.kommun for s in sources} == codes
    assert len({s.id for s in sources}) == 290
    by_code = {s.kommun: s for s in sources}
    assert by_code["1441"].start_urls == ("https://www.lerum.se/",)
    assert by_code["0486"].name == "Strängnäs kommun" and by_code["0486"].id == "strangnas"
    assert all(s.kind == "kommun" for s in sources)


def test_minimal_entry_defaults(tmp_path):
    p = _write(tmp_path, '[[source]]\nid = "lokal"\nname = "Lokaltidningen"\nkind = "newspaper"\n'
                         'start_urls = ["http://127.0.0.1:8000/"]\n')
    [s] = load_sources(p)
    assert s == Source("lokal", "Lokaltidningen", "newspaper", None, ("http://127.0.0.1:8000/",))
    assert s.max_pages == 50 and s.rate_per_s == 1.0 and s.allow_private
    assert s.hosts == frozenset({"127.0.0.1:8000"})


@pytest.mark.parametrize(
    ("body", "field", "entry"),
    [
        ('id = "a"\nname = "A"\nkind = "blog"\nstart_urls = ["https://a.se/"]', "kind", "#2 (id 'a')"),
        ('id = "A B"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]', "id", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nkommun = "9999"\nstart_urls = ["https://a.se/"]', "kommun", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nkommun = 1441\nstart_urls = ["https://a.se/"]', "kommun", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["file:///etc/passwd"]', "start_urls", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"', "start_urls", "#2 (id 'a')"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\nmax_pages = 0', "max_pages", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\narticle_pattern = "("',
         "article_pattern", "#2"),
        ('id = "ok"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]', "id", "#2 (id 'ok')"),  # dup
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\nrate = 2', "rate", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\nhosts = ["https://b.se/x"]',
         "hosts", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\nhosts = [3]', "hosts", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\nhosts = ["nodot"]', "hosts", "#2"),
        ('id = "a"\nname = "A"\nkind = "kommun"\nstart_urls = ["https://a.se/"]\nhosts = {x = 1}', "hosts", "#2"),
    ],
)
def test_errors_name_file_entry_and_field(tmp_path, body, field, entry):
    good = '[[source]]\nid = "ok"\nname = "Ok"\nkind = "kommun"\nstart_urls = ["https://ok.se/"]\n\n'
    p = _write(tmp_path, good + "[[source]]\n" + body + "\n")
    with pytest.raises(SourcesError) as err:
        load_sources(p)
    msg = str(err.value)
    assert str(p) in msg and f"[[source]] {entry}" in msg and f"field {field!r}" in msg, msg


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "nope.toml")
    with pytest.raises(SourcesError, match="not valid TOML"):
        load_sources(_write(tmp_path, "[[source]\n"))
    with pytest.raises(SourcesError, match="no \\[\\[source\\]\\] tables"):
        load_sources(_write(tmp_path, "title = 'x'\n"))


def test_extra_hosts_are_parsed_normalised_and_allowed(tmp_path):
    p = _write(tmp_path, '[[source]]\nid = "goteborg"\nname = "Göteborgs Stad"\nkind = "kommun"\nkommun = "1480"\n'
                         'start_urls = ["https://goteborg.se/"]\nhosts = ["VartGoteborg.se", "vartgoteborg.se"]\n'
                         'verified = "stored page"\n')
    [s] = load_sources(p)
    assert s.extra_hosts == ("vartgoteborg.se",) and s.verified == "stored page"
    assert s.hosts == frozenset({"goteborg.se", "vartgoteborg.se"})
    from pipeline.urls import is_fetchable

    assert is_fetchable("https://www.vartgoteborg.se/nyheter/x/", s.hosts, False)[0] is True
    assert is_fetchable("https://evil.se/nyheter/x/", s.hosts, False)[0] is False


def _two_host_sites(www, news):
    """A kommun site whose news moved to a second host: /nyheter redirects there."""
    www.script("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain"))
    news.script("/robots.txt", Reply(200, "User-agent: *\nAllow: /\n", content_type="text/plain"))
    www.script("/nyheter/", Reply(301, "", {"Location": news.url("/nyheter/")}))
    items = "".join(f'<li><a href="/nyheter/2025/trygghetsvandring-{i}/">Trygghetsvandring {i}</a></li>' for i in range(3))
    news.script("/nyheter/", Reply(200, f"<html><body><main><h1>Nyheter</h1><ul>{items}</ul></main></body></html>"))
    for i in range(3):
        body = (f"<html><head><title>Trygghetsvandring {i}</title></head><body><article><h1>Trygghetsvandring {i}</h1>"
                + "<p>Kommunen och polisen gick en trygghetsvandring i centrum med boende och fastighetsägare.</p>" * 20
                + "</article></body></html>")
        news.script(f"/nyheter/2025/trygghetsvandring-{i}/", Reply(200, body))


def test_news_on_a_second_host_is_crawled_only_when_listed(tmp_path):
    from pipeline.crawl.fetch import PoliteFetcher
    from pipeline.crawl.source import crawl_source
    from pipeline.crawl.state import CrawlState
    from pipeline.raw.store import RawStore

    with SiteServer() as www, SiteServer() as news:
        _two_host_sites(www, news)
        base = ('[[source]]\nid = "kommun"\nname = "Testa kommun"\nkind = "kommun"\n'
                f'start_urls = ["{www.url("/nyheter/")}"]\nrate_per_s = 50\n')
        [without] = load_sources(_write(tmp_path, base))
        [with_hosts] = load_sources(_write(tmp_path, base + f'hosts = ["{news.host}"]\n'))
        store, state = RawStore(tmp_path / "raw"), CrawlState(tmp_path / "state.sqlite")
        try:
            with PoliteFetcher(default_interval=0.01, timeout=2.0, retries=0) as f:
                refused = crawl_source(without, store, state, f)
                assert refused.n_fetched == 0 and any("not one of the source's hosts" in e for e in refused.errors)
                assert not [r for r in news.log if r.path.startswith("/nyheter/2025/")]
                report = crawl_source(with_hosts, store, state, f)
        finally:
            state.close()
        assert report.n_fetched == 3, report.errors
        finals = sorted(store.get(rid).final_url for rid in report.raw_ids)
        assert finals == [news.url(f"/nyheter/2025/trygghetsvandring-{i}/") for i in range(3)]


def test_shipped_registries_load_and_cover_what_they_claim():
    data = DATA_FILES_DIR / "sources"
    kommuner = load_sources(data / "kommuner.toml")
    verified = [s for s in kommuner if s.verified]
    assert len(verified) >= 16
    for s in verified:  # the news page comes first, the site root stays as a fallback
        assert len(s.start_urls) >= 2 and s.start_urls[-1].count("/") == 3
    by_code = {s.kommun: s for s in kommuner}
    assert "vartgoteborg.se" in by_code["1480"].hosts and "vartlulea.se" in by_code["2580"].hosts
    polisen = load_sources(data / "polisen.toml")
    assert len(polisen) == 22 and {s.kind for s in polisen} == {"agency"} and all(s.kommun is None for s in polisen)
    feeds = [s for s in polisen if s.start_urls[0].startswith("https://polisen.se/aktuellt/rss/")]
    assert len(feeds) == 21  # one per län, plus the standing medborgarlöfte pages
    assert [s.id for s in polisen if s not in feeds] == ["polisen-medborgarloften"]
    assert {s.kind for s in load_sources(data / "newsrooms.toml")} == {"newsroom"}
    assert {s.kind for s in load_sources(data / "newspapers.toml")} == {"newspaper"}


def test_verified_start_urls_stay_on_the_kommuns_own_hosts():
    """Every start URL of a verified kommun entry is on the site root's host (www-variant or subdomain
    included) or on one of the entry's declared news hosts: a wrong or foreign fact cannot slip in."""
    from pipeline.urls import host_allowed, host_of

    sources = load_sources(DATA_FILES_DIR / "sources" / "kommuner.toml")
    verified = [s for s in sources if s.verified]
    assert len(verified) >= 25
    for s in verified:
        root = s.start_urls[-1]
        assert root.count("/") == 3 and root.endswith(".se/") or root == "https://start.stockholm/", s
        allowed = {host_of(root), *s.extra_hosts}
        for url in s.start_urls:
            assert host_allowed(host_of(url), allowed), (s.id, url)
        assert s.verified.startswith("stored page"), s


def test_registry_ids_and_codes_match_the_scb_list():
    """Each entry's code is an SCB code, its id is the transliterated name of that code's kommun, and
    the facts file names the same kommun as the code it gives."""
    import tomllib

    from pipeline.crawl.sources import DEFAULT_REGISTRY as reg

    with open(DATA_FILES_DIR / "kommuner.csv", encoding="utf-8") as fh:
        names = {r["kommun_code"]: r["name"] for r in csv.DictReader(fh)}
    exceptions = {"Habo": "habokommun", "Håbo": "habo"}
    for s in load_sources(reg):
        name = names[s.kommun]
        assert s.id == exceptions.get(name, _slug(name)), (s.kommun, s.id, name)
    facts = tomllib.loads((DATA_FILES_DIR / "sources" / "kommun_news.toml").read_text(encoding="utf-8"))
    codes = [f["code"] for f in facts["kommun"]]
    assert len(codes) == len(set(codes))
    for fact in facts["kommun"]:
        assert names.get(fact["code"]) == fact["name"], fact
        assert fact.get("evidence", "listing") in ("listing", "article")
        if fact.get("evidence") == "article":  # the start URL is a path prefix of the article seen
            assert fact["seen"].startswith(fact["news"][0]), fact


def _slug(name: str) -> str:
    import re

    s = name.lower().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"}))
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def test_newsroom_start_urls_are_the_newsrooms_of_the_pages_seen():
    """A newsroom entry that names the stored page it was seen on starts at that page or at its newsroom
    (a path prefix of it, scheme and www ignored), on the newsroom's host."""
    def bare(url: str) -> str:
        return url.split("://", 1)[1].removeprefix("www.")

    newsrooms = load_sources(DATA_FILES_DIR / "sources" / "newsrooms.toml")
    with_address = [s for s in newsrooms if s.verified and s.verified.startswith("stored page: ")]
    assert len(with_address) >= 4
    for s in with_address:
        seen = s.verified.removeprefix("stored page: ")
        assert bare(seen).startswith(bare(s.start_urls[0]).rstrip("/")), s
        assert s.kommun is not None
