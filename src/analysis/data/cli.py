"""The data commands: ``fetch`` (raw files, hash-checked), ``build`` (processed tables), ``deposit`` (bundle)."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis import paths
from analysis.errors import DataError


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    if command == "fetch":
        parser.add_argument(
            "--mirror",
            metavar="DIR",
            help="offline mirror holding the raw files (default: $ANALYSIS_DATA_MIRROR); with a mirror the network "
            "is never used. Without one: official source, then deposit ($ANALYSIS_FETCH_DEADLINE bounds the time)",
        )
        parser.add_argument(
            "--accept-new-vintage",
            action="store_true",
            help="accept a WDI download whose hash differs from the pinned vintage, and record its hash",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bars")
    if command == "deposit":
        parser.add_argument(
            "--output", metavar="DIR", required=True, help="new folder for the bundle (written whole or not at all)"
        )
    if command == "build":
        parser.add_argument(
            "--force", action="store_true", help="rewrite every table, even those whose build record is current"
        )


def run(args: argparse.Namespace) -> int:
    from analysis.io import build_lock

    command = {"fetch": _fetch, "build": _build, "deposit": _deposit}[args.command]
    try:
        if args.command == "deposit":  # reads data/raw only, writes its own folder
            return command(args)
        with build_lock():  # the lock of `run` and `book`: two fetches would delete each other's downloads
            return command(args)
    except PermissionError as exc:
        where = paths.relative(Path(exc.filename)) if exc.filename else "a data file"
        needs = {
            "fetch": "to write data/raw",
            "build": "to read data/raw and write data/processed",
            "deposit": "to read data/raw and write the output folder",
        }[args.command]
        raise DataError(
            f"Permission denied on {where}: `{args.command}` needs {needs}. Give yourself access "
            "(e.g. `chmod -R u+rwX data`) and rerun."
        ) from None


def _fetch(args: argparse.Namespace) -> int:
    from analysis.data.fetch import fetch

    for outcome in fetch(mirror=args.mirror, accept_new_vintage=args.accept_new_vintage, progress=not args.quiet):
        print(f"{outcome.action}  data/raw/{outcome.file}  ({outcome.source_id})")
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


def _deposit(args: argparse.Namespace) -> int:
    from analysis.data.deposit import write_bundle

    for name in write_bundle(args.output):
        print(f"wrote {Path(args.output).name}/{name}")
    return 0
