"""Score the NLP layer against hand-coded gold files (``tests/gold/``; format in docs/ARCHITECTURE.md).

Precision, recall and F1 per field, micro-averaged over articles (sums of true positives,
false positives and false negatives). Fields: ``kommuner``, ``agencies``, ``people_name``,
``people_name_role`` (name + role_code), ``people_party`` (name + party, people with a party),
``period`` (start + end per collaboration with a period), ``published``, ``priority_areas``,
``collaboration_type``, ``collaboration_parties`` and ``relevance`` (is_relevant = true).

The published date is what the extract stage would give: ``published_hint`` if the gold
file has one, else :func:`pipeline.text.dates.find_publication_date` on the text. Gold files
with ``"seed"`` instead of ``"text"`` read their text from ``seeds_dir`` and are skipped
when it is None or missing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.errors import GoldError
from pipeline.facts import ArticleFacts, normalise_name
from pipeline.scores import FieldScore
from pipeline.text.dates import find_publication_date

FIELDS: tuple[str, ...] = (
    "kommuner", "agencies", "people_name", "people_name_role", "people_party", "period", "published",
    "priority_areas", "collaboration_type", "collaboration_parties", "relevance",
)  # fmt: skip
AGENCY_LABELS = {"MYNDIGHET", "LANSSTYRELSE", "REGION"}


@dataclass
class ArticleDiff:
    """What one article got wrong: field → (missing, extra)."""

    id: str
    errors: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)


@dataclass
class EvalReport:
    """Scores per field, plus the per-article differences."""

    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    n_articles: int = 0
    skipped: list[str] = field(default_factory=list)
    diffs: list[ArticleDiff] = field(default_factory=list)

    def f1(self, name: str) -> float:
        """F1 of field ``name``."""
        return self.fields[name].f1

    def as_dict(self, *, errors: bool = False) -> dict[str, Any]:
        """JSON-friendly scores; with ``errors`` also ``"errors"``: article id → field → missing/extra."""
        out: dict[str, Any] = {
            "n_articles": self.n_articles,
            "skipped": self.skipped,
            "fields": {
                k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4), "f1": round(v.f1, 4),
                    "tp": v.tp, "fp": v.fp, "fn": v.fn}
                for k, v in self.fields.items()
            },
        }
        if errors:
            out["errors"] = {
                d.id: {f: {"missing": _jsonable(m), "extra": _jsonable(x)} for f, (m, x) in d.errors.items()}
                for d in self.diffs
            }
        return out


def _jsonable(values: list[Any]) -> list[Any]:
    """Tuples (name, role) become lists; everything else stays as it is."""
    return [list(v) if isinstance(v, tuple) else v for v in values]


def render(report: EvalReport, *, details: bool = False) -> str:
    """A plain-text table of the report (with per-article errors when ``details``)."""
    lines = [f"{report.n_articles} articles" + (f", {len(report.skipped)} skipped" if report.skipped else ""),
             f"{'field':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for name, s in report.fields.items():
        lines.append(f"{name:<24}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}")
    if details:
        lines.append("")
        lines.append(f"errors in {len(report.diffs)} of {report.n_articles} articles (- missed, + extra):")
        for d in report.diffs:
            lines.append(f"{d.id}")
            for fname, (missing, extra) in d.errors.items():
                for value in missing:
                    lines.append(f"  {fname:<22} - {_show(value)}")
                for value in extra:
                    lines.append(f"  {fname:<22} + {_show(value)}")
    return "\n".join(lines)


def _show(value: Any) -> str:
    """One predicted or expected value as a short string."""
    if isinstance(value, tuple):
        return " | ".join("∅" if v is None else str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class GoldItem:
    """One gold article with its text resolved."""

    id: str
    text: str
    title: str | None
    url: str | None
    source_kommun: str | None
    published: datetime.date | None  # what the extract stage would give
    expected: dict[str, Any]


def _parse_date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def load_gold(gold_dir: Path, seeds_dir: Path | None = None) -> tuple[list[GoldItem], list[str]]:
    """Read every ``*.json`` below ``gold_dir``; returns (items, ids skipped because their seed text is absent)."""
    items: list[GoldItem] = []
    skipped: list[str] = []
    paths = sorted(Path(gold_dir).rglob("*.json"))
    for path in paths:
        if path.name == "floors.json":
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise GoldError(f"gold file {path} cannot be read ({exc}); fix or remove it") from exc
        if isinstance(data, dict) and "reports" in data:
            continue  # agreement cluster gold (pipeline/agreements/gold.py), scored by its own eval
        if not isinstance(data, dict) or not isinstance(data.get("expected"), dict):
            raise GoldError(f"gold file {path} has no 'expected' object; see docs/ARCHITECTURE.md (Gold files)")
        gid = str(data.get("id") or path.stem)
        if "text" in data:
            text = data["text"]
        elif "seed" in data:
            seed = Path(seeds_dir) / data["seed"] if seeds_dir else None
            if seed is None or not seed.is_file():
                skipped.append(gid)
                continue
            text = seed.read_text(encoding="utf-8")
        else:
            raise GoldError(f"gold file {path} has neither 'text' nor 'seed'")
        if data.get("published_hint"):
            try:
                published = _parse_date(data["published_hint"])
            except (TypeError, ValueError):
                raise GoldError(f"gold file {path}: published_hint {data['published_hint']!r} is not a date; write YYYY-MM-DD") from None
        else:
            found = find_publication_date(text)
            published = found.date if found else None
        items.append(GoldItem(gid, text, data.get("title"), data.get("url"), data.get("source_kommun"), published,
                              data["expected"]))
    return items, skipped


def _predicted_sets(facts: ArticleFacts, published: datetime.date | None) -> dict[str, set[Any]]:
    people = facts.people
    return {
        "kommuner": {code for code, _ in facts.kommuner},
        "agencies": {m.norm_id for m in facts.mentions if m.label in AGENCY_LABELS and m.norm_id},
        "people_name": {normalise_name(p.name) for p in people},
        "people_name_role": {(normalise_name(p.name), p.role_code) for p in people},
        "people_party": {(normalise_name(p.name), p.party) for p in people if p.party},
        "period": {(c.period_start.isoformat() if c.period_start else None,
                    c.period_end.isoformat() if c.period_end else None)
                   for c in facts.collaborations if c.period_start or c.period_end},
        "published": {published.isoformat()} if published else set(),
        "priority_areas": {p.area_code for p in facts.priority_areas},
        "collaboration_type": {c.type for c in facts.collaborations},
        "collaboration_parties": {p.party_id for c in facts.collaborations for p in c.parties},
        "relevance": {True} if facts.is_relevant else set(),
    }


def _expected_sets(exp: dict[str, Any]) -> dict[str, set[Any]]:
    people = exp.get("people") or []
    collabs = exp.get("collaborations") or []
    return {
        "kommuner": set(exp.get("kommuner") or []),
        "agencies": set(exp.get("agencies") or []),
        "people_name": {normalise_name(p["name"]) for p in people},
        "people_name_role": {(normalise_name(p["name"]), p.get("role_code")) for p in people},
        "people_party": {(normalise_name(p["name"]), p["party"]) for p in people if p.get("party")},
        "period": {(c.get("period_start"), c.get("period_end")) for c in collabs
                   if c.get("period_start") or c.get("period_end")},
        "published": {exp["published"]} if exp.get("published") else set(),
        "priority_areas": set(exp.get("priority_areas") or []),
        "collaboration_type": {c["type"] for c in collabs},
        "collaboration_parties": {p for c in collabs for p in c.get("parties") or []},
        "relevance": {True} if exp.get("is_relevant") else set(),
    }


def score_items(items: Iterable[GoldItem], facts: Iterable[ArticleFacts]) -> EvalReport:
    """Score predicted ``facts`` (same order as ``items``) against the gold items."""
    report = EvalReport()
    for item, f in zip(items, facts, strict=True):
        report.n_articles += 1
        pred, exp = _predicted_sets(f, item.published), _expected_sets(item.expected)
        diff = ArticleDiff(item.id)
        for name in FIELDS:
            report.fields[name].add(pred[name], exp[name])
            missing, extra = exp[name] - pred[name], pred[name] - exp[name]
            if missing or extra:
                diff.errors[name] = (sorted(missing, key=str), sorted(extra, key=str))
        if diff.errors:
            report.diffs.append(diff)
    return report


def evaluate(
    gold_dir: Path | Sequence[Path], nlp: Language | None = None, seeds_dir: Path | None = None
) -> EvalReport:
    """Run the NLP layer over the gold files below ``gold_dir`` (one folder or several) and score it."""
    from pipeline.nlp import AnalysisInput, analyse, load_nlp

    dirs = [Path(gold_dir)] if isinstance(gold_dir, (str, Path)) else [Path(d) for d in gold_dir]
    items: list[GoldItem] = []
    skipped: list[str] = []
    for folder in dirs:
        if not folder.is_dir():
            raise GoldError(f"gold directory {folder} does not exist; pass a folder of gold *.json files")
        more, more_skipped = load_gold(folder, seeds_dir)
        items += more
        skipped += more_skipped
    nlp = nlp or load_nlp()
    inputs = [AnalysisInput(i.text, i.title, i.published, i.url, i.source_kommun) for i in items]
    report = score_items(items, analyse(nlp, inputs))
    report.skipped = skipped
    return report
