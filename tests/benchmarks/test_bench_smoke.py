"""Smoke test of the benchmark's page generator: valid, varied Swedish pages the pipeline accepts.

No timing here: benchmark figures come from ``benchmarks/bench.py``.
"""

from __future__ import annotations

from html.parser import HTMLParser

from benchmarks.synth import SITE_PLACEHOLDER_FREE_BASE, generate_mix, generate_pages, page_html
from pipeline.nlp import AnalysisInput, analyse, load_nlp
from pipeline.text.extract import extract_html


class _Checker(HTMLParser):
    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_generator_gives_valid_varied_pages_the_pipeline_accepts() -> None:
    pages = generate_pages(20, seed=7)
    assert generate_pages(20, seed=7) == pages, "the generator must be deterministic for a seed"
    assert len({p.slug for p in pages}) == 20
    assert len({p.title for p in pages}) >= 15
    assert len({p.kommun_code for p in pages}) >= 10
    assert 4 <= sum(p.relevant for p in pages) <= 16
    chromes = set()
    for p in pages:
        html = page_html(p, SITE_PLACEHOLDER_FREE_BASE)
        assert "{{" not in html
        checker = _Checker()
        checker.feed(html)
        checker.close()
        assert not checker.errors and not checker.stack, f"{p.slug}: {checker.errors or checker.stack}"
        chromes.add(("article" in checker.tags, "aside" in checker.tags))
    assert len(chromes) >= 2, "pages should come in more than one CMS layout"

    rows = []
    for p in pages:
        url = f"{SITE_PLACEHOLDER_FREE_BASE}/nyheter/{p.slug}/"
        ex = extract_html(page_html(p, SITE_PLACEHOLDER_FREE_BASE).encode(), url=url, content_type="text/html; charset=utf-8")
        assert ex.title and p.title.split()[0] in ex.title
        assert "kakor" not in ex.text, f"{p.slug}: cookie banner not removed"
        if "article:published_time" in p.html:  # one layout gives the date only as a visible byline
            assert ex.published == p.published, f"{p.slug}: published {ex.published} != {p.published}"
        rows.append((p, AnalysisInput(text=ex.text, title=ex.title, published=ex.published, url=url)))
    facts = list(analyse(load_nlp(), [inp for _, inp in rows]))
    assert len(facts) == 20
    found = {p.slug for (p, _), f in zip(rows, facts, strict=True) if f.is_relevant}
    announced = {p.slug for p, _ in rows if p.relevant}
    assert found & announced, "no generated collaboration announcement was found relevant"
    assert any(f.collaborations for f in facts)


def test_mix_is_one_relevant_in_ten_with_news_of_the_usual_length() -> None:
    pages = generate_mix(40, seed=3)
    assert generate_mix(40, seed=3) == pages
    assert sum(p.relevant for p in pages) == 4
    facts = []
    for p in pages:
        url = f"{SITE_PLACEHOLDER_FREE_BASE}/nyheter/{p.slug}/"
        ex = extract_html(page_html(p, SITE_PLACEHOLDER_FREE_BASE).encode(), url=url, content_type="text/html; charset=utf-8")
        if not p.relevant:
            assert 900 <= len(ex.text) <= 2500, f"{p.slug}: {len(ex.text)} characters is not a usual news length"
        facts.append(AnalysisInput(text=ex.text, title=ex.title, published=ex.published, url=url))
    found = [f.is_relevant for f in analyse(load_nlp(), facts)]
    assert found == [p.relevant for p in pages]
