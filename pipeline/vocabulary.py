"""Read the vocabulary files of ``pipeline/data/vocab/`` (JSON, each with a ``_doc`` key), cached.

Every list of words, names, patterns and weights used by any stage lives in such a file;
code only reads them through :func:`vocab`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.config import DATA_FILES_DIR

VOCAB_DIR = DATA_FILES_DIR / "vocab"


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``, with an error naming the file and what to do."""
    try:
        with path.open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"vocabulary file {path} is missing; reinstall the package or restore it from git") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"vocabulary file {path} is not valid JSON ({exc}); fix the file") from exc
    return data


@cache
def vocab(name: str) -> dict[str, Any]:
    """A vocabulary of ``pipeline/data/vocab/`` by file stem (e.g. ``"roles"``)."""
    return read_json(VOCAB_DIR / f"{name}.json")


def alternation(words: Iterable[str], *, longest_first: bool = True, escape: bool = True) -> str:
    """A regex alternation of ``words`` (escaped unless ``escape`` is False).

    ``longest_first`` (the default) puts longer words first so that "mars" wins over "mar" where
    nothing after the alternation forces the longer match; with False the listed order is kept.
    """
    items = sorted(words, key=len, reverse=True) if longest_first else list(words)
    return "|".join(re.escape(w) if escape else w for w in items)


def vocab_files() -> list[Path]:
    """All vocabulary files (for documentation and tests)."""
    return sorted(VOCAB_DIR.glob("*.json"))
