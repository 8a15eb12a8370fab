"""The backfill window: how far back a crawl reads (``samverkan run --since``).

A kommun site holds news going back a decade or more; the first night reads only articles dated
on or after ``since`` (default: two years before today). Later nights fetch only what is new, so
the window matters mostly for the first night. ``"all"`` removes the bound.
"""

from __future__ import annotations

from datetime import date

DEFAULT_YEARS = 2


def default_since(today: date | None = None) -> date:
    """Two years before ``today`` (default: the current date)."""
    today = today or date.today()
    try:
        return today.replace(year=today.year - DEFAULT_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - DEFAULT_YEARS, day=28)


def parse_since(value: str | None, today: date | None = None) -> date | None:
    """The window's first day from a command-line or flow value.

    ``None`` or ``""`` gives :func:`default_since`; ``"all"`` gives ``None`` (no bound); otherwise an ISO
    date ``YYYY-MM-DD``. Raises ``ValueError`` with a message naming the value and the accepted forms.
    """
    if value is None or not value.strip():
        return default_since(today)
    text = value.strip().lower()
    if text == "all":
        return None
    try:
        since = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a date; give YYYY-MM-DD or 'all'") from None
    if since > (today or date.today()):
        raise ValueError(f"{value!r} is in the future; give a past date (YYYY-MM-DD) or 'all'")
    return since
