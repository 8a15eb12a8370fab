"""Crash-injection hooks for the crawl stage (tests only; inert unless set).

Discovery and fetching call :func:`step` with a name at each point where a kill matters::

    <source_id>: fetched <feed | sitemap index | sitemap | listing page> <url>  (response read, nothing recorded)
    <source_id>: reread <url>               (a 304 or unchanged <lastmod>: the stored body is read instead)
    state: writing page <canonical url>     (inside the page's transaction: validators written, body not yet)
    <source_id>: recorded <kind> <url>      (the page's validators and body committed)
    <source_id>: recording candidates       (discovery done, candidates not yet in the crawl state)
    <source_id>: recorded candidates        (every candidate committed as pending, one transaction)
    <source_id>: fetched article <url>      (article body read in full, not yet archived)
    <source_id>: archived article <url>     (raw record written, crawl state not yet updated)

``SAMVERKAN_CRAWL_CRASH_AT="<text>[#N]"`` makes the process SIGKILL itself at the N-th step (default
the first) whose name contains ``<text>``, like ``SAMVERKAN_STORE_CRASH_AFTER`` for the table store.
:data:`fault_hook`, when set, is called with every step name and may raise.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

CRASH_ENV = "SAMVERKAN_CRAWL_CRASH_AT"

fault_hook: Callable[[str], None] | None = None
"""Test hook: called with each step name (any thread); may raise to stop the crawl there."""

_lock = threading.Lock()
_matches = 0


def _crash_spec() -> tuple[str, int] | None:
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return None
    text, _, nth = spec.rpartition("#") if "#" in spec else (spec, "", "1")
    return text, int(nth or 1)


def step(name: str) -> None:
    """Mark a crawl step (see the module doc); kills or calls the hook when a test asked for it."""
    global _matches
    hook = fault_hook
    if hook is not None:
        hook(name)
    spec = _crash_spec()
    if spec is None or spec[0] not in name:
        return
    with _lock:
        _matches += 1
        hit = _matches == spec[1]
    if hit:
        os.kill(os.getpid(), signal.SIGKILL)
