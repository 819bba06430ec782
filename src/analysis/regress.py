"""Knowledge-production-function (KPF) regressions: how STI outputs respond to STI inputs.

For economy ``i`` and output year ``t``, with inputs lagged ``L`` years,

    log Y[i,t] = b_rd * log RD[i,t-L] + b_res * log R[i,t-L] + controls[i,t-L] + effects + e[i,t]

``Y`` is resident patent applications (WDI ``IP.PAT.RESD``) or scientific and technical
journal articles (``IP.JRN.ARTC.SC``); ``RD`` is R&D spending in constant 2021 PPP dollars
(``GB.XPD.RSDV.GD.ZS`` / 100 x ``NY.GDP.MKTP.PP.KD``); ``R`` is the number of researchers
(``SP.POP.SCIE.RD.P6`` x population / 1e6). The ``b`` are elasticities: the percentage change
in output that goes with a 1 % change in an input (Griliches 1979).

Three estimators use different variation in the same panel:

``pooled``
    OLS with year effects: compares countries with each other (and years), so it measures
    the cross-country relationship, confounded by anything else that differs between countries.
``twoway``
    Country and year fixed effects (linearmodels ``PanelOLS``): only changes within a country,
    relative to the common pattern of the year. Closest to "what happens when a country raises
    its inputs", but short-run and attenuated by noise in the input series.
``between``
    Country means over 5-year windows, with window effects: long-run, mostly cross-country
    relationship, free of year-to-year timing noise.

Standard errors are clustered by country in all three; confidence and prediction intervals use
Student's t with (countries - 1) degrees of freedom, so the three are comparable.

Outputs equal to zero are dropped rather than replaced by log(1 + x): log(1 + x) is not an
elasticity (it depends on the unit, and WDI counts articles fractionally, many below one), and
zeros occur only in small economies that rarely report R&D inputs; ``KpfPanel.zeros_dropped``
says how many rows this removes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import statsmodels.api as sm
from linearmodels import PanelOLS
from scipy import stats

from analysis import trends
from analysis.errors import InputError, available

OUTPUTS: dict[str, str] = {"patents": "patent_applications_residents", "articles": "journal_articles"}
OUTPUT_LABELS: dict[str, str] = {
    "patents": "Resident patent applications",
    "articles": "Scientific and technical journal articles",
}
DEFAULT_LAGS: dict[str, int] = {"patents": 2, "articles": 1}
MAX_LAG = 10

ESTIMATORS: tuple[str, ...] = ("pooled", "twoway", "between")
ESTIMATOR_LABELS: dict[str, str] = {
    "pooled": "Pooled OLS",
    "twoway": "Two-way FE",
    "between": "Between (5-year means)",
}
WINDOW_YEARS = 5

INPUTS: tuple[str, ...] = ("log_rd_spending", "log_researchers")
CONTROLS: dict[str, str] = {
    "gdp_per_capita": "log_gdp_per_capita",
    "population": "log_population",
    "tertiary_enrolment": "log_tertiary_enrolment",
}
INPUT_INDEX = "input_index"
TERM_LABELS: dict[str, str] = {
    "log_rd_spending": "log R&D spending",
    "log_researchers": "log researchers",
    "log_gdp_per_capita": "log GDP per capita",
    "log_population": "log population",
    "log_tertiary_enrolment": "log tertiary enrolment",
    INPUT_INDEX: "input index (joint elasticity)",
    "rd_pct_gdp": "R&D, % of GDP",
}
TABLE_COLUMNS = ["term", "estimate", "std_error", "ci_low", "ci_high", "n_obs", "n_countries"]

# The WDI columns the panel is built from (see data/raw/sources.toml, [[wdi_series]]).
WDI_COLUMNS: tuple[str, ...] = (
    "rd_expenditure_pct_gdp",
    "researchers_per_million",
    "gdp_ppp_const_2021usd",
    "population",
    "tertiary_enrolment_gross_pct",
    *OUTPUTS.values(),
)
# Fewer clusters than this make clustered standard errors meaningless.
MIN_COUNTRIES = 10


# --------------------------------------------------------------------------------------
# Validation helpers


def _choice(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise InputError(f"Unknown {what} {value!r}. Allowed: {available(allowed)}.")
    return value


def _require_columns(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(
            f"The {name} table lacks the variable(s) {available(missing)}; it has: {available(table.columns)}."
        )


def _log(values: pd.Series) -> pd.Series:
    """Natural log; zeros, negatives and missing values become NaN (no warnings)."""
    return np.log(values.where(values > 0))


# --------------------------------------------------------------------------------------
# Variables and the estimation panel


def variables(wdi: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """One row per economy-year (aggregates removed): outputs, inputs and controls, in levels and logs.

    Levels: ``patents``, ``articles`` (counts), ``rd_spending`` (constant 2021 PPP $),
    ``researchers`` (persons), ``gdp_per_capita`` (constant 2021 PPP $), ``population``,
    ``tertiary_enrolment`` (% gross); each has a ``log_`` twin (NaN where the level is not positive).
    """
    _require_columns(wdi, ("iso3", "year", *WDI_COLUMNS), "wdi")
    _require_columns(countries, ("iso3", "is_aggregate"), "countries")
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
            "gdp_per_capita": w["gdp_ppp_const_2021usd"] / w["population"],
            "population": w["population"],
            "tertiary_enrolment": w["tertiary_enrolment_gross_pct"],
        }
    )
    for column in [
        "patents",
        "articles",
        "rd_spending",
        "researchers",
        "gdp_per_capita",
        "population",
        "tertiary_enrolment",
    ]:
        table[f"log_{column}"] = _log(table[column]).astype(float)
    return table.sort_values(["iso3", "year"]).reset_index(drop=True)


def latest_means(table: pd.DataFrame, last_year: int, years: int = 5) -> pd.DataFrame:
    """Country means of every variable of :func:`variables` over the ``years`` years up to ``last_year``.

    Each variable is averaged over the years in which it is reported; levels are geometric means
    (exponentials of the mean logs), consistent with the log model. No lag: a picture, not a model.
    """
    if years < 1:
        raise InputError(f"years must be at least 1; got {years}.")
    window = table[table["year"].between(last_year - years + 1, last_year)]
    if window.empty:
        raise InputError(
            f"No data in {last_year - years + 1}-{last_year}; the table covers {int(table['year'].min())}-{int(table['year'].max())}."
        )
    logs = [c for c in window.columns if c.startswith("log_")]
    means = window.groupby("iso3")[logs].mean()
    for column in logs:
        means[column.removeprefix("log_")] = np.exp(means[column])
    return means.reset_index()


@dataclass(frozen=True)
class KpfPanel:
    """An estimation sample: one row per economy and output year, with lagged log regressors.

    ``data`` holds ``iso3``, ``year``, ``outcome`` (log output) and the ``regressors``;
    ``candidates`` holds every complete row in the year range before the minimum-observations
    rule (used to place a country that the rule leaves out against the fitted relationship).
    """

    data: pd.DataFrame
    candidates: pd.DataFrame
    output: str
    lag: int
    regressors: tuple[str, ...]
    first_year: int
    last_year: int
    min_obs_per_country: int
    zeros_dropped: int = 0
    index_weights: dict[str, float] = field(default_factory=dict)

    @property
    def n_obs(self) -> int:
        return len(self.data)

    @property
    def n_countries(self) -> int:
        return int(self.data["iso3"].nunique())

    @property
    def countries(self) -> list[str]:
        return sorted(self.data["iso3"].unique())

    def without(self, iso3s: Sequence[str]) -> KpfPanel:
        """The same panel without some countries (for influence checks)."""
        unknown = sorted(set(iso3s) - set(self.countries))
        if unknown:
            raise InputError(
                f"Cannot drop {available(unknown)}: not in the sample. Countries in the sample: {available(self.countries)}."
            )
        return replace(self, data=self.data[~self.data["iso3"].isin(iso3s)].reset_index(drop=True))


def build_panel(
    wdi: pd.DataFrame,
    countries: pd.DataFrame,
    output: str = "patents",
    lag: int | None = None,
    first_year: int = 2000,
    last_year: int = 2023,
    min_obs_per_country: int = 5,
    controls: Sequence[str] = (),
) -> KpfPanel:
    """The KPF panel for ``output``, with inputs (and controls) lagged ``lag`` years.

    Sample rule: output years ``first_year``-``last_year``; rows with the output and every
    regressor present (no interpolation); economies with at least ``min_obs_per_country``
    such rows. ``lag`` defaults to 2 years for patents and 1 for articles.
    """
    _choice(output, OUTPUTS, "output")
    for control in controls:
        _choice(control, CONTROLS, "control")
    lag = DEFAULT_LAGS[output] if lag is None else int(lag)
    if not 0 <= lag <= MAX_LAG:
        raise InputError(f"The lag must be between 0 and {MAX_LAG} years; got {lag}.")
    if min_obs_per_country < 1:
        raise InputError(f"min_obs_per_country must be at least 1; got {min_obs_per_country}.")
    table = variables(wdi, countries)
    year_min, year_max = int(table["year"].min()), int(table["year"].max())
    if first_year > last_year or last_year < year_min + lag or first_year > year_max:
        raise InputError(
            f"The output years {first_year}-{last_year} do not fit the data: WDI covers {year_min}-{year_max} "
            f"and inputs lagged {lag} years allow output years {year_min + lag}-{year_max}."
        )
    regressors = INPUTS + tuple(CONTROLS[c] for c in controls)
    # Lag by calendar year, not by row: WDI series have gaps (Viet Nam reports R&D every other year).
    lagged = table[["iso3", "year", *regressors]].assign(year=table["year"] + lag)
    merged = table[["iso3", "year", output, f"log_{output}"]].merge(lagged, on=["iso3", "year"], how="inner")
    merged = merged[merged["year"].between(first_year, last_year)]
    has_inputs = merged[list(regressors)].notna().all(axis=1)
    zeros_dropped = int((has_inputs & (merged[output] == 0)).sum())
    complete = merged[has_inputs & merged[f"log_{output}"].notna()].rename(columns={f"log_{output}": "outcome"})
    complete = complete[["iso3", "year", "outcome", *regressors]].reset_index(drop=True)
    n_per_country = complete.groupby("iso3")["year"].transform("size")
    data = complete[n_per_country >= min_obs_per_country].reset_index(drop=True)
    n_countries = data["iso3"].nunique()
    if n_countries < MIN_COUNTRIES:
        raise InputError(
            f"Too few observations: the sample rule (output years {first_year}-{last_year}, lag {lag}, at least "
            f"{min_obs_per_country} observations per country) leaves {n_countries} countries and {len(data)} "
            f"observations; at least {MIN_COUNTRIES} countries are needed. Lower min_obs_per_country or widen the years."
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
        zeros_dropped=zeros_dropped,
    )


def with_input_index(panel: KpfPanel) -> KpfPanel:
    """The panel with the two log inputs replaced by one joint input index.

    The index is the mean of the standardised log inputs, rescaled so that a 1 % rise of *both*
    inputs raises it by 1 %: ``index = w_rd log RD + w_res log R`` with ``w_k`` proportional to
    1 / sd(log input k) in the estimation sample and summing to one. Its coefficient is therefore
    a joint elasticity, comparable with ``b_rd + b_res`` from the separate model.
    """
    if not set(INPUTS) <= set(panel.regressors):
        raise InputError(f"This panel has no separate inputs to combine (regressors: {available(panel.regressors)}).")
    inverse_sd = {name: 1.0 / panel.data[name].std() for name in INPUTS}
    total = sum(inverse_sd.values())
    weights = {name: value / total for name, value in inverse_sd.items()}

    def add_index(frame: pd.DataFrame) -> pd.DataFrame:
        index = sum(weight * frame[name] for name, weight in weights.items())
        return frame.drop(columns=list(INPUTS)).assign(**{INPUT_INDEX: index})

    regressors = (INPUT_INDEX,) + tuple(r for r in panel.regressors if r not in INPUTS)
    return replace(
        panel,
        data=add_index(panel.data),
        candidates=add_index(panel.candidates),
        regressors=regressors,
        index_weights=weights,
    )


def window_start(years: pd.Series | np.ndarray | int, first_year: int) -> pd.Series | np.ndarray | int:
    """The first year of the 5-year window (counted from ``first_year``) that each year falls in."""
    return first_year + WINDOW_YEARS * ((years - first_year) // WINDOW_YEARS)


def window_means(frame: pd.DataFrame, columns: Sequence[str], first_year: int) -> pd.DataFrame:
    """Country means of ``columns`` over 5-year windows (means of logs: geometric means of levels)."""
    windowed = frame.assign(window=window_start(frame["year"], first_year))
    means = windowed.groupby(["iso3", "window"], as_index=False)[list(columns)].mean()
    counts = windowed.groupby(["iso3", "window"], as_index=False)["year"].size().rename(columns={"size": "n_years"})
    return means.merge(counts, on=["iso3", "window"])


# --------------------------------------------------------------------------------------
# Estimators


@dataclass(frozen=True)
class KpfFit:
    """A fitted KPF model: the tidy coefficient table plus what prediction and diagnostics need.

    ``params`` and ``cov`` cover the reported regressors only (no intercept or effects);
    ``residuals`` and ``fitted`` are per estimation row (including the effects) and indexed like
    ``sample``; ``result`` is the statsmodels or linearmodels result for full summaries.
    """

    estimator: str
    panel: KpfPanel
    params: pd.Series
    cov: pd.DataFrame
    n_obs: int
    n_countries: int
    sample: pd.DataFrame
    fitted: pd.Series
    residuals: pd.Series
    result: object
    period: str = "year"
    design_columns: tuple[str, ...] = ()

    @property
    def dof(self) -> int:
        """Degrees of freedom for t intervals: clusters (countries) minus one."""
        return self.n_countries - 1

    def critical_value(self, level: float = 0.95) -> float:
        if not 0 < level < 1:
            raise InputError(f"The confidence level must be between 0 and 1; got {level}.")
        return float(stats.t.ppf(0.5 + level / 2, self.dof))

    def table(self, level: float = 0.95) -> pd.DataFrame:
        """Tidy coefficients: term, estimate, std_error, ci_low, ci_high, n_obs, n_countries."""
        se = np.sqrt(np.diag(self.cov.to_numpy()))
        half = self.critical_value(level) * se
        return pd.DataFrame(
            {
                "term": list(self.params.index),
                "estimate": self.params.to_numpy(),
                "std_error": se,
                "ci_low": self.params.to_numpy() - half,
                "ci_high": self.params.to_numpy() + half,
                "n_obs": self.n_obs,
                "n_countries": self.n_countries,
            },
            columns=TABLE_COLUMNS,
        )

    def combination(self, weights: dict[str, float], level: float = 0.95) -> pd.Series:
        """A linear combination of coefficients (e.g. b_rd + b_res) with its standard error and CI."""
        unknown = sorted(set(weights) - set(self.params.index))
        if unknown:
            raise InputError(
                f"Unknown term(s) {available(unknown)}. Terms of this model: {available(self.params.index)}."
            )
        vector = pd.Series(weights, dtype=float).reindex(self.params.index, fill_value=0.0)
        estimate = float(vector @ self.params)
        se = math.sqrt(float(vector @ self.cov @ vector))
        half = self.critical_value(level) * se
        return pd.Series({"estimate": estimate, "std_error": se, "ci_low": estimate - half, "ci_high": estimate + half})


def _check_estimable(data: pd.DataFrame, regressors: Sequence[str], n_effects: int) -> None:
    n_countries = data["iso3"].nunique()
    if n_countries < MIN_COUNTRIES or len(data) <= len(regressors) + n_effects + 1:
        raise InputError(
            f"Too few observations to estimate: {len(data)} rows from {n_countries} countries for "
            f"{len(regressors)} regressors and {n_effects} effects (at least {MIN_COUNTRIES} countries needed)."
        )


def _design(frame: pd.DataFrame, regressors: Sequence[str], period: str, periods: Sequence[int]) -> pd.DataFrame:
    """Constant, regressors and period dummies (the first period is the reference)."""
    dummies = pd.DataFrame(
        {f"{period}_{p}": (frame[period] == p).astype(float) for p in periods[1:]},
        index=frame.index,
    )
    return pd.concat([pd.Series(1.0, index=frame.index, name="const"), frame[list(regressors)], dummies], axis=1)


def _fit_ols_period_effects(panel: KpfPanel, sample: pd.DataFrame, estimator: str, period: str) -> KpfFit:
    """OLS of ``outcome`` on the regressors and period effects, standard errors clustered by country."""
    regressors = list(panel.regressors)
    periods = sorted(sample[period].unique())
    _check_estimable(sample, regressors, len(periods))
    sample = sample.reset_index(drop=True)
    design = _design(sample, regressors, period, periods)
    groups = pd.factorize(sample["iso3"])[0]
    result = sm.OLS(sample["outcome"], design).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    return KpfFit(
        estimator=estimator,
        panel=panel,
        params=result.params[regressors],
        cov=result.cov_params().loc[regressors, regressors],
        n_obs=int(result.nobs),
        n_countries=int(sample["iso3"].nunique()),
        sample=sample,
        fitted=result.fittedvalues,
        residuals=result.resid,
        result=result,
        period=period,
        design_columns=tuple(design.columns),
    )


def fit_pooled(panel: KpfPanel) -> KpfFit:
    """Pooled OLS in logs with year effects, standard errors clustered by country."""
    return _fit_ols_period_effects(panel, panel.data, "pooled", "year")


def fit_between(panel: KpfPanel) -> KpfFit:
    """OLS on country means over 5-year windows with window effects, clustered by country.

    Averaging over five years removes year-to-year noise and timing, so the slope is a long-run,
    mostly cross-country elasticity. Windows start at ``panel.first_year``.
    """
    means = window_means(panel.data, ["outcome", *panel.regressors], panel.first_year)
    return _fit_ols_period_effects(panel, means, "between", "window")


def fit_twoway(panel: KpfPanel) -> KpfFit:
    """Country and year fixed effects (linearmodels PanelOLS), standard errors clustered by country."""
    regressors = list(panel.regressors)
    sample = panel.data.reset_index(drop=True)
    _check_estimable(sample, regressors, sample["iso3"].nunique() + sample["year"].nunique())
    indexed = sample.set_index(["iso3", "year"])
    result = PanelOLS(indexed["outcome"], indexed[regressors], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    residuals = pd.Series(result.idiosyncratic.to_numpy().ravel(), index=sample.index, name="residual")
    return KpfFit(
        estimator="twoway",
        panel=panel,
        params=result.params[regressors],
        cov=result.cov.loc[regressors, regressors],
        n_obs=int(result.nobs),
        n_countries=int(result.entity_info["total"]),
        sample=sample,
        fitted=sample["outcome"] - residuals,
        residuals=residuals,
        result=result,
    )


_FITTERS = {"pooled": fit_pooled, "twoway": fit_twoway, "between": fit_between}


def fit(panel: KpfPanel, estimator: str) -> KpfFit:
    """Fit one of :data:`ESTIMATORS` (``pooled``, ``twoway``, ``between``)."""
    return _FITTERS[_choice(estimator, ESTIMATORS, "estimator")](panel)


# --------------------------------------------------------------------------------------
# Prediction: a country against the cross-country relationship


def predict(fit_: KpfFit, rows: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Predicted log output for ``rows`` with a prediction interval for a new observation.

    Only for models without country effects (``pooled``, ``between``): with country effects the
    prediction for a country contains its own effect, which is what we want to compare it with.
    The prediction variance is x'Vx (coefficient uncertainty, clustered V) plus the residual
    variance. Rows whose year (window) is not in the estimation sample are dropped.
    """
    if fit_.estimator == "twoway":
        raise InputError(
            "The two-way model absorbs each country's level in its fixed effect; predict with 'pooled' or 'between'."
        )
    periods = sorted(fit_.sample[fit_.period].unique())
    rows = rows[rows[fit_.period].isin(periods)]
    design = _design(rows, fit_.panel.regressors, fit_.period, periods)[list(fit_.design_columns)]
    result = fit_.result
    mean = design.to_numpy() @ result.params.to_numpy()
    var_mean = np.einsum("ij,jk,ik->i", design.to_numpy(), result.cov_params().to_numpy(), design.to_numpy())
    se = np.sqrt(var_mean + result.scale)
    half = fit_.critical_value(level) * se
    return rows.assign(predicted=mean, pi_low=mean - half, pi_high=mean + half)


