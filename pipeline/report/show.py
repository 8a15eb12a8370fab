"""Show what was extracted from one article: in the terminal (rich) or as a standalone HTML page.

``render_terminal(key, tables, console)`` prints an article header and tables of
collaborations (with parties and priority areas), people, dates and mentions.
``render_html(key, tables)`` returns an HTML page with the article text in which every
evidence span is highlighted as ``<mark class="label-KOMMUN" data-label="KOMMUN"
title="KOMMUN: 1441">…</mark>``; overlapping spans are nested, and a span that crosses
another one is split into pieces that nest (each piece carries the same label).

``key`` is an ``article_id`` (or a unique prefix of one, at least 6 characters), a URL, a
canonical URL or a ``raw_id`` (:func:`pipeline.tables.lookup.match_article`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from pipeline.errors import ArticleLookupError
from pipeline.errors import ArticleNotFoundError as ArticleNotFoundError
from pipeline.errors import ShowError as ShowError
from pipeline.tables.loader import Tables
from pipeline.tables.lookup import match_article

# Colours per label for the HTML page (anything else gets the fallback colour).
LABEL_COLOURS: dict[str, str] = {
    "KOMMUN": "#ffd54f",
    "MYNDIGHET": "#81d4fa",
    "LANSSTYRELSE": "#4dd0e1",
    "REGION": "#80cbc4",
    "ORGANISATION": "#b0bec5",
    "PERSON": "#f48fb1",
    "ROLE": "#ce93d8",
    "PARTY": "#ef9a9a",
    "DATE": "#a5d6a7",
    "PRIORITY": "#ffab91",
    "COLLAB_TYPE": "#c5e1a5",
    "COLLABORATION": "#e6ee9c",
}
_FALLBACK_COLOUR = "#e0e0e0"


@dataclass(frozen=True)
class Span:
    """One highlighted span of the article text (``end`` exclusive)."""

    start: int
    end: int
    label: str
    norm: str | None = None

    @property
    def title(self) -> str:
        """Tooltip text: ``LABEL: norm`` or just the label."""
        return f"{self.label}: {self.norm}" if self.norm else self.label


def find_article(key: str, tables: Tables) -> pd.Series:
    """Return the ``articles`` row for an article id (or unique id prefix), URL, canonical URL or raw id.

    Raises :class:`ArticleNotFoundError` naming ``key`` and where it was looked for
    (the lookup is :func:`pipeline.tables.lookup.match_article`, shared with ``reprocess``).
    """
    arts = tables.articles
    where = f"{tables.data_dir / 'processed'}" if tables.data_dir else "the loaded tables"

    def column(name: str) -> list[str | None]:
        return [v if isinstance(v, str) else None for v in arts[name].astype(object)]

    try:
        i = match_article(key, [str(a) for a in arts["article_id"]], column("url"), column("canonical_url"), column("raw_id"), where)
    except ArticleLookupError as exc:
        raise ArticleNotFoundError(str(exc)) from None
    return arts.iloc[i]


def _rows(df: pd.DataFrame, article_id: str) -> pd.DataFrame:
    return df[df["article_id"] == article_id]


def _s(value: Any) -> str:
    """Display text for a cell: missing values become an empty string, dates ISO."""
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return str(value.date().isoformat() if value.tzinfo is None else value.isoformat())
    return str(value)


@dataclass
class ArticleView:
    """Everything extracted for one article, as plain frames."""

    article: pd.Series
    collaborations: pd.DataFrame
    parties: pd.DataFrame
    priority_areas: pd.DataFrame
    people: pd.DataFrame
    dates: pd.DataFrame
    mentions: pd.DataFrame


def article_view(key: str, tables: Tables) -> ArticleView:
    """Collect the rows of every table that belong to the article ``key``."""
    art = find_article(key, tables)
    aid = art["article_id"]
    return ArticleView(
        article=art,
        collaborations=_rows(tables.collaborations, aid).sort_values("start_char", na_position="last"),
        parties=_rows(tables.collaboration_parties, aid),
        priority_areas=_rows(tables.priority_areas, aid).sort_values("start_char", na_position="last"),
        people=_rows(tables.people, aid).sort_values("start_char", na_position="last"),
        dates=_rows(tables.dates, aid),
        mentions=_rows(tables.mentions, aid).sort_values(["start_char", "end_char"], na_position="last"),
    )


def _parties_of(view: ArticleView, cid: str, compact: bool = False) -> list[str]:
    p = view.parties[view.parties["collaboration_id"] == cid]
    if compact:
        return [f"{_s(r.party_name) or _s(r.party_id)} ({_s(r.party_id)})" for r in p.itertuples()]
    return [f"{_s(r.party_name) or _s(r.party_id)} ({_s(r.party_kind)}: {_s(r.party_id)})" for r in p.itertuples()]


def _areas_of(view: ArticleView, cid: str, compact: bool = False) -> list[str]:
    a = view.priority_areas[view.priority_areas["collaboration_id"] == cid]
    if compact:
        return [_s(r.area_code) for r in a.itertuples()]
    return [f"{_s(r.area_code)} ({_s(r.area_group)})" for r in a.itertuples()]


def _period(r: Any) -> str:
    start, end = _s(r.period_start), _s(r.period_end)
    return f"{start} – {end}" if start or end else ""


# --------------------------------------------------------------------------- terminal


def render_terminal(article_id_or_url: str, tables: Tables, console: Console | None = None) -> None:
    """Print one article's extraction to ``console`` (a new stdout console if None)."""
    console = console or Console()
    v = article_view(article_id_or_url, tables)
    a = v.article
    head = Text()
    head.append(_s(a["title"]) or "(no title)", style="bold")
    head.append("\n")
    for label, value in (
        ("id", a["article_id"]),
        ("url", a["url"]),
        ("source", a["source_id"]),
        ("published", a["published"]),
        ("relevant", f"{_s(a['is_relevant'])} (score {_s(a['relevance_score'])})"),
        ("text", f"{len(_s(a['text']))} characters"),
    ):
        head.append(f"{label:>10}: ", style="dim")
        head.append(_s(value) + "\n")
    console.print(Panel(head, title="article", expand=False))

    t = Table(title="collaborations", show_lines=True)
    for col in ("#", "type", "name", "period", "decided", "parties", "priority areas"):
        t.add_column(col, overflow="fold")
    evidence = Text()
    for n, r in enumerate(v.collaborations.itertuples(), start=1):
        cid = r.collaboration_id
        t.add_row(str(n), _s(r.type), _s(r.name), _period(r), _s(r.decided_on), "\n".join(_parties_of(v, cid, compact=True)),
                  "\n".join(_areas_of(v, cid, compact=True)))
        evidence.append(f"#{n} ", style="bold")
        evidence.append(f"[{_s(r.start_char)}:{_s(r.end_char)}] ", style="dim")
        evidence.append(_s(r.evidence) + "\n")
    if len(v.collaborations):
        console.print(t)
        console.print(Panel(evidence, title="evidence", expand=False))
    else:
        console.print(Text("no collaborations", style="dim"))

    loose = v.priority_areas[v.priority_areas["collaboration_id"].isna()]
    if len(loose):
        t = Table(title="priority areas (not tied to a collaboration)")
        for col in ("area_code", "area_group", "text"):
            t.add_column(col)
        for r in loose.itertuples():
            t.add_row(_s(r.area_code), _s(r.area_group), _s(r.text))
        console.print(t)

    for title, frame, cols in (
        ("people", v.people, ("name", "role", "role_code", "organisation", "party")),
        ("dates", v.dates, ("kind", "date", "granularity", "text")),
        ("mentions", v.mentions, ("label", "text", "norm_id", "start_char", "end_char")),
    ):
        if frame.empty:
            console.print(Text(f"no {title}", style="dim"))
            continue
        t = Table(title=title)
        for col in cols:
            t.add_column(col, overflow="fold")
        for r in frame.itertuples():
            t.add_row(*(_s(getattr(r, c)) for c in cols))
        console.print(t)


