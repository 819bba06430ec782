"""Helpers for WDI indicators observed only in scattered years (researchers, R&D expenditure).

WDI series compiled from surveys, such as the UNESCO Institute for Statistics' researcher counts
and R&D expenditure, have values only in the years a country reported. These helpers work on
the observed points alone and never interpolate; :mod:`analysis.researchers` and
:mod:`analysis.rd` build on them:

- :func:`observed` picks the observed points of one WDI column for a list of countries
  (:func:`check_country_codes` checks the codes); :func:`series_of` takes one country's series;
- :func:`latest_observations`, :func:`observed_years` (with :func:`format_years`) say what exists;
- :func:`match_published` finds the data year whose value is closest to a published figure
  (:func:`closest_year`, :func:`years_within`);
- :func:`detect_jumps` flags breaks: consecutive observations that differ by a large factor
  (:func:`jumps_table` for a whole table, :func:`since_last_jump` for the observations after the last one);
- :func:`target_arithmetic` puts the latest observation against a target (growth needed, growth
  seen since the last break, year the target is reached at that trend), with the growth-rate
  arithmetic of :mod:`analysis.trends`; :func:`target_summary` and :func:`describe_target` report it;
- :func:`average_growth_from_levels` and :func:`level_in` derive growth from, and project, a level series;
- :func:`plot_target_path` draws a :class:`TargetArithmetic` (the figures of observed points with
  their gaps visible are in :mod:`analysis.researchers.figures`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from analysis.book import plots
from analysis.countries import check_codes
from analysis.coverage import format_years
from analysis.errors import InputError, available
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
            "years": grouped.agg(format_years),
        }
    ).reset_index()


def _restrict(series: pd.Series, up_to_year: int | None) -> pd.Series:
    clean = series.dropna()
    if up_to_year is not None:
        clean = clean[clean.index <= up_to_year]
    if clean.empty:
        raise InputError(f"No observation up to {up_to_year}; observed years: {format_years(series.dropna().index)}.")
    return clean


def closest_year(series: pd.Series, figure: float, up_to_year: int | None = None) -> tuple[int, float]:
    """The observed year (up to ``up_to_year``) whose value is closest to ``figure``, and that value.

    Ties go to the later year, the more likely source of a figure published later.
    """
    clean = _restrict(series, up_to_year)
    distance = (clean - figure).abs()
    best = distance[distance == distance.min()].index.max()
    return int(best), float(clean[best])


def years_within(series: pd.Series, figure: float, tolerance: float, up_to_year: int | None = None) -> list[int]:
    """All observed years (up to ``up_to_year``) whose value lies within ``tolerance`` of ``figure``."""
    clean = _restrict(series, up_to_year)
    return [int(y) for y in clean.index[(clean - figure).abs() <= tolerance]]


def match_published(
    table: pd.DataFrame,
    value_column: str,
    figures: Mapping[str, float],
    tolerance: float | Mapping[str, float],
    up_to_year: int,
) -> pd.DataFrame:
    """For each published figure (by country), the best-matching data year up to the source's year and in all years.

    Columns: ``country, published, tolerance, best_year, data_value, difference, verdict,
    years_within_tolerance, best_year_any, data_value_any, latest_year, latest_value``.
    ``difference`` = data - published; ``verdict`` is ``reproduced`` when |difference| <= the
    tolerance (one for all, or one per country), else ``differs``.
    """
    rows = []
    for country, figure in figures.items():
        series = series_of(table, country, value_column)
        band = tolerance[country] if isinstance(tolerance, Mapping) else tolerance
        best_year, value = closest_year(series, figure, up_to_year)
        any_year, any_value = closest_year(series, figure)
        difference = value - figure
        rows.append(
            {
                "country": country,
                "published": figure,
                "tolerance": band,
                "best_year": best_year,
                "data_value": value,
                "difference": difference,
                "verdict": "reproduced" if abs(difference) <= band else "differs",
                "years_within_tolerance": format_years(years_within(series, figure, band)),
                "best_year_any": any_year,
                "data_value_any": any_value,
                "latest_year": int(series.index.max()),
                "latest_value": float(series.iloc[-1]),
            }
        )
    return pd.DataFrame(rows)


def detect_jumps(series: pd.Series, factor: float = DEFAULT_JUMP_FACTOR) -> pd.DataFrame:
    """Breaks: consecutive observations where the later one is over ``factor`` times, or under 1/``factor`` of, the earlier.

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


