"""The ``samverkan`` command line.

Commands that need no orchestration (extract, show, eval, reprocess of one
article, sources check, dictionary) never import Prefect, so they start fast.
Every known error (:class:`pipeline.errors.SamverkanError`, and the few system errors
:func:`pipeline.errors.describe` knows) is printed as one line naming the input and what to
do. Exit codes: 0 done, 1 run failed, 2 bad input or setup, 3 Prefect server lost
(:mod:`flows.server_watch`), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import SamverkanError, describe

log = logging.getLogger("samverkan")


class UserError(SamverkanError):
    """An error in the command line or its setup; printed as one line, exit code 2."""


class RunFailedError(SamverkanError):
    """A run (flow) ended with a known error; printed as one line, exit code 1."""

    exit_code = 1


@contextlib.contextmanager
def _run_failures() -> Iterator[None]:
    """Inside a run, a known error means "the run failed" (exit 1), not "bad input" (exit 2)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - sorted by describe(): known errors become one line
        message = describe(exc)
        if message is None:
            raise
        raise RunFailedError(message) from exc


def _since(value: str) -> str:
    """``--since``: an ISO date or 'all', checked here, passed on as text."""
    from pipeline.crawl.window import parse_since

    try:
        parse_since(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value.strip().lower()


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be 1 or more")
    return number


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", help="where raw/ and processed/ live (default: $SAMVERKAN_DATA_DIR or the current directory)")
    p.add_argument("--quiet", action="store_true", help="print only errors (for cron)")
    p.add_argument("--json-logs", action="store_true", help="log one JSON object per line (for log shippers)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``samverkan``."""
    parser = argparse.ArgumentParser(prog="samverkan", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="serve the bundled demo sites on 127.0.0.1 and run the nightly flow on them")
    _add_common(p)
    p.add_argument("--runs", type=_positive_int, default=1, help="how many nightly runs to make (default 1)")
    p.add_argument(
        "--port", type=int, default=8701, help="first of the stable 127.0.0.1 ports the demo sites use (default 8701)"
    )

    p = sub.add_parser("run", help="run the nightly job once")
    _add_common(p)
    p.add_argument("--sources", help="sources registry TOML (default: the shipped registry of all 290 kommuner)")
    p.add_argument("--refetch", action="store_true", help="download known article pages again")
    p.add_argument(
        "--since", type=_since, default=None, metavar="DATE",
        help="read only articles dated on or after DATE (YYYY-MM-DD, or 'all'; default: two years back)",
    )
    p.add_argument("--batch-size", type=_positive_int, default=64, help="articles per atomic commit")
    p.add_argument("--n-process", type=_positive_int, default=1, help="worker processes for extraction and NLP")

    p = sub.add_parser("serve", help="register the nightly schedule with a Prefect server and run it")
    _add_common(p)
    p.add_argument("--sources", help="sources registry TOML")
    p.add_argument("--cron", default="0 3 * * *", help="cron expression, Europe/Stockholm (default: 03:00 nightly)")
    p.add_argument("--name", default="samverkan-nightly", help="deployment name")

    p = sub.add_parser("reprocess", help="reprocess one article (URL or article_id) or the whole archive")
    _add_common(p)
    p.add_argument("ref", nargs="?", help="article URL or article_id")
    p.add_argument("--all", action="store_true", help="reprocess every article in raw/")
    p.add_argument("--since", type=_date_arg, help="with --all: only raw records fetched on or after this date")
    p.add_argument("--until", type=_date_arg, help="with --all: only raw records fetched on or before this date")
    p.add_argument("--refetch", action="store_true", help="download the article again instead of using raw/")
    p.add_argument(
        "--prefect", action="store_true", help="run as a Prefect flow (default for --all; single articles skip Prefect start-up)"
    )
    p.add_argument("--dask-address", help="with --all: an existing Dask scheduler address ('local' starts a LocalCluster)")
    p.add_argument("--n-process", type=_positive_int, default=1, help="worker processes for extraction and NLP")
    p.add_argument("--batch-size", type=_positive_int, default=200, help="with --all: articles per batch")

    p = sub.add_parser("extract", help="print the extraction of one .html or .txt file")
    _add_common(p)
    p.add_argument("file", type=Path)
    p.add_argument("--url", help="the URL the file came from (gives a stable article_id)")
    p.add_argument("--published", type=_date_arg, help="publication date if known (YYYY-MM-DD)")
    p.add_argument("--kommun", help="SCB code of the publishing kommun, if known")
    p.add_argument("--json", action="store_true", help="print the DESIGN.md JSON object")

    p = sub.add_parser("eval", help="score the extraction against a folder of gold JSON files")
    _add_common(p)
    p.add_argument("gold_dir", type=Path)
    p.add_argument("--seeds-dir", type=Path, help="folder of seed texts for gold files that name a seed")
    p.add_argument("--errors", action="store_true", help="also list, per article and field, what was missed and what was extra")
    p.add_argument("--json", action="store_true", help="print the scores (and with --errors the per-article errors) as JSON")

    p = sub.add_parser("show", help="show one article's extraction from processed/")
    _add_common(p)
    p.add_argument("ref", help="article_id or URL")
    p.add_argument("--html", type=Path, metavar="OUT", help="write an HTML page highlighting every evidence span")

    p = sub.add_parser("report", help="write a static report site (map, timeline, one page per kommun) from processed/")
    _add_common(p)
    p.add_argument("--out", help="folder to write the site to (default: DATA_DIR/report)")
    p.add_argument("--year", type=int, help="year the national map shows (default: the latest year covered)")

    p = sub.add_parser("sources", help="work with source registries")
    _add_common(p)
    ssub = p.add_subparsers(dest="sources_command", required=True, metavar="SUBCOMMAND")
    pc = ssub.add_parser("check", help="report what discovery finds for each source")
    pc.add_argument("file", nargs="?", help="registry TOML (default: the shipped registry)")
    pc.add_argument("--only", help="comma-separated source ids to check")
    pc.add_argument("--limit", type=_positive_int, metavar="N", help="check only the first N sources (after --only)")
    pc.add_argument("--workers", type=_positive_int, default=4, metavar="N",
                    help="sources checked at once (default 4; one request in flight per host regardless)")
    pc.add_argument("--json", action="store_true", help="print one JSON object per source instead of the table")

    p = sub.add_parser("dictionary", help="print or write the data dictionary generated from the schemas")
    _add_common(p)
    p.add_argument("--write", action="store_true", help="write docs/data_dictionary.md")
    return parser


def _configure_logging(args: argparse.Namespace) -> None:
    quiet = bool(getattr(args, "quiet", False))
    json_logs = bool(getattr(args, "json_logs", False))
    from pipeline.report.progress import configure_output

    configure_output(quiet=quiet, json_logs=json_logs)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no telemetry from a research crawler
    # Prefect's 20 s default for starting its temporary server is too short on a busy two-core machine
    # (seen: `demo` failing while other jobs ran); a user's own setting wins.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # A handler that cannot deliver a record (e.g. Prefect's log shipping to a server that went away)
    # must not print its own traceback to the terminal; the CLI reports the cause in one line.
    logging.raiseExceptions = False
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")


def _paths(args: argparse.Namespace) -> Any:
    from pipeline.config import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def _print(args: argparse.Namespace, text: str) -> None:
    if not getattr(args, "quiet", False):
        print(text)


@contextlib.contextmanager
def _prefect_server_watched(command: str, paths: Any) -> Iterator[None]:
    """Refuse to start without a reachable PREFECT_API_URL server; end cleanly if it dies mid-run.

    Also keeps tracebacks of known errors (full disk, locked store…) out of Prefect's run logs:
    the CLI prints them as one line.
    """
    from flows.console import quiet_known_tracebacks
    from flows.server_watch import ServerWatch, configured_api_url, exit_when_lost, grace_seconds, server_problem

    quiet_known_tracebacks()
    api = configured_api_url()
    if api is None:  # Prefect runs a temporary server inside this process
        yield
        return
    try:
        grace = grace_seconds()
    except ValueError as exc:
        raise UserError(str(exc)) from None
    problem = server_problem(api)
    if problem is not None:
        raise UserError(
            f"cannot reach the Prefect server at {api} ({problem}); start it with `prefect server start` "
            "or unset PREFECT_API_URL to run with a temporary one. Nothing was fetched or written."
        )
    with ServerWatch(api, exit_when_lost(command, api, str(paths.processed)), grace=grace):
        yield


def cmd_extract(args: argparse.Namespace) -> int:
    """``samverkan extract FILE``."""
    from pipeline.nlp import load_nlp
    from pipeline.run.process import process_file, result_json

    res = process_file(load_nlp(), args.file, url=args.url, published=args.published, source_kommun=args.kommun)
    payload = result_json(res)
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    art = payload["article"]
    print(f"{art['title'] or '(no title)'}  [{art['published'] or 'no date'}, {art['language']}]")
    print(f"relevant: {art['is_relevant']} (score {art['relevance_score']:.2f})")
    print("kommuner: " + ", ".join(f"{k['name']} ({k['code']})" for k in payload["kommuner"]))
    for c in payload["collaborations"]:
        parties = ", ".join(p["party_name"] for p in c["parties"])
        areas = ", ".join(a["area_code"] for a in c["priority_areas"])
        print(f"collaboration: {c['type']} {c['name'] or ''} [{c['period_start']}–{c['period_end']}] parties: {parties}; areas: {areas}")
    for p in payload["people"]:
        print(f"person: {p['name']} — {p['role']} ({p['role_code']}) {p['party'] or ''} {p['organisation'] or ''}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """``samverkan run``: the nightly flow once."""
    from flows.nightly import nightly

    if args.sources:
        _check_registry(Path(args.sources))
    paths = _paths(args)
    with _prefect_server_watched("run", paths), _run_failures():
        summary = nightly(
            sources=args.sources, data_dir=str(paths.root), batch_size=args.batch_size, refetch=args.refetch,
            n_process=args.n_process, since=args.since,
        )
    _print_summary(args, paths, summary)
    return 0 if summary.get("status") != "failed" else 1


def _check_registry(path: Path) -> None:
    from pipeline.crawl.sources import load_sources

    try:
        load_sources(path)
    except FileNotFoundError:
        raise UserError(f"{path}: no such registry file; give a TOML file in the DESIGN.md format") from None


def _print_summary(args: argparse.Namespace, paths: Any, summary: dict[str, Any]) -> None:
    if getattr(args, "quiet", False):
        return
    import pandas as pd

    from pipeline.tables.schemas import SCHEMAS

    print(f"\nrun {summary.get('run_id')}: {summary.get('status')}")
    for row in summary.get("sources", []):
        print(
            f"  {row['source_id']:<24} {row['status']:<9} discovered {row['n_discovered']:>4}  fetched {row['n_fetched']:>4}  "
            f"unchanged {row['n_unchanged']:>4}  articles {row['n_articles']:>4}  relevant {row['n_relevant']:>4}"
        )
    print(f"\ntables in {paths.processed}:")
    for table in SCHEMAS:
        folder = paths.processed / table
        n = len(pd.read_parquet(folder)) if folder.exists() and any(folder.glob("*.parquet")) else 0
        print(f"  {table:<24} {n:>6} rows")


def cmd_demo(args: argparse.Namespace) -> int:
    """``samverkan demo``: bundled sites on 127.0.0.1 → nightly flow → processed/."""
    from flows.nightly import nightly
    from pipeline.demo import SITES_ROOT, render_demo_registry
    from pipeline.demo.server import DemoServer

    paths = _paths(args).ensure()
    with DemoServer(SITES_ROOT, base_port=args.port).start() as server:
        registry = render_demo_registry(server.base_urls, paths.state / "demo_sources.toml")
        _print(args, "demo sites: " + ", ".join(f"{k} {v}" for k, v in server.base_urls.items()))
        summary: dict[str, Any] = {}
        with _prefect_server_watched("demo", paths), _run_failures():
            for _ in range(args.runs):  # --runs is at least 1
                summary = nightly(sources=str(registry), data_dir=str(paths.root), flow_label="demo", since="all")
    _print_summary(args, paths, summary)
    _print(args, f"\nload them with: pandas.read_parquet('{paths.processed}/articles') or pipeline.load('{paths.root}')")
    return 0 if summary.get("status") != "failed" else 1


def cmd_reprocess(args: argparse.Namespace) -> int:
    """``samverkan reprocess URL|ID`` or ``--all``."""
    paths = _paths(args)
    if args.all == bool(args.ref):
        raise UserError("reprocess: give either an article URL/ID or --all")
    if args.all:
        from flows.reprocess import reprocess_archive

        with _prefect_server_watched("reprocess", paths), _run_failures():
            summary = reprocess_archive(
                data_dir=str(paths.root),
                since=args.since.isoformat() if args.since else None,
                until=args.until.isoformat() if args.until else None,
                dask_address=args.dask_address,
                n_process=args.n_process,
                batch_size=args.batch_size,
            )
        _print(args, json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return 0
    if args.prefect:
        from flows.reprocess import reprocess_article

        change = reprocess_article(ref=args.ref, data_dir=str(paths.root), refetch=args.refetch)
    else:
        from pipeline.run.reprocess import reprocess_one

        change = reprocess_one(paths, args.ref, refetch=args.refetch).as_dict()
    _print(args, _format_change(change))
    return 0


def _format_change(change: dict[str, Any]) -> str:
    lines = [f"article {change['article_id']} ({change.get('url') or 'no url'}): "
             f"{len(change['added'])} facts added, {len(change['removed'])} removed"]
    lines += [f"  + {fact}" for fact in change["added"]]
    lines += [f"  - {fact}" for fact in change["removed"]]
    return "\n".join(lines)


def cmd_eval(args: argparse.Namespace) -> int:
    """``samverkan eval GOLD_DIR``."""
    from pipeline.report.evaluate import evaluate, render

    if not args.gold_dir.is_dir():
        raise UserError(f"{args.gold_dir}: not a folder; give a folder of gold JSON files (format in README)")
    if _is_cluster_gold(args.gold_dir):
        return _eval_clusters(args)
    report = evaluate(args.gold_dir, seeds_dir=args.seeds_dir)
    if args.json:
        print(json.dumps(report.as_dict(errors=args.errors), ensure_ascii=False, indent=2, default=str))
    else:
        print(render(report, details=args.errors))
    return 0


# --- agreements (issue 17): cluster gold for `eval`, and the `report` site ---
def _is_cluster_gold(folder: Path) -> bool:
    from pipeline.agreements.gold import is_cluster_gold

    return is_cluster_gold(folder)


def _eval_clusters(args: argparse.Namespace) -> int:
    """``samverkan eval DIR`` on agreement cluster gold (files with ``reports``): pairwise P/R."""
    from pipeline.agreements.gold import ClusterGoldError, evaluate_clusters

    try:
        report = evaluate_clusters(args.gold_dir)
    except ClusterGoldError as exc:
        raise UserError(str(exc)) from None
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        text = report.render()
        print(text if args.errors else text.split("\n\nerrors:")[0])
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``samverkan report [--out DIR] [--year Y]``: static site of agreements, map and articles."""
    from pipeline.errors import DataDirError
    from pipeline.report.site import SiteError, write_site
    from pipeline.tables.loader import load

    paths = _paths(args)
    try:
        tables = load(paths.root)
        out = write_site(tables, Path(args.out) if args.out else paths.root / "report", year=args.year)
    except (DataDirError, SiteError) as exc:
        raise UserError(str(exc)) from None
    _print(args, f"wrote {out / 'index.html'}")
    return 0


# --- end issue 17 ---


def cmd_show(args: argparse.Namespace) -> int:
    """``samverkan show ID``."""
    from pipeline.report.show import render_html, render_terminal
    from pipeline.tables.loader import load

    tables = load(_paths(args).root)
    if args.html:
        args.html.write_text(render_html(args.ref, tables), encoding="utf-8")
        _print(args, f"wrote {args.html}")
    else:
        from rich.console import Console

        render_terminal(args.ref, tables, Console())
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    """``samverkan sources check [FILE] [--only IDS] [--limit N] [--json]``: exit 0 if every source is ok,
    1 if some source needs a look (nothing found, only teasers, blocked, unreachable), 2 for bad input."""
    from pipeline.crawl.check import summary_lines, table_header, table_row
    from pipeline.crawl.runner import check_registry
    from pipeline.crawl.sources import DEFAULT_REGISTRY, load_sources

    path = Path(args.file) if args.file else DEFAULT_REGISTRY
    registry = load_sources(path)  # a missing or invalid registry: one line, exit 2
    only = {i.strip() for i in args.only.split(",") if i.strip()} if args.only else None
    checks = check_registry(path, only=only, limit=args.limit, workers=args.workers)
    width = min(max(len(s.id) for s in registry), 32)
    done: list[dict[str, Any]] = []
    for check in checks:
        if not done and not args.json and not args.quiet:
            print(table_header(width), flush=True)
        done.append(check)
        if args.json:
            print(json.dumps(check, ensure_ascii=False, default=str), flush=True)
        elif not args.quiet or check["verdict"] != "ok":
            print(table_row(check, width), flush=True)
    if not args.json:
        if not args.quiet:
            print()
        for line in summary_lines(done, registry):
            _print(args, line)
    return 0 if all(c["verdict"] == "ok" for c in done) else 1


def cmd_serve(args: argparse.Namespace) -> int:
    """``samverkan serve``: register the nightly deployment and run it on schedule."""
    from flows.deploy import serve_nightly

    if args.sources:
        _check_registry(Path(args.sources))
    serve_nightly(name=args.name, cron=args.cron, sources=args.sources, data_dir=str(_paths(args).root))
    return 0


def cmd_dictionary(args: argparse.Namespace) -> int:
    """``samverkan dictionary [--write]``."""
    from pipeline.tables.dictionary import dictionary_text, write_data_dictionary

    if args.write:
        _print(args, f"wrote {write_data_dictionary()}")
    else:
        print(dictionary_text(), end="")
    return 0


COMMANDS = {
    "extract": cmd_extract,
    "run": cmd_run,
    "demo": cmd_demo,
    "reprocess": cmd_reprocess,
    "eval": cmd_eval,
    "show": cmd_show,
    "report": cmd_report,
    "sources": cmd_sources,
    "serve": cmd_serve,
    "dictionary": cmd_dictionary,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``samverkan`` console script."""
    args = build_parser().parse_args(argv)
    _configure_logging(args)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("samverkan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - known errors become one line; anything else is a bug and keeps its traceback
        message = describe(exc)
        if message is None:
            raise
        print(f"samverkan {args.command}: {message}", file=sys.stderr)
        return exc.exit_code if isinstance(exc, SamverkanError) else 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
