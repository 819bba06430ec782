"""``python -m analysis gap``: time distances of a country to references, for any indicator."""

from __future__ import annotations

import argparse

import pandas as pd

from .compute import COLUMNS, gap
from .indicators import CHAPTER_INDICATORS
from .panels import MEDIAN, MEDIAN_MIN_ECONOMIES, WORLD_PANEL_START, Panels


def _indicator_help() -> str:
    lines = ["indicators (give the id or the WDI code; case does not matter):"]
    for ind in CHAPTER_INDICATORS:
        lines.append(f"  {ind.id:<30} {ind.label} [{ind.derivation}; {ind.interpolation}]")
    lines.append("  any other WDI code in data/raw/sources.toml (as published; '%' series are shares)")
    lines.append("")
    lines.append("censored: no = exact distance (negative: the country is ahead);")
    lines.append("  more-than = the reference was above the level in its first observed year,")
    lines.append("    years_behind is a lower bound and reference_year_at_level is empty;")
    lines.append("  less-than = the reference never reached the level in its data,")
    lines.append("    years_behind is an upper bound (<= 0: the country is ahead).")
    lines.append(
        "WLD with the PWT indicator is the ratio of sums over the economies observed every year since "
        f"{WORLD_PANEL_START}."
    )
    lines.append(
        f"{MEDIAN}: the median economy, unweighted, over the economies observed in every year (PWT: since "
        f"{WORLD_PANEL_START}; WDI: since the series' first year); at least {MEDIAN_MIN_ECONOMIES} economies."
    )
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _indicator_help()
    parser.add_argument("--country", default="VNM", help="ISO3 code of the country measured (default: %(default)s)")
    parser.add_argument(
        "--reference",
        action="append",
        required=True,
        help="ISO3 code, aggregate (WLD), median (the median economy) or frontier:ISO3,ISO3,… (max over the group "
        "each year); repeatable",
    )
    parser.add_argument(
        "--indicator",
        action="append",
        default=None,
        help="indicator id or WDI code (default: SL.GDP.PCAP.EM.KD); repeatable; see the list below",
    )
    parser.add_argument("--year", type=int, default=None, help="the country's year (default: its latest observation)")
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import render

    panels = Panels()
    indicators = args.indicator or ["SL.GDP.PCAP.EM.KD"]
    rows = [
        gap(args.country, reference, indicator, args.year, panels)
        for indicator in indicators
        for reference in args.reference
    ]
    print(render(pd.DataFrame(rows, columns=COLUMNS), args.format))
    return 0
