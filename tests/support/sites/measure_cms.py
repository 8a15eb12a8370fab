"""Root-only crawl of the CMS test sites (tests/support/sites/cms.py) with whichever ``pipeline`` is
first on PYTHONPATH: articles and standing pages stored, non-articles stored, sitemap junk requested.

    PYTHONPATH=<checkout> python tests/support/sites/measure_cms.py
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parents[2]))  # tests.support.server, after the measured checkout

from pipeline.crawl.fetch import PoliteFetcher  # noqa: E402
from pipeline.crawl.source import crawl_source  # noqa: E402
from pipeline.crawl.sources import Source  # noqa: E402
from pipeline.crawl.state import CrawlState  # noqa: E402
from pipeline.raw.store import RawStore  # noqa: E402
from tests.support.server import SiteServer  # noqa: E402

_spec = importlib.util.spec_from_file_location("cms", HERE / "cms.py")
assert _spec is not None and _spec.loader is not None
cms = importlib.util.module_from_spec(_spec)
sys.modules["cms"] = cms
_spec.loader.exec_module(cms)


def _path(url: str) -> str:
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def main() -> None:
    """Print one line per site and start URL."""
    runs = [("sitevision", "/"), ("municipio", "/"), ("episerver", "/"), ("other_host", "/"), ("episerver", "/aktuellt/")]
    for name, start in runs:
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            sd = tmp / "site"
            sd.mkdir()
            with SiteServer(sd) as srv:
                if name == "other_host":
                    site = cms.build_other_host(sd, srv.base, f"http://localhost:{srv.port}")
                else:
                    site = getattr(cms, f"build_{name}")(sd, srv.base)
                src = Source(name, "T", "kommun", None, (srv.url(start),), rate_per_s=100, extra_hosts=site.hosts)
                state, store = CrawlState(tmp / "s.sqlite"), RawStore(tmp / "raw")
                with PoliteFetcher(default_interval=0.0, timeout=2.0, retries=1, backoff=0.01) as f:
                    crawl_source(src, store, state, f)
                req = [r.path for r in srv.log]
                state.close()
            stored = {_path(r.url) for r in store.iter_records()}
            arts, standing, junk = set(site.articles), set(site.standing), set(site.junk)
            print(f"{name:11s} {start:10s} articles {len(stored & arts):2d}/{len(arts)}  "
                  f"standing {len(stored & standing)}/{len(standing)}  non-articles stored {len(stored - arts - standing)}  "
                  f"junk requested {sum(p in junk for p in req)}  requests {len(req)}")


if __name__ == "__main__":
    main()
