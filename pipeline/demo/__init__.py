"""Bundled demo: fictional local sites, a real HTTP server for them and a matching registry.

``DemoServer`` serves ``pipeline/demo/sites/`` on 127.0.0.1; ``render_demo_registry`` writes a
sources registry pointing at it; ``expected.json`` lists what the pipeline should find.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.demo.registry import DemoRegistryError, render_demo_registry
from pipeline.demo.server import SITES_ROOT, DemoServer, DemoServerError, RequestLogEntry

DEMO_DIR = Path(__file__).resolve().parent
EXPECTED_PATH = DEMO_DIR / "expected.json"


def load_expected() -> dict[str, Any]:
    """The parsed ``expected.json`` (sites, articles with expected collaborations)."""
    return json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))


__all__ = [
    "DEMO_DIR",
    "EXPECTED_PATH",
    "SITES_ROOT",
    "DemoRegistryError",
    "DemoServer",
    "DemoServerError",
    "RequestLogEntry",
    "load_expected",
    "render_demo_registry",
]
