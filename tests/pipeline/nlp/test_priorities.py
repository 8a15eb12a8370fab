from pipeline.nlp import AnalysisInput, analyse_one

TEXT = """Kommunen och polisen har tecknat en samverkansöverenskommelse mot brottslighet.

Tre prioriteringar
  • Välfärdsbrotten och angrepp på utbetalande system
  • Rekryteringen av unga till kriminella nätverk
  • Sunt samhällsbyggande
  • Stöd till den som vill lämna en kriminell livsstil
"""


def test_priority_areas_from_bullets_keep_text_and_offsets(nlp):
    facts = analyse_one(nlp, AnalysisInput(TEXT))
    codes = {p.area_code for p in facts.priority_areas}
    assert {"valfardsbrott", "rekrytering_unga", "samhallsbyggande", "avhopp"} <= codes
    for p in facts.priority_areas:
        assert TEXT[p.start_char : p.end_char] == p.text
        assert p.collaboration_index == 0
    groups = {p.area_code: p.area_group for p in facts.priority_areas}
    assert groups["valfardsbrott"] == "valfardsbrott" and groups["avhopp"] == "organiserad_brottslighet"


def _areas(nlp, text):
    lead = "Kommunen och polisen har tecknat en samverkansöverenskommelse mot brottslighet. "
    return {p.area_code for p in analyse_one(nlp, AnalysisInput(lead + text)).priority_areas}


def test_paraphrased_areas_in_running_text(nlp):
    text = ("Kommunen och polisen ska arbeta mot bedrägerier mot äldre och bostadsinbrott, erbjuda ANDT-utbildning "
            "och stoppa langning till unga. Även brott i nära relation och ungdomskriminalitet lyfts fram.")
    assert _areas(nlp, text) >= {"egendomsbrott", "narkotika", "vald_nara_relation", "rekrytering_unga"}


def test_words_that_are_no_priorities(nlp):
    text = ("Kommunen har tagit fram en lägesbild över brottsligheten. Vård- och omsorgsförvaltningen och "
            "socialtjänsten deltog, och kommunen gjorde flera polisanmälningar. Statistik över anmälda brott "
            "visar en ökning. Förvaltningarna är skyldiga att anmäla till folkbokföringen, och den som vill "
            "delta kan anmäla sig till konferensen.")
    assert _areas(nlp, text) & {"myndighetssamverkan", "vard_omsorg", "anmalan"} == set()


def test_a_shared_situation_picture_is_cooperation(nlp):
    assert "myndighetssamverkan" in _areas(nlp, "Kommunen och polisen tar fram en gemensam lokal lägesbild varje år.")
    assert "myndighetssamverkan" in _areas(nlp, "Parterna delar lägesbilder och samordnar resurser.")
