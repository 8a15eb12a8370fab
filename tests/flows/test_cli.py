"""The samverkan CLI as a user runs it: real subprocesses, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.flows.conftest import SEEDS

CLI = [sys.executable, "-m", "flows.cli"]
REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd or REPO, capture_output=True, text=True, timeout=300)


def test_extract_seed_lerum_json() -> None:
    seed = SEEDS / "001_eaf90f0e5656a948.txt"
    if not seed.exists():
        pytest.skip("../shared/examples/seeds is absent")
    proc = run_cli("extract", str(seed), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"article", "collaborations", "people", "dates", "priority_areas", "kommuner", "mentions"}
    assert any(k["code"] == "1441" for k in data["kommuner"])
    types = {c["type"] for c in data["collaborations"]}
    assert "samverkansoverenskommelse" in types
    coll = next(c for c in data["collaborations"] if c["type"] == "samverkansoverenskommelse")
    party_ids = {p["party_id"] for p in coll["parties"]}
    assert {"1441", "polismyndigheten"} <= party_ids
    assert coll["period_start"] == "2023-01-01" and coll["period_end"] == "2026-12-31"
    text = data["article"]["text"]
    for c in data["collaborations"]:
        assert text[c["start_char"] : c["end_char"]] == c["evidence"]


def test_extract_html_file(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>Nytt avtal</title></head><body><nav>Start | Nyheter</nav><article><h1>Ale kommun och polisen"
        " förnyar avtalet</h1><p>Publicerad 2024-05-02</p><p>Ale kommun och Polisen har tecknat en ny"
        " samverkansöverenskommelse som gäller 2024–2026. Fokus ligger på narkotika och trygghet i centrum.</p>"
        "<p>– Vi gör det här tillsammans, säger Eva Strand (S), kommunstyrelsens ordförande.</p></article></body></html>",
        encoding="utf-8",
    )
    proc = run_cli("extract", str(page), "--json", "--url", "https://www.ale.se/nyheter/avtal?utm_source=x")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["article"]["published"] == "2024-05-02"
    assert data["article"]["canonical_url"] == "https://www.ale.se/nyheter/avtal"
    assert data["article"]["is_relevant"] is True
    assert any(k["code"] == "1440" for k in data["kommuner"])


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("empty.txt", b"", "empty"),
        ("blob.html", b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("nobody.html", b"<html><head><title>x</title></head></html>", "no article text"),
    ],
)
def test_extract_bad_input_is_one_clear_line(tmp_path: Path, name: str, content: bytes, expect: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    proc = run_cli("extract", str(path), "--json")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and expect in proc.stderr


def test_extract_missing_file(tmp_path: Path) -> None:
    proc = run_cli("extract", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_extract_cp1252_without_charset(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    html = (
        "<html><body><article><h1>Trygghet i Växjö</h1><p>Växjö kommun och polisen har undertecknat ett"
        " medborgarlöfte för 2025. Arbetet gäller narkotika och trygghet på torget i centrala Växjö.</p></article></body></html>"
    )
    path.write_bytes(html.encode("cp1252"))
    proc = run_cli("extract", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "Växjö" in data["article"]["text"]


def test_english_page_gets_language_and_no_swedish_noise(tmp_path: Path) -> None:
    path = tmp_path / "en.txt"
    path.write_text(
        "The city council and the police signed a new agreement on safety in the town centre. It will be in force"
        " for the years to come and it covers drugs and the recruitment of young people into crime.",
        encoding="utf-8",
    )
    proc = run_cli("extract", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["article"]["language"] == "en"
    assert data["collaborations"] == [] and data["people"] == [] and data["mentions"] == []


def test_dictionary_prints_every_table() -> None:
    proc = run_cli("dictionary")
    assert proc.returncode == 0
    for table in ("articles", "collaborations", "collaboration_parties", "people", "runs"):
        assert f"`{table}`" in proc.stdout


def test_reprocess_needs_ref_or_all(tmp_path: Path) -> None:
    proc = run_cli("reprocess", "--data-dir", str(tmp_path))
    assert proc.returncode == 2 and "--all" in proc.stderr


def test_run_with_bad_registry_names_file_and_field(tmp_path: Path) -> None:
    reg = tmp_path / "bad.toml"
    reg.write_text('[[source]]\nid = "Bad Id"\nname = "X"\nkind = "kommun"\nstart_urls = ["https://x.se/"]\n', encoding="utf-8")
    proc = run_cli("run", "--sources", str(reg), "--data-dir", str(tmp_path))
    assert proc.returncode == 2
    assert str(reg) in proc.stderr and "id" in proc.stderr and "Traceback" not in proc.stderr


def _free_port_block(n: int = 3) -> int:
    import random
    import socket

    for _ in range(50):
        base = random.randint(20000, 60000)
        socks = []
        try:
            for i in range(n):
                s = socket.socket()
                s.bind(("127.0.0.1", base + i))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free block of ports on 127.0.0.1")


@pytest.mark.slow  # runs the NLP (and for demo two nightly flows) in a subprocess
def test_demo_twice_from_the_cli_changes_no_article_table(tmp_path: Path) -> None:
    import pandas as pd

    base = str(_free_port_block())
    env_args = ("demo", "--data-dir", str(tmp_path), "--port", base, "--quiet")
    counts = []
    for _ in range(2):
        proc = run_cli(*env_args)
        assert proc.returncode == 0, proc.stderr[-2000:]
        counts.append({t: len(pd.read_parquet(tmp_path / "processed" / t)) for t in
                       ("articles", "collaborations", "collaboration_parties", "priority_areas", "people", "dates", "mentions",
                        "agreements", "agreement_evidence")})
    assert counts[0]["articles"] == 22
    assert counts[0]["agreement_evidence"] == counts[0]["collaborations"] > counts[0]["agreements"] > 0
    assert counts[0] == counts[1]
    runs = pd.read_parquet(tmp_path / "processed" / "runs")
    last_run = runs.sort_values("started_at")["run_id"].iloc[-1]
    second = runs[(runs["run_id"] == last_run) & runs["source_id"].notna()]
    assert int(second["n_fetched"].sum()) == 0


@pytest.mark.slow  # runs the NLP (and for demo two nightly flows) in a subprocess
def test_eval_prints_per_field_scores_and_json() -> None:
    proc = run_cli("eval", "tests/gold/holdout")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for field in ("kommuner", "agencies", "people_name_role", "period", "priority_areas", "relevance"):
        assert field in proc.stdout
    proc = run_cli("eval", "tests/gold/holdout", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["n_articles"] == 20
    assert 0.0 <= data["fields"]["kommuner"]["f1"] <= 1.0


def test_eval_on_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    proc = run_cli("eval", str(tmp_path / "nope"))
    assert proc.returncode == 2 and "not a folder" in proc.stderr and "Traceback" not in proc.stderr


def test_sources_check_reports_what_discovery_finds(tmp_path: Path) -> None:
    from pipeline.demo import DemoServer, load_expected, render_demo_registry

    expected = load_expected()
    with DemoServer() as srv:
        registry = render_demo_registry(srv.base_urls, tmp_path / "reg.toml")
        proc = run_cli("sources", "check", str(registry), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    checks = {c["source_id"]: c for c in map(json.loads, proc.stdout.strip().splitlines())}
    assert all(c["verdict"] == "ok" and c["ok"] for c in checks.values())
    assert set(checks) == {s["source_id"] for s in expected["sites"].values()}
    per_source: dict[str, int] = {}
    for art in expected["articles"]:
        per_source[art["source_id"]] = per_source.get(art["source_id"], 0) + 1
    for sid, check in checks.items():
        assert check["n_articles"] == per_source[sid] and check["failures"] == []
    assert checks["demo_alingsas"]["feeds"] and checks["demo_kungalv"]["sitemaps"]



def _registry_for_check(tmp_path: Path, ok_base: str, empty_base: str) -> Path:
    reg = tmp_path / "check.toml"
    reg.write_text(
        f'[[source]]\nid = "arkivet"\nname = "Arkivkommunen"\nkind = "kommun"\nkommun = "1441"\n'
        f'verified = "test site"\nstart_urls = ["{ok_base}/nyheter/"]\nrate_per_s = 50\n\n'
        f'[[source]]\nid = "tomma"\nname = "Tomma kommun"\nkind = "kommun"\nkommun = "1440"\n'
        f'start_urls = ["{empty_base}/"]\nrate_per_s = 50\n',
        encoding="utf-8",
    )
    return reg


def test_sources_check_table_json_limit_and_exit_codes(tmp_path: Path) -> None:
    from tests.support.server import Reply, SiteServer

    with SiteServer("episerver") as ok, SiteServer(None) as empty:
        empty.script("/", Reply(200, "<html><body><main><h1>Välkommen</h1><a href='/omsorg.html'>Omsorg</a></main></body></html>"))
        reg = _registry_for_check(tmp_path, ok.base, empty.base)
        table = run_cli("sources", "check", str(reg))
        as_json = run_cli("sources", "check", str(reg), "--json", "--only", "tomma")
        first = run_cli("sources", "check", str(reg), "--limit", "1")
    assert table.returncode == 1, table.stderr[-2000:]
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["source", "verdict", "feeds", "sitemaps", "listings", "hosts", "articles", "per", "year"]
    assert lines[1].split()[:7] == ["arkivet", "ok", "0", "0", "3", "1", "8"] and "2024:5 2023:3" in lines[1]
    assert lines[2].split()[:7] == ["tomma", "NO", "NEWS", "0", "0", "0", "0"]
    assert lines[2].endswith("no news found: set a news start URL")
    assert "checked 2 source(s): 1 ok, 1 need a look (no news 1)" in table.stdout
    assert "need a hand-set news start URL (1): tomma" in table.stdout
    assert "registry coverage: 1 of 2 entries have a verified start URL (1 of 2 kommuner)" in table.stdout
    assert as_json.returncode == 1
    rows = [json.loads(line) for line in as_json.stdout.strip().splitlines()]
    assert [r["source_id"] for r in rows] == ["tomma"] and rows[0]["verdict"] == "no_news" and rows[0]["n_articles"] == 0
    assert first.returncode == 0 and "arkivet" in first.stdout and "tomma" not in first.stdout


@pytest.mark.parametrize("extra", [["--only", "finns-inte"], []])
def test_sources_check_bad_input_is_one_line(tmp_path: Path, extra: list[str]) -> None:
    reg = _registry_for_check(tmp_path, "http://127.0.0.1:9", "http://127.0.0.1:9")
    path = str(reg) if extra else str(tmp_path / "saknas.toml")
    proc = run_cli("sources", "check", path, *extra)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and path in lines[0]
    assert ("'finns-inte'" in lines[0]) if extra else ("registry file not found" in lines[0])

@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (["run"], "--n-process", "0"),
        (["run"], "--batch-size", "-5"),
        (["reprocess", "--all"], "--n-process", "two"),
        (["reprocess", "--all"], "--batch-size", "0"),
        (["demo"], "--runs", "0"),
    ],
)
def test_counts_must_be_positive_whole_numbers(args: list[str], option: str, value: str, tmp_path: Path) -> None:
    proc = run_cli(*args, option, value, "--data-dir", str(tmp_path / "data"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"argument {option}: {value!r}" in proc.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(("value", "why"), [("2024-13-01", "is not a date"), ("2999-01-01", "is in the future")])
def test_since_must_be_a_past_date_or_all(value: str, why: str, tmp_path: Path) -> None:
    proc = run_cli("run", "--since", value, "--data-dir", str(tmp_path / "data"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"argument --since: {value!r} {why}" in proc.stderr and "YYYY-MM-DD" in proc.stderr
    assert not (tmp_path / "data").exists()


def test_show_on_a_data_dir_without_tables_names_the_folder(tmp_path: Path) -> None:
    proc = run_cli("show", "abcdef", "--data-dir", str(tmp_path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path) in lines[0] and "None" not in lines[0]
    assert lines[0].startswith("samverkan show: no processed/ folder") and "samverkan demo --data-dir" in lines[0]


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ('{"id": "x", "text": "hej", ', "cannot be read"),
        ('{"id": "x", "text": "hej", "published_hint": "mars 2024", "expected": {}}', "published_hint"),
        ('{"id": "x", "text": "hej", "expected": ["1441"]}', "no 'expected' object"),
    ],
)
def test_eval_on_a_malformed_gold_file_is_one_line(tmp_path: Path, content: str, expect: str) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "bad.json").write_text(content, encoding="utf-8")
    proc = run_cli("eval", str(gold))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(gold / "bad.json") in lines[0] and expect in lines[0]


def test_cli_maps_errors_by_class_not_by_name(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from flows import cli
    from pipeline.errors import SamverkanError

    class SomeNewProblem(SamverkanError):  # a class the CLI has never heard of
        pass

    def boom(exc: BaseException) -> object:
        def command(args: object) -> int:
            raise exc

        return command

    monkeypatch.setitem(cli.COMMANDS, "dictionary", boom(SomeNewProblem("feed.xml: broken; fix it")))
    assert cli.main(["dictionary"]) == 2
    assert capsys.readouterr().err == "samverkan dictionary: feed.xml: broken; fix it\n"

    monkeypatch.setitem(cli.COMMANDS, "dictionary", boom(cli.RunFailedError("the run failed: disk full")))
    assert cli.main(["dictionary"]) == 1

    monkeypatch.setitem(cli.COMMANDS, "dictionary", boom(FileNotFoundError("models/x is missing")))
    assert cli.main(["dictionary"]) == 2
    assert "None" not in capsys.readouterr().err

    monkeypatch.setitem(cli.COMMANDS, "dictionary", boom(ZeroDivisionError("a bug")))
    with pytest.raises(ZeroDivisionError):  # a bug keeps its traceback
        cli.main(["dictionary"])


def test_known_errors_inside_a_run_mean_the_run_failed() -> None:
    from flows.cli import RunFailedError, _run_failures
    from pipeline.tables.store import StoreLockedError

    with pytest.raises(RunFailedError, match="locked by another writer") as info, _run_failures():
        raise StoreLockedError("the store /x is locked by another writer")
    assert info.value.exit_code == 1
    with pytest.raises(KeyError), _run_failures():
        raise KeyError("a bug")
