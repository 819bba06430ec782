"""The estimation panel of the knowledge production function: variables, lags, sample rule, breaks.

For economy ``i`` and output year ``t`` the panel holds the output of year ``t`` and the inputs
(and size controls) of year ``t - L``. Two specifications share one builder:

``levels``
    log output on log R&D spending (constant 2021 PPP $) and log researchers (persons).
``per_capita``
    log output per million people on log R&D intensity (% of GDP) and log researcher density
    (researchers per million people): both sides free of the size of the economy.

Inputs must be observed exactly ``L`` years earlier (no interpolation) unless ``interpolate`` is
set, which fills interior gaps of R&D intensity and researcher density log-linearly. Series
breaks (a jump of more than :data:`analysis.trends.sparse.DEFAULT_JUMP_FACTOR` times between consecutive
observations, found by :func:`analysis.trends.sparse.detect_jumps`) either split an economy into
break-free *segments*, each with its own fixed effect, or *drop* the economies whose inputs break.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.errors import InputError, available
from analysis.trends import sparse as series

OUTPUTS: dict[str, str] = {"patents": "patent_applications_residents", "articles": "journal_articles"}
OUTPUT_LABELS: dict[str, str] = {
    "patents": "Resident patent applications",
    "articles": "Scientific and technical journal articles",
}
DEFAULT_LAGS: dict[str, int] = {"patents": 2, "articles": 1}
MAX_LAG = 10
SPECIFICATIONS: dict[str, tuple[str, str]] = {
    "levels": ("log_rd_spending", "log_researchers"),
    "per_capita": ("log_rd_intensity", "log_researcher_density"),
}
# Size controls: every row with the inputs has GDP and population (the inputs are built from
# them), so adding a control never changes the sample.
CONTROLS: dict[str, str] = {
    "gdp": "log_gdp",
    "gdp_per_capita": "log_gdp_per_capita",
    "population": "log_population",
}
BREAK_HANDLING: tuple[str, ...] = ("none", "segments", "drop")
# The survey series whose breaks matter (R&D share of GDP and researchers per million).
BREAK_SERIES: dict[str, str] = {"rd_expenditure_pct_gdp": "R&D, % of GDP", "researchers_per_million": "researchers"}
TERM_LABELS: dict[str, str] = {
    "log_rd_spending": "log R&D spending",
    "log_researchers": "log researchers",
    "log_rd_intensity": "log R&D intensity",
    "log_researcher_density": "log researcher density",
    "log_gdp": "log GDP",
    "log_gdp_per_capita": "log GDP per capita",
    "log_population": "log population",
}
WDI_COLUMNS: tuple[str, ...] = (
    "rd_expenditure_pct_gdp",
    "researchers_per_million",
    "gdp_ppp_const_2021usd",
    "population",
    *OUTPUTS.values(),
)
# Fewer clusters than this make clustered standard errors meaningless.
MIN_COUNTRIES = 10


def choice(value: str, allowed: Iterable[str], what: str) -> str:
    """``value`` if it is one of ``allowed``; otherwise an :class:`InputError` listing them."""
    allowed = list(allowed)
    if value not in allowed:
        raise InputError(f"Unknown {what} {value!r}. Allowed: {available(allowed)}.")
    return value


def require_columns(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(
            f"The {name} table lacks the variable(s) {available(missing)}; it has: {available(table.columns)}."
        )


def _log(values: pd.Series) -> pd.Series:
    """Natural log; zeros, negatives and missing values become NaN (no warnings)."""
    return np.log(values.where(values > 0)).astype(float)


def interpolate_inputs(wdi: pd.DataFrame) -> pd.DataFrame:
    """``wdi`` with interior gaps of R&D intensity and researcher density filled log-linearly.

    Only between two observations of the same economy (never before the first or after the
    last), so an economy that reports every other year gains the years in between.
    """
    filled = wdi.sort_values(["iso3", "year"]).reset_index(drop=True)
    for column in BREAK_SERIES:
        logs = _log(filled[column])
        parts = [
            logs.loc[rows.index].set_axis(rows["year"]).interpolate(method="index", limit_area="inside").to_numpy()
            for _, rows in filled.groupby("iso3", sort=False)
        ]
        filled[column] = np.exp(np.concatenate(parts)) if parts else filled[column]
    return filled


def variables(wdi: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """One row per economy-year (aggregates removed): outputs, inputs and controls, in levels and logs.

    Levels: ``patents``, ``articles`` (counts), ``rd_spending`` (constant 2021 PPP $),
    ``researchers`` (persons), ``rd_intensity`` (% of GDP), ``researcher_density`` (per million
    people), ``gdp`` (constant 2021 PPP $), ``gdp_per_capita``, ``population``, and each output per
    million people (``patents_per_capita``, ``articles_per_capita``); each has a ``log_`` twin.
    """
    require_columns(wdi, ("iso3", "year", *WDI_COLUMNS), "wdi")
    require_columns(countries, ("iso3", "is_aggregate"), "countries")
    economies = countries.loc[~countries["is_aggregate"].astype(bool), "iso3"]
    w = wdi[wdi["iso3"].isin(economies)]
    table = pd.DataFrame(
        {
            "iso3": w["iso3"].astype(str),
            "year": w["year"].astype(int),
            "patents": w[OUTPUTS["patents"]],
            "articles": w[OUTPUTS["articles"]],
            "rd_spending": w["rd_expenditure_pct_gdp"] / 100.0 * w["gdp_ppp_const_2021usd"],
            "researchers": w["researchers_per_million"] * w["population"] / 1e6,
            "rd_intensity": w["rd_expenditure_pct_gdp"],
            "researcher_density": w["researchers_per_million"],
            "gdp": w["gdp_ppp_const_2021usd"],
            "gdp_per_capita": w["gdp_ppp_const_2021usd"] / w["population"],
            "population": w["population"],
        }
    )
    for output in OUTPUTS:
        table[f"{output}_per_capita"] = table[output] / table["population"] * 1e6
    for column in [c for c in table.columns if c not in ("iso3", "year")]:
        table[f"log_{column}"] = _log(table[column])
    return table.sort_values(["iso3", "year"]).reset_index(drop=True)


def input_breaks(wdi: pd.DataFrame, economies: Iterable[str] | None = None) -> pd.DataFrame:
    """Breaks in the input series of ``economies`` (default: all), over every observed year.

    Calls :func:`analysis.trends.sparse.detect_jumps` on each economy's observed R&D intensity and
    researcher density. Columns: ``iso3``, ``series``, ``from_year``, ``to_year``, ``ratio``.
    Consecutive observations inside a window are consecutive in the whole series, so the breaks
    of any window of years are the rows of this table with both years inside it
    (:func:`breaks_within`).
    """
    rows = wdi if economies is None else wdi[wdi["iso3"].isin(set(economies))]
    frames = []
    for column, label in BREAK_SERIES.items():
        for iso3, one in rows.groupby("iso3", sort=True):
            jumps = series.detect_jumps(one.set_index("year")[column])
            if not jumps.empty:
                frames.append(jumps.assign(iso3=iso3, series=label))
    columns = ["iso3", "series", "from_year", "to_year", "ratio"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.endswith("year") else object) for c in columns})
    return pd.concat(frames, ignore_index=True)[columns].sort_values(["iso3", "to_year"]).reset_index(drop=True)


def breaks_within(breaks: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """The breaks of :func:`input_breaks` between two observations inside ``first_year``-``last_year``."""
    inside = breaks["from_year"].ge(first_year) & breaks["to_year"].le(last_year)
    return breaks[inside].reset_index(drop=True)


def segment_numbers(input_years: pd.Series, iso3: pd.Series, breaks: pd.DataFrame) -> pd.Series:
    """For each row, the number of its economy's breaks at or before its input year (0 = first segment)."""
    by_country = breaks.groupby("iso3")["to_year"].apply(lambda s: np.sort(s.to_numpy()))
    numbers = [
        int(np.searchsorted(by_country[c], y, side="right")) if c in by_country.index else 0
        for c, y in zip(iso3, input_years, strict=True)
    ]
    return pd.Series(numbers, index=input_years.index, dtype="int64")


