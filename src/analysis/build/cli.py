"""The publishing commands: ``run`` (execute the notebooks), ``book`` (HTML), ``claims`` (the ledger)
and ``sweep`` (one page per economy, outside the book)."""

from __future__ import annotations

import argparse

from analysis.cli import add_format_argument, render
from analysis.errors import InputError


def positive_jobs(text: str) -> int:
    """``--jobs N``: a whole number of at least 1 (0 or negatives are refused, not read as 1)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number of at least 1, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--jobs must be at least 1 (got {value})")
    return value


def _add_jobs(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--jobs",
        type=positive_jobs,
        default=1,
        metavar="N",
        help=f"execute up to N {what} at once (default: 1; never more than the CPUs or the runs to do)",
    )


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    if command == "run":
        _add_jobs(parser, "independent notebooks")
        parser.add_argument("--force", action="store_true", help="execute every run even if its inputs are unchanged")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print NAME  unchanged|stale  (reason) for every run and execute nothing",
        )
        parser.add_argument("names", nargs="*", metavar="RUN", help="only these runs (names from book/runs.toml)")
    elif command == "book":
        parser.add_argument("--no-strict", action="store_true", help="do not turn Sphinx warnings into errors")
        parser.add_argument("--force", action="store_true", help="rebuild the HTML even if no page source changed")
    elif command == "claims":
        from analysis.claims.verdicts import MEANINGS, TOLERANCE_RULE

        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        width = max(map(len, MEANINGS))
        parser.epilog = "verdicts:\n" + "\n".join(f"  {v:<{width}}  {m}" for v, m in MEANINGS.items())
        parser.epilog += "\n\ntolerance:\n  " + TOLERANCE_RULE
        add_format_argument(parser, default="md")
    elif command == "sweep":
        parser.add_argument("notebook", metavar="NOTEBOOK", help="a source notebook, e.g. notebooks/01_growth.md")
        parser.add_argument(
            "--countries",
            required=True,
            metavar="all|ISO3,...",
            help="'all' (every economy in the processed tables the notebook reads) or ISO3 codes, e.g. KOR,CHN",
        )
        _add_jobs(parser, "economies")
        parser.add_argument(
            "--scheduler",
            metavar="ADDRESS",
            help="send the runs to this Dask scheduler, tcp://HOST:PORT or tls://HOST:PORT (e.g. tcp://10.0.0.5:8786), "
            "instead of local processes; only a trusted cluster: it runs the pickled tasks it is sent",
        )
        parser.add_argument(
            "--force", action="store_true", help="execute every economy even if its inputs are unchanged"
        )


def run(args: argparse.Namespace) -> int:
    return {"run": _run, "book": _book, "claims": _claims, "sweep": _sweep}[args.command](args)


def _run(args: argparse.Namespace) -> int:
    from analysis.build import pipeline

    if args.dry_run:
        if args.force:
            raise InputError("--dry-run and --force contradict each other: choose one.")
        rows = pipeline.status(args.names or None)
        width = max((len(name) for name, _, _ in rows), default=0)
        for name, state, reason in rows:
            shown = "stale" if state == "stale" else "unchanged"  # a page-only change executes nothing
            print(f"{name:<{width}}  {shown:<9}  ({reason})")
        return 0
    pipeline.run_all(names=args.names or None, jobs=args.jobs, force=args.force)
    return 0


def _book(args: argparse.Namespace) -> int:
    from analysis.build.html import build_html

    build_html(strict=not args.no_strict, force=args.force)
    return 0


def _claims(args: argparse.Namespace) -> int:
    from analysis.ledger_page.report import current_ledger

    table = current_ledger()
    if args.format == "md":
        table = table.drop(columns=["quote", "note", "basis"])
    print(render(table, args.format, floatfmt=".2f"))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from analysis.build.sweep import sweep

    summary = sweep(args.notebook, args.countries, jobs=args.jobs, scheduler=args.scheduler, force=args.force)
    economies = summary.drop_duplicates("iso3")  # the summary has a row per economy and result
    failed = int((economies["status"] == "no page").sum())
    noun = "economy" if failed == 1 else "economies"
    print(f"{len(economies) - failed} pages, {failed} {noun} without a page (reasons in the summary table)")
    return 0