def actual_vs_predicted(fit_: KpfFit, iso3: str, level: float = 0.95) -> pd.DataFrame:
    """A country's actual output against the fitted cross-country relationship.

    Returns one row per year (``pooled``) or 5-year window (``between``) with ``actual`` and
    ``predicted`` output (counts; the prediction is the exponential of the predicted log, i.e. a
    geometric-mean prediction), the prediction interval, ``ratio`` = actual / predicted with its
    interval (``ratio_low``, ``ratio_high``) and ``in_sample`` (False when the sample rule left
    the country out of the estimation).
    """
    panel = fit_.panel
    rows = panel.candidates[panel.candidates["iso3"] == iso3]
    if rows.empty:
        raise InputError(
            f"{iso3} has no year with the output and lagged inputs in {panel.first_year}-{panel.last_year}. "
            f"Countries with data: {available(panel.candidates['iso3'])}."
        )
    if fit_.period == "window":
        rows = window_means(rows, ["outcome", *panel.regressors], panel.first_year)
    predicted = predict(fit_, rows, level)
    return pd.DataFrame(
        {
            "iso3": iso3,
            fit_.period: predicted[fit_.period].to_numpy(),
            "actual": np.exp(predicted["outcome"]).to_numpy(),
            "predicted": np.exp(predicted["predicted"]).to_numpy(),
            "pi_low": np.exp(predicted["pi_low"]).to_numpy(),
            "pi_high": np.exp(predicted["pi_high"]).to_numpy(),
            "ratio": np.exp(predicted["outcome"] - predicted["predicted"]).to_numpy(),
            # the interval for the ratio: actual over the bounds of the prediction interval
            "ratio_low": np.exp(predicted["outcome"] - predicted["pi_high"]).to_numpy(),
            "ratio_high": np.exp(predicted["outcome"] - predicted["pi_low"]).to_numpy(),
            "in_sample": iso3 in panel.countries,
        }
    )


