from __future__ import annotations

import logging
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from pipeline import config
from pipeline.nlp.base import LABEL_MAP_FACTORY, load_base


def _prs_model(path: Path) -> Path:
    """Save a tiny real pipeline whose ner labels persons PRS, like spaCy's sv_core_news_*."""
    nlp = spacy.blank("sv")
    ner = nlp.add_pipe("ner")
    for label in ("PRS", "ORG"):
        ner.add_label(label)  # type: ignore[attr-defined]
    doc = nlp.make_doc("Anna Berg bor i Lund")
    example = Example.from_dict(doc, {"entities": ["B-PRS", "L-PRS", "O", "O", "O"]})
    nlp.initialize(lambda: [example])
    nlp.to_disk(path)
    return path


def test_default_loads_committed_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMVERKAN_BASE_MODEL", raising=False)
    nlp = load_base()
    assert config.base_model_name().endswith("sv_samverkan")
    assert "ner" in nlp.pipe_names
    assert {"PER", "ORG", "LOC", "MISC"} <= set(nlp.get_pipe("ner").labels)
    assert LABEL_MAP_FACTORY not in nlp.pipe_names


def test_prs_model_gets_label_map_after_ner(tmp_path: Path) -> None:
    nlp = load_base(str(_prs_model(tmp_path / "prs")))
    names = nlp.pipe_names
    assert names.index(LABEL_MAP_FACTORY) == names.index("ner") + 1
    doc = nlp.make_doc("Anna Berg bor i Lund")
    doc.ents = [Span(doc, 0, 2, label="PRS"), Span(doc, 4, 5, label="ORG")]
    doc = nlp.get_pipe(LABEL_MAP_FACTORY)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Anna Berg", "PER"), ("Lund", "ORG")]


def test_env_var_selects_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _prs_model(tmp_path / "env")
    monkeypatch.setenv("SAMVERKAN_BASE_MODEL", str(path))
    nlp = load_base()
    assert LABEL_MAP_FACTORY in nlp.pipe_names
    assert "PRS" in nlp.get_pipe("ner").labels


def test_missing_model_falls_back_to_blank_with_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = str(tmp_path / "no_such_model")
    with caplog.at_level(logging.WARNING, logger="pipeline.nlp.base"):
        nlp = load_base(missing)
    assert nlp.lang == "sv"
    assert nlp.pipe_names == []
    assert missing in caplog.text
    assert "SAMVERKAN_BASE_MODEL" in caplog.text


def test_unknown_package_name_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.nlp.base"):
        nlp = load_base("sv_core_news_not_installed")
    assert nlp.pipe_names == []
    assert "sv_core_news_not_installed" in caplog.text


def test_label_map_config_is_overridable() -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe(LABEL_MAP_FACTORY, config={"mapping": {"EVN": "MISC", "PRS": "PER"}})
    doc = nlp.make_doc("Almedalsveckan i Visby")
    doc.ents = [Span(doc, 0, 1, label="EVN"), Span(doc, 2, 3, label="LOC")]
    doc = nlp.get_pipe(LABEL_MAP_FACTORY)(doc)
    assert [e.label_ for e in doc.ents] == ["MISC", "LOC"]
