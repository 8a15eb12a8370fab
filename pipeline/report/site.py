"""A static report site from the processed tables: national map, timeline, one page per kommun.

Layout of the output folder (every link is relative, no external assets, no server needed)::

    index.html               map of the chosen year (inline SVG, 290 kommuner), timeline, kommun list
    year-YYYY.html           the map for every other year covered
    kommun/CODE.html         one page per kommun with agreements: type, period, parties, priority
                             areas, people in roles, evidence sentences (highlighted as in
                             ``samverkan show --html``) linking to the article pages
    article/ARTICLE_ID.html  ``samverkan show --html`` of every article behind an agreement
"""

from __future__ import annotations

import html
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.agreements.panel import TYPES, years_in_force
from pipeline.report.show import LABEL_COLOURS, Span, _css_class, article_view, collect_spans, highlight, render_html
from pipeline.report.svgmap import render_svg, year_categories
from pipeline.tables.loader import Tables, reference_kommuner

TYPE_LABELS = {
    "samverkansoverenskommelse": "Samverkansöverenskommelse",
    "medborgarlofte": "Medborgarlöfte",
    "natverk": "Nätverk",
    "handlingsplan": "Handlingsplan",
    "avsiktsforklaring": "Avsiktsförklaring",
    "other": "Annan samverkan",
}
TYPE_COLOURS = {
    "samverkansoverenskommelse": "#3f9f7f", "medborgarlofte": "#8fd0b0", "natverk": "#6c8ebf",
    "handlingsplan": "#f1c27d", "avsiktsforklaring": "#d98c5f", "other": "#b0a0c8",
}

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
nav a { margin-right: 1rem; }
.grid { display: flex; gap: 2rem; flex-wrap: wrap; align-items: flex-start; }
.grid > div:last-child { flex: 1; min-width: 22rem; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left; vertical-align: top; }
.bar { display: inline-block; height: .9rem; }
.evidence { margin: .3rem 0 .6rem; padding: .4rem .6rem; background: #f7f7f7; border-left: 3px solid #3f9f7f; }
.meta { color: #666; font-size: .9rem; }
mark { padding: 0 .1rem; border-radius: 2px; }
"""


class SiteError(ValueError):
    """The site cannot be written (bad year or output folder); the message says what to do."""


def _e(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return html.escape(str(value))


def _page(title: str, body: str, depth: int = 0) -> str:
    up = "../" * depth
    css = _CSS + "\n".join(f".{_css_class(lb)} {{ background: {c}; }}" for lb, c in LABEL_COLOURS.items())
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{css}</style></head><body>\n"
        f'<nav><a href="{up}index.html">Översikt</a></nav>\n<h1>{html.escape(title)}</h1>\n{body}\n'
        '<p class="meta">Skapad av samverkan (samverkan report) från processed/.</p></body></html>\n'
    )


def _period(row: dict[str, Any]) -> str:
    start, end = _e(row.get("period_start")), _e(row.get("period_end"))
    return f"{start} – {end}" if start or end else ""


class _Site:
    def __init__(self, tables: Tables, out: Path, year: int | None) -> None:
        self.t = tables
        self.out = out
        self.panel = tables.panel
        years = sorted(int(y) for y in self.panel["year"].unique())
        if year is not None and year not in years:
            shown = f"{years[0]}–{years[-1]}" if years else "none (no articles yet)"
            raise SiteError(f"--year {year}: the data covers the years {shown}; choose one of those")
        self.years = years
        self.year = year if year is not None else (years[-1] if years else None)
        kommuner = tables.kommuner if len(tables.kommuner) else reference_kommuner()
        self.kommun_names = dict(zip(kommuner["kommun_code"].astype(str), kommuner["name"].astype(str), strict=True))
        self.ags = tables.agreements.astype({"type": object}).to_dict("records")
        parties = tables.agreement_parties.astype({"party_kind": object, "party_id": object})
        self.parties: dict[str, list[dict[str, Any]]] = {}
        for p in parties.to_dict("records"):
            self.parties.setdefault(p["agreement_id"], []).append(p)
        self.evidence: dict[str, list[dict[str, Any]]] = {}
        for ev in tables.agreement_evidence.to_dict("records"):
            self.evidence.setdefault(ev["agreement_id"], []).append(ev)
        self.by_kommun: dict[str, list[dict[str, Any]]] = {}
        for ag in self.ags:
            for p in self.parties.get(ag["agreement_id"], []):
                if p["party_kind"] == "kommun":
                    self.by_kommun.setdefault(str(p["party_id"]), []).append(ag)
        self.collabs = tables.collaborations.set_index("collaboration_id")
        self.articles = tables.articles.set_index("article_id")
        self._views: dict[str, Any] = {}

    # ------------------------------------------------------------------ pieces
    def map_svg(self, year: int, depth: int) -> str:
        cats = year_categories(self.panel, year)
        rows = self.panel[self.panel["year"] == year]
        titles = {str(k): f"{self.kommun_names.get(str(k), k)}: {t or 'inget känt'}" for k, t in zip(rows.kommun_code, rows.types,
                                                                                                   strict=True)}
        links = {k: f"{'../' * depth}kommun/{k}.html" for k in self.by_kommun}
        return render_svg(cats, titles=titles, links=links, width=340, caption=f"Samverkan i kraft {year}")

    def timeline(self) -> str:
        counts: dict[int, Counter[str]] = {y: Counter() for y in self.years}
        for ag in self.ags:
            span = years_in_force(ag)
            if span is None:
                continue
            for y in range(span[0], span[1] + 1):
                if y in counts:
                    counts[y][ag["type"] or "other"] += 1
        top = max((sum(c.values()) for c in counts.values()), default=0) or 1
        rows = []
        for y in self.years:
            c = counts[y]
            bars = "".join(
                f'<span class="bar" title="{TYPE_LABELS[t]}: {c[t]}" '
                f'style="width:{int(300 * c[t] / top)}px;background:{TYPE_COLOURS[t]}"></span>'
                for t in TYPES if c[t]
            )
            link = "index.html" if y == self.year else f"year-{y}.html"
            detail = ", ".join(f"{TYPE_LABELS[t]} {c[t]}" for t in TYPES if c[t]) or "–"
            rows.append(f'<tr><td><a href="{link}">{y}</a></td><td>{sum(c.values())}</td>'
                        f'<td style="white-space:nowrap">{bars}</td><td>{detail}</td></tr>')
        legend = " ".join(f'<span class="bar" style="width:1rem;background:{TYPE_COLOURS[t]}"></span> {TYPE_LABELS[t]}' for t in TYPES)
        return (
            "<h2>Tidslinje: överenskommelser i kraft per år</h2>"
            f'<p class="meta">{legend}</p><table id="timeline"><tr><th>år</th><th>i kraft</th><th></th><th>typer</th></tr>'
            + "".join(rows) + "</table>"
        )

    def view(self, article_id: str) -> Any:
        if article_id not in self._views:
            self._views[article_id] = article_view(article_id, self.t)
        return self._views[article_id]

    def evidence_html(self, ev: dict[str, Any]) -> str:
        cid, aid = ev["collaboration_id"], ev["article_id"]
        c = self.collabs.loc[cid]
        art = self.articles.loc[aid]
        text = str(art["text"] or "")
        s, e = c["start_char"], c["end_char"]
        if pd.isna(s) or pd.isna(e):
            sentence = html.escape(str(c["evidence"] or ""))
        else:
            s, e = int(s), int(e)
            spans = [Span(sp.start - s, sp.end - s, sp.label, sp.norm) for sp in collect_spans(self.view(aid))
                     if sp.start >= s and sp.end <= e]
            sentence = highlight(text[s:e], spans)
        title = _e(art["title"]) or _e(aid)
        return (
            f'<div class="evidence"><div class="sentence">{sentence}</div>'
            f'<div class="meta"><a class="article-link" href="../article/{_e(aid)}.html">{title}</a> · '
            f'{_e(art["source_id"])} · {_e(art["published"])}</div></div>'
        )

    def people_html(self, ag_id: str) -> str:
        ids = {ev["article_id"] for ev in self.evidence.get(ag_id, [])}
        people = self.t.people[self.t.people["article_id"].isin(ids) & self.t.people["role_code"].notna()]
        seen: dict[str, dict[str, Any]] = {}
        for p in people.astype({"role_code": object, "party": object}).to_dict("records"):
            seen.setdefault(p["person_id"], p)
        return "; ".join(
            f"{_e(p['name'])} ({_e(p['role'] or p['role_code'])}{(', ' + _e(p['party'])) if p['party'] else ''})"
            for p in seen.values()
        )

    def areas_html(self, ag_id: str) -> str:
        cids = {ev["collaboration_id"] for ev in self.evidence.get(ag_id, [])}
        pa = self.t.priority_areas
        codes = sorted({str(c) for c in pa[pa["collaboration_id"].isin(cids)]["area_code"].dropna()})
        return ", ".join(codes)

    # ------------------------------------------------------------------ pages
    def kommun_page(self, code: str) -> str:
        name = self.kommun_names.get(code, code)
        ags = sorted(self.by_kommun[code], key=lambda a: (str(a["period_start"] or a["first_reported"] or ""), a["agreement_id"]))
        blocks = []
        for ag in ags:
            aid = ag["agreement_id"]
            parties = ", ".join(_e(p["party_name"]) for p in self.parties.get(aid, []))
            renews = f'<a href="#{_e(ag["renews"])}">{_e(ag["renews"])}</a>' if ag["renews"] else "–"
            facts = [
                ("typ", TYPE_LABELS.get(ag["type"] or "other", _e(ag["type"]))), ("namn", _e(ag["name"]) or "–"),
                ("period", _period(ag) or "ej angiven"), ("beslutad", _e(ag["decided_on"]) or "–"), ("parter", parties),
                ("prioriterade områden", self.areas_html(aid) or "–"), ("personer i roller", self.people_html(aid) or "–"),
                ("rapporterad", f"{_e(ag['first_reported'])} – {_e(ag['last_reported'])}, {ag['n_articles']} artiklar, "
                                f"{ag['n_sources']} källor"),
                ("förnyar", renews), ("säkerhet", f"{float(ag['confidence']):.2f}"),
            ]
            table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
            evid = "".join(self.evidence_html(ev) for ev in sorted(self.evidence.get(aid, []), key=lambda x: x["collaboration_id"]))
            blocks.append(
                f'<section class="agreement" id="{_e(aid)}" data-agreement="{_e(aid)}">'
                f"<h2>{TYPE_LABELS.get(ag['type'] or 'other', '')} {_period(ag)}</h2><table>{table}</table>"
                f"<h3>Belägg</h3>{evid}</section>"
            )
        return _page(f"{name} kommun ({code})", f"<p>{len(ags)} överenskommelser.</p>" + "".join(blocks), depth=1)

    def index(self, year: int | None, is_index: bool) -> str:
        if year is None:
            body = "<p>Inga artiklar ännu.</p>"
        else:
            in_force = self.panel[(self.panel["year"] == year) & (self.panel["n_agreements"] > 0)]
            other_years = " ".join(
                f'<a href="{"index.html" if y == self.year else f"year-{y}.html"}">{y}</a>' for y in self.years
            )
            body = (
                f'<p>{len(self.ags)} överenskommelser i {len(self.by_kommun)} kommuner. '
                f'{len(in_force)} kommuner har samverkan i kraft {year}. År: {other_years}</p>'
                f'<div class="grid"><div id="map">{self.map_svg(year, 0)}</div><div>{self.timeline() if is_index else ""}'
                + self.kommun_list() + "</div></div>"
            )
        return _page(f"Samverkan mot brott {year or ''}".strip(), body)

    def kommun_list(self) -> str:
        items = "".join(
            f'<li><a href="kommun/{code}.html">{html.escape(self.kommun_names.get(code, code))}</a> ({len(ags)})</li>'
            for code, ags in sorted(self.by_kommun.items(), key=lambda kv: self.kommun_names.get(kv[0], kv[0]))
        )
        return f'<h2>Kommuner med överenskommelser</h2><ul id="kommuner">{items}</ul>'

    def write(self) -> Path:
        out = self.out
        if out.exists() and not out.is_dir():
            raise SiteError(f"--out {out}: exists and is not a folder; give a folder")
        for sub in ("kommun", "article"):
            if (out / sub).is_dir():
                shutil.rmtree(out / sub)  # our own pages from an earlier run
            (out / sub).mkdir(parents=True, exist_ok=True)
        for old in out.glob("year-*.html"):
            old.unlink()
        (out / "index.html").write_text(self.index(self.year, True), encoding="utf-8")
        for y in self.years:
            if y != self.year:
                (out / f"year-{y}.html").write_text(self.index(y, False), encoding="utf-8")
        for code in self.by_kommun:
            (out / "kommun" / f"{code}.html").write_text(self.kommun_page(code), encoding="utf-8")
        for aid in sorted({ev["article_id"] for evs in self.evidence.values() for ev in evs}):
            page = render_html(aid, self.t).replace("<body>\n", '<body>\n<nav><a href="../index.html">Översikt</a></nav>\n', 1)
            (out / "article" / f"{aid}.html").write_text(page, encoding="utf-8")
        return out


def write_site(tables: Tables, out: Path, year: int | None = None) -> Path:
    """Write the report site for ``tables`` to ``out`` (created); returns ``out``.

    ``year`` chooses the map on the index (default: the latest year covered); raises
    :class:`SiteError` for a year outside the data.
    """
    return _Site(tables, Path(out), year).write()
