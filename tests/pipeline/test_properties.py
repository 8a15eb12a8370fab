"""Property tests (hypothesis): URL canonicalisation and Swedish date/period parsing."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.dates import find_periods, find_publication_date, parse_date
from pipeline.urls import canonicalize

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]

label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)
hosts = st.lists(label, min_size=2, max_size=4).map(".".join)
segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö0123456789-_.~%", min_size=0, max_size=12)
paths = st.lists(segment, max_size=4).map(lambda s: "/" + "/".join(s))
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8).filter(
    lambda n: not n.startswith("utm") and n not in {"fbclid", "gclid"}
)
values = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=8)
params = st.dictionaries(names, values, max_size=4)
tracking = st.dictionaries(st.sampled_from(["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]),
                           values, max_size=3)
fragments = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", max_size=10)


def _url(scheme: str, host: str, path: str, query: list[tuple[str, str]], frag: str) -> str:
    q = "&".join(f"{k}={v}" for k, v in query)
    return f"{scheme}://{host}{path}" + (f"?{q}" if q else "") + (f"#{frag}" if frag else "")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["http", "https"]), hosts, paths, params, tracking, fragments, st.randoms())
def test_canonicalize_properties(scheme: str, host: str, path: str, keep: dict[str, str],
                                 track: dict[str, str], frag: str, rnd: object) -> None:
    items = list(keep.items()) + list(track.items())
    url = _url(scheme, host, path, items, frag)
    canon = canonicalize(url)
    assert canonicalize(canon) == canon  # idempotent
    parts = urlsplit(canon)
    assert "utm_" not in parts.query and parts.fragment == "" and "#" not in canon
    shuffled = items[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert canonicalize(_url(scheme, host.upper(), path, shuffled, "")) == canon
    for k in keep:
        assert f"{k}=" in parts.query


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_swedish_and_iso_dates_parse_to_the_date(d: date) -> None:
    assert parse_date(f"Beslutet fattades den {d.day} {MONTHS[d.month - 1]} {d.year} i fullmäktige.") == d
    assert parse_date(f"Publicerad {d.isoformat()}") == d
    found = find_publication_date(f"Publicerad: {d.day} {MONTHS[d.month - 1]} {d.year}\n\nText om samverkan.")
    assert found is not None and found.date == d


@settings(max_examples=200, deadline=None)
@given(st.integers(1990, 2090), st.integers(1, 9), st.sampled_from(["–", "-", "—"]))
def test_year_periods_parse_in_order(start: int, length: int, dash: str) -> None:
    end = start + length
    periods = find_periods(f"Överenskommelsen gäller {start}{dash}{end} och ska följas upp.")
    assert periods, f"{start}{dash}{end} not found"
    p = periods[0]
    assert p.start == date(start, 1, 1) and p.end == date(end, 12, 31)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.dates()))
def test_no_exception_on_arbitrary_text(text: str, anchor: date | None) -> None:
    parse_date(text, anchor)
    find_publication_date(text)
    for p in find_periods(text, anchor):
        if p.start is not None and p.end is not None:
            assert p.start <= p.end
