"""The data commands: ``fetch`` (raw files, hash-checked) and ``build`` (processed tables)."""

from __future__ import annotations

import argparse

from analysis import paths


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    if command == "fetch":
        parser.add_argument(
            "--mirror",
            metavar="DIR",
            help="offline mirror holding pwt/ and wdi/ (default: $ANALYSIS_DATA_MIRROR; none: download)",
        )
        parser.add_argument(
            "--accept-new-vintage",
            action="store_true",
            help="accept a WDI download whose hash differs from the pinned vintage, and record its hash",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")
    if command == "build":
        parser.add_argument(
            "--force", action="store_true", help="rewrite every table, even those whose build record is current"
        )


def run(args: argparse.Namespace) -> int:
    return {"fetch": _fetch, "build": _build}[args.command](args)


def _fetch(args: argparse.Namespace) -> int:
    from analysis.data.fetch import fetch

    for outcome in fetch(mirror=args.mirror, accept_new_vintage=args.accept_new_vintage, progress=not args.quiet):
        print(f"{outcome.action:>24}  data/raw/{outcome.file}  ({outcome.source_id})")
    return 0


def _build(args: argparse.Namespace) -> int:
    from analysis.data import TABLES, fetch, provenance, table_path

    fetch.verify()
    if not args.force and not provenance.stale_tables(TABLES):
        # Nothing to do: skip importing the build code (pandera) so that `make book` stays fast.
        for name in TABLES:
            print(f"unchanged {paths.relative(table_path(name))}")
        return 0
    from analysis.data.build import build

    for outcome in build(force=args.force):
        print(f"{outcome.action} {paths.relative(outcome.path)}")
    return 0
