"""``python -m analysis productivity``: a country's labour productivity as a fraction of its peers'."""

from __future__ import annotations

import argparse

from analysis.productivity.compute import BASES, productivity_levels, productivity_ratios


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument("--country", default="VNM", help="ISO3 code of the economy compared (default: %(default)s)")
    parser.add_argument(
        "--peers",
        default="SGP,MYS,THA",
        help="comma-separated ISO3 codes of the comparators, other than --country; repeats are dropped "
        "(default: %(default)s)",
    )
    parser.add_argument("--year", type=int, default=2020, help="year of the comparison (default: %(default)s)")
    parser.add_argument("--basis", default="ppp_per_worker", help=f"one of {', '.join(BASES)} (default: %(default)s)")
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import render
    from analysis.data import load

    levels = productivity_levels(load("pwt"), load("wdi"))
    table = productivity_ratios(levels, args.country, args.peers.split(","), [args.year], args.basis)
    print(render(table, args.format))
    return 0
