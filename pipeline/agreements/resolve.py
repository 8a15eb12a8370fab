"""Resolve article collaborations into agreements (real-world collaborations).

Rules (thresholds and vocabularies in ``pipeline/data/vocab/agreements.json``):

1. **Same parties, same kind.** Two reports can be the same agreement only if their types are in
   the same type group (``type_groups``: a signed överenskommelse and its medborgarlöfte stay
   apart) and they name exactly the same kommuner. Their other parties (agencies, län, regions,
   organisations; ``agency_aliases`` applied) must be compatible: they share at least one, or
   one report names none (Polisen and Skatteverket with the same kommun are two agreements).
2. **Same time.** Reports are placed in a fixed order, dated ones first: reports with a period
   (by period start), then reports with only a decision date, then undated reports (by
   publication date). A report joins the best compatible agreement already formed, or founds one:

   * with a period: an agreement whose period starts (or, without starts, ends) at most
     ``same_period_days`` apart;
   * with only a decision date: an agreement whose period covers it or starts at most
     ``decision_lead_days`` after it, or one decided at most ``same_decision_days`` apart;
   * undated: the agreement whose period covers the publication date (a start without an end
     runs ``default_duration_years`` of its type), else one starting at most
     ``decision_lead_days`` after it, else one decided on or before it and still running, else an
     undated agreement first reported at most the type's duration earlier.

   Among several candidates the one sharing most other parties wins, then the one whose period
   covers the date, then the nearest start, then the earliest formed.
3. **Renewals.** Agreements of the same type group, kommuner and compatible other parties are
   ordered by start (period start, else decision date, else first report); each ``renews`` the one
   before it.
4. **Ids.** ``agreement_id`` = ``"ag-"`` + 16 hex digits of SHA-1 over the agreement's *earliest
   evidence* (its report with the earliest publication date, then smallest article id): that
   article's id, the type group, the kommuner and that report's own period start. A later
   report joining, or reprocessing any other article, leaves the id unchanged; the id changes
   only when the earliest report itself changes (it is reprocessed with other facts, or an earlier
   report of the same agreement arrives). The result depends only on the reports, never on the
   order they arrive in, so a full rebuild gives the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.agreements.rules import Rules, load_rules

_MAX = dt.date.max


@dataclass(frozen=True)
class Report:
    """One article collaboration, as resolution sees it."""

    collaboration_id: str
    article_id: str
    source_id: str | None
    published: dt.date | None
    type: str | None
    name: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    decided_on: dt.date | None = None
    kommuner: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()  # canonical ids of the other parties
    party_names: tuple[tuple[str, str, str], ...] = ()  # (party_kind, canonical party_id, name)

    @property
    def has_period(self) -> bool:
        """True when the report gives a period start or end."""
        return self.period_start is not None or self.period_end is not None


@dataclass
class Agreement:
    """A resolved agreement and the reports behind it."""

    agreement_id: str = ""
    group: str = ""
    kommuner: frozenset[str] = frozenset()
    others: set[str] = field(default_factory=set)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    decided_on: dt.date | None = None
    reports: list[Report] = field(default_factory=list)
    strengths: list[float] = field(default_factory=list)
    renews: str | None = None
    confidence: float = 0.0
    _effective_end: dt.date | None = None

    # ---------------------------------------------------------------- derived facts
    @property
    def type(self) -> str | None:
        """Most frequent type among the reports (ties: alphabetical)."""
        counts = Counter(r.type for r in self.reports if r.type)
        return min(counts, key=lambda t: (-counts[t], t)) if counts else None

    @property
    def name(self) -> str | None:
        """Most frequent name among the reports, if any has one."""
        counts = Counter(r.name for r in self.reports if r.name)
        return min(counts, key=lambda t: (-counts[t], t)) if counts else None

    @property
    def first_reported(self) -> dt.date | None:
        """Earliest publication date."""
        dates = [r.published for r in self.reports if r.published]
        return min(dates) if dates else None

    @property
    def last_reported(self) -> dt.date | None:
        """Latest publication date."""
        dates = [r.published for r in self.reports if r.published]
        return max(dates) if dates else None

    @property
    def n_articles(self) -> int:
        """Distinct articles reporting it."""
        return len({r.article_id for r in self.reports})

    @property
    def n_sources(self) -> int:
        """Distinct sources reporting it."""
        return len({r.source_id for r in self.reports if r.source_id})

    @property
    def start(self) -> dt.date:
        """When it begins: period start, else decision date, else first report (for ordering)."""
        return self.period_start or self.decided_on or self.first_reported or _MAX

    def parties(self) -> list[tuple[str, str, str]]:
        """(party_kind, party_id, party_name) of every party, kommuner first, names by majority."""
        names: dict[tuple[str, str], Counter[str]] = {}
        for r in self.reports:
            for kind, pid, pname in r.party_names:
                names.setdefault((kind, pid), Counter())[pname] += 1
        out = []
        for (kind, pid), counts in names.items():
            best = min(counts, key=lambda n: (-counts[n], n)) if counts else pid
            out.append((kind, pid, best))
        return sorted(out, key=lambda p: (p[0] != "kommun", p[0], p[1]))

    def anchor(self) -> Report:
        """The earliest evidence: earliest publication date, then smallest article and collaboration id."""
        return min(self.reports, key=_anchor_key)


def _anchor_key(r: Report) -> tuple[dt.date, str, str]:
    return (r.published or _MAX, r.article_id, r.collaboration_id)


def _days(a: dt.date, b: dt.date) -> int:
    return abs((a - b).days)


def _agencies_ok(a: set[str] | frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def _jaccard(a: set[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class _Resolver:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules

    def effective_end(self, ag: Agreement, type_: str | None) -> dt.date | None:
        if ag.period_end is not None:
            return ag.period_end
        if ag.period_start is not None:
            return self.rules.duration_end(type_, ag.period_start)
        return None

    def match(self, ag: Agreement, r: Report) -> tuple[str, int, int] | None:
        """How ``r`` fits ``ag``: (join kind, covers 0/1, distance in days) or None."""
        if r.has_period:
            return self._match_period(ag, r)
        if r.decided_on is not None:
            return self._match_decision(ag, r, r.decided_on)
        return self._match_published(ag, r)

    def _match_period(self, ag: Agreement, r: Report) -> tuple[str, int, int] | None:
        """A report with a period joins the agreement whose period starts (or ends) at about the same date."""
        same = self.rules.same_period_days
        if r.period_start and ag.period_start:
            d = _days(r.period_start, ag.period_start)
            return ("same_period", 1, d) if d <= same else None
        if r.period_end and ag.period_end:
            d = _days(r.period_end, ag.period_end)
            return ("same_period", 1, d) if d <= same else None
        return None

    def _match_decision(self, ag: Agreement, r: Report, when: dt.date) -> tuple[str, int, int] | None:
        """A report with only a decision date joins the agreement in force then (or starting soon after)."""
        rules = self.rules
        if ag.period_start is not None:
            end = self.effective_end(ag, r.type)
            if ag.period_start <= when and (end is None or when <= end):
                return ("decision_in_period", 1, (when - ag.period_start).days)
            lead = (ag.period_start - when).days
            return ("decision_in_period", 0, lead) if 0 < lead <= rules.decision_lead_days else None
        if ag.decided_on is not None and _days(ag.decided_on, when) <= rules.same_decision_days:
            return ("same_decision", 1, _days(ag.decided_on, when))
        return None

    def _match_published(self, ag: Agreement, r: Report) -> tuple[str, int, int] | None:
        """An undated report joins the agreement whose period (or decision, or first report) covers its publication."""
        if r.published is None:
            return ("undated_chain", 0, 0) if ag.period_start is None and ag.decided_on is None else None
        p = r.published
        if ag.period_start is not None:
            end = self.effective_end(ag, r.type)
            if ag.period_start <= p and (end is None or p <= end):
                return ("published_in_period", 1, (p - ag.period_start).days)
            lead = (ag.period_start - p).days
            return ("published_before_start", 0, lead) if 0 < lead <= self.rules.decision_lead_days else None
        if ag.decided_on is not None:
            dur_end = self.rules.duration_end(r.type, ag.decided_on)
            ok = ag.decided_on <= p and (dur_end is None or p <= dur_end)
            return ("published_after_decision", 0, (p - ag.decided_on).days) if ok else None
        first = ag.first_reported
        if first is None:
            return ("undated_chain", 0, 0)
        dur_end = self.rules.duration_end(r.type, first)
        return ("undated_chain", 0, (p - first).days) if first <= p and (dur_end is None or p <= dur_end) else None

    def place(self, group: list[Agreement], r: Report) -> None:
        best: tuple[tuple[float, int, int, int], Agreement, str] | None = None
        for i, ag in enumerate(group):
            if not _agencies_ok(ag.others, r.others):
                continue
            m = self.match(ag, r)
            if m is None:
                continue
            kind, covers, dist = m
            score = (-_jaccard(ag.others, r.others), -covers, dist, i)
            if best is None or score < best[0]:
                best = (score, ag, kind)
        if best is None:
            ag = Agreement(kommuner=r.kommuner, period_start=r.period_start, period_end=r.period_end, decided_on=r.decided_on)
            kind = (
                "founded_with_period" if r.has_period else "founded_with_decision" if r.decided_on else "founded_without_dates"
            )
            group.append(ag)
        else:
            ag, kind = best[1], best[2]
            if ag.decided_on is None and r.decided_on is not None:
                ag.decided_on = r.decided_on
            if ag.period_end is None and r.period_end is not None and r.has_period:
                ag.period_end = r.period_end
            if ag.period_start is None and r.period_start is not None:
                ag.period_start = r.period_start
        ag.reports.append(r)
        ag.others |= r.others
        ag.strengths.append(self.rules.join_confidence[kind])


def _order(r: Report) -> tuple[int, dt.date, dt.date, str, str]:
    if r.has_period:
        rank, when = 0, r.period_start or r.period_end or _MAX
    elif r.decided_on is not None:
        rank, when = 1, r.decided_on
    else:
        rank, when = 2, r.published or _MAX
    return (rank, when, r.published or _MAX, r.article_id, r.collaboration_id)


def _make_id(ag: Agreement, a: Report, taken: set[str]) -> str:
    key = "|".join([a.article_id, ag.group, ",".join(sorted(ag.kommuner)), a.period_start.isoformat() if a.period_start else ""])
    base = "ag-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]  # noqa: S324 - an id, not security
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def resolve(reports: Iterable[Report], rules: Rules | None = None) -> list[Agreement]:
    """Resolve reports into agreements (see the module doc for the rules).

    Every report ends in exactly one agreement. The result is sorted by agreement id and does
    not depend on the order of ``reports``.
    """
    rules = rules or load_rules()
    resolver = _Resolver(rules)
    groups: dict[tuple[str, frozenset[str]], list[Report]] = {}
    for r in reports:
        groups.setdefault((rules.type_group(r.type), r.kommuner), []).append(r)
    out: list[Agreement] = []
    for (group_name, _k), members in sorted(groups.items(), key=lambda kv: (kv[0][0], sorted(kv[0][1]))):
        formed: list[Agreement] = []
        for r in sorted(members, key=_order):
            resolver.place(formed, r)
        for ag in formed:
            ag.group = group_name
        out += formed
        _link_renewals(formed)
    # ids: by anchor order, so that the rare collision suffix is deterministic too
    taken: set[str] = set()
    anchors = {id(ag): ag.anchor() for ag in out}
    for ag in sorted(out, key=lambda a: _anchor_key(anchors[id(a)])):
        ag.agreement_id = _make_id(ag, anchors[id(ag)], taken)
    for ag in out:
        conf = sum(ag.strengths) / len(ag.strengths)
        if ag.n_sources >= 2:
            conf += rules.multi_source_bonus
        ag.confidence = round(min(1.0, conf), 3)
    by_obj = {id(a): a for a in out}
    for ag in out:
        if ag.renews is not None:
            ag.renews = by_obj[int(ag.renews)].agreement_id
    return sorted(out, key=lambda a: a.agreement_id)


def _link_renewals(formed: list[Agreement]) -> None:
    """Set ``renews`` (temporarily to ``str(id(obj))``) to the previous compatible agreement of the group."""
    ordered = sorted(formed, key=lambda a: (a.start, a.anchor().article_id))
    for i, ag in enumerate(ordered):
        for prev in reversed(ordered[:i]):
            if prev.start < ag.start and _agencies_ok(prev.others, frozenset(ag.others)):
                ag.renews = str(id(prev))
                break
