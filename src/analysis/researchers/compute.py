"""Researcher density: researchers in R&D per 10,000 people (WDI ``SP.POP.SCIE.RD.P6``), pure functions.

The per million → per 10,000 conversion, the researcher headcount a density implies, R&D
personnel (researchers and technicians) and the paper's figures at their ruled basis.
The series is observed only in scattered years; the general helpers for such series (observed
points, breaks, the basis year) are in :mod:`analysis.trends.sparse`, and targets are judged by the
tracker (:mod:`analysis.targets`), whose row this module only turns into head counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.errors import InputError, available
from analysis.trends.sparse import (
    at_basis,
    break_years,
    closest_year,
    latest_observations,
    level_in,
    observed,
    series_of,
)

WDI_RESEARCHERS_PER_MILLION = "researchers_per_million"
RESEARCHERS_PER_10K = "researchers_per_10k"
RESEARCHERS_LABEL = "researchers in R&D (SP.POP.SCIE.RD.P6)"
WDI_TECHNICIANS_PER_MILLION = "rd_technicians_per_million"
PEOPLE_PER_10K = 10_000
CLAIM_AT_BASIS_COLUMNS = [
    "claim_id",
    "country",
    "claimed",
    "band_low",
    "band_high",
    "basis_year",
    "basis_used",
    "value",
    "flagged_year",
    "flagged_value",
    "search_year",
    "search_value",
    "latest_year",
    "latest_value",
]


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
    wdi: pd.DataFrame, country: str, scenarios: Sequence[tuple[str, int, float]], population_growth_years: int = 10
) -> pd.DataFrame:
    """Researchers implied by densities, in people: one row per ``(scenario, year, density per 10,000)``.

    The densities come from elsewhere (the target tracker's latest value, target and projection);
    this only multiplies by population. Population is WDI ``SP.POP.TOTL``; a year beyond the data
    is projected at the average population growth of the last ``population_growth_years`` years
    (``population_projected``).
    """
    population = observed(wdi, [country], "population", "population", label="population (SP.POP.TOTL)").set_index(
        "year"
    )["population"]
    rows = []
    for scenario, year, density in scenarios:
        people, projected = level_in(population, int(year), population_growth_years)
        rows.append(
            {
                "scenario": scenario,
                "year": int(year),
                RESEARCHERS_PER_10K: float(density),
                "population": people,
                "population_projected": projected,
                "researchers": headcount(float(density), people),
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


def _cap(basis_year: str) -> int:
    """The last year a basis allows (``<=2020`` and ``2020`` → 2020)."""
    return int(str(basis_year).strip().removeprefix("<="))


def claims_at_basis(
    table: pd.DataFrame,
    value_column: str,
    claim_countries: Mapping[str, str],
    claims: pd.DataFrame,
    rules: pd.DataFrame,
    bands: pd.DataFrame,
) -> pd.DataFrame:
    """Each claim's value at its ruled basis, and, beside it, the year whose value is closest to the claim.

    ``claim_countries`` maps claim ids to the country of ``table`` (an :func:`observed`-style
    table) that each claim is about. The basis comes from ``rules`` (``basis_year``, e.g. ``<=2020``:
    the latest observation up to 2020 that the chapter's break rule does not flag), never from the
    claimed value; a flagged observation the basis passes over is shown beside it (``flagged_*``). The
    search looks at every observed year (the book's one search space) and is reported only.
    ``bands`` are the ledger's tolerance bands (:func:`analysis.claims.ledger.bands`), for display.
    Columns: :data:`CLAIM_AT_BASIS_COLUMNS`.
    """
    claimed = claims.set_index("claim_id")["value"]
    basis = rules.set_index("claim_id")["basis_year"]
    band = bands.set_index("claim_id")
    unknown = sorted(set(claim_countries) - set(basis.index))
    if unknown:
        raise InputError(f"Claims {unknown} have no verdict rule. Known claims: {available(basis.index)}.")
    rows = []
    for claim_id, country in claim_countries.items():
        series = series_of(table, country, value_column)
        basis_year = basis[claim_id]
        breaks = break_years(series)
        year, value = at_basis(series, basis_year, skip=breaks)
        flagged = [y for y in sorted(breaks) if year < y <= _cap(basis_year)]
        search_year, search_value = closest_year(series, float(claimed[claim_id]))
        rows.append(
            {
                "claim_id": claim_id,
                "country": country,
                "claimed": float(claimed[claim_id]),
                "band_low": float(band.loc[claim_id, "band_low"]),
                "band_high": float(band.loc[claim_id, "band_high"]),
                "basis_year": basis_year,
                "basis_used": year,
                "value": value,
                "flagged_year": flagged[-1] if flagged else pd.NA,
                "flagged_value": float(series[flagged[-1]]) if flagged else float("nan"),
                "search_year": search_year,
                "search_value": search_value,
                "latest_year": int(series.index.max()),
                "latest_value": float(series.iloc[-1]),
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_AT_BASIS_COLUMNS)
