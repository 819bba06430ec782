"""``python -m analysis <command>``: one entry point for the data, the pipeline and every analysis.

Each command lives in a module that defines ``add_arguments(parser)`` and
``run(args) -> int``; only the module of the command being run is imported, so
``fetch`` does not pay for statsmodels. Errors caused by input or data
(:class:`analysis.errors.AnalysisError`) print as one paragraph and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import sys
from collections.abc import Sequence

import pandas as pd

from analysis.errors import AnalysisError, InputError, available

# command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "fetch": ("analysis.data.cli", "Fetch the raw files (from --mirror DIR if given) and check their sha256."),
    "build": ("analysis.data.cli", "Build the processed tables in data/processed from data/raw."),
    "deposit": ("analysis.data.cli", "Write a deposit-ready bundle of the raw files (checksums, metadata) to DIR."),
    "run": ("analysis.book.cli", "Execute the notebooks listed in book/runs.toml with papermill."),
    "book": ("analysis.book.cli", "Build the HTML book in book/_build/html with jupyter-book."),
    "claims": ("analysis.book.cli", "Print the claims ledger: each claim, its reproduced value and verdict."),
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
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (module, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(command_parser, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
