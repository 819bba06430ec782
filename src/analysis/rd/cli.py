"""``python -m analysis rd --countries VNM,WLD``: the latest R&D intensity per country."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument(
        "--countries",
        default="VNM,WLD",
        help="comma-separated ISO3 codes, WDI aggregates allowed (default: %(default)s)",
    )
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import parse_country_list, render
    from analysis.data import load
    from analysis.rd.compute import latest_rd

    print(render(latest_rd(load("wdi"), parse_country_list(args.countries)), args.format))
    return 0