@dataclass(frozen=True)
class KpfPanel:
    """An estimation sample: one row per economy and output year, with lagged log regressors.

    ``data`` columns: ``iso3``, ``year`` (output year), ``unit`` (the fixed-effect unit: the
    economy, or economy x break-free segment), ``level`` (output, per million people in the
    per-capita specification; zeros kept for PPML), ``outcome`` (its log; NaN for zeros) and the
    ``regressors``. ``candidates`` holds the complete rows before the minimum-observations rule.
    """

    data: pd.DataFrame
    candidates: pd.DataFrame
    output: str
    lag: int
    regressors: tuple[str, ...]
    first_year: int
    last_year: int
    min_obs_per_country: int
    specification: str = "levels"
    breaks: str = "none"
    interpolated: bool = False
    excluded: tuple[str, ...] = ()
    break_table: pd.DataFrame | None = None

    @property
    def n_obs(self) -> int:
        return len(self.data)

    @property
    def n_countries(self) -> int:
        return int(self.data["iso3"].nunique())

    @property
    def countries(self) -> list[str]:
        return sorted(self.data["iso3"].unique())

    @property
    def zeros(self) -> int:
        """Rows with an output of zero: kept by PPML, dropped by the log-linear estimators."""
        return int((self.data["level"] == 0).sum())

    @property
    def inputs(self) -> tuple[str, str]:
        return SPECIFICATIONS[self.specification]

    def without(self, iso3s: Sequence[str]) -> KpfPanel:
        """The same panel without some economies (for influence checks)."""
        unknown = sorted(set(iso3s) - set(self.countries))
        if unknown:
            raise InputError(
                f"Cannot drop {available(unknown)}: not in the sample. Economies in the sample: "
                f"{available(self.countries)}."
            )
        kept = self.data[~self.data["iso3"].isin(iso3s)].reset_index(drop=True)
        return replace(self, data=kept, excluded=tuple(sorted({*self.excluded, *iso3s})))


