"""``python -m analysis targets``: the target tracker, one row per measurable target."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument("--country", default="VNM", help="ISO 3166 alpha-3 code (default: %(default)s)")
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import render
    from analysis.targets import tracker

    print(render(tracker(args.country), args.format, floatfmt=".3f"))
    return 0