def latest_ratios(fit_: KpfFit, iso3s: Sequence[str]) -> pd.DataFrame:
    """Actual / predicted output in each country's latest year (or window) with data.

    Countries without any complete row in the sample years are skipped.
    """
    available_codes = set(fit_.panel.candidates["iso3"])
    rows = [actual_vs_predicted(fit_, iso3).iloc[-1] for iso3 in iso3s if iso3 in available_codes]
    return pd.DataFrame(rows).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Diagnostics


def sample_summary(panel: KpfPanel) -> dict[str, object]:
    """Coverage of a panel: years, lag, N countries, N observations, observations per country."""
    per_country = panel.data.groupby("iso3").size()
    return {
        "output": panel.output,
        "lag": panel.lag,
        "output years": f"{int(panel.data['year'].min())}–{int(panel.data['year'].max())}",
        "countries": panel.n_countries,
        "observations": panel.n_obs,
        "median obs per country": float(per_country.median()),
        "countries left out (too few obs)": int(panel.candidates["iso3"].nunique() - panel.n_countries),
        "zero outputs dropped": panel.zeros_dropped,
    }


def coverage_by_year(panel: KpfPanel) -> pd.Series:
    """Number of countries in the estimation sample in each output year."""
    return panel.data.groupby("year").size().rename("countries")