def allowed_output_years(table: pd.DataFrame, lag: int) -> tuple[int, int]:
    """The output years that inputs lagged ``lag`` years allow: (first data year + lag, last data year)."""
    return int(table["year"].min()) + lag, int(table["year"].max())


def check_years(first_year: int, last_year: int, allowed: tuple[int, int]) -> None:
    """Both ends of the output years inside ``allowed``, in order; otherwise one clear error."""
    low, high = allowed
    if not (low <= first_year <= last_year <= high):
        raise InputError(
            f"Output years {first_year}-{last_year} are not allowed: with this lag the data allow output "
            f"years {low}-{high} (first year not after last year)."
        )


def check_exclusions(exclude: Sequence[str], countries: pd.DataFrame, candidates: pd.DataFrame) -> list[str]:
    """Upper-cased, de-duplicated codes to exclude; unknown codes and economies absent from the sample are refused."""
    codes = list(dict.fromkeys(str(c).strip().upper() for c in exclude if str(c).strip()))
    known = set(countries.loc[~countries["is_aggregate"].astype(bool), "iso3"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise InputError(f"Unknown economy code(s) {available(unknown)} in --exclude; use ISO 3166 alpha-3 codes.")
    present = set(candidates["iso3"])
    absent = [c for c in codes if c not in present]
    if absent:
        raise InputError(
            f"Cannot exclude {available(absent)}: not in the sample. Economies in the sample: {available(present)}."
        )
    return codes


def check_controls(controls: Sequence[str]) -> list[str]:
    """Known, non-repeated control names."""
    names = [c.strip() for c in controls]
    for name in names:
        choice(name, CONTROLS, "control")
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        raise InputError(f"Control(s) {available(repeated)} given more than once; name each control once.")
    return names


def build_panel(
    wdi: pd.DataFrame,
    countries: pd.DataFrame,
    output: str = "patents",
    lag: int | None = None,
    first_year: int = 2000,
    last_year: int = 2023,
    min_obs_per_country: int = 5,
    controls: Sequence[str] = (),
    specification: str = "levels",
    exclude: Sequence[str] = (),
    interpolate: bool = False,
    breaks: str = "none",
    break_table: pd.DataFrame | None = None,
) -> KpfPanel:
    """The KPF panel for ``output``, with inputs (and controls) lagged ``lag`` years.

    Sample rule: output years ``first_year``-``last_year`` (inside the years the data allow);
    rows with the output (zero allowed) and every input and size control present; economies with
    at least ``min_obs_per_country`` such rows. ``lag`` defaults to 2 years for patents and 1 for
    articles. ``exclude`` drops economies before the minimum-observations rule. ``break_table``
    (from :func:`input_breaks`) saves detecting the breaks again when many panels are built.
    """
    choice(output, OUTPUTS, "output")
    choice(specification, SPECIFICATIONS, "specification")
    choice(breaks, BREAK_HANDLING, "break handling")
    controls = check_controls(controls)
    lag = DEFAULT_LAGS[output] if lag is None else int(lag)
    if not 0 <= lag <= MAX_LAG:
        raise InputError(f"The lag must be between 0 and {MAX_LAG} years; got {lag}.")
    if min_obs_per_country < 1:
        raise InputError(f"min_obs_per_country must be at least 1; got {min_obs_per_country}.")
    observed = variables(wdi, countries)
    check_years(first_year, last_year, allowed_output_years(observed, lag))
    table = variables(interpolate_inputs(wdi), countries) if interpolate else observed
    inputs = SPECIFICATIONS[specification]
    regressors = (*inputs, *(CONTROLS[c] for c in controls))
    # every size variable is required whether or not it is a regressor: the sample never moves with the controls
    needed = list(dict.fromkeys([*inputs, *CONTROLS.values()]))
    # Lag by calendar year, not by row: WDI series have gaps (Viet Nam reports R&D every other year).
    lagged = table[["iso3", "year", *needed]].assign(input_year=table["year"], year=table["year"] + lag)
    level = f"{output}_per_capita" if specification == "per_capita" else output
    merged = table[["iso3", "year", level]].rename(columns={level: "level"}).merge(lagged, on=["iso3", "year"])
    merged = merged[merged["year"].between(first_year, last_year)]
    complete = merged[merged[needed].notna().all(axis=1) & (merged["level"] >= 0)].copy()
    complete["outcome"] = _log(complete["level"])
    if break_table is None:
        break_table = input_breaks(wdi, complete["iso3"].unique())
    break_table = breaks_within(break_table, first_year - lag, last_year - lag)
    complete["segment"] = segment_numbers(complete["input_year"], complete["iso3"], break_table)
    if breaks == "drop":
        complete = complete[~complete["iso3"].isin(break_table["iso3"])]
    complete["unit"] = complete["iso3"] + (":" + complete["segment"].astype(str) if breaks == "segments" else "")
    exclude = check_exclusions(exclude, countries, complete)
    complete = complete[~complete["iso3"].isin(exclude)]
    columns = ["iso3", "year", "unit", "segment", "level", "outcome", *regressors]
    complete = complete[columns].sort_values(["iso3", "year"]).reset_index(drop=True)
    n_per_country = complete.groupby("iso3")["year"].transform("size")
    data = complete[n_per_country >= min_obs_per_country].reset_index(drop=True)
    n_countries = data["iso3"].nunique()
    if n_countries < MIN_COUNTRIES:
        raise InputError(
            f"Too few observations: the sample rule (output years {first_year}-{last_year}, lag {lag}, at least "
            f"{min_obs_per_country} observations per economy) leaves {n_countries} economies and {len(data)} "
            f"observations; at least {MIN_COUNTRIES} are needed. Lower min_obs_per_country or widen the years."
        )
    return KpfPanel(
        data=data,
        candidates=complete,
        output=output,
        lag=lag,
        regressors=regressors,
        first_year=first_year,
        last_year=last_year,
        min_obs_per_country=min_obs_per_country,
        specification=specification,
        breaks=breaks,
        interpolated=interpolate,
        excluded=tuple(exclude),
        break_table=break_table,
    )


def latest_means(table: pd.DataFrame, last_year: int, years: int = 5) -> pd.DataFrame:
    """Country means of every ``log_`` variable of :func:`variables` over the ``years`` years up to ``last_year``.

    Levels are geometric means (exponentials of the mean logs), consistent with the log model.
    """
    if years < 1:
        raise InputError(f"years must be at least 1; got {years}.")
    window = table[table["year"].between(last_year - years + 1, last_year)]
    if window.empty:
        raise InputError(
            f"No data in {last_year - years + 1}-{last_year}; the table covers "
            f"{int(table['year'].min())}-{int(table['year'].max())}."
        )
    logs = [c for c in window.columns if c.startswith("log_")]
    means = window.groupby("iso3")[logs].mean()
    for column in logs:
        means[column.removeprefix("log_")] = np.exp(means[column])
    return means.reset_index()


WINDOW_YEARS = 5


def window_start(years, first_year: int):
    """The first year of the 5-year window (counted from ``first_year``) that each year falls in."""
    return first_year + WINDOW_YEARS * ((years - first_year) // WINDOW_YEARS)


def window_means(frame: pd.DataFrame, columns: Sequence[str], first_year: int) -> pd.DataFrame:
    """Country means of ``columns`` over 5-year windows (means of logs: geometric means of levels)."""
    windowed = frame.assign(window=window_start(frame["year"], first_year))
    means = windowed.groupby(["iso3", "window"], as_index=False)[list(columns)].mean()
    counts = windowed.groupby(["iso3", "window"], as_index=False)["year"].size().rename(columns={"size": "n_years"})
    return means.merge(counts, on=["iso3", "window"])


def coverage_by_year(panel: KpfPanel) -> pd.Series:
    """Number of economies in the estimation sample in each output year."""
    return panel.data.groupby("year").size().rename("countries")
