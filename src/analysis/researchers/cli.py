"""``python -m analysis researchers --countries VNM,SGP,MYS,THA``: the latest density per country."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument(
        "--countries",
        default="VNM,SGP,MYS,THA",
        help="comma-separated ISO3 codes, WDI aggregates allowed (default: %(default)s)",
    )
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import parse_country_list, render
    from analysis.data import load
    from analysis.researchers.compute import latest_density

    table = latest_density(load("wdi"), parse_country_list(args.countries))
    print(render(table, args.format))
    return 0