@dataclass(frozen=True)
class TargetArithmetic:
    """The latest observation of an indicator against a target, and where its recent trend leads.

    Growth rates are fractions per year. The trend window runs from the last break
    (:func:`since_last_jump`) to the latest observation; ``trend_growth`` is the log-linear
    trend through every observation in it (:func:`analysis.trends.log_trend_growth`),
    ``trend_cagr`` the compound rate between its end points. Both are NaN when fewer than
    two observations follow the last break.
    """

    latest_year: int
    latest_value: float
    target_value: float
    target_year: int
    required_growth: float
    trend_first_year: int
    trend_observations: int
    trend_cagr: float
    trend_growth: float
    year_reaching_at_trend: float
    value_at_target_year_at_trend: float
    verdict: str

    @property
    def year_reached(self) -> float:
        """The first calendar year by whose end the trend has reached the target (``year_reaching_at_trend`` rounded up)."""
        reach = self.year_reaching_at_trend
        return float(math.ceil(reach)) if math.isfinite(reach) else reach


def target_verdict(latest_value: float, target_value: float, target_year: int, year_reaching_at_trend: float) -> str:
    """``on-track`` if the target is already met or the trend reaches it by ``target_year``; else ``off-track``.

    ``cannot-be-measured`` when the trend is unknown (NaN year) and the target is not yet met.
    """
    if latest_value >= target_value:
        return "on-track"
    if math.isnan(year_reaching_at_trend):
        return "cannot-be-measured"
    return "on-track" if year_reaching_at_trend <= target_year else "off-track"


def target_arithmetic(
    series: pd.Series, target_value: float, target_year: int, jump_factor: float = DEFAULT_JUMP_FACTOR
) -> TargetArithmetic:
    """Growth needed from the latest observation to ``target_value`` in ``target_year``, against the trend since the last break."""
    clean = series.dropna().sort_index()
    if clean.empty:
        raise InputError("The series has no observations, so no target arithmetic is possible.")
    latest_year, latest_value = int(clean.index[-1]), float(clean.iloc[-1])
    required = trends.required_cagr(latest_value, latest_year, target_value, target_year)
    window = since_last_jump(clean, jump_factor)
    first_year = int(window.index[0])
    if len(window) >= 2:
        trend_cagr = trends.cagr(float(window.iloc[0]), latest_value, latest_year - first_year)
        growth = trends.log_trend_growth(window)
        reaching = trends.year_reaching(latest_value, latest_year, target_value, growth)
        at_target_year = trends.value_at(latest_value, latest_year, growth, target_year)
    else:
        trend_cagr = growth = reaching = at_target_year = math.nan
    return TargetArithmetic(
        latest_year=latest_year,
        latest_value=latest_value,
        target_value=target_value,
        target_year=target_year,
        required_growth=required,
        trend_first_year=first_year,
        trend_observations=len(window),
        trend_cagr=trend_cagr,
        trend_growth=growth,
        year_reaching_at_trend=reaching,
        value_at_target_year_at_trend=at_target_year,
        verdict=target_verdict(latest_value, target_value, target_year, reaching),
    )


def target_summary(a: TargetArithmetic, unit: str, digits: int = 2) -> pd.DataFrame:
    """The target arithmetic as a two-column table (``quantity``, ``value`` as text) for display."""

    def number(value: float, places: int) -> str:
        return "n/a" if math.isnan(value) else f"{value:.{places}f}"

    rows = [
        (f"latest observation ({unit})", number(a.latest_value, digits)),
        ("year of latest observation", str(a.latest_year)),
        (f"target for {a.target_year} ({unit})", f"{a.target_value:g}"),
        ("required growth (% a year)", number(100 * a.required_growth, 2)),
        ("trend window", f"{a.trend_first_year}–{a.latest_year} ({a.trend_observations} observations)"),
        ("compound growth over the window (% a year)", number(100 * a.trend_cagr, 2)),
        ("log-linear trend growth (% a year)", number(100 * a.trend_growth, 2)),
        ("year the target is reached at trend", number(a.year_reaching_at_trend, 1)),
        (f"value in {a.target_year} at trend ({unit})", number(a.value_at_target_year_at_trend, digits)),
        ("verdict", a.verdict),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value"])


def describe_target(a: TargetArithmetic, country: str, digits: int = 1, unit: str = "") -> str:
    """One sentence on where the latest observation stands against the target and where the trend leads.

    ``unit`` follows each level, e.g. ``" per 10,000 people"`` or ``"% of GDP"``.
    """
    start = f"{country} stood at {a.latest_value:,.{digits}f}{unit} in {a.latest_year}"
    if a.latest_value >= a.target_value:
        return f"{start}, already at or above the target of {a.target_value:g}{unit}."
    need = f"{start}; to reach {a.target_value:g}{unit} by {a.target_year} it must grow {a.required_growth:.1%} a year"
    if math.isnan(a.trend_growth):
        return f"{need}. Fewer than two observations follow the last break in its series, so no recent trend can be measured."
    trend = f"since {a.trend_first_year} it has grown {a.trend_growth:.1%} a year (log-linear trend)"
    if math.isinf(a.year_reaching_at_trend):
        return f"{need}, but {trend}, so at that trend it never gets there."
    return f"{need}; {trend}, a pace at which it reaches {a.target_value:g}{unit} in {a.year_reached:.0f}."


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
            f"Average growth over {years} years needs an observation in {start_year}; observed years: {format_years(clean.index)}."
        )
    return trends.cagr(float(clean[start_year]), float(clean[end_year]), years), start_year, end_year


