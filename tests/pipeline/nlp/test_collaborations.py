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


def _parties(facts):
    return {p.party_id for c in facts.collaborations for p in c.parties}


def test_kommuner_listed_as_pilot_participants_are_parties_and_teasers_are_not(nlp):
    text = ("Kommuner testar ny modell\n\nDe tre kommunerna Alingsås, Lerum och Vårgårda deltar i ett pilotprojekt "
            "med Skatteverket om kontroller av företag mot ekonomisk brottslighet.\n\nLäs också\n\nHerrljunga kommun bygger ny skola")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 3, 1)))
    assert _parties(facts) == {"1489", "1441", "1442", "skatteverket"}


def test_publisher_is_no_party_when_other_kommuner_are_and_navigation_names_it(nlp):
    text = ("Östersunds kommun › Nyheter\n\nAvtal i inlandet\n\nDe två kommunerna Bräcke och Ragunda har tecknat "
            "en samverkansöverenskommelse med polisen mot brottslighet. Östersund ingår inte i avtalet.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2025, 2, 3), source_kommun="2380"))
    assert _parties(facts) == {"2305", "2303", "polismyndigheten"}


def test_guessed_publisher_is_no_party_of_an_agency_event(nlp):
    text = ("Polisen | Nyheter\n\nKunskapsdag om penningtvätt\n\nPolisen och Kronofogden arrangerade en kunskapsdag "
            "om penningtvätt för kommunerna i länet. Bland deltagarna fanns handläggare från Eksjö kommun. "
            "– Det var lärorikt, säger Eva Lind, säkerhetschef i Eksjö kommun.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 11, 14)))
    assert [c.type for c in facts.collaborations] == ["other"]
    assert _parties(facts) == {"polismyndigheten", "kronofogden"}


def test_credit_lines_agencies_outside_the_vocabulary_and_police_area_names_are_no_parties(nlp):
    text = ("Nytt medborgarlöfte\n\nFoto: Tullverket\n\nBollnäs kommun och lokalpolisområde Hudiksvall har tecknat "
            "ett medborgarlöfte för 2025 tillsammans med Socialstyrelsen.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2025, 1, 15)))
    assert _parties(facts) == {"2183", "polismyndigheten"}


def test_a_kommuns_own_plan_has_only_the_kommun_as_party(nlp):
    text = ("Ljusdal antar handlingsplan\n\nKommunfullmäktige i Ljusdals kommun antog en handlingsplan mot brott och "
            "kriminalitet för ett tryggare Ljusdal. Kommunen fortsätter att samverka med polisen i det dagliga arbetet.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2025, 6, 10), source_kommun="2161"))
    assert [(c.type, {p.party_id for p in c.parties}) for c in facts.collaborations] == [("handlingsplan", {"2161"})]


def test_gvi_strategy_is_other_and_a_plan_still_to_be_made_is_no_collaboration(nlp):
    gvi = ("Norrköping inför GVI\n\nNorrköpings kommun, Polisen och Kriminalvården arbetar enligt GVI. "
           "Strategin ska minska det grova våldet och skjutningarna i kriminella nätverk, ett "
           "brottsförebyggande arbete mot gängkriminalitet.")
    facts = analyse_one(nlp, AnalysisInput(gvi, published=date(2024, 10, 2), source_kommun="0581"))
    assert {c.type for c in facts.collaborations} == {"other"}
    law = ("Lägesbild klar\n\nMotala kommun har tagit fram en lägesbild enligt den nya lagen. Nästa steg är att ta "
           "fram en åtgärdsplan. Åtgärdsplanen ska vara klar före sommaren.")
    assert analyse_one(nlp, AnalysisInput(law, published=date(2024, 11, 20), source_kommun="0583")).collaborations == []


def test_a_type_named_in_passing_is_not_a_second_collaboration(nlp):
    text = ("Nytt medborgarlöfte\n\nSala kommun och polisen har tecknat ett nytt medborgarlöfte. Medborgarlöftet är "
            "en vidareutveckling av de samverkansöverenskommelser som polis och kommun har tecknat i länet.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 2, 1), source_kommun="1981"))
    assert [c.type for c in facts.collaborations] == ["medborgarlofte"]


def test_each_priority_area_once_per_collaboration(nlp):
    text = ("Löfte mot inbrott\n\nHerrljunga kommun och polisen lovar att minska inbrotten. Inbrott i villor och "
            "inbrott i förråd ska bli färre, och fler ska våga anmäla. Våga anmäla brott!")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 4, 1), source_kommun="1466"))
    keys = [(p.area_code, p.collaboration_index) for p in facts.priority_areas]
    assert sorted(keys) == sorted(set(keys)) and {"egendomsbrott", "anmalan"} <= {k for k, _ in keys}


def test_teasers_after_the_article_name_no_collaboration_party_or_area(nlp):
    text = ("Nytt samverkansavtal\n\nVara kommun och polisen har tecknat ett samverkansavtal mot brottslighet och "
            "narkotika.\n\nLäs också\n\nGrästorps kommun och polisen i nytt medborgarlöfte mot inbrott")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 5, 2), source_kommun="1470"))
    assert [c.type for c in facts.collaborations] == ["samverkansoverenskommelse"]
    assert _parties(facts) == {"1470", "polismyndigheten"}
    assert {p.area_code for p in facts.priority_areas} == {"narkotika"}


def test_an_earlier_agreement_named_in_passing_is_not_the_articles_collaboration(nlp):
    text = ("Nytt medborgarlöfte\n\nVara kommun och polisen har tecknat ett medborgarlöfte mot brottslighet. "
            "Det bygger på samma prioriteringar som vår tidigare samverkansöverenskommelse.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 5, 2), source_kommun="1470"))
    assert [c.type for c in facts.collaborations] == ["medborgarlofte"]


def test_organisers_named_after_the_event_are_parties(nlp):
    text = ("Kunskapsdag om välfärdsbrott\n\nFler än hundra handläggare från kommunerna i länet var med på en "
            "kunskapsdag om välfärdsbrott och felaktiga utbetalningar. Dagen arrangerades av Försäkringskassan "
            "och Skatteverket, som berättade om bidragsbrott och organiserad brottslighet.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 4, 2)))
    assert [c.type for c in facts.collaborations] == ["other"]
    assert _parties(facts) == {"forsakringskassan", "skatteverket"}
