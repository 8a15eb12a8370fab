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
