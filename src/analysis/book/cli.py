"""The publishing commands: ``run`` (execute the notebooks), ``book`` (HTML) and ``claims`` (the ledger)."""

from __future__ import annotations

import argparse

from analysis.cli import add_format_argument, render


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    if command == "run":
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            metavar="N",
            help="execute up to N independent notebooks at once (default: 1)",
        )
        parser.add_argument("--force", action="store_true", help="execute every run even if its inputs are unchanged")
        parser.add_argument("names", nargs="*", metavar="RUN", help="only these runs (names from book/runs.toml)")
    elif command == "book":
        parser.add_argument("--no-strict", action="store_true", help="do not turn Sphinx warnings into errors")
    elif command == "claims":
        from analysis.book.verdicts import MEANINGS, TOLERANCE_RULE

        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        width = max(map(len, MEANINGS))
        parser.epilog = "verdicts:\n" + "\n".join(f"  {v:<{width}}  {m}" for v, m in MEANINGS.items())
        parser.epilog += "\n\ntolerance:\n  " + TOLERANCE_RULE
        add_format_argument(parser, default="md")


def run(args: argparse.Namespace) -> int:
    return {"run": _run, "book": _book, "claims": _claims}[args.command](args)


def _run(args: argparse.Namespace) -> int:
    from analysis.book.pipeline import run_all

    run_all(names=args.names or None, jobs=max(1, args.jobs), force=args.force)
    return 0


def _book(args: argparse.Namespace) -> int:
    from analysis.book.html import build_html

    build_html(strict=not args.no_strict)
    return 0


def _claims(args: argparse.Namespace) -> int:
    from analysis.book.ledger import current_ledger

    table = current_ledger()
    if args.format == "md":
        table = table.drop(columns=["quote", "note", "basis"])
    print(render(table, args.format, floatfmt=".2f"))
    return 0
