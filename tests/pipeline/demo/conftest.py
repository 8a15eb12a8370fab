"""Fixtures for the demo tests: one real DemoServer for the module, and HTML helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import pytest

from pipeline.demo import DemoServer


@pytest.fixture(scope="module")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as srv:
        yield srv


class PageParser(HTMLParser):
    """Collects links, meta tags, <time datetime>, <h1>/<title> text and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.alternates: list[dict[str, str]] = []
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.h1 = ""
        self.title = ""
        self.text_parts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("a", "link") and "href" in a:
            if tag == "link" and a.get("rel") == "alternate":
                self.alternates.append(a)
            if tag == "a" or a.get("rel") in ("alternate", "stylesheet"):
                self.links.append(a["href"])
        if tag in ("img", "script") and "src" in a:
            self.links.append(a["src"])
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        if tag == "time" and "datetime" in a:
            self.times.append(a["datetime"])
        if tag in ("h1", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "h1" in self._in:
            self.h1 += data
        elif "title" in self._in:
            self.title += data
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())


def parse_page(html: str) -> PageParser:
    p = PageParser()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(name="parse_page")
def parse_page_fixture() -> Callable[[str], PageParser]:
    """The function ``parse_page(html) -> PageParser`` (links, meta, <time>, h1, title, text)."""
    return parse_page
