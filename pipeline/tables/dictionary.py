"""The data dictionary file ``docs/data_dictionary.md``, generated from :mod:`pipeline.tables.schemas`."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import REPO_DIR
from pipeline.tables.schemas import data_dictionary_markdown

DEFAULT_PATH = REPO_DIR / "docs" / "data_dictionary.md"


def dictionary_text() -> str:
    """The exact content of the data dictionary file (Markdown, ending in one newline)."""
    return data_dictionary_markdown().rstrip("\n") + "\n"


def write_data_dictionary(path: Path = DEFAULT_PATH) -> Path:
    """Write the data dictionary to ``path`` (default ``docs/data_dictionary.md``) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dictionary_text(), encoding="utf-8")
    return path


def is_stale(path: Path = DEFAULT_PATH) -> bool:
    """True when ``path`` is missing or differs from what the schemas generate."""
    path = Path(path)
    return not path.exists() or path.read_text(encoding="utf-8") != dictionary_text()
