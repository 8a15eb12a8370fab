"""Where data lives and which model is used.

Data directory: ``--data-dir`` on every command, else ``SAMVERKAN_DATA_DIR``,
else the current directory. ``raw/`` and ``processed/`` are created on demand
below it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FILES_DIR = PACKAGE_DIR / "data"
REPO_DIR = PACKAGE_DIR.parent
DEFAULT_MODEL_DIR = REPO_DIR / "models" / "sv_samverkan"


@dataclass(frozen=True)
class Paths:
    """The folders of one data directory."""

    root: Path

    @property
    def raw(self) -> Path:
        """Immutable archive of fetched responses."""
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        """Parquet tables."""
        return self.root / "processed"

    @property
    def state(self) -> Path:
        """Crawl state (SQLite) and locks."""
        return self.root / "state"

    def ensure(self) -> Paths:
        """Create the folders if missing and return self."""
        for p in (self.raw, self.processed, self.state):
            p.mkdir(parents=True, exist_ok=True)
        return self


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Paths:
    """Resolve the data directory from the CLI option, the environment, or the cwd."""
    value = cli_value or os.environ.get("SAMVERKAN_DATA_DIR") or os.getcwd()
    return Paths(Path(value).expanduser().resolve())


def base_model_name() -> str:
    """The base spaCy model: ``SAMVERKAN_BASE_MODEL`` (a path or an installed package name
    such as ``sv_core_news_md``), else the committed model in ``models/sv_samverkan``."""
    return os.environ.get("SAMVERKAN_BASE_MODEL") or str(DEFAULT_MODEL_DIR)


# The crawler's User-Agent. Operators set SAMVERKAN_CONTACT to a page or mailto: URL where a site
# owner reaches whoever runs the crawl; SAMVERKAN_USER_AGENT replaces the whole string.
DEFAULT_CONTACT = "https://github.com/samverkan/samverkan#crawler"
USER_AGENT_TEMPLATE = "samverkan/{version} (+{contact}; research crawler of kommun news on crime prevention)"


def user_agent() -> str:
    """The User-Agent sent with every request: ``SAMVERKAN_USER_AGENT`` if set, else
    ``samverkan/<version> (+<contact>; research crawler …)`` with ``SAMVERKAN_CONTACT`` as contact URL
    (default: the project's crawler page)."""
    explicit = os.environ.get("SAMVERKAN_USER_AGENT", "").strip()
    if explicit:
        return explicit
    contact = os.environ.get("SAMVERKAN_CONTACT", "").strip() or DEFAULT_CONTACT
    return USER_AGENT_TEMPLATE.format(version=_version(), contact=contact)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("samverkan")
    except Exception:  # noqa: BLE001 - not installed (a source checkout): the version in pyproject.toml
        return "0.1.0"
