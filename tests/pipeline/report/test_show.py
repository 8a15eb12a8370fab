from __future__ import annotations

import html
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from pipeline.config import REPO_DIR
from pipeline.report.show import ArticleNotFoundError, ShowError, Span, find_article, highlight, render_html, render_terminal
from pipeline.tables.loader import Tables, load

LERUM_URL = "https://www.lerum.se/nyheter/avtal-mot-valfardsbrott?utm_source=x"


class MarkParser(HTMLParser):
    """Collects the text and, for every <mark>, the character range it covers (checking nesting)."""

    def __init__(self, root_id: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.root_id = root_id
        self.inside = root_id is None
        self.depth = 0
        self.text: list[str] = []
        self.pos = 0
        self.stack: list[tuple[str, int, dict[str, str | None]]] = []
        self.marks: list[tuple[int, int, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if not self.inside:
            if a.get("id") == self.root_id:
                self.inside, self.depth = True, 1
            return
        if tag != "br":
            self.depth += 1
        self.stack.append((tag, self.pos, a))

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        self.depth -= 1
        if self.root_id is not None and self.depth == 0:
            self.inside = False
            return
        open_tag, start, a = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if tag == "mark":
            self.marks.append((start, self.pos, a))

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)
            self.pos += len(data)


def covered(marks: list[tuple[int, int, dict[str, str | None]]], label: str, title: str) -> set[int]:
    return {i for s, e, a in marks if a.get("data-label") == label and a.get("title") == title for i in range(s, e)}


def lerum(t: Tables) -> str:
    return str(t.articles.loc[t.articles.source_id == "lerum"].sort_values("published").article_id.iloc[0])


def test_find_article_by_id_prefix_url_and_canonical_url(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    aid = lerum(t)
    assert find_article(aid, t).article_id == aid
    assert find_article(aid[:8], t).article_id == aid
    assert find_article(LERUM_URL, t).article_id == aid
    assert find_article(LERUM_URL.split("?")[0], t).article_id == aid
    assert find_article("https://www.lerum.se/nyheter/avtal-mot-valfardsbrott#top", t).article_id == aid
    with pytest.raises(ArticleNotFoundError) as info:
        find_article("https://www.lerum.se/nyheter/finns-inte", t)
    assert "'https://www.lerum.se/nyheter/finns-inte'" in str(info.value)
    assert str(processed_fixture.resolve() / "processed") in str(info.value)
    with pytest.raises(ShowError, match="no article with id or URL 'zzzzzz'"):
        render_html("zzzzzz", t)


def test_render_terminal_shows_every_fact(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    console = Console(record=True, width=240, color_system=None)
    render_terminal(lerum(t), t, console)
    out = console.export_text()
    for expected in ("Lerum skriver avtal mot välfärdsbrott", "samverkansoverenskommelse", "2023-01-01 – 2025-12-31",
                     "Lerum (1441)", "Skatteverket (skatteverket)", "valfardsbrott", "narkotika",
                     "Anna Berg", "kommunstyrelsens ordförande", "kso", "period_end", "2025-12-31", "PRIORITY",
                     "2023-03-14"):
        assert expected in out, expected
    console = Console(record=True, width=240, color_system=None)
    sodertalje = t.articles.loc[t.articles.source_id == "sodertalje", "url"].iloc[0]
    render_terminal(sodertalje, t, console)
    out = console.export_text()
    assert "not tied to a collaboration" in out and "grovt_vald" in out and "no people" in out


def test_highlight_nests_and_splits_crossing_spans() -> None:
    text = "Lerums kommun, Polisen & <Skatteverket>"
    spans = [Span(0, 13, "KOMMUN", "1441"), Span(7, 22, "ORG"), Span(15, 22, "MYNDIGHET", "polismyndigheten"),
             Span(0, 39, "COLLABORATION", "natverk")]
    out = highlight(text, spans)
    assert "<Skatteverket>" not in out and "&lt;Skatteverket&gt;" in out and "&amp;" in out
    p = MarkParser()
    p.feed(out)
    assert "".join(p.text) == text
    assert not p.stack
    assert covered(p.marks, "ORG", "ORG") == set(range(7, 22))
    assert covered(p.marks, "KOMMUN", "KOMMUN: 1441") == set(range(0, 13))
    assert sum(1 for *_, a in p.marks if a.get("data-label") == "ORG") == 2  # split in two pieces
    assert '<mark class="label-KOMMUN" data-label="KOMMUN" title="KOMMUN: 1441">' in out


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet="ab <>&\"'åä\n", min_size=1, max_size=40),
    raw=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from(["A", "B", "C"]),
                           st.sampled_from([None, "x", '"q"'])), max_size=8),
)
def test_highlight_property_every_span_covered_exactly(text: str,
                                                       raw: list[tuple[int, int, str, str | None]]) -> None:
    spans = [Span(s, min(s + n, len(text)), lb, norm) for s, n, lb, norm in raw if s < len(text)]
    out = highlight(text, sorted(set(spans), key=lambda x: (x.start, -x.end, x.label)))
    p = MarkParser()
    p.feed(out)
    p.close()
    assert "".join(p.text) == text
    assert not p.stack
    for title in {sp.title for sp in spans}:
        want = {i for sp in spans if sp.title == title for i in range(sp.start, sp.end)}
        assert {i for s, e, a in p.marks if a.get("title") == title for i in range(s, e)} == want