def _demean(values: np.ndarray, groups: Sequence[np.ndarray], tol: float = 1e-11, max_iter: int = 10_000) -> np.ndarray:
    """Residuals of the columns of ``values`` on the dummies of one or more groupings.

    One grouping: subtract group means (exact). Two (country and year in an unbalanced panel):
    alternate until nothing changes (the method of alternating projections).
    """
    out = values - values.mean(axis=0)
    for _ in range(max_iter):
        previous = out.copy()
        for codes in groups:
            counts = np.bincount(codes)
            for j in range(out.shape[1]):
                out[:, j] -= (np.bincount(codes, weights=out[:, j]) / counts)[codes]
        if len(groups) == 1 or float(np.abs(out - previous).max()) < tol:
            break
    return out


def _partialled(frame: pd.DataFrame, columns: Sequence[str], effects: Sequence[str]) -> np.ndarray:
    groups = [pd.factorize(frame[effect])[0] for effect in effects]
    return _demean(frame[list(columns)].to_numpy(dtype=float), groups)


def input_correlations(panel: KpfPanel) -> pd.DataFrame:
    """Correlation of log R&D spending and log researchers in each kind of variation.

    The pooled estimator uses mostly the first two; the two-way estimator only the last.
    """
    data = panel.data
    means = data.groupby("iso3")[list(INPUTS)].mean()
    within = _partialled(data, INPUTS, ["iso3", "year"])
    rows = [
        ("all country-years", data[list(INPUTS)].corr().iloc[0, 1]),
        ("between countries (country means)", means.corr().iloc[0, 1]),
        ("within countries (country and year means removed)", float(np.corrcoef(within.T)[0, 1])),
    ]
    return pd.DataFrame(rows, columns=["variation", "correlation"])


# The effects each estimator absorbs, for the light leave-one-out computation below.
_ABSORBED = {"pooled": ["year"], "twoway": ["iso3", "year"], "between": ["window"]}


def leave_one_country_out(panel: KpfPanel, estimator: str) -> pd.DataFrame:
    """Every coefficient re-estimated with each country left out in turn.

    Long table: ``iso3`` (the country dropped), ``term``, ``estimate``. Point estimates only,
    computed by Frisch-Waugh-Lovell (remove the estimator's effects from outcome and regressors,
    then least squares on what is left): the same numbers as :func:`fit` on the reduced panel,
    without a full refit (and its clustered covariance) for every country.
    """
    _choice(estimator, ESTIMATORS, "estimator")
    data = panel.data
    if estimator == "between":
        data = window_means(data, ["outcome", *panel.regressors], panel.first_year)
    columns = ["outcome", *panel.regressors]
    rows = []
    for iso3 in panel.countries:
        kept = data[data["iso3"] != iso3]
        demeaned = _partialled(kept, columns, _ABSORBED[estimator])
        y, x = demeaned[:, 0], demeaned[:, 1:]
        estimates = np.linalg.lstsq(x, y, rcond=None)[0]
        rows += [(iso3, term, float(b)) for term, b in zip(panel.regressors, estimates, strict=False)]
    return pd.DataFrame(rows, columns=["iso3", "term", "estimate"])


