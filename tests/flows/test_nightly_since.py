"""``since`` through the nightly flow: over the demo sites (real servers on 127.0.0.1), articles whose
sitemap lastmod lies before ``since`` are never requested, the rest are, and the run row counts the
ones left out as skipped."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import resolve_data_dir
from pipeline.demo import SITES_ROOT, render_demo_registry
from pipeline.demo.server import DemoServer

pytestmark = pytest.mark.slow

SINCE = date(2025, 1, 1)
_ENTRY = re.compile(r"<loc>\{\{BASE_URL\}\}(?P<path>[^<]*)</loc>\s*<lastmod>(?P<lastmod>[^<]+)</lastmod>")


def _dated_paths() -> dict[str, dict[str, date]]:
    """site -> path -> sitemap lastmod, from the demo sites' own sitemaps."""
    out: dict[str, dict[str, date]] = {}
    for sm in SITES_ROOT.glob("*/sitemap*.xml"):
        for m in _ENTRY.finditer(sm.read_text(encoding="utf-8")):
            if not m["path"].endswith(".xml"):  # a child sitemap of an index: discovery reads it whatever its date
                out.setdefault(sm.parent.name, {})[m["path"]] = date.fromisoformat(m["lastmod"][:10])
    return out


def test_articles_before_since_are_not_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    from flows.nightly import nightly

    dated = _dated_paths()
    old = {(s, p) for s, paths in dated.items() for p, d in paths.items() if d < SINCE and p != "/"}
    new = {(s, p) for s, paths in dated.items() for p, d in paths.items() if d >= SINCE and p != "/"}
    assert len(old) >= 5 and len(new) >= 3  # the demo sites span both sides of SINCE
    paths = resolve_data_dir(tmp_path / "data").ensure()
    with DemoServer(SITES_ROOT) as server:
        registry = render_demo_registry(server.base_urls, paths.state / "demo_sources.toml")
        summary = nightly(sources=str(registry), data_dir=str(paths.root), flow_label="demo", since=SINCE.isoformat())
        requested = {(e.site, e.path.split("?")[0]) for e in server.requests()}
    assert summary["status"] in ("completed", "partial")
    assert not old & requested, sorted(old & requested)[:5]
    assert new <= requested, sorted(new - requested)[:5]
    runs = pd.read_parquet(paths.processed / "runs")
    total = runs[runs["source_id"].isna()].iloc[-1]
    assert int(total["n_skipped"]) >= len(old)