# --------------------------------------------------------------------------- HTML


def collect_spans(view: ArticleView) -> list[Span]:
    """Every evidence span of the article: mentions, priority areas, people, dates and collaborations."""
    text_len = len(_s(view.article["text"]))
    spans: set[Span] = set()

    def add(rows: Iterable[Any], label_of: Any, norm_of: Any) -> None:
        for r in rows:
            s, e = r.start_char, r.end_char
            if s is None or e is None or pd.isna(s) or pd.isna(e):
                continue
            s, e = max(0, int(s)), min(text_len, int(e))
            if s < e:
                spans.add(Span(s, e, str(label_of(r)), _s(norm_of(r)) or None))

    add(view.mentions.itertuples(), lambda r: r.label, lambda r: r.norm_id)
    add(view.priority_areas.itertuples(), lambda r: "PRIORITY", lambda r: r.area_code)
    add(view.people.itertuples(), lambda r: "PERSON", lambda r: r.role_code)
    add(view.dates.itertuples(), lambda r: "DATE", lambda r: r.date)
    add(view.collaborations.itertuples(), lambda r: "COLLABORATION", lambda r: r.type)
    # A PERSON from the people table duplicates the mention (norm may differ): keep one per span+label.
    best: dict[tuple[int, int, str], Span] = {}
    for sp in sorted(spans, key=lambda x: (x.start, x.end, x.label, x.norm or "")):
        key = (sp.start, sp.end, sp.label)
        if key not in best or (best[key].norm is None and sp.norm is not None):
            best[key] = sp
    return sorted(best.values(), key=lambda x: (x.start, -x.end, x.label))


def _css_class(label: str) -> str:
    return "label-" + re.sub(r"[^A-Za-z0-9_-]", "_", label)


def _open_tag(span: Span, part: bool) -> str:
    attrs = (
        f'class="{_css_class(span.label)}" data-label="{html.escape(span.label, quote=True)}" '
        f'title="{html.escape(span.title, quote=True)}"'
    )
    if part:
        attrs += ' data-part="1"'
    return f"<mark {attrs}>"


