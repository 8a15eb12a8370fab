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

The rules work on characters and live in :mod:`pipeline.text.sentences` (the text stage uses them
too); this component marks the tokens at those offsets, and ``extensions.sentence_bounds`` uses
the same function on a Doc without sentence annotation, so there is one sentence splitter.

With ``complete = true`` (the default) every other token gets ``is_sent_start = False``,
so the segmentation is complete and ``doc.sents`` works on a blank pipeline or on a model
without parser/senter. With ``complete = false`` other tokens are left ``None`` so that a
parser or senter placed after this component adds its own boundaries around ours:
``nlp.add_pipe("samverkan_sentences", before="parser", config={"complete": False})``.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from spacy.attrs import IDX, IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from pipeline.text.sentences import sentence_starts

FACTORY = "samverkan_sentences"
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
