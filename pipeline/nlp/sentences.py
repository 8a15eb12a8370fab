"""Rule-based sentence starts for Swedish press-release text.

The ``samverkan_sentences`` component marks sentence starts (``token.is_sent_start = True``)
where press releases break sentences without the punctuation a parser expects:

* a line break ends a sentence (headings without a full stop, list items, captions);
* a bullet (``•``, ``▪``, ``●``, ``·``, ``*``, or ``-``/``–``/``—`` at the start of a line)
  opens its own sentence, also when several bullets share a line;
* a quote opened with ``–`` or ``-`` after a sentence end opens a new sentence;
* a credit word (``Foto:``, ``Bild:``, ``Text:`` …, ``credit_words`` in ``people_cues.json``) opens its
  own sentence;
* after ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or brackets) a token that
  starts with a capital letter, a dash or an opening quote opens a sentence.

The rules work on characters (:func:`split_sentences`, :func:`sentence_starts`); the component marks
the tokens at those offsets, and ``extensions.sentence_bounds`` uses the same function on a Doc
without sentence annotation, so there is one sentence splitter.

With ``complete = true`` (the default) every other token gets ``is_sent_start = False``,
so the segmentation is complete and ``doc.sents`` works on a blank pipeline or on a model
without parser/senter. With ``complete = false`` other tokens are left ``None`` so that a
parser or senter placed after this component adds its own boundaries around ours:
``nlp.add_pipe("samverkan_sentences", before="parser", config={"complete": False})``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

import numpy as np
from spacy.attrs import IDX, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from pipeline.nlp import vocab

FACTORY = "samverkan_sentences"
BULLETS = frozenset({"•", "▪", "●", "·", "*", "◦", "‣", "►", "■", "□", "○"})
LINE_DASHES = frozenset({"-", "–", "—"})
TERMINALS = frozenset({".", "!", "?", "…", "...", "!?", "?!"})
CLOSERS = frozenset({"”", '"', "’", "'", "»", ")", "]"})
OPENERS = frozenset({"”", '"', "“", "«", "»", "(", "'", "’"}) | LINE_DASHES


@lru_cache(maxsize=1)
def _boundary_re() -> re.Pattern[str]:
    """One alternation per rule: line start, bullet, credit word, after sentence-final punctuation."""
    credits = "|".join(re.escape(w) for w in vocab.vocab("people_cues")["credit_words"])
    bullets = "".join(re.escape(b) for b in sorted(BULLETS))
    closers = "".join(re.escape(c) for c in sorted(CLOSERS))
    return re.compile(
        rf"(?:^|\n)[ \t\r\f\v\n]*(?P<line>\S)"
        rf"|(?<!\S)(?P<bullet>[{bullets}])"
        rf"|(?<!\S)(?P<credit>(?:{credits}))(?=[ \t]*:)"
        rf"|[.!?…][{closers}]*[ \t]+(?P<after>\S)"
    )


def sentence_starts(text: str) -> list[int]:
    """Character offsets where a sentence starts in ``text`` (the rules of the module docstring)."""
    starts: list[int] = []
    for m in _boundary_re().finditer(text):
        kind = m.lastgroup
        pos = m.start(kind) if kind else m.start()
        if kind == "after" and not (text[pos].isupper() or text[pos] in OPENERS):
            continue
        if not starts or starts[-1] != pos:
            starts.append(pos)
    if text.strip() and (not starts or starts[0] != len(text) - len(text.lstrip())):
        starts.insert(0, len(text) - len(text.lstrip()))
    return sorted(set(starts))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as (start_char, end_char), stripped of surrounding space: the one rule-based
    sentence splitter of the project (the ``samverkan_sentences`` component and ``sentence_bounds`` use it)."""
    starts = sentence_starts(text)
    out: list[tuple[int, int]] = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence (start_char, end_char) of ``text`` containing ``pos`` (or the nearest one before it)."""
    best = (0, 0)
    for s, e in split_sentences(text):
        if s > pos:
            break
        best = (s, e)
    return best


def _start_tokens(doc: Doc) -> np.ndarray:
    """Indexes of the tokens at which a sentence starts (the token containing a start offset; never a space)."""
    arr = doc.to_array([IDX, IS_SPACE])
    starts = np.asarray(sentence_starts(doc.text), dtype=arr.dtype)
    idx = np.searchsorted(arr[:, 0], starts, side="right") - 1
    idx = np.unique(idx[idx >= 0])
    return idx[arr[idx, 1] == 0] if len(idx) else idx


class SentenceRules:
    """Set sentence starts of press-release text by rule (see the module docstring)."""

    def __init__(self, complete: bool = True) -> None:
        self.complete = complete

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts in ``doc`` and return it (one array write, no per-token Python loop)."""
        if len(doc) == 0:
            return doc
        values = np.full(len(doc), -1 if self.complete else 0, dtype="int32")
        values[_start_tokens(doc)] = 1
        values[0] = 1
        doc.from_array([SENT_START], cast(Ints2d, values.reshape(-1, 1).astype("uint64")))
        return doc


@Language.factory(FACTORY, default_config={"complete": True})
def make_sentences(nlp: Language, name: str, complete: bool) -> SentenceRules:
    """Factory of the ``samverkan_sentences`` component (``complete``: also set non-starts to False)."""
    return SentenceRules(complete)
