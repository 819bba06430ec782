"""``python -m analysis growth``: growth accounting for one economy and one specification."""

from __future__ import annotations

import argparse

import pandas as pd

from analysis.countries import check_codes
from analysis.errors import InputError
from analysis.growth.compute import decompose
from analysis.growth.specification import BASELINE, CAPITAL_MEASURES, LABOUR_INPUTS, Specification
from analysis.growth.vintage import DEFAULT_PWT_VERSION, PWT_VERSIONS, load_pwt, parse_pwt_version

CLI_COLUMNS = {
    "output_growth": "output_growth_pct",
    "capital_contribution": "capital_contribution_pct",
    "labour_contribution": "labour_contribution_pct",
    "quality_contribution": "labour_quality_contribution_pct",
    "tfp_contribution": "tfp_contribution_pct",
    "tfp_share": "tfp_share_pct",
}


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument("--country", default="VNM", help="ISO 3166 alpha-3 code of the economy (default: %(default)s)")
    parser.add_argument(
        "--periods",
        default="2011-2015,2016-2020,2011-2020",
        help="comma-separated START-END periods (default: %(default)s)",
    )
    parser.add_argument(
        "--labour-share",
        default="2/3",
        help=(
            "fixed labour share in (0, 1), e.g. 0.6667 or 2/3, or 'pwt' for PWT's labsh averaged over adjacent years "
            "(default: %(default)s)"
        ),
    )
    parser.add_argument(
        "--labour-input",
        choices=list(LABOUR_INPUTS),
        default=BASELINE.labour_input,
        help="labour input (default: %(default)s)",
    )
    parser.add_argument(
        "--capital",
        choices=list(CAPITAL_MEASURES),
        default=BASELINE.capital,
        help="capital: stock rnna or services rkna (default: %(default)s)",
    )
    parser.add_argument(
        "--pwt-version",
        default=DEFAULT_PWT_VERSION,
        help=(
            f"Penn World Table release: {' or '.join(PWT_VERSIONS)} (default: %(default)s; "
            "10.01 ends in 2019, so its periods must end by then)"
        ),
    )
    add_format_argument(parser)
    parser.epilog = (
        "Prints one row per period: output growth and the contributions of capital, labour (persons and hours), "
        "labour quality (hc) and TFP in percentage points a year (log growth), and TFP's share of output growth "
        "in percent."
    )


def cli_table(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`decompose` table in the command line's columns and units (percent)."""
    out = table[["country", "period"]].copy()
    for column, name in CLI_COLUMNS.items():
        out[name] = (100 * table[column]).round(4)
    return out


def run(args: argparse.Namespace) -> int:
    from analysis.cli import render

    spec = Specification(args.labour_share, args.labour_input, args.capital)  # checked before the data are loaded
    version = parse_pwt_version(args.pwt_version)
    pwt = load_pwt(version)
    countries = check_codes(args.country, pwt["iso3"].unique(), f"PWT {version}")
    if len(countries) != 1:
        raise InputError(f"Give one country to --country; got {len(countries)}: {', '.join(countries)}.")
    table = decompose(pwt, countries[0], args.periods, spec)
    print(render(cli_table(table), args.format))
    return 0