def influence_summary(fit_: KpfFit, drop: Sequence[str] = ("CHN",)) -> pd.DataFrame:
    """For each term: the estimate, the estimate without ``drop``, and the leave-one-country-out range.

    Columns: term, estimate, without (the estimate without the countries in ``drop``), loo_min,
    loo_min_country, loo_max, loo_max_country (the country whose removal gives the extreme).
    """
    present = [c for c in drop if c in fit_.panel.countries]
    without = fit(fit_.panel.without(present), fit_.estimator).params if present else fit_.params
    loo = leave_one_country_out(fit_.panel, fit_.estimator)
    rows = []
    for term in fit_.params.index:
        one = loo[loo["term"] == term].set_index("iso3")["estimate"]
        rows.append(
            {
                "term": term,
                "estimate": float(fit_.params[term]),
                "without": float(without[term]),
                "loo_min": float(one.min()),
                "loo_min_country": one.idxmin(),
                "loo_max": float(one.max()),
                "loo_max_country": one.idxmax(),
            }
        )
    return pd.DataFrame(rows)


def regression_table(fits: dict[str, KpfFit], digits: int = 3) -> pd.DataFrame:
    """A publication-style table: one column per fit, estimate with its standard error below.

    Rows: each term (estimate, then "(se)"), then countries, observations, lag and effects.
    """
    terms: list[str] = []
    for f in fits.values():
        terms += [t for t in f.params.index if t not in terms]
    rows: dict[str, list[str]] = {}
    for term in terms:
        label = TERM_LABELS.get(term, term)
        rows[label] = [
            f"{f.params[term]:.{digits}f}{_stars(f, term)}" if term in f.params else "" for f in fits.values()
        ]
        rows[f"{label} (s.e.)"] = [
            f"({math.sqrt(f.cov.loc[term, term]):.{digits}f})" if term in f.params else "" for f in fits.values()
        ]
    rows["countries"] = [str(f.n_countries) for f in fits.values()]
    rows["observations"] = [str(f.n_obs) for f in fits.values()]
    rows["lag (years)"] = [str(f.panel.lag) for f in fits.values()]
    rows["country effects"] = ["yes" if f.estimator == "twoway" else "no" for f in fits.values()]
    rows["time effects"] = ["window" if f.estimator == "between" else "year" for f in fits.values()]
    table = pd.DataFrame(rows, index=list(fits)).T
    table.index.name = ""
    return table.reset_index()


def _stars(f: KpfFit, term: str) -> str:
    """Significance stars from the t statistic with (countries - 1) degrees of freedom."""
    t_stat = abs(f.params[term]) / math.sqrt(f.cov.loc[term, term])
    p_value = 2 * stats.t.sf(t_stat, f.dof)
    return "***" if p_value < 0.01 else "**" if p_value < 0.05 else "*" if p_value < 0.1 else ""


def period_effects(fit_: KpfFit) -> pd.Series:
    """The estimated year (or window) effects, relative to the first period (= 0).

    For the two-way model linearmodels reports only the sum of country and year effects per row;
    it is split into its two parts by alternating projections (exact for a connected panel).
    """
    if fit_.estimator != "twoway":
        periods = sorted(fit_.sample[fit_.period].unique())
        values = [0.0] + [float(fit_.result.params[f"{fit_.period}_{p}"]) for p in periods[1:]]
        return pd.Series(values, index=pd.Index(periods, name=fit_.period), name="effect")
    effects = fit_.result.estimated_effects.iloc[:, 0].reset_index(drop=True)
    sample = fit_.sample
    year_effect = pd.Series(0.0, index=sample.index)
    for _ in range(1000):
        country_effect = (effects - year_effect).groupby(sample["iso3"]).transform("mean")
        updated = (effects - country_effect).groupby(sample["year"]).transform("mean")
        converged = float((updated - year_effect).abs().max()) < 1e-12
        year_effect = updated
        if converged:
            break
    by_year = year_effect.groupby(sample["year"]).first()
    return (by_year - by_year.iloc[0]).rename("effect")


def common_trend(fit_: KpfFit, years: int = 10) -> float:
    """Annual growth of output common to all countries at given inputs: the log-linear trend of
    the period effects over the last ``years`` years of the sample (fraction per year)."""
    effects = period_effects(fit_)
    recent = effects[effects.index >= effects.index.max() - years]
    return trends.log_trend_growth(np.exp(recent))


# --------------------------------------------------------------------------------------
# Counterfactual: what a path of inputs implies for outputs


@dataclass(frozen=True)
class InputBase:
    """A country's inputs in the latest year where R&D spending and researchers are both reported."""

    iso3: str
    year: int
    rd_pct_gdp: float
    researchers_per_10k: float
    gdp: float
    population: float


def latest_inputs(wdi: pd.DataFrame, iso3: str) -> InputBase:
    """The latest year with R&D (% of GDP), researchers, GDP (PPP) and population all reported."""
    _require_columns(wdi, ("iso3", "year", *WDI_COLUMNS), "wdi")
    rows = wdi[wdi["iso3"] == iso3]
    if rows.empty:
        raise InputError(f"Unknown country code {iso3!r}. Available: {available(wdi['iso3'])}.")
    needed = ["rd_expenditure_pct_gdp", "researchers_per_million", "gdp_ppp_const_2021usd", "population"]
    complete = rows.dropna(subset=needed)
    if complete.empty:
        raise InputError(
            f"{iso3} never reports R&D spending and researchers in the same year, so it has no input baseline."
        )
    last = complete.loc[complete["year"].idxmax()]
    return InputBase(
        iso3=iso3,
        year=int(last["year"]),
        rd_pct_gdp=float(last["rd_expenditure_pct_gdp"]),
        researchers_per_10k=float(last["researchers_per_million"]) / 100.0,
        gdp=float(last["gdp_ppp_const_2021usd"]),
        population=float(last["population"]),
    )