def level_in(series: pd.Series, year: int, growth_years: int = 10) -> tuple[float, bool]:
    """A level series' value in ``year``: observed if it is, else projected from the last observation
    at the average growth of the last ``growth_years`` years. Returns ``(value, projected)``."""
    clean = series.dropna()
    if year in clean.index:
        return float(clean[year]), False
    if year < clean.index.min():
        raise InputError(f"{year} is before the first observation; observed years: {format_years(clean.index)}.")
    growth, _, end_year = average_growth_from_levels(clean, growth_years)
    return trends.value_at(float(clean[end_year]), end_year, growth, year), True


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def plot_target_path(
    series: pd.Series,
    arithmetic: TargetArithmetic,
    country: str,
    *,
    ylabel: str,
    title: str,
    horizon: int | None = None,
    source: str = WDI_SOURCE,
) -> plt.Figure:
    """Observed values, the constant-growth path required to hit the target, and the historical trend continued."""
    a = arithmetic
    fig, ax = plt.subplots(figsize=(9.0, 4.8))
    colour = plots.country_colour(country)
    clean = series.dropna()
    ax.plot(clean.index, clean.to_numpy(), ls="none", marker="o", color=colour, label=f"{country}, observed")
    ax.axvspan(a.trend_first_year, a.latest_year, color="#eeeeee", lw=0, zorder=0, label="trend window")
    if a.latest_value < a.target_value:  # no "required" path once the target is met
        required_years = list(range(a.latest_year, a.target_year + 1))
        ax.plot(
            required_years,
            [trends.value_at(a.latest_value, a.latest_year, a.required_growth, y) for y in required_years],
            ls="--",
            color="black",
            label=f"required: {a.required_growth:+.1%} a year",
        )
    if not math.isnan(a.trend_growth):
        reach = a.year_reaching_at_trend
        end = horizon or int(
            min(max(a.target_year, math.ceil(reach) if math.isfinite(reach) else a.target_year), a.target_year + 25)
        )
        trend_years = list(range(a.latest_year, end + 1))
        ax.plot(
            trend_years,
            [trends.value_at(a.latest_value, a.latest_year, a.trend_growth, y) for y in trend_years],
            ls=":",
            lw=2,
            color=colour,
            label=f"trend since {a.trend_first_year}: {a.trend_growth:+.1%} a year",
        )
        if math.isfinite(reach) and a.latest_year < reach <= end:
            ax.axvline(reach, color=colour, lw=0.8, ls=":")
            ax.annotate(
                f"target reached\nat trend: {a.year_reached:.0f}",
                (reach, a.target_value),
                xytext=(4, -30),
                textcoords="offset points",
                fontsize=8,
                color=colour,
            )
        elif reach > end:  # beyond the drawn horizon: say when, at the end of the curve
            label = (
                f"target reached at trend: {a.year_reached:.0f}"
                if math.isfinite(reach)
                else "trend never reaches the target"
            )
            ax.annotate(
                label,
                (trend_years[-1], trends.value_at(a.latest_value, a.latest_year, a.trend_growth, trend_years[-1])),
                xytext=(-6, 8),
                textcoords="offset points",
                ha="right",
                fontsize=8,
                color=colour,
            )
    ax.axhline(a.target_value, color="#555555", lw=0.8)
    ax.plot(
        a.target_year,
        a.target_value,
        marker="*",
        ms=14,
        color="black",
        ls="none",
        label=f"target {a.target_value:g} in {a.target_year}",
    )
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    plots.add_source(fig, source)
    fig.tight_layout()
    return fig


def at_basis(series: pd.Series, basis_year: str) -> tuple[int, float]:
    """The observation a pre-registered basis names: ``"2020"`` that year, ``"<=2020"`` the latest up to 2020.

    The claimed value plays no part: the basis is fixed before the data is read
    (``data/raw/verdict_rules.csv``). Raises :class:`InputError` when no observation fits.
    """
    clean = series.dropna().sort_index()
    text = str(basis_year).strip()
    if text.startswith("<="):
        eligible = clean[clean.index <= int(text[2:])]
        if eligible.empty:
            raise InputError(f"No observation up to {text[2:]}; observed years: {format_years(clean.index)}.")
        return int(eligible.index[-1]), float(eligible.iloc[-1])
    if not text.isdigit():
        raise InputError(f"A basis year is YYYY or <=YYYY; got {basis_year!r}.")
    if int(text) not in clean.index:
        raise InputError(f"No observation in {text}; observed years: {format_years(clean.index)}.")
    return int(text), float(clean.loc[int(text)])
