"""Render the demo sources registry for the base URLs of a running :class:`DemoServer`."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import DemoRegistryError

TEMPLATE_PATH = Path(__file__).resolve().parent / "sources_demo.toml.tmpl"
_PLACEHOLDER = re.compile(r"\{\{([a-z0-9_]+)\}\}")


def render_demo_registry(base_urls: dict[str, str], dest: Path, template: Path = TEMPLATE_PATH) -> Path:
    """Write the demo registry to ``dest`` with ``{{site}}`` placeholders replaced by ``base_urls[site]``.

    ``base_urls`` is ``DemoServer.base_urls`` (``{"kommun_a": "http://127.0.0.1:PORT", ...}``);
    trailing slashes are dropped. Returns ``dest``. Raises :class:`DemoRegistryError` naming the
    missing site when the template refers to a site without a base URL.
    """
    text = template.read_text(encoding="utf-8")
    needed = sorted(set(_PLACEHOLDER.findall(text)))
    missing = [site for site in needed if site not in base_urls]
    if missing:
        raise DemoRegistryError(
            f"{template}: no base URL for demo site(s) {', '.join(missing)}; "
            f"start DemoServer with these sites (got {', '.join(sorted(base_urls)) or 'none'})"
        )
    for site, url in base_urls.items():
        if not re.fullmatch(r"https?://[^\s\"'{}]+", url):
            raise DemoRegistryError(f"base URL for demo site {site!r} is not an http(s) URL: {url!r}")
    rendered = _PLACEHOLDER.sub(lambda m: base_urls[m.group(1)].rstrip("/"), text)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(rendered, encoding="utf-8")
    return dest
