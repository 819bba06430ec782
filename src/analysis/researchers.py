"""Researcher density: researchers in R&D per 10,000 people (WDI ``SP.POP.SCIE.RD.P6``).

The per million → per 10,000 conversion, the researcher headcount a density implies, R&D
personnel (researchers and technicians), and the ``researchers`` command. The series is
observed only in scattered years; the general helpers for such series (observed points,
matching published figures, breaks, target arithmetic, figures) are in :mod:`analysis.series`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import pandas as pd

from analysis.trends.sparse import TargetArithmetic, latest_observations, level_in, observed

WDI_RESEARCHERS_PER_MILLION = "researchers_per_million"
RESEARCHERS_PER_10K = "researchers_per_10k"
RESEARCHERS_LABEL = "researchers in R&D (SP.POP.SCIE.RD.P6)"
WDI_TECHNICIANS_PER_MILLION = "rd_technicians_per_million"
PEOPLE_PER_10K = 10_000


def per_million_to_per_10k(per_million: float | pd.Series) -> float | pd.Series:
    """Researchers per million people → per 10,000 people (divide by 1,000,000 / 10,000 = 100)."""
    return per_million / (1_000_000 / PEOPLE_PER_10K)


def researcher_density(wdi: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Observed researchers in R&D per 10,000 people: ``country, country_name, year, researchers_per_10k``."""
    table = observed(wdi, codes, WDI_RESEARCHERS_PER_MILLION, RESEARCHERS_PER_10K, label=RESEARCHERS_LABEL)
    table[RESEARCHERS_PER_10K] = per_million_to_per_10k(table[RESEARCHERS_PER_10K])
    return table


def latest_density(wdi: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The latest observation per country: ``country, year, researchers_per_10k`` (the CLI table)."""
    return latest_observations(researcher_density(wdi, codes), RESEARCHERS_PER_10K)


def headcount(per_10k: float, population: float) -> float:
    """Number of researchers implied by a density per 10,000 people and a population."""
    return per_10k / PEOPLE_PER_10K * population


def headcount_table(
    wdi: pd.DataFrame, country: str, arithmetic: TargetArithmetic, population_growth_years: int = 10
) -> pd.DataFrame:
    """Researchers now, at the target, and at the trend in the target year, in people.

    Population comes from WDI ``SP.POP.TOTL``; a year beyond the data is projected at the
    average population growth of the last ``population_growth_years`` years (``population_projected``).
    """
    population = observed(wdi, [country], "population", "population", label="population (SP.POP.TOTL)").set_index(
        "year"
    )["population"]
    scenarios = [
        ("latest observation", arithmetic.latest_year, arithmetic.latest_value),
        ("target", arithmetic.target_year, arithmetic.target_value),
        ("historical trend", arithmetic.target_year, arithmetic.value_at_target_year_at_trend),
    ]
    rows = []
    for scenario, year, density in scenarios:
        people, projected = level_in(population, year, population_growth_years)
        rows.append(
            {
                "scenario": scenario,
                "year": year,
                RESEARCHERS_PER_10K: density,
                "population": people,
                "population_projected": projected,
                "researchers": headcount(density, people),
            }
        )
    return pd.DataFrame(rows)


def rd_personnel(wdi: pd.DataFrame, country: str) -> pd.DataFrame:
    """Researchers and R&D technicians per 10,000 people in the years both are observed (a broader count).

    Empty when the two series share no year (WDI has no technician data for some countries).
    """
    researchers = researcher_density(wdi, [country]).set_index("year")[RESEARCHERS_PER_10K]
    rows = wdi.loc[wdi["iso3"] == country].set_index("year")[WDI_TECHNICIANS_PER_MILLION].dropna()
    technicians = per_million_to_per_10k(rows)
    both = pd.concat({RESEARCHERS_PER_10K: researchers, "technicians_per_10k": technicians}, axis=1, join="inner")
    both["researchers_and_technicians_per_10k"] = both.sum(axis=1)
    return both.rename_axis("year").reset_index()


# ---------------------------------------------------------------------------
# Command line: python -m analysis researchers --countries VNM,SGP,MYS,THA
# ---------------------------------------------------------------------------


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

    table = latest_density(load("wdi"), parse_country_list(args.countries))
    print(render(table, args.format))
    return 0
