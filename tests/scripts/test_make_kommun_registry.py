"""The committed kommun registry is exactly what scripts/make_kommun_registry.py renders from its facts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_kommun_registry.py"
_spec = importlib.util.spec_from_file_location("make_kommun_registry", _SCRIPT)
assert _spec is not None and _spec.loader is not None
reg = importlib.util.module_from_spec(_spec)
sys.modules["make_kommun_registry"] = reg
_spec.loader.exec_module(reg)


def test_committed_registry_matches_a_fresh_render() -> None:
    fresh = reg.render(reg.read_rows(), reg.load_facts())
    assert fresh == reg.OUT.read_text(encoding="utf-8"), "run `python scripts/make_kommun_registry.py`"


def test_coverage_line_counts_the_verified_entries() -> None:
    facts = reg.load_facts()
    n_verified = reg.OUT.read_text(encoding="utf-8").count("\nverified = ")
    assert n_verified == len(facts) >= 25
    assert reg.coverage(facts).startswith(f"coverage: {n_verified} of 290 kommuner")


def test_a_fact_with_a_wrong_code_or_field_is_refused(tmp_path: Path) -> None:
    rows = reg.read_rows()
    bad = tmp_path / "facts.toml"
    bad.write_text('[[kommun]]\ncode = "1441"\nname = "Lerum"\nnews = ["https://www.lerum.se/nyheter"]\nurl = "x"\n',
                   encoding="utf-8")
    with pytest.raises(SystemExit, match="unknown field 'url'"):
        reg.load_facts(bad)
    bad.write_text('[[kommun]]\ncode = "1441"\nname = "Alingsås"\nnews = ["https://www.alingsas.se/nyheter"]\n',
                   encoding="utf-8")
    with pytest.raises(SystemExit, match="1441 is 'Lerum'"):
        reg.render(rows, reg.load_facts(bad))
    good = reg.load_facts()
    text = reg.render(rows, good)
    assert text.count("[[source]]") == 290
