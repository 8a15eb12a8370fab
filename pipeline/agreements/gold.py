"""Score agreement resolution against cluster gold (``tests/gold/agreements/``).

A cluster gold file is one small world: a JSON object with ``id``, ``description``, ``reports``
and optionally ``renews``. Each report is a short article written for the gold set::

    {"id": "c01_r1", "source_id": "lerum", "source_kommun": "1441", "published": "2023-01-17",
     "title": "…", "text": "…", "type": "samverkansoverenskommelse", "agreement": "A"}

Reports with the same ``agreement`` letter describe the same real agreement; ``renews`` maps a
letter to the letter of the agreement it follows (``{"B": "A"}``).

The whole path is measured: each report goes through the real NLP pipeline, its collaborations
become :class:`~pipeline.agreements.resolve.Report` objects and the reports of a file are
resolved together. A report is placed in the agreement of its first collaboration of the gold
``type`` (else its first collaboration); a report with no collaboration is in no agreement
(every gold pair with it is missed). Scores are pairwise over reports within each file:
precision = correct same-agreement pairs / predicted pairs, recall = correct / gold pairs.
Renewal links are scored the same way over (agreement, renewed agreement) report-letter pairs.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from pipeline.agreements.resolve import Report, resolve
from pipeline.agreements.rules import load_rules
from pipeline.scores import FieldScore


class ClusterGoldError(ValueError):
    """A cluster gold file is malformed; the message names it."""


def is_cluster_gold(folder: Path) -> bool:
    """True when the JSON files of ``folder`` are cluster gold files (they have ``reports``)."""
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        return isinstance(data, dict) and "reports" in data
    return False


def load_cluster_gold(folder: Path) -> list[dict[str, Any]]:
    """Read and check every cluster gold file of ``folder``."""
    out = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ClusterGoldError(f"cluster gold file {path} cannot be read ({exc}); fix or remove it") from exc
        reports = data.get("reports") if isinstance(data, dict) else None
        if not isinstance(reports, list) or not reports:
            raise ClusterGoldError(f"cluster gold file {path} has no 'reports' list; see pipeline/agreements/gold.py")
        for rep in reports:
            missing = {"id", "text", "agreement", "published"} - set(rep)
            if missing:
                raise ClusterGoldError(f"cluster gold file {path}: report {rep.get('id', '?')} lacks {sorted(missing)}")
        data.setdefault("id", path.stem)
        out.append(data)
    if not out:
        raise ClusterGoldError(f"{folder}: no cluster gold *.json files")
    return out


class PairScore(FieldScore):
    """Pairwise counts: :class:`pipeline.scores.FieldScore` over pairs, with the predicted and gold totals."""

    @property
    def n_pred(self) -> int:
        """Predicted pairs."""
        return self.tp + self.fp

    @property
    def n_gold(self) -> int:
        """Gold pairs."""
        return self.tp + self.fn


@dataclass
class ClusterReport:
    """Scores of agreement resolution on cluster gold."""

    n_files: int = 0
    n_reports: int = 0
    pairs: PairScore = field(default_factory=PairScore)
    renewals: PairScore = field(default_factory=PairScore)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly scores."""
        def s(p: PairScore) -> dict[str, Any]:
            return {"precision": round(p.precision, 4), "recall": round(p.recall, 4), "f1": round(p.f1, 4),
                    "tp": p.tp, "predicted": p.n_pred, "gold": p.n_gold}

        return {"files": self.n_files, "reports": self.n_reports, "pairwise": s(self.pairs), "renewals": s(self.renewals),
                "errors": self.errors}

    def render(self) -> str:
        """Plain-text table."""
        lines = [f"agreement clusters: {self.n_files} files, {self.n_reports} reports", "",
                 f"{'':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} {'pred':>5} {'gold':>5}"]
        for name, p in (("pairwise", self.pairs), ("renewals", self.renewals)):
            lines.append(f"{name:<10} {p.precision:>9.3f} {p.recall:>7.3f} {p.f1:>6.3f} {p.tp:>4} {p.n_pred:>5} {p.n_gold:>5}")
        if self.errors:
            lines += ["", "errors:"] + [f"  {e}" for e in self.errors]
        return "\n".join(lines)


