"""``python -m analysis <command>``: one entry point for the data, the pipeline and every analysis.

Each command lives in a module that defines ``add_arguments(parser)`` and
``run(args) -> int``; only the module of the command being run is imported, so
``fetch`` does not pay for statsmodels. Errors caused by input or data
(:class:`analysis.errors.AnalysisError`) and by the file system (permissions, a missing
file) print as one line and exit with status 2; any other exception is a bug and exits
with status 1 after one line, or with its full traceback under ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.errors import AnalysisError, InputError, available

if TYPE_CHECKING:  # pandas is imported only by the commands that need it (fast `run` and `book`)
    import pandas as pd

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "fetch": ("analysis.data.cli", "Fetch the raw files (from --mirror DIR if given) and check their sha256."),
    "build": ("analysis.data.cli", "Build the processed tables in data/processed from data/raw."),
    "deposit": ("analysis.data.cli", "Write a deposit-ready bundle of the raw files (checksums, metadata) to DIR."),
    "run": ("analysis.build.cli", "Execute the notebooks listed in book/runs.toml with papermill."),
    "book": ("analysis.build.cli", "Build the HTML book in book/_build/html with jupyter-book."),
    "claims": ("analysis.build.cli", "Print the claims ledger: each claim, its reproduced value and verdict."),
    "sweep": ("analysis.build.cli", "Execute one notebook for many economies into build/sweeps, with a summary."),
    "targets": ("analysis.targets.cli", "The 2030 target tracker: latest value, required and recent growth, verdict."),
    "growth": ("analysis.growth.cli", "Growth accounting from Penn World Table: TFP and factor contributions."),
    "researchers": ("analysis.researchers.cli", "Researchers per 10,000 people, latest observation per country."),
    "rd": ("analysis.rd.cli", "R&D expenditure as a share of GDP, latest observation per country."),
    "productivity": ("analysis.productivity.cli", "Labour productivity of a country as a fraction of its peers'."),
    "gap": ("analysis.gap.cli", "Time distance: how many years a country is behind a reference."),
    "kpf": ("analysis.kpf.cli", "Knowledge-production-function regressions of STI outputs on inputs."),
}

FORMATS = ("csv", "md", "json")


def add_format_argument(parser: argparse.ArgumentParser, default: str = "csv") -> None:
    parser.add_argument("--format", choices=FORMATS, default=default, help="output format (default: %(default)s)")


def render(table: pd.DataFrame, fmt: str, floatfmt: str = ".4f") -> str:
    """A table as CSV, Markdown or JSON (records), for printing."""
    if fmt == "csv":
        buffer = io.StringIO()
        table.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
        return buffer.getvalue().rstrip("\n")
    if fmt == "md":
        return table.to_markdown(index=False, floatfmt=floatfmt)
    if fmt == "json":
        return json.dumps(json.loads(table.to_json(orient="records")), indent=2)
    raise InputError(f"Unknown format {fmt!r}. Allowed: {available(FORMATS)}.")


def parse_country_list(text: str) -> list[str]:
    """``"VNM,SGP, mys"`` → ``["VNM", "SGP", "MYS"]``."""
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    if not codes:
        raise InputError("Give at least one ISO 3166 alpha-3 country code, e.g. VNM,SGP.")
    return codes


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Viet Nam's national STI capacity, re-run with open data.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of any error")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (module, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(command_parser, name)
    return parser


ERROR_LIMIT = 2000  # characters of an error line: a huge input is not echoed whole


def capped(message: str, limit: int = ERROR_LIMIT) -> str:
    """``message`` cut to ``limit`` characters, saying how long it was."""
    if len(message) <= limit:
        return message
    return message[:limit] + f" … (cut: {len(message)} characters in all)"


def _os_error(exc: OSError) -> str:
    """An OSError as one line, with the path relative to the project and no errno noise."""
    from analysis.paths import relative

    where = f" {relative(exc.filename)}" if exc.filename else ""
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, PermissionError):
        return f"permission denied:{where} ({reason}); check the file's owner and mode."
    return f"cannot use{where}: {reason}."


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug is accepted anywhere on the line, not only before the command.
    debug = "--debug" in argv or os.environ.get("ANALYSIS_DEBUG") == "1"
    argv = [a for a in argv if a != "--debug"]
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    try:
        module = importlib.import_module(COMMANDS[args.command][0])
        return int(module.run(args) or 0)
    except BrokenPipeError:
        # `claims | head`: the reader has what it wanted. Point stdout at nothing so that the
        # interpreter's final flush does not fail again.
        with contextlib.suppress(OSError, ValueError):  # ValueError: stdout is not a file (tests capture it)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except AnalysisError as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {capped(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        if debug:
            traceback.print_exc()
        print(f"error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing half-written was kept.", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            traceback.print_exc()
        else:
            print(
                f"error: unexpected {type(exc).__name__}: {capped(str(exc))} (a bug: please report it; "
                "`python -m analysis --debug ...` shows the traceback).",
                file=sys.stderr,
            )
        return 1
