import spacy

from pipeline.nlp import vocab
from pipeline.nlp.names import candidates, is_first_name, is_surname, looks_confirmed, trim


def test_lexicon_is_data_with_its_source_and_licence():
    data = vocab.vocab("names")
    assert "Faker" in data["_doc"] and "MIT" in data["_doc"]
    assert len(data["first_names"]) >= 900 and len(data["surnames"]) >= 400
    assert data["first_names"] == sorted(set(data["first_names"]))


def test_first_names_and_surnames():
    assert is_first_name("Anna") and is_first_name("Britt-Marie")
    assert not is_first_name("Västra") and not is_first_name("Group")
    assert is_surname("Andersson") and is_surname("Lindh-Okänd")
    assert looks_confirmed("Kerstin Zwyrtek") and looks_confirmed("Zlatko Johansson")
    assert not looks_confirmed("Västra Mälardalen")


def test_trim_cuts_a_name_before_a_capitalised_role_word():
    text = "Hans Björkvall Polischef Norra Ådalen"
    s, e = trim(text, 0, len(text))
    assert text[s:e] == "Hans Björkvall"
    text = "Kommunstyrelsens Ordförande"
    assert trim(text, 0, len(text)) is None


def test_candidates_skip_place_words_and_keep_particles_and_double_surnames():
    nlp = spacy.blank("sv")
    doc = nlp("Ordförande Lena af Klint och Eva Lind Hedman mötte chefen för Västra Mälardalen.")
    found = [doc.text[c.start : c.end] for c in candidates(doc)]
    assert found == ["Lena af Klint", "Eva Lind Hedman"]
