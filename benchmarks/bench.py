"""End-to-end performance benchmark of samverkan on synthetic Swedish article pages.

Usage: python benchmarks/bench.py [--quick] [--n-small 2000] [--n-large 20000] [--nightly-n N] [--two-core process|dask]
                                  [--only bare,reprocess,mix,relevant,two-core,nightly,single,scale]

Measures in one run (pages come from :mod:`benchmarks.synth`, our own words):
  (a) bare loop: trafilatura extraction + ``nlp.pipe`` in a fresh process (caches of its own), articles/s
  (b) ``reprocess_archive`` over the same pages in raw/ through to Parquet, articles/s (single core)
  (mix) (b) over a kommun's realistic output: one collaboration announcement in ten, the rest
      ordinary kommun news of the usual length (``synth.generate_mix``), articles/s
  (relevant) (b) over collaboration announcements only (every article through the whole NLP);
      target: mix_aps >= 2 x relevant_aps
      two-core: (b) again with n_process=2 (or a Dask LocalCluster), speedup over (b)
  (c) the nightly flow over a local site (DemoServer, no politeness delay), articles/s
  (d) cold single-article reprocess: ``python -m flows.cli reprocess <url>`` wall time
  (e) peak RSS of this process tree (psutil sampling, every 0.2 s)
  scaling: time of (b) at --n-large over time at --n-small
Ends with one ``BENCH key=value ...`` line. ``--only mix,relevant,reprocess`` runs just those steps (the
others print ``nan``); single, scale and two-core also run (b), whose data and time they reuse.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from benchmarks.synth import SITE_PLACEHOLDER_FREE_BASE as SITE_BASE  # noqa: E402
from benchmarks.synth import SynthPage, generate_mix, generate_pages, page_html, write_site  # noqa: E402


class RssSampler:
    """Peak resident memory of this process and all its children, sampled in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


CPU_S: dict[str, float] = {}  # label -> CPU seconds of this process (user + sys) during the step


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _rss_mb(proc: psutil.Process) -> float:
    try:
        return proc.memory_info().rss / 2**20
    except psutil.Error:
        return 0.0


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    print(f"[bench] {label} ...", flush=True)
    c0, t0 = _cpu(), time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    CPU_S[label] = _cpu() - c0
    me = psutil.Process()
    tree = [me, *me.children(recursive=True)]
    rss = {p.pid: _rss_mb(p) for p in tree}
    print(f"[bench] {label}: {dt:.1f} s wall, {CPU_S[label]:.1f} s CPU in this process; RSS now {rss[me.pid]:.0f} MB here, "
          f"{sum(rss.values()):.0f} MB with {len(tree) - 1} child processes", flush=True)
    return dt, out


def bare_loop(pages: list[SynthPage]) -> int:
    """(a) extraction + nlp.pipe, the same calls the pipeline makes, without storage or orchestration."""
    from pipeline.nlp import AnalysisInput, analyse, load_nlp
    from pipeline.text.extract import extract_html

    nlp = load_nlp()
    inputs = []
    for p in pages:
        url = f"{SITE_BASE}/nyheter/{p.slug}/"
        ex = extract_html(page_html(p, SITE_BASE).encode("utf-8"), url=url, content_type="text/html; charset=utf-8")
        inputs.append(AnalysisInput(text=ex.text, title=ex.title, published=ex.published, url=url, source_kommun=p.kommun_code))
    return sum(1 for _ in analyse(nlp, inputs))


def bare_loop_in_fresh_process(pages: list[SynthPage], spare: list[SynthPage]) -> tuple[float, int, float]:
    """(a) in a new interpreter: model load and a warm-up on ``spare``, then the timed loop.

    Returns (seconds, articles, CPU seconds). A separate process keeps the caches that the loop
    fills for these very texts (dates, gazetteer lookups, the vocabulary) away from (b).
    """
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(_timed_bare_loop, pages, spare).result()


def _timed_bare_loop(pages: list[SynthPage], spare: list[SynthPage]) -> tuple[float, int, float]:
    from pipeline.nlp import load_nlp

    load_nlp()
    bare_loop(spare)  # warm-up: lazy imports, first-call caches
    c0, t0 = _cpu(), time.perf_counter()
    n = bare_loop(pages)
    return time.perf_counter() - t0, n, _cpu() - c0


