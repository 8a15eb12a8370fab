"""`samverkan report`: the static site renders in headless Chromium, has the 290-kommun map, and its links resolve."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.config import REPO_DIR
from pipeline.report.site import SiteError, write_site
from pipeline.report.svgmap import kommun_shapes, render_svg
from pipeline.tables.loader import load

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Collect(HTMLParser):
    """Links, sources, kommun shapes and agreement sections of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.shapes: list[dict[str, str | None]] = []
        self.agreements: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag in ("script", "img", "link", "iframe") and (a.get("src") or a.get("href")):
            self.external.append(str(a.get("src") or a.get("href")))
        if tag == "path" and a.get("class") == "kommun":
            self.shapes.append(a)
        if tag == "section" and a.get("data-agreement"):
            self.agreements.append(str(a["data-agreement"]))


def _chromium() -> str:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail(f"chromium is not installed: run {REPO_DIR / 'scripts' / 'install_chromium.sh'} (as root) first")
    return exe


def _dom(exe: str, page: Path, profile: Path) -> Collect:
    res = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    parsed = Collect()
    parsed.feed(res.stdout)
    return parsed


def test_map_has_290_kommun_shapes_keyed_by_code() -> None:
    shapes = kommun_shapes()
    assert len(shapes) == 290 and shapes["1489"][0] == "Alingsås" and shapes["0180"][0] == "Stockholm"
    svg = render_svg({"1489": "both", "0180": "medborgarlofte"})
    parsed = Collect()
    parsed.feed(svg)
    assert len(parsed.shapes) == 290
    cats = {s["data-kommun"]: s["data-category"] for s in parsed.shapes}
    assert cats["1489"] == "both" and cats["0180"] == "medborgarlofte" and cats["2584"] == "none"


def test_site_renders_in_chromium_and_links_resolve(processed_fixture: Path, tmp_path: Path) -> None:
    exe = _chromium()
    t = load(processed_fixture)
    out = write_site(t, tmp_path / "site")
    profile = tmp_path / "profile"
    index = _dom(exe, out / "index.html", profile)
    assert len(index.shapes) == 290
    coloured = {s["data-kommun"] for s in index.shapes if s["data-category"] != "none"}
    assert coloured  # something is in force in the map's year
    # a kommun page lists its agreements with evidence linking to the article pages
    kommun_codes = set(t.agreement_parties[t.agreement_parties.party_kind == "kommun"].party_id.astype(str))
    code = sorted(kommun_codes)[0]
    page = _dom(exe, out / "kommun" / f"{code}.html", profile)
    expected = set(t.agreement_parties[t.agreement_parties.party_id == code].agreement_id)
    assert set(page.agreements) == expected and expected
    assert any(link.startswith("../article/") for link in page.links)
    # every relative link of every page points to an existing file; nothing external is loaded
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 1 + len(kommun_codes) + t.agreement_evidence.article_id.nunique()
    for p in pages:
        parsed = Collect()
        parsed.feed(p.read_text(encoding="utf-8"))
        assert parsed.external == [], (p, parsed.external)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # the article's own URL shown in its facts table
            if not parts.path:
                continue  # in-page anchor
            assert (p.parent / parts.path).resolve().is_file(), (p.relative_to(out), link)
    shot = tmp_path / "index.png"
    res = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1200,1000",
                          (out / "index.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_year_outside_the_data_is_a_clear_error(processed_fixture: Path, tmp_path: Path) -> None:
    with pytest.raises(SiteError, match="--year 1990: the data covers the years"):
        write_site(load(processed_fixture), tmp_path / "site", year=1990)
