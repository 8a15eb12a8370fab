from datetime import date
from pathlib import Path

import pytest

from pipeline.nlp import RULE_COMPONENTS, AnalysisInput, analyse, analyse_one, load_nlp

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
