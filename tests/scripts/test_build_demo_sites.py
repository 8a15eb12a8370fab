"""The committed demo sites and expected.json are exactly what build.py renders from the content."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_demo_sites.py"
_spec = importlib.util.spec_from_file_location("build_demo_sites", _SCRIPT)
assert _spec is not None and _spec.loader is not None
build = importlib.util.module_from_spec(_spec)
sys.modules["build_demo_sites"] = build
_spec.loader.exec_module(build)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_committed_sites_match_a_fresh_build(tmp_path: Path) -> None:
    expected = build.build(tmp_path / "sites", tmp_path / "expected.json")
    fresh, committed = _files(tmp_path / "sites"), _files(build.SITES_DIR)
    assert sorted(fresh) == sorted(committed), "run `python scripts/build_demo_sites.py` after editing content/"
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == [], "run `python scripts/build_demo_sites.py` after editing content/"
    assert (tmp_path / "expected.json").read_bytes() == build.EXPECTED_PATH.read_bytes()
    # 20 articles, plus a second report of one agreement and a renewal (issue 17)
    assert len(expected["articles"]) == 22  # type: ignore[arg-type]


def test_body_markup() -> None:
    html = build.body_html("Ett stycke\nsom fortsätter.\n\n## Rubrik\n\n- ett\n- två <b>\n\nSe [planen](/dok/plan.pdf).")
    assert html.split("\n") == [
        "<p>Ett stycke som fortsätter.</p>",
        "<h2>Rubrik</h2>",
        "<ul><li>ett</li><li>två &lt;b&gt;</li></ul>",
        '<p>Se <a href="/dok/plan.pdf">planen</a>.</p>',
    ]


def test_swedish_dates() -> None:
    from datetime import date

    assert build.sv_date(date(2024, 3, 5)) == "5 mars 2024"
    assert build.sv_date(date(2025, 12, 31)) == "31 december 2025"


def test_minimal_pdf_has_a_valid_xref() -> None:
    pdf = build.minimal_pdf(["Rad ett", "Rad tva"])
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref\n0 6\n")
    offsets = [int(m.group(1)) for m in re.finditer(rb"(\d{10}) 00000 n ", pdf)]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