def highlight(text: str, spans: list[Span]) -> str:
    """HTML for ``text`` with ``<mark>`` around every span; escapes all text.

    Spans are opened longest first at the same start, so containment nests. When a span
    must close while a span opened after it is still open (the two cross), the inner
    span is closed and re-opened right after, as a second piece marked ``data-part``.
    """
    starts: dict[int, list[Span]] = {}
    ends: dict[int, list[Span]] = {}
    for sp in spans:
        starts.setdefault(sp.start, []).append(sp)
        ends.setdefault(sp.end, []).append(sp)
    points = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[Span] = []
    pos = 0
    for p in points:
        out.append(html.escape(text[pos:p]))
        pos = p
        closing = set(ends.get(p, []))
        if closing:
            reopen: list[Span] = []
            while any(s in closing for s in stack):
                top = stack.pop()
                out.append("</mark>")
                if top not in closing:
                    reopen.append(top)
            for sp in reversed(reopen):
                out.append(_open_tag(sp, part=True))
                stack.append(sp)
        for sp in sorted(starts.get(p, []), key=lambda x: (-x.end, x.label)):
            out.append(_open_tag(sp, part=False))
            stack.append(sp)
    out.append(html.escape(text[pos:]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } .meta { color: #555; font-size: .9rem; } .meta td { padding: 0 1rem 0 0; }
.text { line-height: 2.1; white-space: pre-wrap; border: 1px solid #ddd; padding: 1rem; border-radius: 6px; }
mark { padding: 0 1px; border-radius: 3px; }
mark mark { padding: 1px 2px; } mark mark mark { padding: 2px 3px; }
mark[data-part] { border-left: 1px dashed #666; }
.legend span { display: inline-block; margin: .2rem .4rem .2rem 0; padding: .1rem .4rem; border-radius: 3px; }
table.facts { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .9rem; }
table.facts th, table.facts td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
""".strip()


def _table_html(title: str, header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return f"<h2>{html.escape(title)}</h2><p class=\"meta\">none</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<h2>{html.escape(title)}</h2><table class=\"facts\"><tr>{head}</tr>{body}</table>"


def render_html(article_id_or_url: str, tables: Tables) -> str:
    """A standalone HTML page: article text with highlighted evidence spans, a legend, and the facts."""
    v = article_view(article_id_or_url, tables)
    a = v.article
    text = _s(a["text"])
    spans = collect_spans(v)
    labels = sorted({s.label for s in spans})
    css = _CSS + "\n" + "\n".join(
        f".{_css_class(lb)} {{ background: {LABEL_COLOURS.get(lb, _FALLBACK_COLOUR)}; }}" for lb in labels
    )
    counts = {lb: sum(1 for s in spans if s.label == lb) for lb in labels}
    legend = "".join(
        f'<span class="{_css_class(lb)}" data-label="{html.escape(lb, quote=True)}">{html.escape(lb)} '
        f"({counts[lb]})</span>"
        for lb in labels
    )
    meta_rows = [
        ("article_id", a["article_id"]), ("url", a["url"]), ("source", a["source_id"]),
        ("published", a["published"]), ("relevant", f"{_s(a['is_relevant'])} (score {_s(a['relevance_score'])})"),
        ("extractor", a["extractor_version"]),
    ]
    meta = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(_s(val))}</td></tr>" for k, val in meta_rows)
    collab_rows = [
        [_s(r.type), _s(r.name), _period(r), _s(r.decided_on), "; ".join(_parties_of(v, r.collaboration_id)),
         "; ".join(_areas_of(v, r.collaboration_id))]
        for r in v.collaborations.itertuples()
    ]
    loose = v.priority_areas[v.priority_areas["collaboration_id"].isna()]
    sections = [
        _table_html("Collaborations", ["type", "name", "period", "decided", "parties", "priority areas"], collab_rows),
        _table_html("Priority areas without a collaboration", ["area_code", "area_group", "text"],
                    [[_s(r.area_code), _s(r.area_group), _s(r.text)] for r in loose.itertuples()]),
        _table_html("People", ["name", "role", "role_code", "organisation", "party"],
                    [[_s(r.name), _s(r.role), _s(r.role_code), _s(r.organisation), _s(r.party)]
                     for r in v.people.itertuples()]),
        _table_html("Dates", ["kind", "date", "granularity", "text"],
                    [[_s(r.kind), _s(r.date), _s(r.granularity), _s(r.text)] for r in v.dates.itertuples()]),
        _table_html("Mentions", ["label", "text", "norm_id", "start", "end"],
                    [[_s(r.label), _s(r.text), _s(r.norm_id), _s(r.start_char), _s(r.end_char)]
                     for r in v.mentions.itertuples()]),
    ]
    title = html.escape(_s(a["title"]) or _s(a["article_id"]))
    return (
        "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><style>\n{css}\n</style></head><body>\n"
        f"<h1>{title}</h1><table class=\"meta\">{meta}</table>\n"
        f"<h2>Legend</h2><div class=\"legend\">{legend or 'no spans'}</div>\n"
        f"<h2>Text</h2><div class=\"text\" id=\"article-text\">{highlight(text, spans)}</div>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )
