"""Helpers for WDI indicators observed only in scattered years (researchers, R&D expenditure).

WDI series compiled from surveys, such as the UNESCO Institute for Statistics' researcher counts
and R&D expenditure, have values only in the years a country reported. These helpers work on
the observed points alone and never interpolate; :mod:`analysis.researchers` and
:mod:`analysis.rd` build on them:

- :func:`observed` picks the observed points of one WDI column for a list of countries
  (:func:`check_country_codes` checks the codes); :func:`series_of` takes one country's series;
- :func:`latest_observations`, :func:`observed_years` (with :func:`analysis.style.format.years_span`) say what exists;
- :func:`at_basis` takes the observation a claim's ruled basis names; :func:`closest_year`
  finds the year whose value is closest to a published figure (a search, reported only);
- :func:`detect_jumps` flags breaks: consecutive observations that differ by a large factor
  (:func:`jumps_table` for a whole table, :func:`since_last_jump` for the observations after the last one);
- :func:`average_growth_from_levels` and :func:`level_in` derive growth from, and project, a level series.

Targets are judged by :mod:`analysis.trends.outlook`, which builds on these.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.countries import check_codes
from analysis.errors import InputError, available
from analysis.style.format import years_span
from analysis.trends import rates as trends

DEFAULT_JUMP_FACTOR = 1.5
WDI_SOURCE = "Source: World Development Indicators (World Bank), UNESCO Institute for Statistics data."


def check_country_codes(wdi: pd.DataFrame, codes: Sequence[str]) -> list[str]:
    """The codes, upper-cased and without duplicates, after checking that WDI knows each one."""
    return check_codes(codes, wdi["iso3"], "World Development Indicators")


def observed(wdi: pd.DataFrame, codes: Sequence[str], column: str, value_name: str, label: str = "") -> pd.DataFrame:
    """The observed values of one WDI column for some countries, as ``country, country_name, year, <value_name>``.

    Only years with a value are kept (nothing is interpolated). Rows keep the order of ``codes``,
    then year. ``label`` names the series in error messages.
    Raises :class:`InputError` for an unknown code or for a country with no observation at all.
    """
    if column not in wdi.columns:
        series_columns = [c for c in wdi.columns if c not in ("iso3", "country", "year")]
        raise InputError(f"Unknown WDI column {column!r}. Available: {available(series_columns)}.")
    codes = check_country_codes(wdi, codes)
    rows = wdi.loc[wdi["iso3"].isin(codes) & wdi[column].notna(), ["iso3", "country", "year", column]]
    empty = [c for c in codes if c not in set(rows["iso3"])]
    if empty:
        names = wdi.drop_duplicates("iso3").set_index("iso3")["country"]
        with_data = wdi.loc[wdi[column].notna(), "iso3"].unique()
        raise InputError(
            f"No {label or column} data in WDI for {', '.join(f'{c} ({names[c]})' for c in empty)}. "
            f"Countries with data: {available(with_data)}."
        )
    table = rows.rename(columns={"iso3": "country", "country": "country_name", column: value_name})
    order = {code: i for i, code in enumerate(codes)}
    table = table.sort_values(["country", "year"], key=lambda s: s.map(order) if s.name == "country" else s)
    return table.reset_index(drop=True)


def series_of(table: pd.DataFrame, country: str, value_column: str) -> pd.Series:
    """One country's observed values from an :func:`observed` table, indexed by year."""
    rows = table[table["country"] == country]
    if rows.empty:
        raise InputError(f"Country {country!r} is not in this table. Countries in it: {available(table['country'])}.")
    return rows.set_index("year")[value_column].sort_index()


def latest_observations(table: pd.DataFrame, value_column: str) -> pd.DataFrame:
    """The most recent observed year and value per country: ``country, year, <value_column>``."""
    latest = table.sort_values("year").groupby("country", sort=False).tail(1)
    order = list(dict.fromkeys(table["country"]))
    return latest.set_index("country").loc[order, ["year", value_column]].reset_index()


def observed_years(table: pd.DataFrame) -> pd.DataFrame:
    """Which years exist per country: count, first and last year, and the list of years."""
    grouped = table.groupby("country", sort=False)["year"]
    return pd.DataFrame(
        {
            "observations": grouped.size(),
            "first_year": grouped.min(),
            "last_year": grouped.max(),
            "years": grouped.agg(years_span),
        }
    ).reset_index()


def _restrict(series: pd.Series, up_to_year: int | None) -> pd.Series:
    clean = series.dropna()
    if up_to_year is not None:
        clean = clean[clean.index <= up_to_year]
    if clean.empty:
        raise InputError(f"No observation up to {up_to_year}; observed years: {years_span(series.dropna().index)}.")
    return clean


def closest_year(series: pd.Series, figure: float, up_to_year: int | None = None) -> tuple[int, float]:
    """The observed year (up to ``up_to_year``) whose value is closest to ``figure``, and that value.

    Ties go to the later year, the more likely source of a figure published later.
    """
    clean = _restrict(series, up_to_year)
    distance = (clean - figure).abs()
    best = distance[distance == distance.min()].index.max()
    return int(best), float(clean[best])


