import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp import RULE_COMPONENTS, AnalysisInput, analyse, analyse_one, build_nlp, load_nlp
from pipeline.nlp.relevance import relevance

SEED = Path(__file__).resolve().parents[3] / ".." / "shared" / "examples" / "seeds" / "001_eaf90f0e5656a948.txt"


def test_components_registered_and_cached(nlp):
    for name in RULE_COMPONENTS:
        assert name in nlp.pipe_names
    assert load_nlp() is load_nlp()


def test_analyse_keeps_order(nlp):
    inputs = [AnalysisInput("Skatteverket och Lerums kommun samverkar mot välfärdsbrott och brottslighet."),
              AnalysisInput("Biblioteket har nya öppettider."),
              AnalysisInput("Polisen och Borås Stad har ett medborgarlöfte mot narkotika och brott.")]
    out = list(analyse(nlp, inputs, batch_size=2))
    assert [f.is_relevant for f in out] == [True, False, True]
    assert out[0].kommuner == [("1441", "Lerum")] and out[2].kommuner == [("1490", "Borås")]


def test_mentions_have_offsets(nlp):
    text = "Polisen och Lerums kommun tecknade en samverkansöverenskommelse mot brott 2023–2026."
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2023, 1, 5)))
    assert {m.label for m in facts.mentions} >= {"MYNDIGHET", "KOMMUN", "COLLAB_TYPE"}
    for m in facts.mentions:
        assert text[m.start_char : m.end_char] == m.text


@pytest.mark.skipif(not SEED.is_file(), reason="shared seeds are not present in this checkout")
def test_seed_001(nlp):
    from pipeline.text.dates import find_publication_date

    text = SEED.read_text(encoding="utf-8")
    pub = find_publication_date(text)
    facts = analyse_one(nlp, AnalysisInput(text, published=pub.date if pub else None))
    assert "1441" in {c for c, _ in facts.kommuner}
    (c,) = [c for c in facts.collaborations if c.type == "samverkansoverenskommelse"]
    assert "polismyndigheten" in {p.party_id for p in c.parties}
    assert (c.period_start, c.period_end) == (date(2023, 1, 1), date(2026, 12, 31))


SEEN: list[str] = []


@Language.component("test_seen_by_pipeline")
def _seen_by_pipeline(doc: Doc) -> Doc:
    SEEN.append(doc.text)
    return doc


def test_relevance_runs_first_for_direct_callers(nlp):
    names = nlp.pipe_names
    assert names[:2] == ["samverkan_sentences", "samverkan_relevance"]
    doc = nlp("Biblioteket har nya öppettider och skolmaten får nya rätter.")
    assert doc._.samverkan_relevance is not None and doc._.samverkan_relevance[0] is False
    doc = nlp("Polisen och Borås Stad har ett medborgarlöfte mot narkotika och brott.")
    assert doc._.samverkan_relevance[0] is True


def test_irrelevant_articles_never_enter_the_pipeline():
    pipeline = build_nlp("/nonexistent/model/so/blank/sv/is/used")
    pipeline.add_pipe("test_seen_by_pipeline", after="samverkan_sentences")
    relevant = "Polisen och Lerums kommun har tecknat ett medborgarlöfte mot brott och narkotika, nummer {}."
    irrelevant = "Biblioteket i Lerum har nya öppettider från måndag, nummer {}."
    inputs = [AnalysisInput((relevant if i % 7 == 3 else irrelevant).format(i)) for i in range(60)]
    SEEN.clear()
    out = list(analyse(pipeline, inputs, batch_size=2))
    assert [f.is_relevant for f in out] == [i % 7 == 3 for i in range(60)]
    assert [inp.text for i, inp in enumerate(inputs) if i % 7 == 3] == SEEN
    assert all(f.kommuner == [("1441", "Lerum")] for f in out if f.is_relevant)
    assert all(not f.mentions and not f.kommuner and 0.0 <= f.relevance_score < 0.5 for f in out if not f.is_relevant)
    # the verdict analyse() puts on the doc equals what samverkan_relevance computes by itself
    assert [(f.is_relevant, f.relevance_score) for f in out] == [relevance(inp.text) for inp in inputs]


def test_nlp_package_does_not_import_the_worker_pool():
    code = "import sys, pipeline.nlp; assert 'pipeline.nlp.parallel' not in sys.modules, 'import cycle'"
    root = str(Path(__file__).resolve().parents[3])
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": root}, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