def test_render_html_escapes_and_lists_facts(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    aid = lerum(t)
    idx = t.articles.index[t.articles.article_id == aid][0]
    t.articles.loc[idx, "title"] = 'Avtal <script>alert("x")</script>'
    page = render_html(aid, t)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    p = MarkParser(root_id="article-text")
    p.feed(page)
    assert "".join(p.text) == t.articles.loc[idx, "text"]
    labels = {a["data-label"] for *_, a in p.marks}
    assert {"KOMMUN", "MYNDIGHET", "PRIORITY", "PERSON", "ROLE", "PARTY", "ORG", "COLLABORATION"} <= labels
    text = t.articles.loc[idx, "text"]
    s = text.index("Skatteverket")
    assert covered(p.marks, "MYNDIGHET", "MYNDIGHET: skatteverket") == set(range(s, s + len("Skatteverket")))
    facts = ("Legend", "Polisen (myndighet: polismyndigheten)", "narkotika (trygghet)", "kommunstyrelsens ordförande")
    for fact in facts:
        assert html.escape(fact) in page, fact


def _chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail(f"chromium is not installed: run {REPO_DIR / 'scripts' / 'install_chromium.sh'} (as root) first")
    return exe


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_html_page_renders_in_headless_chromium(processed_fixture: Path, tmp_path: Path) -> None:
    exe = _chromium()
    t = load(processed_fixture)
    aid = lerum(t)
    page = tmp_path / "article.html"
    page.write_text(render_html(aid, t), encoding="utf-8")
    cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*cmd, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    p = MarkParser(root_id="article-text")
    p.feed(dom.stdout)
    assert "".join(p.text) == t.articles.set_index("article_id").loc[aid, "text"]
    by_label = {a["data-label"]: a for *_, a in p.marks}
    assert by_label["KOMMUN"]["title"] == "KOMMUN: 1441" and by_label["KOMMUN"]["class"] == "label-KOMMUN"
    assert {"MYNDIGHET", "PRIORITY", "PERSON", "ORG"} <= set(by_label)
    assert sum(1 for *_, a in p.marks if a.get("data-label") == "ORG") == 2
    shot = tmp_path / "article.png"
    res = subprocess.run([*cmd, f"--screenshot={shot}", "--window-size=1000,900", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_article_without_facts_renders(processed_fixture: Path) -> None:
    t = load(processed_fixture)
    url = "https://www.lerum.se/nyheter/ny-lekplats"
    page = render_html(url, t)
    assert "no spans" in page and "En ny lekplats öppnar vid ån i vår." in page and "<mark" not in page
    console = Console(record=True, width=120, color_system=None)
    render_terminal(url, t, console)
    out = console.export_text()
    assert "False (score 0.05)" in out and "no collaborations" in out and "no mentions" in out
