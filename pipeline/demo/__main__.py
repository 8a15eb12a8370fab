"""Serve the bundled demo sites until interrupted: ``python -m pipeline.demo``."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from pipeline.demo.server import SITES_ROOT, DemoServer


def main(argv: list[str] | None = None) -> int:
    """Serve the bundled demo sites until interrupted: ``python -m pipeline.demo``."""
    import argparse

    parser = argparse.ArgumentParser(description="Serve the samverkan demo sites on 127.0.0.1.")
    parser.add_argument("--sites-root", type=Path, default=SITES_ROOT, help="folder with one sub-folder per site")
    args = parser.parse_args(argv)
    with DemoServer(args.sites_root) as srv:
        for site, url in srv.base_urls.items():
            print(f"{site:10} {url}/")
        print("Serving the demo sites; press Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
