"""Names linked to roles in captions, signature lists and running text (blank base: rules and lexicon only)."""

import pytest

from pipeline.nlp.extensions import DocInput
from pipeline.nlp.people import FACTORY


def people(nlp, text, source="2361"):
    """Run the pipeline up to and including ``samverkan_people`` (relevance does not gate these short texts)."""
    doc = nlp.make_doc(text)
    doc._.samverkan_input = DocInput(source_kommun=source)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == FACTORY:
            break
    return {p.name: (p.role_code, p.party) for p in doc._.samverkan_people}


def test_caption_with_roles_before_names(nlp):
    text = ("Från vänster: kommunpolis Tove Almberg, tf lokal polisområdeschef Anders Nyvall, säkerhetssamordnare "
            "i Härjedalens kommun Kalle Westling och kommunstyrelsens ordförande Birgitta Lind Hedman (S).")
    assert people(nlp, text) == {
        "Tove Almberg": ("kommunpolis", None),
        "Anders Nyvall": ("lokalpolisomradeschef", None),
        "Kalle Westling": ("sakerhetschef", None),
        "Birgitta Lind Hedman": ("kso", "S"),
    }


def test_caption_with_roles_after_names(nlp):
    text = ("Från vänster i bild: Lena Dahlberg (SD), kommunstyrelsens ordförande, Oskar Fält, tillträdande "
            "vikarierande kommunpolis, och Mona Ek, lokalpolischef i Lokalpolisområde Östersund och Pia Sand (S), "
            "oppositionsråd.")
    assert people(nlp, text) == {
        "Lena Dahlberg": ("kso", "SD"),
        "Oskar Fält": ("kommunpolis", None),
        "Mona Ek": ("lokalpolisomradeschef", None),
        "Pia Sand": ("oppositionsrad", "S"),
    }


def test_roles_in_parentheses_after_names(nlp):
    text = ("Jonas Berglöf (S)(vice ordförande för kommunstyrelsen), Karin Holm Wikström (kommundirektör) och "
            "Petra Lindgren (lokalpolisområdeschef) skrev under.")
    assert people(nlp, text) == {
        "Jonas Berglöf": ("ks_vice", "S"),
        "Karin Holm Wikström": ("kommundirektor", None),
        "Petra Lindgren": ("lokalpolisomradeschef", None),
    }


def test_role_directly_after_name_and_police_chief_with_area(nlp):
    text = ("Löftet undertecknades av Johan Sjödin kommunstyrelsens ordförande i Härjedalen och "
            "Hans Berggren Polischef Södra Jämtland.")
    assert people(nlp, text) == {"Johan Sjödin": ("kso", None), "Hans Berggren": ("lokalpolisomradeschef", None)}


def test_plural_role_before_a_list(nlp):
    text = "Regionpolischef Ulf Lindahl träffade kommunalråden Erik Holm, Sara Wiklund samt Åsa Berg-Lång."
    assert people(nlp, text) == {
        "Ulf Lindahl": ("regionpolischef", None),
        "Erik Holm": ("kommunalrad", None),
        "Sara Wiklund": ("kommunalrad", None),
        "Åsa Berg-Lång": ("kommunalrad", None),
    }
    assert people(nlp, "Poliserna Emil Hård och Nora Sjöberg berättade om arbetet.") == {
        "Emil Hård": ("polis", None), "Nora Sjöberg": ("polis", None)}


def test_police_area_is_not_a_person(nlp):
    text = "– Vi är nöjda, säger Maria Bäckman, lokalpolisområdeschef Västra Mälardalen."
    assert people(nlp, text) == {"Maria Bäckman": ("lokalpolisomradeschef", None)}
    text = "– Vi är nöjda, säger Maria Bäckman, lokalpolisområdeschef Mälardalen Syd."
    assert people(nlp, text) == {"Maria Bäckman": ("lokalpolisomradeschef", None)}


def test_speaker_programme_lines_and_shared_organisation(nlp):
    text = ("Ur programmet:\n\nFelaktiga utbetalningar, Petter Gren, Försäkringskassan\n\n"
            "Lägesbild för länet, Olle Ringström, Polisen\n\n"
            "Anna Holm och Per Sand från polisen deltog också.")
    assert people(nlp, text) == {
        "Petter Gren": ("other", None), "Olle Ringström": ("polis", None),
        "Anna Holm": ("polis", None), "Per Sand": ("polis", None),
    }


def test_respektive_and_clause_before_name(nlp):
    text = "Anna Ek och Bo Lind, kommunpolis respektive kommundirektör, presenterade planen."
    assert people(nlp, text) == {"Anna Ek": ("kommunpolis", None), "Bo Lind": ("kommundirektor", None)}
    text = "Kommunens förvaltningschef för vård och omsorg, Henrik Lööv, säger att arbetet har börjat."
    assert people(nlp, text) == {"Henrik Lööv": ("forvaltningschef", None)}


@pytest.mark.parametrize(("text", "expected"), [
    ("Det säger Lisa Berg som är verksamhetschef på enheten.", ("other", None)),
    ("– Det är viktigt, säger Lisa Berg, ordförande för kultur- och fritidsnämnden (V).", ("other", "V")),
    ("– Bra, säger Lisa Berg, planeringsledare för trygghet och samhälle.", ("brottsforebyggande", None)),
])
def test_relative_clause_party_after_nämnd_and_crime_prevention_upgrade(nlp, text, expected):
    assert people(nlp, text) == {"Lisa Berg": expected}


def test_unknown_capitalised_pairs_need_a_role(nlp):
    text = "Metoden Group Violence Intervention (GVI) och Safe Communities (NNSC) används, säger polisen."
    assert people(nlp, text) == {}