def recent_growth(
    wdi: pd.DataFrame, iso3: str, column: str, years: int = 10, method: str = "cagr"
) -> tuple[float, int, int]:
    """Average annual growth of a WDI column over the last ``years`` years: (rate, first year, last year).

    ``cagr``: compound rate between the latest observation and the one ``years`` earlier (both
    must exist); ``trend``: log-linear trend through every observation in that window.
    """
    _require_columns(wdi, ("iso3", "year", column), "wdi")
    _choice(method, ("cagr", "trend"), "growth method")
    series = wdi.loc[wdi["iso3"] == iso3].set_index("year")[column].dropna()
    if series.empty:
        raise InputError(f"{iso3} has no observations of {column}.")
    end = int(series.index.max())
    start = end - years
    if method == "trend":
        window = series.loc[start:end]
        return trends.log_trend_growth(window), int(window.index.min()), end
    if start not in series.index:
        raise InputError(f"{iso3} has no {column} in {start}, {years} years before its latest value ({end}).")
    return trends.cagr(float(series.loc[start]), float(series.loc[end]), years), start, end


def input_path(
    base: InputBase,
    target_year: int,
    rd_target_pct_gdp: float,
    researchers_target_per_10k: float,
    gdp_growth: float,
    population_growth: float,
) -> pd.DataFrame:
    """Yearly inputs from the base year to the targets in ``target_year``.

    R&D intensity and researcher density move at a constant annual rate (geometric
    interpolation) from their base values to the targets; GDP and population grow at the given
    rates (fractions per year). Passing the base values as targets gives the "no-policy" path in
    which only GDP and population grow. Returns levels and the log regressors of the model.
    """
    if target_year <= base.year:
        raise InputError(f"The target year ({target_year}) must come after the base year of the inputs ({base.year}).")
    for name, value in (
        ("rd_target_pct_gdp", rd_target_pct_gdp),
        ("researchers_target_per_10k", researchers_target_per_10k),
    ):
        if not (value > 0 and math.isfinite(value)):
            raise InputError(f"{name} must be a positive number; got {value!r}.")
    for name, value in (("gdp_growth", gdp_growth), ("population_growth", population_growth)):
        if not (value > -1 and math.isfinite(value)):
            raise InputError(f"{name} must be a growth rate (fraction per year) above -1; got {value!r}.")
    years = np.arange(base.year, target_year + 1)
    share = (years - base.year) / (target_year - base.year)
    path = pd.DataFrame({"year": years})
    path["rd_pct_gdp"] = base.rd_pct_gdp * (rd_target_pct_gdp / base.rd_pct_gdp) ** share
    path["researchers_per_10k"] = (
        base.researchers_per_10k * (researchers_target_per_10k / base.researchers_per_10k) ** share
    )
    path["gdp"] = base.gdp * (1.0 + gdp_growth) ** (years - base.year)
    path["population"] = base.population * (1.0 + population_growth) ** (years - base.year)
    path["log_rd_spending"] = np.log(path["rd_pct_gdp"] / 100.0 * path["gdp"])
    path["log_researchers"] = np.log(path["researchers_per_10k"] / 1e4 * path["population"])
    path["log_gdp_per_capita"] = np.log(path["gdp"] / path["population"])
    path["log_population"] = np.log(path["population"])
    path["log_tertiary_enrolment"] = 0.0  # held at its latest value: only changes enter the projection
    return path


def path_growth(path: pd.DataFrame, column: str) -> float:
    """Average annual growth (fraction) of a log column of an input path, first to last year."""
    _require_columns(path, ("year", column), "input path")
    years = int(path["year"].iloc[-1] - path["year"].iloc[0])
    return math.expm1((path[column].iloc[-1] - path[column].iloc[0]) / years)


