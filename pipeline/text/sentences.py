"""The one rule-based sentence splitter for Swedish press-release text (characters only, no spaCy).

* a line break ends a sentence (headings without a full stop, list items, captions);
* a bullet (``•``, ``▪``, ``●``, ``·``, ``*``, or ``-``/``–``/``—`` at the start of a line)
  opens its own sentence, also when several bullets share a line;
* a credit word (``Foto:``, ``Bild:``, ``Text:`` …, ``credit_words`` in ``people_cues.json``) opens its
  own sentence;
* after ``.``, ``!``, ``?`` or ``…`` (and any closing quotes or brackets) a token that
  starts with a capital letter, a dash or an opening quote opens a sentence.

The text stage (dates, periods) uses :func:`sentence_at`; the ``samverkan_sentences`` spaCy
component (:mod:`pipeline.nlp.sentences`) marks tokens at :func:`sentence_starts`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.vocabulary import alternation, vocab

BULLETS = frozenset({"•", "▪", "●", "·", "*", "◦", "‣", "►", "■", "□", "○"})
LINE_DASHES = frozenset({"-", "–", "—"})
TERMINALS = frozenset({".", "!", "?", "…", "...", "!?", "?!"})
CLOSERS = frozenset({"”", '"', "’", "'", "»", ")", "]"})
OPENERS = frozenset({"”", '"', "“", "«", "»", "(", "'", "’"}) | LINE_DASHES


@lru_cache(maxsize=1)
def _boundary_re() -> re.Pattern[str]:
    """One alternation per rule: line start, bullet, credit word, after sentence-final punctuation."""
    credits = alternation(vocab("people_cues")["credit_words"], longest_first=False)
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
    return list(_split(text))


@lru_cache(maxsize=16)
def _split(text: str) -> tuple[tuple[int, int], ...]:
    """Cached: the date finders ask for the sentence of many positions of the same text."""
    starts = sentence_starts(text)
    out: list[tuple[int, int]] = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence (start_char, end_char) of ``text`` containing ``pos`` (or the nearest one before it)."""
    best = (0, 0)
    for s, e in _split(text):
        if s > pos:
            break
        best = (s, e)
    return best
