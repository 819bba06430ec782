"""The data and publishing commands: ``fetch``, ``build``, ``run``, ``book`` and ``claims``."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from analysis import paths
from analysis.cli import add_format_argument, render
from analysis.errors import DataError


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
    elif command == "run":
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
        add_format_argument(parser, default="md")


def run(args: argparse.Namespace) -> int:
    return {"fetch": _fetch, "build": _build, "run": _run, "book": _book, "claims": _claims}[args.command](args)


def _fetch(args: argparse.Namespace) -> int:
    from analysis.data.fetch import fetch

    for outcome in fetch(mirror=args.mirror, accept_new_vintage=args.accept_new_vintage, progress=not args.quiet):
        print(f"{outcome.action:>24}  data/raw/{outcome.file}  ({outcome.source_id})")
    return 0


def _build(args: argparse.Namespace) -> int:
    from analysis.data.build import build

    for path in build():
        print(f"wrote {paths.relative(path)}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from analysis.pipeline import run_all

    run_all(names=args.names or None, jobs=max(1, args.jobs), force=args.force)
    return 0


def ensure_mathjax() -> None:
    """Put MathJax 3 (from the npm registry, pinned in book/package-lock.json) into book/_static.

    The built book must work with no network at all, so MathJax is served from the build.
    """
    book = paths.book_dir()
    target = book / "_static" / "mathjax"
    if (target / "tex-chtml.js").exists():
        return
    source = book / "node_modules" / "mathjax" / "es5"
    if not source.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise DataError(
                "MathJax is not installed and npm is not on PATH. Install Node.js (npm), then run `npm ci --prefix book`."
            )
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(book)], check=True, stdout=subprocess.DEVNULL
        )
    shutil.copytree(source, target, dirs_exist_ok=True)


def _book(args: argparse.Namespace) -> int:
    ensure_mathjax()
    # The console script sits beside this interpreter (jupyter_book has no __main__ module).
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.book_dir()), "--keep-going"]
    if not args.no_strict:
        command.append("-W")
    completed = subprocess.run(command, cwd=paths.repo_root())
    if completed.returncode != 0:
        raise DataError("jupyter-book build failed (see the warnings above); the book was not updated.")
    print(f"book: {paths.relative(paths.book_dir() / '_build' / 'html' / 'index.html')}")
    return 0


def _claims(args: argparse.Namespace) -> int:
    from analysis.claims import current_ledger

    table = current_ledger()
    if args.format == "md":
        table = table.drop(columns=["quote", "note"])
    print(render(table, args.format, floatfmt=".2f"))
    return 0