def project(fit_: KpfFit, path: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Model-implied change of log output along an input path, relative to the path's first year.

    ``change`` = sum_k b_k (x_k[t] - x_k[base]) with standard error sqrt(d' V d) (coefficient
    uncertainty only; year effects are held at their latest level, i.e. no common trend).
    ``index`` is output as 100 x exp(change), with the confidence band. Output years are the
    input years plus the model's lag.
    """
    regressors = list(fit_.params.index)
    levels = path.copy()
    if INPUT_INDEX in regressors:
        levels[INPUT_INDEX] = sum(weight * levels[name] for name, weight in fit_.panel.index_weights.items())
    missing = [r for r in regressors if r not in levels.columns]
    if missing:
        raise InputError(f"The input path lacks the regressor(s) {available(missing)}.")
    delta = (levels[regressors] - levels[regressors].iloc[0]).to_numpy()
    change = delta @ fit_.params.to_numpy()
    se = np.sqrt(np.einsum("ij,jk,ik->i", delta, fit_.cov.to_numpy(), delta))
    half = fit_.critical_value(level) * se
    return pd.DataFrame(
        {
            "input_year": path["year"].to_numpy(),
            "output_year": path["year"].to_numpy() + fit_.panel.lag,
            "change": change,
            "std_error": se,
            "index": 100.0 * np.exp(change),
            "index_low": 100.0 * np.exp(change - half),
            "index_high": 100.0 * np.exp(change + half),
        }
    )


def implied_growth(fit_: KpfFit, path: pd.DataFrame, level: float = 0.95) -> pd.Series:
    """Average annual output growth (fraction per year) implied over the whole path, with its CI."""
    projection = project(fit_, path, level)
    years = len(path) - 1
    last = projection.iloc[-1]
    return pd.Series(
        {
            "growth": (last["index"] / 100.0) ** (1.0 / years) - 1.0,
            "low": (last["index_low"] / 100.0) ** (1.0 / years) - 1.0,
            "high": (last["index_high"] / 100.0) ** (1.0 / years) - 1.0,
        }
    )


def growth_table(
    fits: dict[str, KpfFit], target_path: pd.DataFrame, baseline_path: pd.DataFrame, trend_years: int = 10
) -> pd.DataFrame:
    """Implied annual output growth (fractions) for each fit along two input paths.

    Columns: model, growth, low, high (target path, year effects held at their latest level),
    baseline (path with constant intensities), common_trend (last ``trend_years`` years of the
    year effects) and with_trend = (1 + growth)(1 + common_trend) - 1, treating the trend as known.
    """
    rows = []
    for label, fit_ in fits.items():
        target = implied_growth(fit_, target_path)
        trend = common_trend(fit_, trend_years)
        rows.append(
            {
                "model": label,
                "growth": target["growth"],
                "low": target["low"],
                "high": target["high"],
                "baseline": implied_growth(fit_, baseline_path)["growth"],
                "common_trend": trend,
                "with_trend": (1 + target["growth"]) * (1 + trend) - 1,
            }
        )
    return pd.DataFrame(rows)


def describe_interval(low: float, high: float) -> str:
    """Words for a confidence interval: ``"positive"``, ``"negative"`` or ``"not distinguishable from zero"``."""
    if low > 0:
        return "positive"
    if high < 0:
        return "negative"
    return "not distinguishable from zero"


def describe_ratio(ratio: float, low: float, high: float) -> str:
    """Words for an actual / predicted ratio and its prediction interval [low, high]."""
    if low > 1:
        return "significantly more than its inputs predict"
    if high < 1:
        return "significantly less than its inputs predict"
    side = "less than" if ratio < 1 else "at least as much as"
    return f"{side} the average economy with the same inputs, but within the range of other economies"


def compare_with_target(low: float, high: float, target_low: float, target_high: float | None = None) -> str:
    """Where a target growth range lies relative to a model's interval [low, high]:
    ``"above"`` (the target asks for more than the model's upper bound), ``"below"`` or ``"inside"``
    (the ranges overlap)."""
    target_high = target_low if target_high is None else target_high
    if low > high or target_low > target_high:
        raise InputError(
            f"Give ranges as (low, high); got model ({low}, {high}) and target ({target_low}, {target_high})."
        )
    if target_low > high:
        return "above"
    if target_high < low:
        return "below"
    return "inside"


def consistency_verdict(positions: dict[str, str]) -> str:
    """Summarise where a target lies relative to several models' intervals.

    ``positions`` maps a model label to ``"inside"``, ``"above"`` or ``"below"`` (from
    :func:`compare_with_target`); a mixed result names the models on each side.
    """
    unknown = sorted(set(positions.values()) - {"inside", "above", "below"})
    if unknown or not positions:
        raise InputError(f"Positions must be 'inside', 'above' or 'below'; got {dict(positions)!r}.")
    kinds = set(positions.values())
    if kinds == {"inside"}:
        return "consistent with the input targets under every model"
    if kinds == {"above"}:
        return "more than the input targets would buy under any model"
    if kinds == {"below"}:
        return "less than the input targets would buy under any model"
    groups = {
        "inside": "inside the interval of",
        "above": "above the interval of",
        "below": "below the interval of",
    }
    detail = "; ".join(
        f"{words} {', '.join(label for label, position in positions.items() if position == kind)}"
        for kind, words in groups.items()
        if kind in kinds
    )
    return f"consistent with the input targets under some models but not others ({detail})"


# --------------------------------------------------------------------------------------
# An exploratory second model: TFP growth and R&D intensity (Penn World Table)


def tfp_panel(
    pwt: pd.DataFrame, wdi: pd.DataFrame, countries: pd.DataFrame, first_year: int = 2000, last_year: int = 2019
) -> KpfPanel:
    """Country x 5-year windows: TFP growth (PWT ``rtfpna``) and mean R&D intensity (WDI).

    ``outcome`` is the annualised log change of TFP between the first and last years observed in
    the window, in percent per year; ``rd_pct_gdp`` is mean R&D spending in % of GDP over the same
    window (R&D intensity, as in Griliches' rate-of-return regressions). Windows need two TFP years
    and one R&D year. Economies without TFP in PWT (Viet Nam among them) are absent.
    """
    _require_columns(pwt, ("iso3", "year", "rtfpna"), "pwt")
    _require_columns(wdi, ("iso3", "year", "rd_expenditure_pct_gdp"), "wdi")
    if first_year + 1 > last_year:
        raise InputError(f"The TFP model needs at least two years; got {first_year}-{last_year}.")
    economies = set(countries.loc[~countries["is_aggregate"].astype(bool), "iso3"])
    tfp = pwt.loc[pwt["iso3"].isin(economies) & pwt["year"].between(first_year, last_year), ["iso3", "year", "rtfpna"]]
    tfp = tfp.assign(log_tfp=_log(tfp["rtfpna"]), window=window_start(tfp["year"], first_year)).dropna(
        subset=["log_tfp"]
    )
    ends = (
        tfp.sort_values("year")
        .groupby(["iso3", "window"])
        .agg(
            first=("year", "first"), last=("year", "last"), log_first=("log_tfp", "first"), log_last=("log_tfp", "last")
        )
    )
    ends = ends[ends["last"] > ends["first"]]
    growth = (100.0 * (ends["log_last"] - ends["log_first"]) / (ends["last"] - ends["first"])).rename("outcome")
    rd = wdi.loc[
        wdi["iso3"].isin(economies) & wdi["year"].between(first_year, last_year),
        ["iso3", "year", "rd_expenditure_pct_gdp"],
    ]
    rd = rd.dropna().assign(window=lambda d: window_start(d["year"], first_year))
    intensity = rd.groupby(["iso3", "window"])["rd_expenditure_pct_gdp"].mean().rename("rd_pct_gdp")
    data = pd.concat([growth, intensity], axis=1, join="inner").reset_index()
    if data["iso3"].nunique() < MIN_COUNTRIES:
        raise InputError(
            f"Too few observations: {data['iso3'].nunique()} countries have TFP and R&D data in {first_year}-{last_year}."
        )
    data = data.assign(year=data["window"])
    return KpfPanel(
        data=data,
        candidates=data,
        output="tfp_growth",
        lag=0,
        regressors=("rd_pct_gdp",),
        first_year=first_year,
        last_year=last_year,
        min_obs_per_country=1,
    )


def fit_tfp_growth(panel: KpfPanel) -> KpfFit:
    """TFP growth (% a year) on R&D intensity (% of GDP) with window effects, clustered by country.

    The slope is, loosely, a social rate of return to R&D: percentage points of TFP growth per
    percentage point of GDP spent on R&D. Exploratory: reverse causality and omitted variables
    are not dealt with.
    """
    if panel.output != "tfp_growth":
        raise InputError(f"fit_tfp_growth needs a panel from tfp_panel(); got a panel of {panel.output!r}.")
    return _fit_ols_period_effects(panel, panel.data, "between", "window")


# --------------------------------------------------------------------------------------
# Figures (matplotlib is imported when a figure is drawn, so the command line stays light)

AXIS_LABELS: dict[str, str] = {
    "rd_spending": "R&D spending (constant 2021 PPP $, log scale)",
    "researchers": "Researchers (persons, log scale)",
    "patents": "Resident patent applications (log scale)",
    "articles": "Journal articles (log scale)",
}


def plot_scatter(ax, means: pd.DataFrame, x: str, y: str, country: str, peers: Sequence[str]) -> None:
    """Output against input across economies (log axes): grey dots, peers labelled, ``country`` highlighted.

    The dashed line is a least-squares line through the dots, a guide for the eye only.
    """
    from analysis.book import plots

    data = means.dropna(subset=[f"log_{x}", f"log_{y}"])
    ax.scatter(data[x], data[y], s=14, color=plots.OTHER_COLOUR, alpha=0.6, linewidths=0)
    slope, intercept = np.polyfit(data[f"log_{x}"], data[f"log_{y}"], 1)
    grid = np.linspace(data[f"log_{x}"].min(), data[f"log_{x}"].max(), 50)
    ax.plot(np.exp(grid), np.exp(intercept + slope * grid), ls="--", lw=1, color="#555555")
    for iso3 in [*peers, country]:
        row = data[data["iso3"] == iso3]
        if row.empty:
            continue
        focus = iso3 == country
        ax.scatter(
            row[x],
            row[y],
            s=60 if focus else 30,
            color=plots.country_colour(iso3),
            zorder=3,
            edgecolor="black" if focus else "none",
        )
        ax.annotate(
            iso3,
            (row[x].iloc[0], row[y].iloc[0]),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=8,
            fontweight="bold" if focus else "normal",
            color=plots.country_colour(iso3),
        )
    ax.set(xscale="log", yscale="log", xlabel=AXIS_LABELS[x], ylabel=AXIS_LABELS[y])


def plot_coefficients(ax, table: pd.DataFrame, title: str) -> None:
    """Elasticities with 95 % confidence intervals: one row per term and estimator, one marker per variant.

    ``table`` columns: term, estimator, variant, estimate, ci_low, ci_high.
    """
    variants = list(dict.fromkeys(table["variant"]))
    # grouped by term, estimators in their usual order within each term
    rows = sorted(
        dict.fromkeys(zip(table["term"], table["estimator"], strict=False)),
        key=lambda r: (list(TERM_LABELS).index(r[0]), ESTIMATORS.index(r[1])),
    )
    offsets = np.linspace(-0.15, 0.15, len(variants)) if len(variants) > 1 else [0.0]
    markers = ["o", "s", "^", "D"]
    for k, variant in enumerate(variants):
        part = table[table["variant"] == variant].set_index(["term", "estimator"]).reindex(rows)
        positions = np.arange(len(rows)) + offsets[k]
        ax.errorbar(
            part["estimate"],
            positions,
            xerr=[part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]],
            fmt=markers[k % len(markers)],
            capsize=2,
            label=variant,
        )
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks(
        np.arange(len(rows)), [f"{TERM_LABELS.get(t, t)}\n{ESTIMATOR_LABELS[e]}" for t, e in rows], fontsize=8
    )
    ax.invert_yaxis()
    ax.set(xlabel="elasticity (95% CI)", title=title)


def plot_actual_vs_predicted(ax, rows: pd.DataFrame, title: str, colour: str) -> None:
    """A country's actual output (coloured dots) and the model's prediction (grey) with its 95 %
    prediction interval, year by year (no lines: years without data are not interpolated)."""
    from matplotlib.ticker import MaxNLocator

    ax.errorbar(
        rows["year"],
        rows["predicted"],
        yerr=[rows["predicted"] - rows["pi_low"], rows["pi_high"] - rows["predicted"]],
        fmt="s",
        color="#555555",
        ms=5,
        capsize=3,
        label="predicted from inputs, 95% prediction interval",
    )
    ax.plot(rows["year"], rows["actual"], color=colour, marker="o", ls="none", ms=8, label="actual")
    ax.set(yscale="log", title=title, xlabel="output year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def plot_projection(ax, projections: dict[str, pd.DataFrame], target_rates: Sequence[float], title: str) -> None:
    """Output indices (base year = 100) implied by each model along the input path, with 95 % bands,
    and the paths of the target growth rates (dotted; a shaded band between two rates)."""
    styles = ["-", "--", "-."]
    for k, (label, projection) in enumerate(projections.items()):
        line = ax.plot(projection["input_year"], projection["index"], lw=2, ls=styles[k % len(styles)], label=label)[0]
        ax.fill_between(
            projection["input_year"],
            projection["index_low"],
            projection["index_high"],
            color=line.get_color(),
            alpha=0.12,
        )
    years = next(iter(projections.values()))["input_year"].to_numpy()
    steps = years - years[0]
    paths = [100.0 * (1.0 + rate) ** steps for rate in target_rates]
    label = "target: " + "–".join(f"{100 * r:.0f}" for r in target_rates) + "% a year"
    if len(paths) > 1:
        ax.fill_between(years, paths[0], paths[-1], color="black", alpha=0.15, label=label)
    else:
        ax.plot(years, paths[0], color="black", ls=":", lw=2, label=label)
    ax.set(title=title, xlabel="year of inputs", ylabel="output index (base year = 100)")


def plot_residuals(ax, fit_: KpfFit, country: str, title: str) -> None:
    """Residuals against fitted values; ``country``'s observations highlighted."""
    from analysis.book import plots

    focus = (fit_.sample["iso3"] == country).to_numpy()
    ax.scatter(fit_.fitted[~focus], fit_.residuals[~focus], s=8, alpha=0.4, color=plots.OTHER_COLOUR, linewidths=0)
    ax.scatter(
        fit_.fitted[focus], fit_.residuals[focus], s=30, color=plots.country_colour(country), label=country, zorder=3
    )
    ax.axhline(0, color="#555555", lw=0.8)
    ax.set(xlabel="fitted log output", ylabel="residual", title=title)


# --------------------------------------------------------------------------------------
# Command line: python -m analysis kpf


def add_arguments(parser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.add_argument("--output", choices=list(OUTPUTS), default="patents", help="STI output (default: %(default)s)")
    parser.add_argument(
        "--estimator", choices=list(ESTIMATORS), default="twoway", help="estimator (default: %(default)s)"
    )
    parser.add_argument(
        "--lag",
        type=int,
        default=None,
        help="years by which inputs lead the output (default: 2 for patents, 1 for articles)",
    )
    parser.add_argument("--first-year", type=int, default=2000, help="first output year (default: %(default)s)")
    parser.add_argument("--last-year", type=int, default=2023, help="last output year (default: %(default)s)")
    parser.add_argument(
        "--min-obs", type=int, default=5, help="minimum observations per country (default: %(default)s)"
    )
    parser.add_argument(
        "--controls",
        default="",
        help=f"comma-separated controls, lagged like the inputs: {', '.join(CONTROLS)} (default: none)",
    )
    parser.add_argument("--input-index", action="store_true", help="replace the two inputs by one joint input index")
    add_format_argument(parser)


def run(args) -> int:
    from analysis.cli import render
    from analysis.data import load

    controls = [c.strip() for c in args.controls.split(",") if c.strip()]
    panel = build_panel(
        load("wdi"),
        load("countries"),
        output=args.output,
        lag=args.lag,
        first_year=args.first_year,
        last_year=args.last_year,
        min_obs_per_country=args.min_obs,
        controls=controls,
    )
    if args.input_index:
        panel = with_input_index(panel)
    print(render(fit(panel, args.estimator).table(), args.format))
    return 0
