import csv
from pathlib import Path

import pytest

from pipeline.config import DATA_FILES_DIR
from pipeline.crawl.sources import DEFAULT_REGISTRY, Source, SourcesError, load_sources


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