def fill_raw(pages: list[SynthPage], data_dir: Path) -> None:
    """Archive the pages in ``data_dir/raw`` as if fetched from SITE_BASE."""
    from pipeline.raw.store import RawStore

    store = RawStore(data_dir / "raw")
    t0 = datetime(2025, 1, 15, 3, 0, tzinfo=UTC)
    for i, p in enumerate(pages):
        url = f"{SITE_BASE}/nyheter/{p.slug}/"
        store.put("bench", url, url, 200, {"Content-Type": "text/html; charset=utf-8"},
                  page_html(p, SITE_BASE).encode("utf-8"), t0 + timedelta(seconds=i))


def run_reprocess(data_dir: Path, *, n_process: int = 1, dask: bool = False) -> dict[str, Any]:
    from flows.reprocess import reprocess_archive

    summary = reprocess_archive(data_dir=str(data_dir), n_process=n_process, dask_address="local" if dask else None)
    if summary["errors"]:
        print(f"[bench] reprocess errors: {summary['errors'][:3]}", flush=True)
    return summary


def count_articles(data_dir: Path) -> int:
    import pyarrow.dataset as ds

    return ds.dataset(data_dir / "processed" / "articles", format="parquet").count_rows()


def run_nightly(pages: list[SynthPage], work: Path, n_sites: int = 8) -> int:
    """(c) nightly flow over ``n_sites`` generated local sites (one source each, the registry's
    maximum rate of 100 requests/s per host); returns the articles processed."""
    from flows.nightly import nightly
    from pipeline.demo.server import DemoServer

    sites = work / "sites"
    names = [f"site{i}" for i in range(n_sites)]
    for i, name in enumerate(names):
        write_site(pages[i::n_sites], sites / name)
    data = work / "nightly-data"
    with DemoServer(sites) as srv:
        registry = work / "bench_sources.toml"
        registry.write_text("".join(
            f'[[source]]\nid = "bench_{name}"\nname = "Benchkommun {i} (syntetisk)"\nkind = "kommun"\n'
            f'kommun = "1489"\nstart_urls = ["{srv.base_urls[name]}/nyheter/"]\n'
            'article_pattern = "^/nyheter/[a-z0-9-]+/$"\nmax_pages = 5\nrate_per_s = 100.0\n\n'
            for i, name in enumerate(names)), encoding="utf-8")
        summary = nightly(sources=str(registry), data_dir=str(data), flow_label="bench", since="all")
    print(f"[bench] nightly: {summary.get('status')} fetched={summary.get('n_fetched')} articles={summary.get('n_articles')}",
          flush=True)
    return int(summary.get("n_articles") or 0)