def _reports_for(rep: dict[str, Any], facts: Any) -> list[Report]:
    rules = load_rules()
    out = []
    for i, c in enumerate(facts.collaborations):
        plist = [(p.party_kind, p.party_id if p.party_kind == "kommun" else rules.agency(p.party_id), p.party_name)
                 for p in c.parties if p.party_id]
        out.append(
            Report(
                collaboration_id=f"{rep['id']}-c{i + 1}",
                article_id=rep["id"],
                source_id=rep.get("source_id"),
                published=dt.date.fromisoformat(rep["published"]),
                type=c.type,
                name=c.name,
                period_start=c.period_start,
                period_end=c.period_end,
                decided_on=c.decided_on,
                kommuner=frozenset(pid for kind, pid, _ in plist if kind == "kommun"),
                others=frozenset(pid for kind, pid, _ in plist if kind != "kommun"),
                party_names=tuple(sorted(set(plist))),
            )
        )
    return out


def evaluate_clusters(folder: Path, nlp: Any = None) -> ClusterReport:
    """Run the NLP and the resolution over the cluster gold of ``folder`` and score it."""
    from pipeline.nlp import AnalysisInput, analyse, load_nlp

    worlds = load_cluster_gold(folder)
    nlp = nlp or load_nlp()
    report = ClusterReport()
    for world in worlds:
        reps = world["reports"]
        inputs = [
            AnalysisInput(r["text"], r.get("title"), dt.date.fromisoformat(r["published"]), r.get("url"), r.get("source_kommun"))
            for r in reps
        ]
        per_report = [_reports_for(r, f) for r, f in zip(reps, analyse(nlp, inputs), strict=True)]
        agreements = resolve([x for lst in per_report for x in lst])
        of_collab = {r.collaboration_id: ag for ag in agreements for r in ag.reports}
        predicted: dict[str, str | None] = {}
        for rep, lst in zip(reps, per_report, strict=True):
            chosen = next((x for x in lst if x.type == rep.get("type")), lst[0] if lst else None)
            predicted[rep["id"]] = of_collab[chosen.collaboration_id].agreement_id if chosen else None
            if chosen is None:
                report.errors.append(f"{world['id']}/{rep['id']}: no collaboration found")
        gold = {rep["id"]: rep["agreement"] for rep in reps}
        ids = [rep["id"] for rep in reps]
        pred_pairs = {(a, b) for a, b in combinations(ids, 2) if predicted[a] is not None and predicted[a] == predicted[b]}
        gold_pairs = {(a, b) for a, b in combinations(ids, 2) if gold[a] == gold[b]}
        report.pairs.add(pred_pairs, gold_pairs)
        for a, b in sorted(pred_pairs - gold_pairs):
            report.errors.append(f"{world['id']}: {a} and {b} merged but are different agreements")
        for a, b in sorted(gold_pairs - pred_pairs):
            report.errors.append(f"{world['id']}: {a} and {b} split but are the same agreement")
        # renewals: predicted links between gold letters via the reports' agreements
        ag_by_id = {ag.agreement_id: ag for ag in agreements}
        letter_of: dict[str, set[str]] = {}
        for rid, aid in predicted.items():
            if aid is not None:
                letter_of.setdefault(aid, set()).add(gold[rid])
        pred_links = set()
        for aid, letters in letter_of.items():
            prev = ag_by_id[aid].renews
            for newer in letters:
                for older in letter_of.get(prev or "", set()):
                    pred_links.add((newer, older))
        gold_links = set((world.get("renews") or {}).items())
        report.renewals.add(pred_links, gold_links)
        for newer, older in sorted(gold_links - pred_links):
            report.errors.append(f"{world['id']}: renewal {newer} -> {older} not found")
        for newer, older in sorted(pred_links - gold_links):
            report.errors.append(f"{world['id']}: renewal {newer} -> {older} predicted but not in gold")
        report.n_files += 1
        report.n_reports += len(reps)
    return report
