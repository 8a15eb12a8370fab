from pipeline.nlp import AnalysisInput, analyse_one
from pipeline.nlp.relevance import relevance


def test_crime_prevention_is_relevant():
    ok, score = relevance("Kommunen och polisen har tecknat en samverkansöverenskommelse mot organiserad "
                          "brottslighet och välfärdsbrott.")
    assert ok and 0.5 <= score <= 1.0


def test_ordinary_news_is_not(nlp):
    text = ("Under trafiksäkerhetsveckan delar kommunen ut reflexer vid skolorna. Polisen gör en hastighetskontroll "
            "på Storgatan. Biblioteket har nya öppettider i jul.")
    ok, score = relevance(text)
    assert not ok and 0.0 <= score < 0.5
    facts = analyse_one(nlp, AnalysisInput(text, source_kommun="0180"))
    assert not facts.is_relevant and facts.people == [] and facts.kommuner == [] and facts.mentions == []