def cold_single(data_dir: Path, url: str) -> float:
    """(d) wall time of one cold CLI reprocess (new interpreter, model load, one atomic replace)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "reprocess", url, "--data-dir", str(data_dir)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        print(f"[bench] single-article reprocess failed ({proc.returncode}): {proc.stderr.strip()[-500:]}", flush=True)
    return dt


STEPS = ("bare", "reprocess", "mix", "relevant", "two-core", "nightly", "single", "scale")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--n-small", type=int, default=2000, help="articles for (a), (b), mix, two-core and the scaling base")
    ap.add_argument("--n-large", type=int, default=20000, help="articles for the scaling run of (b); 0 skips it")
    ap.add_argument("--nightly-n", type=int, default=0, help="articles served for (c) (default: min(n-small, 1000))")
    ap.add_argument("--quick", action="store_true", help="200 / 2000 articles")
    ap.add_argument("--two-core", choices=["process", "dask"], default="process",
                    help="two-core mode: nlp.pipe n_process=2 (default) or a Dask LocalCluster")
    ap.add_argument("--only", default=",".join(STEPS),
                    help=f"comma-separated steps to run, of {','.join(STEPS)} (default: all); e.g. --only mix,reprocess")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.quick:
        args.n_small, args.n_large = 200, 2000
    args.only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = args.only - set(STEPS)
    if unknown:
        ap.error(f"--only: unknown step(s) {', '.join(sorted(unknown))}; choose from {','.join(STEPS)}")
    if args.only & {"single", "scale", "two-core"}:
        args.only.add("reprocess")  # they reuse (b)'s data or time
    if not args.n_large:
        args.only.discard("scale")
    return args


def _prefect_env(work: Path) -> None:
    os.environ.pop("PREFECT_API_URL", None)
    os.environ["PREFECT_HOME"] = str(work / "prefect-home")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # shared, loaded machine


def run_mix(n: int, seed: int, work: Path, res: dict[str, float], *, relevant_every: int = 10) -> None:
    """mix: ``reprocess_archive`` over a kommun's realistic output (one collaboration announcement in
    ten, the rest ordinary kommun news of the usual length, :func:`benchmarks.synth.generate_mix`);
    with ``relevant_every=1`` the same over collaboration announcements only (every article gets
    the whole NLP pipeline), ``relevant_aps``."""
    key = "mix" if relevant_every > 1 else "relevant"
    pages = generate_mix(n, seed=seed + 1000, relevant_every=relevant_every)
    data = work / f"data-{key}"
    timed(f"fill raw/ x{n} ({key}, {sum(p.relevant for p in pages)} relevant)", lambda: fill_raw(pages, data))
    t, summary = timed(f"({key}) reprocess_archive x{n}", lambda: run_reprocess(data))
    assert count_articles(data) == n, f"reprocess did not write every {key} article"
    res[f"{key}_aps"] = summary["articles"] / t


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    steps = args.only
    n_nightly = args.nightly_n or min(args.n_small, 1000)

    work = Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
    _prefect_env(work)
    res: dict[str, float] = {}
    ru_self = ru_kids = 0.0
    try:
        with RssSampler() as rss:
            n_pages = max(args.n_small, args.n_large if "scale" in steps else 0, n_nightly if "nightly" in steps else 0)
            pages = generate_pages(n_pages + 20, seed=args.seed)
            spare, pages = pages[-20:], pages[:-20]  # warm-ups run on pages no measurement sees
            small = pages[: args.n_small]
            print(f"[bench] {len(pages)} pages generated ({sum(p.relevant for p in pages)} collaboration announcements); "
                  f"steps {','.join(s for s in STEPS if s in steps)}; work dir {work}", flush=True)

            from pipeline.nlp import forget_loaded, load_nlp

            if "bare" in steps:
                print(f"[bench] (a) bare loop x{len(small)} (in a fresh process) ...", flush=True)
                t_a, n_a, cpu_a = bare_loop_in_fresh_process(small, spare)
                print(f"[bench] (a) bare loop x{len(small)}: {t_a:.1f} s wall, {cpu_a:.1f} s CPU", flush=True)
                res["bare_aps"] = n_a / t_a
            timed("model load", load_nlp)

            warm = work / "warm"
            fill_raw(spare[:5], warm)
            timed("Prefect warm-up (ephemeral API start)", lambda: run_reprocess(warm))
            # like (a) and (b), which time nothing but a model loaded beforehand, the two-core figure
            # excludes the one-time start of the worker pool (each worker loads the model); the cold
            # cost is what (d) measures
            if "two-core" in steps and args.two_core == "process":
                timed("two-core warm-up (worker pool start)", lambda: run_reprocess(warm, n_process=2))

            data_s = work / "data-small"
            label_b = f"(b) reprocess_archive x{len(small)}"
            t_b = float("nan")
            if "reprocess" in steps:
                timed(f"fill raw/ x{len(small)}", lambda: fill_raw(small, data_s))
                t_b, sb = timed(label_b, lambda: run_reprocess(data_s))
                res["reprocess_aps"] = sb["articles"] / t_b
                if "bare_aps" in res:
                    res["ratio"] = res["reprocess_aps"] / res["bare_aps"]
                assert count_articles(data_s) == len(small), "reprocess did not write every article"

            if "mix" in steps:
                run_mix(args.n_small, args.seed, work, res)
            if "relevant" in steps:
                run_mix(args.n_small, args.seed, work, res, relevant_every=1)
            for key in ("reprocess", "relevant"):
                if "mix_aps" in res and f"{key}_aps" in res:
                    res[f"mix_over_{key}"] = res["mix_aps"] / res[f"{key}_aps"]

            if "two-core" in steps:
                t_2, s2 = timed(f"(b) two-core ({args.two_core}) x{len(small)}",
                                lambda: run_reprocess(data_s, n_process=1 if args.two_core == "dask" else 2,
                                                      dask=args.two_core == "dask"))
                res["two_core_aps"] = s2["articles"] / t_2
                res["two_core_speedup"] = t_b / t_2
                from pipeline.nlp.parallel import shutdown_pools

                shutdown_pools()  # the worker pool lives as long as its process; the later steps are single-core

            if "nightly" in steps:
                t_c, n_c = timed(f"(c) nightly over local site x{n_nightly}", lambda: run_nightly(pages[:n_nightly], work))
                res["nightly_aps"] = n_c / t_c

            if "single" in steps:
                url = f"{SITE_BASE}/nyheter/{small[0].slug}/"
                res["single_article_s"] = cold_single(data_s, url)
                print(f"[bench] (d) cold single-article reprocess: {res['single_article_s']:.2f} s", flush=True)

            if "scale" in steps:
                if not args.keep:
                    shutil.rmtree(data_s, ignore_errors=True)
                data_l = work / "data-large"
                timed(f"fill raw/ x{args.n_large}", lambda: fill_raw(pages[: args.n_large], data_l))
                forget_loaded()  # the same fresh start as the small run it is compared with
                timed("model reload for the scaling run", load_nlp)
                label_l = f"(b) reprocess_archive x{args.n_large}"
                t_l, sl = timed(label_l, lambda: run_reprocess(data_l))
                res["scale_cpu"] = CPU_S[label_l] / CPU_S[label_b]
                res["large_aps"] = sl["articles"] / t_l
                res["scale_20k_over_2k"] = t_l / t_b
                res["t_small_s"], res["t_large_s"] = t_b, t_l
        res["peak_rss_mb"] = rss.peak / 2**20
        ru_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ru_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    _report(args, res, ru_self, ru_kids)
    return 0


def _report(args: argparse.Namespace, res: dict[str, float], ru_self: float, ru_kids: float) -> None:
    """The table of figures and the ``BENCH`` line (steps not run print as ``nan``/skipped)."""
    nan = float("nan")

    def get(key: str) -> float:
        return res.get(key, nan)

    rows = [
        ("(a) bare extract+nlp.pipe", f"{get('bare_aps'):.1f} art/s", "-"),
        ("(b) reprocess_archive, 1 core", f"{get('reprocess_aps'):.1f} art/s", f"ratio {get('ratio'):.2f} (target >= 0.7)"),
        ("(mix) 1 relevant in 10, 1 core", f"{get('mix_aps'):.1f} art/s",
         f"{get('mix_over_relevant'):.2f}x all-relevant (target >= 2), {get('mix_over_reprocess'):.2f}x (b)"),
        ("(relevant) all relevant, 1 core", f"{get('relevant_aps'):.1f} art/s", "every article through the whole NLP"),
        (f"(b) two-core ({args.two_core})", f"{get('two_core_aps'):.1f} art/s",
         f"speedup {get('two_core_speedup'):.2f}x (target >= 1.6)"),
        ("(c) nightly, local site", f"{get('nightly_aps'):.1f} art/s", "-"),
        ("(d) cold single article", f"{get('single_article_s'):.2f} s", "target <= 3 s"),
        ("(e) peak RSS (tree, sampled)", f"{get('peak_rss_mb'):.0f} MB", f"getrusage self {ru_self:.0f} MB, child {ru_kids:.0f} MB"),
        (f"scaling {args.n_large}/{args.n_small}",
         f"{res['scale_20k_over_2k']:.2f}x" if "scale_20k_over_2k" in res else "skipped",
         (f"{res['t_large_s']:.0f} s / {res['t_small_s']:.0f} s, {res['large_aps']:.1f} art/s, CPU-time ratio "
          f"{res['scale_cpu']:.2f} (target <= 11 at 10x N)"
          if "scale_20k_over_2k" in res else "-")),
    ]
    print(f"\n{'measure':34} {'value':>14}  note")
    for name, value, note in rows:
        print(f"{name:34} {value:>14}  {note}")
    print(
        f"BENCH bare_aps={get('bare_aps'):.2f} reprocess_aps={get('reprocess_aps'):.2f} ratio={get('ratio'):.3f} "
        f"mix_aps={get('mix_aps'):.2f} relevant_aps={get('relevant_aps'):.2f} mix_over_relevant={get('mix_over_relevant'):.3f} "
        f"mix_over_reprocess={get('mix_over_reprocess'):.3f} "
        f"two_core_speedup={get('two_core_speedup'):.3f} nightly_aps={get('nightly_aps'):.2f} "
        f"single_article_s={get('single_article_s'):.3f} peak_rss_mb={get('peak_rss_mb'):.0f} "
        f"scale_20k_over_2k={get('scale_20k_over_2k'):.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
