"""What the data covers: which economies and years each source has for each variable (pure functions).

The data-overview chapter uses these to show, before any analysis, the gaps that shape
the later chapters (no PWT labour share or TFP for Viet Nam; sparse R&D years).
"""

from __future__ import annotations

import pandas as pd

from analysis.countries import check_codes
from analysis.data import registry
from analysis.errors import InputError, available

# PWT variables the growth chapter needs, with what they measure.
PWT_GROWTH_VARIABLES: dict[str, str] = {
    "rgdpna": "Real GDP at constant national prices",
    "rnna": "Capital stock at constant national prices",
    "rkna": "Capital services at constant national prices",
    "emp": "Persons engaged",
    "avh": "Average annual hours worked per person engaged",
    "hc": "Human capital index",
    "labsh": "Labour share of GDP",
    "rtfpna": "TFP at constant national prices",
}


def _check_countries(table: pd.DataFrame, countries: list[str]) -> list[str]:
    return check_codes(countries, table["iso3"], "this table")


def variable_coverage(table: pd.DataFrame, variables: list[str], economies: pd.Index | None = None) -> pd.DataFrame:
    """Per variable: economies with any data, first and last year, and non-missing observations.

    ``economies`` restricts the count (e.g. to exclude WDI aggregates).
    """
    missing = sorted(set(variables) - set(table.columns))
    if missing:
        raise InputError(f"Variables {missing} are not in the table. Available: {available(table.columns)}.")
    if economies is not None:
        table = table[table["iso3"].isin(economies)]
    rows = []
    for variable in variables:
        present = table.loc[table[variable].notna(), ["iso3", "year"]]
        rows.append(
            {
                "variable": variable,
                "economies": present["iso3"].nunique(),
                "first_year": int(present["year"].min()) if len(present) else None,
                "last_year": int(present["year"].max()) if len(present) else None,
                "observations": len(present),
            }
        )
    return pd.DataFrame(rows).astype({"first_year": "Int64", "last_year": "Int64"})


def country_years(table: pd.DataFrame, variables: list[str], countries: list[str]) -> pd.DataFrame:
    """Number of years with data, per country (rows) and variable (columns)."""
    countries = _check_countries(table, countries)
    subset = table[table["iso3"].isin(countries)]
    counts = subset.groupby("iso3")[variables].count().reindex(countries)
    return counts.fillna(0).astype(int)


def years_with_data(table: pd.DataFrame, variable: str, country: str) -> list[int]:
    """The years in which ``country`` has a value of ``variable`` (no interpolation)."""
    (country,) = _check_countries(table, [country])
    rows = table[(table["iso3"] == country) & table[variable].notna()]
    return sorted(int(y) for y in rows["year"])


def presence_matrix(
    table: pd.DataFrame, variable: str, countries: list[str], first_year: int, last_year: int
) -> pd.DataFrame:
    """1 where ``country`` has ``variable`` in a year, 0 where not (rows countries, columns years)."""
    countries = _check_countries(table, countries)
    subset = table[table["iso3"].isin(countries) & table["year"].between(first_year, last_year)]
    present = subset.assign(has=subset[variable].notna().astype(int)).pivot_table(
        index="iso3", columns="year", values="has", aggfunc="max"
    )
    return present.reindex(index=countries, columns=range(first_year, last_year + 1)).fillna(0).astype(int)


def sources_table() -> pd.DataFrame:
    """The registry as a table: dataset, file, licence, vintage, pinned sha256, official source and note."""
    return pd.DataFrame(
        [
            {
                "dataset": s.dataset,
                "file": f"data/raw/{s.file}",
                "licence": s.licence,
                "vintage": s.vintage,
                "sha256": s.sha256,
                "official source": s.url,
                "note": s.note,
            }
            for s in registry.sources()
        ]
    )


def wdi_series_table(wdi: pd.DataFrame, economies: pd.Index) -> pd.DataFrame:
    """Every WDI series with its label, processed column and coverage across economies."""
    series = registry.wdi_series()
    coverage = variable_coverage(wdi, [s.column for s in series], economies).set_index("variable")
    rows = [{"code": s.code, "column": s.column, "label": s.label, **coverage.loc[s.column].to_dict()} for s in series]
    return pd.DataFrame(rows)


# The HDR variables the book uses, with what they measure.
HDR_VARIABLES: dict[str, str] = {
    "hdi": "Human Development Index",
    "life_expectancy_years": "Life expectancy at birth (years)",
    "expected_years_schooling": "Expected years of schooling",
    "mean_years_schooling": "Mean years of schooling",
    "gni_per_capita_ppp_2017usd": "GNI per capita (2017 PPP $)",
}


def latest_values(table: pd.DataFrame, variable: str, countries: list[str]) -> pd.DataFrame:
    """The latest year with a value of ``variable`` per country: ``iso3, year, <variable>`` (in ``countries`` order)."""
    countries = _check_countries(table, countries)
    if variable not in table.columns:
        raise InputError(f"Variable {variable!r} is not in the table. Available: {available(table.columns)}.")
    rows = table[table["iso3"].isin(countries) & table[variable].notna()].sort_values("year")
    latest = rows.groupby("iso3").tail(1).set_index("iso3")
    present = [c for c in countries if c in latest.index]
    return latest.loc[present, ["year", variable]].reset_index()
