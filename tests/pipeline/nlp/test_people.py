from datetime import date

from pipeline.nlp import AnalysisInput, analyse_one

TEXT = """Ny överenskommelse mot brottslighet

Kalle Nilsson 2024-03-01

På bilden från vänster Maria Ek, lokalpolisområdeschef, Per-Olof Strand, säkerhetschef och Lena Ågren Holm, kommundirektör.
Foto: Sven Fotograf

Samverkansöverenskommelsen mellan Alingsås kommun och polisen ska minska brottsligheten.

– Vi tar ett stort steg, säger Johan Berglund (M), kommunstyrelsens ordförande.

– Det här är viktigt, säger kommunens brottsförebyggande strateg Sara Lind.

Johan Berglund tror att fler kommer att anmäla brott. Johans besked var tydligt.

För mer information kontakta:

Anna-Karin Holm

kommunalråd (S) och ordförande i socialnämnden
"""


def test_people_roles_parties_and_bylines(nlp):
    facts = analyse_one(nlp, AnalysisInput(TEXT, published=date(2024, 3, 1), source_kommun="1489"))
    people = {p.name: p for p in facts.people}
    assert set(people) == {"Maria Ek", "Per-Olof Strand", "Lena Ågren Holm", "Johan Berglund", "Sara Lind",
                           "Anna-Karin Holm"}
    assert people["Maria Ek"].role_code == "lokalpolisomradeschef"
    assert people["Maria Ek"].organisation_id == "polismyndigheten"
    assert people["Per-Olof Strand"].role_code == "sakerhetschef"
    assert people["Lena Ågren Holm"].role_code == "kommundirektor"
    assert (people["Johan Berglund"].role_code, people["Johan Berglund"].party) == ("kso", "M")
    assert people["Johan Berglund"].organisation_id == "1489"
    assert people["Sara Lind"].role_code == "brottsforebyggande"
    assert (people["Anna-Karin Holm"].role_code, people["Anna-Karin Holm"].party) == ("kommunalrad", "S")
    # repeated and first-name mentions are merged, not new people
    person_mentions = [m.text for m in facts.mentions if m.label == "PERSON"]
    assert person_mentions.count("Johan Berglund") == 2 and "Johan" in person_mentions


def test_role_codes_from_short_forms(nlp):
    text = ("Samverkansöverenskommelsen mot organiserad brottslighet och narkotika skrevs under av Eva Sten, ordförande KS, och Omar Ali, "
            "kommunstyrelsens 1:e vice ordförande (C), tillsammans med polisen.")
    facts = analyse_one(nlp, AnalysisInput(text))
    people = {p.name: p for p in facts.people}
    assert people["Eva Sten"].role_code == "kso"
    assert (people["Omar Ali"].role_code, people["Omar Ali"].party) == ("ks_vice", "C")