def detect_jumps(series: pd.Series, factor: float = DEFAULT_JUMP_FACTOR) -> pd.DataFrame:
    """Breaks: consecutive observations where the later is over ``factor`` times (or under 1/``factor``) the earlier.

    Consecutive means adjacent among the observed years, whatever the gap between them, so a
    jump across missing years is flagged too (``gap_years`` says how many years it spans).
    Columns: ``from_year, to_year, gap_years, from_value, to_value, ratio``.
    """
    if not factor > 1:
        raise InputError(f"The jump factor must be greater than 1; got {factor!r}.")
    clean = series.dropna().sort_index()
    ratio = clean / clean.shift(1)
    flagged = (ratio > factor) | (ratio < 1 / factor)
    to_years = clean.index[flagged.to_numpy()]
    from_years = clean.index[flagged.shift(-1, fill_value=False).to_numpy()]
    return pd.DataFrame(
        {
            "from_year": pd.array(from_years, dtype="int64"),
            "to_year": pd.array(to_years, dtype="int64"),
            "gap_years": pd.array(to_years - from_years, dtype="int64"),
            "from_value": clean.loc[from_years].to_numpy(dtype=float),
            "to_value": clean.loc[to_years].to_numpy(dtype=float),
            "ratio": ratio.loc[to_years].to_numpy(dtype=float),
        }
    )


def jumps_table(table: pd.DataFrame, value_column: str, factor: float = DEFAULT_JUMP_FACTOR) -> pd.DataFrame:
    """:func:`detect_jumps` for every country of an :func:`observed` table, with a ``country`` column."""
    frames = [
        detect_jumps(series_of(table, c, value_column), factor).assign(country=c)
        for c in dict.fromkeys(table["country"])
    ]
    jumps = pd.concat(frames, ignore_index=True)
    return jumps[["country", *[c for c in jumps.columns if c != "country"]]]


def since_last_jump(series: pd.Series, factor: float = DEFAULT_JUMP_FACTOR) -> pd.Series:
    """The observations from the last break on (all of them if there is no break)."""
    clean = series.dropna().sort_index()
    jumps = detect_jumps(clean, factor)
    if jumps.empty:
        return clean
    return clean[clean.index >= jumps["to_year"].iloc[-1]]


def average_growth_from_levels(series: pd.Series, years: int = 10) -> tuple[float, int, int]:
    """Compound annual growth of a level series over its last ``years`` years: ``(growth, start_year, end_year)``.

    Derived from levels (one series, one vintage) rather than from a separately published
    growth-rate series. Both end points must be observed.
    """
    clean = series.dropna()
    if clean.empty:
        raise InputError("The level series has no observations.")
    end_year = int(clean.index.max())
    start_year = end_year - years
    if start_year not in clean.index:
        raise InputError(
            f"Average growth over {years} years needs an observation in {start_year}; "
            f"observed years: {years_span(clean.index)}."
        )
    return trends.cagr(float(clean[start_year]), float(clean[end_year]), years), start_year, end_year


def level_in(series: pd.Series, year: int, growth_years: int = 10) -> tuple[float, bool]:
    """A level series' value in ``year``: observed if it is, else projected from the last observation
    at the average growth of the last ``growth_years`` years. Returns ``(value, projected)``."""
    clean = series.dropna()
    if year in clean.index:
        return float(clean[year]), False
    if year < clean.index.min():
        raise InputError(f"{year} is before the first observation; observed years: {years_span(clean.index)}.")
    growth, _, end_year = average_growth_from_levels(clean, growth_years)
    return trends.value_at(float(clean[end_year]), end_year, growth, year), True


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def break_years(series: pd.Series, factor: float = DEFAULT_JUMP_FACTOR) -> set[int]:
    """The observations that :func:`detect_jumps` flags as breaks (the year a jump lands in)."""
    return {int(y) for y in detect_jumps(series, factor)["to_year"]}


def at_basis(series: pd.Series, basis_year: str, skip: set[int] | frozenset[int] = frozenset()) -> tuple[int, float]:
    """The observation a claim's ruled basis names: ``"2020"`` that year, ``"<=2020"`` the latest up to 2020.

    ``skip``: years a ``<=`` basis passes over (observations the chapter flags as breaks, see
    :func:`break_years`): the latest *valid* observation is taken. The claimed value plays no part
    (``data/raw/verdict_rules.csv``). Raises :class:`InputError` when no observation fits.
    """
    clean = series.dropna().sort_index()
    text = str(basis_year).strip()
    if text.startswith("<="):
        eligible = clean[(clean.index <= int(text[2:])) & ~clean.index.isin(list(skip))]
        if eligible.empty:
            raise InputError(f"No observation up to {text[2:]}; observed years: {years_span(clean.index)}.")
        return int(eligible.index[-1]), float(eligible.iloc[-1])
    if not text.isdigit():
        raise InputError(f"A basis year is YYYY or <=YYYY; got {basis_year!r}.")
    if int(text) not in clean.index:
        raise InputError(f"No observation in {text}; observed years: {years_span(clean.index)}.")
    return int(text), float(clean.loc[int(text)])
