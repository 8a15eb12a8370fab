"""Rule-based sentence starts for Swedish press-release text.

The ``samverkan_sentences`` component marks sentence starts (``token.is_sent_start = True``)
where press releases break sentences without the punctuation a parser expects:

* a line break ends a sentence (headings without a full stop, list items, captions);
* a bullet (``•``, ``▪``, ``●``, ``·``, ``*``, or ``-``/``–``/``—`` at the start of a line)
  opens its own sentence, also when several bullets share a line;
* a quote opened with ``–`` or ``-`` after a sentence end opens a new sentence;
* ``Foto:``, ``Bild:`` and ``Fotograf:`` open their own sentence (a photo credit);
* after ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or brackets) a token that
  starts with a capital letter, a dash or an opening quote opens a sentence.

With ``complete = true`` (the default) every other token gets ``is_sent_start = False``,
so the segmentation is complete and ``doc.sents`` works on a blank pipeline or on a model
without parser/senter. With ``complete = false`` other tokens are left ``None`` so that a
parser or senter placed after this component adds its own boundaries around ours:
``nlp.add_pipe("samverkan_sentences", before="parser", config={"complete": False})``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

FACTORY = "samverkan_sentences"
BULLETS = frozenset({"•", "▪", "●", "·", "*", "◦", "‣", "►", "■", "□", "○"})
LINE_DASHES = frozenset({"-", "–", "—"})
TERMINALS = frozenset({".", "!", "?", "…", "...", "!?", "?!"})
CLOSERS = frozenset({"”", '"', "’", "'", "»", ")", "]"})
OPENERS = frozenset({"”", '"', "“", "«", "»", "(", "'", "’"}) | LINE_DASHES
CREDIT_WORDS = frozenset({"foto", "bild", "fotograf", "photo"})


def _line_start(token: Token) -> bool:
    """True if ``token`` is the first non-space token of a line."""
    if token.i == 0:
        return True
    prev = token.doc[token.i - 1]
    return "\n" in prev.text and prev.is_space or "\n" in prev.whitespace_


def _after_terminal(token: Token) -> bool:
    """True if ``token`` follows sentence-final punctuation (possibly with glued closing quotes between)."""
    doc = token.doc
    j = token.i - 1
    while j > 0 and (doc[j].is_space or doc[j].text in CLOSERS and not doc[j - 1].whitespace_):
        j -= 1
    if j < 0:
        return False
    last = doc[j]
    return last.text in TERMINALS or (len(last.text) > 1 and last.text[-1] in "!?" and not last.text[0].isalnum())


def _starts_sentence(token: Token) -> bool:
    if token.is_space:
        return False
    if _line_start(token):
        return True
    text = token.text
    if text in BULLETS:
        return True
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if text.lower() in CREDIT_WORDS and text[0].isupper() and nxt is not None and nxt.text == ":":
        return True
    prev = token.doc[token.i - 1]
    if text in CLOSERS and not prev.whitespace_:
        return False  # a quote glued to the preceding token closes, not opens
    if _after_terminal(token) and (text[0].isupper() or text in OPENERS or text[0] in OPENERS):
        return True
    return False


class SentenceRules:
    """Set sentence starts of press-release text by rule (see the module docstring)."""

    def __init__(self, complete: bool = True) -> None:
        self.complete = complete

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts in ``doc`` and return it."""
        for token in doc:
            if token.i == 0 or _starts_sentence(token):
                token.is_sent_start = True
            elif self.complete:
                token.is_sent_start = False
        return doc


@Language.factory(FACTORY, default_config={"complete": True})
def make_sentences(nlp: Language, name: str, complete: bool) -> SentenceRules:
    """Factory of the ``samverkan_sentences`` component (``complete``: also set non-starts to False)."""
    return SentenceRules(complete)
