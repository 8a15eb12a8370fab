"""The committed pipeline in models/sv_samverkan: loads, finds entities, keeps its scores."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
import spacy
from spacy.language import Language

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "sv_samverkan"
METRICS = REPO / "models" / "metrics.json"
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(MODEL)


def _evaluate_module() -> ModuleType:
    scripts = REPO / "models" / "scripts"
    sys.path.insert(0, str(scripts))
    spec = importlib.util.spec_from_file_location("samverkan_model_evaluate", scripts / "evaluate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_loads_with_expected_components(nlp: Language) -> None:
    assert nlp.lang == "sv"
    assert nlp.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "LOC", "MISC"}
    assert nlp.meta["license"] == "CC BY-SA 4.0"


def test_folder_size_within_budget() -> None:
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size <= 40 * 1024 * 1024


@pytest.mark.parametrize(
    ("text", "entity", "label"),
    [
        ("Igår sa Maria Andersson att arbetet går bra.", "Maria Andersson", "PER"),
        ("Enligt Johan Svensson behövs fler poliser i Göteborg.", "Johan Svensson", "PER"),
        ("Mötet hölls i Stockholm på tisdagen.", "Stockholm", "LOC"),
        ("Hon flyttade från Norge till Tyskland förra året.", "Tyskland", "LOC"),
        ("Volvo meddelade att fabriken ska byggas ut.", "Volvo", "ORG"),
    ],
)
def test_entities_in_our_own_sentences(nlp: Language, text: str, entity: str, label: str) -> None:
    doc = nlp(text)
    assert (entity, label) in [(e.text, e.label_) for e in doc.ents]


def test_pos_and_lemmas(nlp: Language) -> None:
    doc = nlp("Kommunen utreder välfärdsbrotten och rekryteringen av nya poliser.")
    by_text = {t.text: t for t in doc}
    assert by_text["utreder"].pos_ == "VERB"
    assert by_text["Kommunen"].pos_ == "NOUN"
    assert by_text["Kommunen"].lemma_.lower() == "kommun"
    assert by_text["rekryteringen"].lemma_ == "rekrytering"
    assert by_text["välfärdsbrotten"].lemma_ == "välfärdsbrott"
    assert by_text["poliser"].lemma_ == "polis"


def test_metrics_file_has_the_reported_figures() -> None:
    metrics = json.loads(METRICS.read_text(encoding="utf-8"))
    assert set(metrics["ner"]["per_label"]) == {"PER", "ORG", "LOC", "MISC"}
    for key in ("pos_acc", "morph_acc", "lemma_acc"):
        assert 0 < metrics["ud"][key] <= 100
    assert metrics["speed"]["words_per_second"] > 0
    assert metrics["size_mb"] <= 40


@pytest.mark.slow
def test_rescore_on_heldout_data_matches_committed_metrics(nlp: Language) -> None:
    if not CORPORA.is_dir():
        pytest.skip(f"corpora folder {CORPORA} absent: cannot re-score the held-out data")
    committed = json.loads(METRICS.read_text(encoding="utf-8"))
    scores = _evaluate_module().score(nlp, CORPORA)
    assert scores["ner"]["sentences"] == committed["ner"]["sentences"]
    assert scores["ner"]["f"] >= committed["ner"]["f"] - 1.0
    assert scores["ner"]["per_label"]["PER"]["f"] >= committed["ner"]["per_label"]["PER"]["f"] - 1.0
    for key in ("pos_acc", "lemma_acc", "morph_acc"):
        assert scores["ud"][key] >= committed["ud"][key] - 1.0


def test_spacy_project_file_describes_the_committed_recipe() -> None:
    from weasel.util import load_project_config

    models = REPO / "models"
    config = load_project_config(models, overrides={"vars.corpora": "/elsewhere/corpora"})
    commands = {c["name"]: c for c in config["commands"]}
    assert config["workflows"]["all"] == ["convert", "train", "assemble", "evaluate"]
    assert all(name in commands for steps in config["workflows"].values() for name in steps)
    assert commands["convert"]["script"] == ["python scripts/convert.py /elsewhere/corpora corpus"]
    assert "configs/joint.cfg" in commands["train"]["script"][0]
    for command in commands.values():  # every script and config a command depends on is in the repo
        for dep in command.get("deps", []):
            if dep.startswith(("scripts/", "configs/")):
                assert (models / dep).is_file(), f"{command['name']}: {dep} missing"
    assert "configs/joint.cfg" in (models / "Makefile").read_text(encoding="utf-8")  # the Makefile runs the same recipe
