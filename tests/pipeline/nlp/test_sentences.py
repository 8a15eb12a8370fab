from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.training import Example

from pipeline.nlp.sentences import FACTORY


def blank() -> Language:
    nlp = spacy.blank("sv")
    nlp.add_pipe(FACTORY)
    return nlp


def sents(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents]


def test_heading_without_full_stop_ends_at_line_break() -> None:
    text = "Trygghetsvandring i Växjö centrum\nKommunen bjuder in boende till en kvällspromenad."
    assert sents(blank(), text) == [
        "Trygghetsvandring i Växjö centrum",
        "Kommunen bjuder in boende till en kvällspromenad.",
    ]


def test_each_bullet_is_a_sentence_on_lines_and_inline() -> None:
    text = "Åtgärderna är:\n• fler nattvandrare\n• bättre belysning\n- kameror vid torget\nDe startar i maj."
    assert sents(blank(), text) == [
        "Åtgärderna är:",
        "• fler nattvandrare",
        "• bättre belysning",
        "- kameror vid torget",
        "De startar i maj.",
    ]
    assert sents(blank(), "Satsningar: • skolan • fritidsgården") == ["Satsningar:", "• skolan", "• fritidsgården"]


def test_dash_quote_after_sentence_opens_a_sentence() -> None:
    text = "Polisen ser positivt på avtalet. – Vi har väntat länge på det här, säger Sara Lind."
    assert sents(blank(), text) == [
        "Polisen ser positivt på avtalet.",
        "– Vi har väntat länge på det här, säger Sara Lind.",
    ]


def test_hyphen_inside_a_sentence_is_not_a_boundary() -> None:
    text = "Samarbetet mellan kommun och polis - det så kallade medborgarlöftet - förnyas i år."
    assert len(sents(blank(), text)) == 1


def test_photo_credit_and_caption_lines() -> None:
    text = "Kommunalråd Per Holm och polischef Eva Nord vid undertecknandet\nFoto: Lars Ek\nBild: Kommunen"
    assert sents(blank(), text) == [
        "Kommunalråd Per Holm och polischef Eva Nord vid undertecknandet",
        "Foto: Lars Ek",
        "Bild: Kommunen",
    ]
    inline = "Avtalet skrevs under i går. Foto: Lars Ek"
    assert sents(blank(), inline)[-1] == "Foto: Lars Ek"


def test_closing_quote_stays_with_its_sentence() -> None:
    text = "Hon sa: ”Vi ska lyckas.” Sedan lämnade hon mötet. ”Nu börjar det”, sa han."
    assert sents(blank(), text) == [
        "Hon sa: ”Vi ska lyckas.”",
        "Sedan lämnade hon mötet.",
        "”Nu börjar det”, sa han.",
    ]


def test_lowercase_after_abbreviation_is_not_a_boundary() -> None:
    text = "Insatsen gäller bl.a. skolor och fritidsgårdar, t.ex. i Rosengård."
    assert len(sents(blank(), text)) == 1


def test_complete_by_default_sets_non_starts_false() -> None:
    doc = blank()("En enda mening utan radbrytning")
    assert doc[0].is_sent_start is True
    assert [t.is_sent_start for t in doc[1:]] == [False] * (len(doc) - 1)
    assert len(list(doc.sents)) == 1


def test_partial_mode_leaves_other_tokens_unset_for_a_later_senter() -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe(FACTORY, config={"complete": False})
    doc = nlp("Rubrik utan punkt\nEn mening här")
    assert doc[0].is_sent_start is True
    assert doc[1].is_sent_start is None
    assert doc[4].is_sent_start is True


def test_in_front_of_a_trained_senter_keeps_rule_boundaries() -> None:
    nlp = spacy.blank("sv")
    nlp.add_pipe(FACTORY, config={"complete": False})
    senter = nlp.add_pipe("senter")
    train = nlp.make_doc("Ett. Två.")
    example = Example.from_dict(train, {"sent_starts": [1, 0, 1, 0]})
    nlp.initialize(lambda: [example])
    assert senter is nlp.get_pipe("senter")
    doc = nlp("Rubrik utan punkt\nText som följer")
    assert doc[4].is_sent_start is True


def test_one_splitter_for_component_and_fallback() -> None:
    from pipeline.nlp.extensions import sentence_bounds
    from pipeline.text.sentences import sentence_at, split_sentences

    text = ("Rubrik utan punkt\nKommunen och polisen. – Vi är nöjda, säger hon.\n• punkt ett • punkt två\n"
            "Hon sa: ”Klart.” Sedan gick hon. Foto: Eva Ek")
    expected = ["Rubrik utan punkt", "Kommunen och polisen.", "– Vi är nöjda, säger hon.", "• punkt ett",
                "• punkt två", "Hon sa: ”Klart.”", "Sedan gick hon.", "Foto: Eva Ek"]
    assert [text[s:e] for s, e in split_sentences(text)] == expected
    assert sents(blank(), text) == expected
    bare = spacy.blank("sv")(text)  # no sentence annotation: the fallback uses the same splitter
    assert [text[s:e] for s, e in sentence_bounds(bare)] == expected
    s, e = sentence_at(text, text.index("nöjda"))
    assert text[s:e] == "– Vi är nöjda, säger hon."
