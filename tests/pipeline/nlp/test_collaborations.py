from datetime import date

from pipeline.nlp import AnalysisInput, analyse_one


def test_agreement_with_parties_period_and_decision(nlp):
    text = ("Kommun och polis förnyar avtal\n\nMora kommun och polisen har tecknat en ny samverkansöverenskommelse "
            "som gäller 2024–2027. Kommunstyrelsen godkände överenskommelsen vid måndagens sammanträde. "
            "Samtidigt antogs ett medborgarlöfte för 2024.\n\nPolisen ser att kriminella nätverk i Falun och "
            "Borlänge rekryterar unga.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 1, 10), source_kommun="2062"))
    by_type = {c.type: c for c in facts.collaborations}
    assert set(by_type) == {"samverkansoverenskommelse", "medborgarlofte"}
    agreement = by_type["samverkansoverenskommelse"]
    assert {p.party_id for p in agreement.parties} == {"2062", "polismyndigheten"}
    assert (agreement.period_start, agreement.period_end) == (date(2024, 1, 1), date(2027, 12, 31))
    assert agreement.decided_on == date(2024, 1, 8)
    promise = by_type["medborgarlofte"]
    assert (promise.period_start, promise.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert "2081" in {code for code, _ in facts.kommuner}  # Borlänge is named, but not a party
    assert "2081" not in {p.party_id for c in facts.collaborations for p in c.parties}


def test_named_network_with_member_list(nlp):
    text = ("Strängnäs kommun är med i nätverket Mälarkommuner mot organiserad brottslighet. I nätverket ingår "
            "Enköping, Eskilstuna och Strängnäs i samarbete med Polismyndigheten.")
    facts = analyse_one(nlp, AnalysisInput(text, source_kommun="0486"))
    (net,) = facts.collaborations
    assert net.type == "natverk" and net.name == "Mälarkommuner mot organiserad brottslighet"
    assert {p.party_id for p in net.parties} == {"0486", "0381", "0484", "polismyndigheten"}


def test_kriminella_natverk_is_not_a_collaboration(nlp):
    facts = analyse_one(nlp, AnalysisInput("Kriminella nätverk rekryterar unga till brott, säger polisen. "
                                           "Brottsligheten ökar och gängen skjuter."))
    assert all(c.type != "natverk" for c in facts.collaborations)
