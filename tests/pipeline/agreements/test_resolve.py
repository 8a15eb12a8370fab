"""Agreement resolution rules (pipeline/agreements/resolve.py) on hand-made reports."""

from __future__ import annotations

import datetime as dt
import random

from pipeline.agreements import Report, resolve

D = dt.date
POL = frozenset({"polismyndigheten"})


def rep(cid: str, published: dt.date, type_: str = "samverkansoverenskommelse", *, kommuner: tuple[str, ...] = ("1489",),
        others: frozenset[str] = POL, start: dt.date | None = None, end: dt.date | None = None,
        decided: dt.date | None = None, source: str = "kommun") -> Report:
    return Report(cid, cid.split("-")[0], source, published, type_, None, start, end, decided, frozenset(kommuner), others,
                  tuple(("kommun", k, k) for k in kommuner) + tuple(("myndighet", o, o) for o in sorted(others)))


def clusters(agreements: list) -> set[frozenset[str]]:
    return {frozenset(r.collaboration_id for r in a.reports) for a in agreements}


BASE = [
    rep("a1-1", D(2024, 3, 5), start=D(2024, 1, 1), end=D(2027, 12, 31)),
    rep("a2-1", D(2024, 3, 7), source="tidning"),  # no period: joins the agreement in force
    rep("a3-1", D(2024, 3, 8), source="polisen", start=D(2024, 1, 1), end=D(2027, 12, 31)),
    rep("a4-1", D(2024, 4, 1), others=frozenset({"skatteverket"}), start=D(2024, 1, 1), end=D(2027, 12, 31)),
    rep("a5-1", D(2028, 1, 20), start=D(2028, 1, 1), end=D(2031, 12, 31)),  # renewal
    rep("a6-1", D(2025, 1, 20), "medborgarlofte", start=D(2025, 1, 1), end=D(2025, 12, 31)),
    rep("a7-1", D(2024, 3, 6), kommuner=("1441",), start=D(2024, 1, 1), end=D(2027, 12, 31)),  # other kommun
]


def test_rules_group_reports_of_one_agreement_and_keep_lookalikes_apart() -> None:
    got = clusters(resolve(BASE))
    assert got == {
        frozenset({"a1-1", "a2-1", "a3-1"}),
        frozenset({"a4-1"}),  # same kommun, other agency
        frozenset({"a5-1"}),  # same parties, other period
        frozenset({"a6-1"}),  # medborgarlöfte is another agreement
        frozenset({"a7-1"}),  # other kommun
    }


def test_renewal_points_to_previous_agreement_and_counts_are_right() -> None:
    ags = {frozenset(r.collaboration_id for r in a.reports): a for a in resolve(BASE)}
    first, renewal = ags[frozenset({"a1-1", "a2-1", "a3-1"})], ags[frozenset({"a5-1"})]
    assert renewal.renews == first.agreement_id and first.renews is None
    assert ags[frozenset({"a4-1"})].renews is None  # other agency: not a renewal of the police agreement
    assert (first.n_articles, first.n_sources, first.first_reported, first.last_reported) == (3, 3, D(2024, 3, 5), D(2024, 3, 8))
    assert first.period_start == D(2024, 1, 1) and first.period_end == D(2027, 12, 31)
    assert 0 < ags[frozenset({"a4-1"})].confidence <= 1 and first.confidence == 1.0


def test_agency_alias_and_decision_date_join() -> None:
    reports = [
        rep("b1-1", D(2023, 12, 20), start=D(2024, 1, 1), end=D(2026, 12, 31)),
        rep("b2-1", D(2023, 12, 15), decided=D(2023, 12, 14), others=frozenset({"polismyndigheten"})),
        rep("b3-1", D(2026, 6, 1), decided=D(2026, 5, 30), others=frozenset({"polismyndigheten"})),  # inside the period
    ]
    assert clusters(resolve(reports)) == {frozenset({"b1-1", "b2-1", "b3-1"})}


def test_undated_report_outside_every_period_founds_its_own() -> None:
    reports = [rep("c1-1", D(2020, 2, 1), start=D(2020, 1, 1), end=D(2020, 12, 31)), rep("c2-1", D(2023, 5, 1))]
    assert clusters(resolve(reports)) == {frozenset({"c1-1"}), frozenset({"c2-1"})}


def test_order_independent_and_every_report_in_exactly_one_agreement() -> None:
    ref = resolve(BASE)
    ids = {a.agreement_id for a in ref}
    for seed in range(5):
        shuffled = BASE[:]
        random.Random(seed).shuffle(shuffled)
        got = resolve(shuffled)
        assert [(a.agreement_id, sorted(r.collaboration_id for r in a.reports)) for a in got] == \
            [(a.agreement_id, sorted(r.collaboration_id for r in a.reports)) for a in ref]
    members = [r.collaboration_id for a in ref for r in a.reports]
    assert sorted(members) == sorted(r.collaboration_id for r in BASE) and len(ids) == len(ref)


def test_ids_stable_when_reports_join_or_an_article_changes() -> None:
    before = {frozenset(r.collaboration_id for r in a.reports): a.agreement_id for a in resolve(BASE)}
    # a later report of the first agreement arrives: every id stays
    more = resolve([*BASE, rep("a9-1", D(2025, 2, 1), source="tidning2")])
    after = {a.agreement_id for a in more}
    assert after == set(before.values())
    # "reprocessing" a7 (other kommun) with other facts changes no other agreement's id
    changed = [r for r in BASE if r.collaboration_id != "a7-1"] + [rep("a7-1", D(2024, 3, 6), kommuner=("1442",))]
    ids = {frozenset(r.collaboration_id for r in a.reports): a.agreement_id for a in resolve(changed)}
    for members, aid in before.items():
        if "a7-1" not in members:
            assert ids[members] == aid
