"""The backfill window of ``--since``."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.crawl.window import default_since, parse_since

TODAY = date(2026, 12, 3)


def test_default_is_two_years_back() -> None:
    assert default_since(TODAY) == date(2024, 12, 3)
    assert parse_since(None, TODAY) == date(2024, 12, 3)
    assert parse_since("  ", TODAY) == date(2024, 12, 3)


def test_leap_day_falls_back_to_the_28th() -> None:
    assert default_since(date(2028, 2, 29)) == date(2026, 2, 28)


def test_iso_date_and_all() -> None:
    assert parse_since("2023-03-15", TODAY) == date(2023, 3, 15)
    assert parse_since("ALL", TODAY) is None


@pytest.mark.parametrize("bad", ["2024-13-01", "15/3/2023", "igår"])
def test_bad_value_names_itself(bad: str) -> None:
    with pytest.raises(ValueError, match=f"'{bad}' is not a date"):
        parse_since(bad, TODAY)


def test_future_date_refused() -> None:
    with pytest.raises(ValueError, match="in the future"):
        parse_since("2027-01-01", TODAY)
