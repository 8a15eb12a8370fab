"""Convert the open Swedish corpora into spaCy DocBin files.

Usage: python scripts/convert.py CORPORA_DIR OUT_DIR

NER (swedish_ner_corpus): IO tags, ``0`` = outside; a run of one label becomes one span.
``train_corpus.txt`` is split deterministically into train (90 %) and dev (every 10th
sentence); ``test_corpus.txt`` becomes ``ner_test.spacy`` and is never used in training.

UD (Talbanken dev+test, PUD test): each sentence goes to test / dev / train by a stable
hash of its ``sent_id`` (12 % test, 8 % dev, 80 % train).

``joint_train/`` and ``joint_dev/`` hold links to the NER and UD files of a split, for the
joint training of ``configs/joint.cfg``.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span

NER_LABELS = {"PER", "ORG", "LOC", "MISC"}
UD_FILES = (
    "ud_swedish_talbanken/sv_talbanken-ud-dev.conllu",
    "ud_swedish_talbanken/sv_talbanken-ud-test.conllu",
    "ud_swedish_pud/sv_pud-ud-test.conllu",
)
UD_TEST_PERCENT = 12
UD_DEV_PERCENT = 8


def read_ner(path: Path) -> Iterator[list[tuple[str, str]]]:
    """Yield sentences as (token, label) lists from an IO-tagged file."""
    sent: list[tuple[str, str]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            if sent:
                yield sent
            sent = []
            continue
        parts = line.rstrip("\n").rsplit(None, 1)
        if len(parts) == 1:
            # one line of the upstream train file has a token without a label: count it as outside
            print(f"warning: {path}:{lineno}: token {line!r} has no label; treated as outside", file=sys.stderr)
            parts = [parts[0], "0"]
        token, label = parts[0].strip(), parts[1].strip()
        if label != "0" and label not in NER_LABELS:
            raise ValueError(f"{path}:{lineno}: unknown label {label!r}")
        sent.append((token, label))
    if sent:
        yield sent


def ner_doc(vocab: spacy.vocab.Vocab, sent: list[tuple[str, str]]) -> Doc:
    """Build a Doc whose entities are the runs of one non-outside label."""
    words = [t for t, _ in sent]
    doc = Doc(vocab, words=words)
    ents: list[Span] = []
    start: int | None = None
    for i, (_, label) in enumerate([*sent, ("", "0")]):
        prev = sent[i - 1][1] if i > 0 else "0"
        if start is not None and label != prev:
            ents.append(Span(doc, start, i, label=prev))
            start = None
        if label != "0" and start is None:
            start = i
    doc.ents = ents
    return doc


def read_conllu(path: Path) -> Iterator[tuple[str, list[list[str]]]]:
    """Yield (sent_id, token rows) from a CoNLL-U file, skipping multiword and empty nodes."""
    sent_id = ""
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if rows:
                yield sent_id, rows
            sent_id, rows = "", []
        elif line.startswith("# sent_id"):
            sent_id = line.split("=", 1)[1].strip()
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            rows.append(cols)
    if rows:
        yield sent_id, rows


def ud_doc(vocab: spacy.vocab.Vocab, rows: list[list[str]]) -> Doc:
    """Build a Doc with POS, tag, morphology, lemma, heads and deps from CoNLL-U rows."""
    words = [r[1] for r in rows]
    spaces = ["SpaceAfter=No" not in r[9] for r in rows]
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        morphs=[r[5] if r[5] != "_" else "" for r in rows],
        lemmas=[r[2] for r in rows],
        heads=[int(r[6]) - 1 if r[6] != "0" else i for i, r in enumerate(rows)],
        deps=[r[7] for r in rows],
        sent_starts=[True] + [False] * (len(rows) - 1),
    )


def ud_split(sent_id: str) -> str:
    """Deterministic split of a UD sentence by the MD5 of its sent_id."""
    bucket = int(hashlib.md5(sent_id.encode("utf-8")).hexdigest(), 16) % 100
    if bucket < UD_TEST_PERCENT:
        return "test"
    if bucket < UD_TEST_PERCENT + UD_DEV_PERCENT:
        return "dev"
    return "train"


def main(corpora: Path, out: Path) -> None:
    """Write ner_{train,dev,test}.spacy and ud_{train,dev,test}.spacy into ``out``."""
    if not corpora.is_dir():
        raise SystemExit(f"corpora folder {corpora} not found; set CORPORA=/path/to/shared/corpora")
    out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("sv")
    ner_dir = corpora / "swedish_ner_corpus"
    bins = {name: DocBin() for name in ("ner_train", "ner_dev", "ner_test")}
    for i, sent in enumerate(read_ner(ner_dir / "train_corpus.txt")):
        bins["ner_dev" if i % 10 == 9 else "ner_train"].add(ner_doc(nlp.vocab, sent))
    for sent in read_ner(ner_dir / "test_corpus.txt"):
        bins["ner_test"].add(ner_doc(nlp.vocab, sent))
    ud = {name: DocBin() for name in ("ud_train", "ud_dev", "ud_test")}
    for rel in UD_FILES:
        for sent_id, rows in read_conllu(corpora / rel):
            if not sent_id:
                raise ValueError(f"{corpora / rel}: sentence without sent_id; cannot split deterministically")
            ud["ud_" + ud_split(sent_id)].add(ud_doc(nlp.vocab, rows))
    for name, db in {**bins, **ud}.items():
        db.to_disk(out / f"{name}.spacy")
        print(f"{name}: {len(db)} sentences")
    # joint training (configs/joint.cfg) reads a folder per split: NER and UD sentences together
    for split in ("train", "dev"):
        folder = out / f"joint_{split}"
        folder.mkdir(exist_ok=True)
        for kind in ("ner", "ud"):
            link = folder / f"{kind}_{split}.spacy"
            link.unlink(missing_ok=True)
            link.symlink_to(Path("..") / f"{kind}_{split}.spacy")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: convert.py CORPORA_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
