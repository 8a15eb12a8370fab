"""`samverkan eval` on agreement cluster gold and `samverkan report` (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.flows.test_cli import run_cli


def test_eval_detects_cluster_gold_and_reports_pairwise_scores() -> None:
    proc = run_cli("eval", "tests/gold/agreements", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["reports"] >= 37 and data["pairwise"]["precision"] >= 0.95 and data["pairwise"]["recall"] >= 0.95
    text = run_cli("eval", "tests/gold/agreements")
    assert "pairwise" in text.stdout and "renewals" in text.stdout


def test_report_writes_the_site_and_rejects_a_bad_year(processed_fixture: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    proc = run_cli("report", "--data-dir", str(processed_fixture), "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (out / "index.html").is_file() and list((out / "kommun").glob("*.html"))
    bad = run_cli("report", "--data-dir", str(processed_fixture), "--out", str(tmp_path / "x"), "--year", "1990")
    assert bad.returncode == 2 and "--year 1990" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    missing = run_cli("report", "--data-dir", str(tmp_path / "nothing"))
    assert missing.returncode == 2 and "no processed/ folder" in missing.stderr
