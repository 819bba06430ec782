"""Estimators of the knowledge production function, all with pyfixest and clustered by economy.

``twoway``
    Log-linear, with unit (economy, or economy x break-free segment) and year fixed effects: only
    changes within an economy, relative to the common pattern of the year.
``pooled``
    Log-linear with year effects only: compares economies with each other.
``between``
    Economy means over 5-year windows, with window effects: a long-run, mostly cross-economy slope.
``ppml``
    Poisson pseudo-maximum likelihood with the same two-way effects (Santos Silva & Tenreyro 2006),
    on the output in levels, zeros included: consistent under heteroskedasticity, where the
    log-linear model is not.

The fixed effects are absorbed by pyfixest itself. Confidence intervals are pyfixest's (Student's
t with G - 1 degrees of freedom for the linear models, normal for PPML); the wild cluster
bootstrap interval of :func:`wild_bootstrap_ci` inverts pyfixest's (``wildboottest``) test.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InputError, available
from analysis.kpf.panel import MIN_COUNTRIES, KpfPanel, choice, window_means

ESTIMATORS: tuple[str, ...] = ("twoway", "pooled", "between", "ppml")
ESTIMATOR_LABELS: dict[str, str] = {
    "twoway": "Two-way FE",
    "pooled": "Pooled OLS",
    "between": "Between (5-year means)",
    "ppml": "PPML two-way FE",
}
TABLE_COLUMNS = ["term", "estimate", "std_error", "ci_low", "ci_high", "n_obs", "n_countries"]


def _pyfixest():
    """pyfixest, imported on first use (it compiles with numba) and without its chatty warnings."""
    import pyfixest

    return pyfixest


@dataclass(frozen=True)
class KpfFit:
    """A fitted model: the pyfixest result, the rows it used and the panel they came from."""

    estimator: str
    panel: KpfPanel
    result: object
    sample: pd.DataFrame
    formula: str

    @property
    def params(self) -> pd.Series:
        return pd.Series(np.asarray(self.result.coef()), index=self.terms, dtype=float)

    @property
    def terms(self) -> list[str]:
        return [str(t) for t in self.result._coefnames]

    @property
    def cov(self) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(self.result._vcov), index=self.terms, columns=self.terms)

    @property
    def n_obs(self) -> int:
        return int(self.result._N)

    @property
    def n_countries(self) -> int:
        return int(self.sample["iso3"].nunique())

    @property
    def critical_value(self) -> float:
        """The multiplier of the standard error in pyfixest's 95 % intervals (t or normal)."""
        tidy = self.result.tidy()
        return float((tidy["97.5%"].iloc[0] - tidy["Estimate"].iloc[0]) / tidy["Std. Error"].iloc[0])

    def table(self) -> pd.DataFrame:
        """pyfixest's coefficient table as term, estimate, std_error, ci_low, ci_high, n_obs, n_countries."""
        tidy = self.result.tidy()
        return pd.DataFrame(
            {
                "term": self.terms,
                "estimate": tidy["Estimate"].to_numpy(dtype=float),
                "std_error": tidy["Std. Error"].to_numpy(dtype=float),
                "ci_low": tidy["2.5%"].to_numpy(dtype=float),
                "ci_high": tidy["97.5%"].to_numpy(dtype=float),
                "n_obs": self.n_obs,
                "n_countries": self.n_countries,
            },
            columns=TABLE_COLUMNS,
        )

    def combination(self, weights: dict[str, float]) -> pd.Series:
        """A linear combination of coefficients (e.g. b_rd + b_res) with its standard error and 95 % CI."""
        unknown = sorted(set(weights) - set(self.terms))
        if unknown:
            raise InputError(f"Unknown term(s) {available(unknown)}. Terms of this model: {available(self.terms)}.")
        vector = pd.Series(weights, dtype=float).reindex(self.terms, fill_value=0.0)
        estimate = float(vector @ self.params)
        se = math.sqrt(float(vector @ self.cov @ vector))
        half = self.critical_value * se
        return pd.Series({"estimate": estimate, "std_error": se, "ci_low": estimate - half, "ci_high": estimate + half})


def _check_estimable(data: pd.DataFrame, n_regressors: int) -> None:
    n_countries = data["iso3"].nunique()
    if n_countries < MIN_COUNTRIES or len(data) <= n_regressors + n_countries + 1:
        raise InputError(
            f"Too few observations to estimate: {len(data)} rows from {n_countries} economies for "
            f"{n_regressors} regressors (at least {MIN_COUNTRIES} economies needed)."
        )


def _fit(panel: KpfPanel, estimator: str, data: pd.DataFrame, lhs: str, effects: str) -> KpfFit:
    _check_estimable(data, len(panel.regressors))
    # integer cluster codes: the wild bootstrap (numba) cannot take strings
    data = data.reset_index(drop=True).assign(cluster=lambda d: pd.factorize(d["iso3"])[0])
    formula = f"{lhs} ~ {' + '.join(panel.regressors)} | {effects}"
    pf = _pyfixest()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest reports dropped singletons and separation as warnings
        if estimator == "ppml":
            result = pf.fepois(formula, data=data, vcov={"CRV1": "cluster"})
        else:
            result = pf.feols(formula, data=data, vcov={"CRV1": "cluster"})
    return KpfFit(estimator=estimator, panel=panel, result=result, sample=data, formula=formula)


def fit(panel: KpfPanel, estimator: str) -> KpfFit:
    """Fit one of :data:`ESTIMATORS`; the log-linear ones use the rows with a positive output."""
    choice(estimator, ESTIMATORS, "estimator")
    positive = panel.data[panel.data["outcome"].notna()]
    if estimator == "twoway":
        return _fit(panel, estimator, positive, "outcome", "unit + year")
    if estimator == "pooled":
        return _fit(panel, estimator, positive, "outcome", "year")
    if estimator == "between":
        means = window_means(positive, ["outcome", *panel.regressors], panel.first_year)
        return _fit(panel, estimator, means, "outcome", "window")
    return _fit(panel, estimator, panel.data, "level", "unit + year")


def _bootstrap_p_value(fit_: KpfFit, term: str, value: float, reps: int, seed: int) -> float:
    """Wild cluster bootstrap (WCR, Rademacher) p-value of the hypothesis ``term = value``.

    Testing ``b = value`` is testing ``b = 0`` after subtracting ``value x term`` from the outcome.
    """
    from analysis.kpf import bootstrap  # numba, like pyfixest, only when a bootstrap is asked for

    pf = _pyfixest()
    shifted = fit_.sample.assign(outcome=fit_.sample["outcome"] - value * fit_.sample[term])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pf.feols(fit_.formula, data=shifted, vcov={"CRV1": "cluster"})
        with bootstrap.compiled_once():  # numba compiles the inner loop once, not at every test
            test = result.wildboottest(param=term, reps=reps, seed=seed, parallel=False)
    return float(test["Pr(>|t|)"])


def wild_bootstrap_ci(
    fit_: KpfFit, term: str, reps: int = 4999, seed: int = 20240601, level: float = 0.95, tol: float = 5e-3
) -> tuple[float, float]:
    """A wild cluster bootstrap confidence interval for one coefficient of a log-linear model.

    The interval is the set of values not rejected at ``1 - level`` by the bootstrap test (test
    inversion, with the same seed for every value); each end is found by bisection to ``tol``.
    """
    if fit_.estimator == "ppml":
        raise InputError("The wild cluster bootstrap is available for the log-linear estimators, not for PPML.")
    if term not in fit_.terms:
        raise InputError(f"Unknown term {term!r}. Terms of this model: {available(fit_.terms)}.")
    alpha = 1.0 - level
    estimate, se = float(fit_.params[term]), math.sqrt(float(fit_.cov.loc[term, term]))

    def rejected(value: float) -> bool:
        return _bootstrap_p_value(fit_, term, value, reps, seed) < alpha

    # Bracket each end around the clustered interval's end (the two are usually close), then bisect.
    half = fit_.critical_value * se
    ends = []
    for side in (-1.0, 1.0):
        inside, outside = estimate + side * 0.5 * half, estimate + side * 1.5 * half
        if rejected(inside):
            inside = estimate
        while not rejected(outside):
            inside, outside = outside, outside + side * half
            if abs(outside - estimate) > 20 * half:
                raise InputError(f"The bootstrap interval of {term} is unbounded: no value is rejected.")
        while abs(outside - inside) > tol:
            middle = (inside + outside) / 2.0
            if rejected(middle):
                outside = middle
            else:
                inside = middle
        ends.append((inside + outside) / 2.0)
    return ends[0], ends[1]


def relative_to_average(fit_: KpfFit, iso3: str, level: float = 0.95) -> pd.DataFrame:
    """An economy's output against an average economy with the same inputs, from a two-way model.

    ``ratio`` = actual / predicted, where the prediction uses the economy's inputs, the year effect
    and the *mean* unit effect: exp(alpha_i - mean alpha + e_it). The prediction interval is the
    central ``level`` range of the same ratio across every economy-year of the sample.
    """
    if fit_.estimator != "twoway":
        raise InputError("relative_to_average needs a two-way fixed-effects fit.")
    units = fit_.result.fixef()["C(unit)"]
    alpha = fit_.sample["unit"].map(units).astype(float)
    log_ratio = alpha - float(np.mean(list(units.values()))) + np.asarray(fit_.result.resid(), dtype=float)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(log_ratio, [tail, 1.0 - tail])
    mine = fit_.sample["iso3"] == iso3
    if not mine.any():
        raise InputError(f"{iso3} is not in the sample of this model. Economies: {available(fit_.sample['iso3'])}.")
    return pd.DataFrame(
        {
            "year": fit_.sample.loc[mine, "year"].to_numpy(),
            "ratio": np.exp(log_ratio[mine]).to_numpy(),
            "ratio_low": math.exp(low),
            "ratio_high": math.exp(high),
        }
    )


def economy_effect(fit_: KpfFit, iso3: str, level: float = 0.95) -> pd.Series:
    """An economy's effect against the mean economy effect of a two-way model, with its standard error.

    ``effect`` = alpha_i - mean(alpha), in logs, from the dummy-variable regression (equal to
    pyfixest's absorbed effects); ``ratio`` = exp(effect) is the output against an average
    economy with the same inputs. The standard error is heteroskedasticity-robust (HC1): a
    covariance clustered by economy cannot measure the noise of an effect estimated from one
    cluster (that cluster's residuals sum to zero), so the errors of one economy are taken as
    independent across years, and serial correlation would widen the interval. The interval is
    that of the effect (Student's t, N - K degrees of freedom), exponentiated: ``ratio_low``,
    ``ratio_high``.
    """
    import statsmodels.api as sm

    if fit_.estimator != "twoway":
        raise InputError("economy_effect needs a two-way fixed-effects fit.")
    data = fit_.sample
    if iso3 not in set(data["iso3"]):
        raise InputError(f"{iso3} is not in the sample of this model. Economies: {available(data['iso3'])}.")
    units = sorted(data["unit"].unique())
    mine = sorted(data.loc[data["iso3"] == iso3, "unit"].unique())
    if len(mine) != 1:
        raise InputError(f"{iso3} has {len(mine)} fixed-effect units (segments); its effect is not one number.")
    unit_dummies = pd.get_dummies(data["unit"], dtype=float)[units]
    year_dummies = pd.get_dummies(data["year"], dtype=float).iloc[:, 1:]  # the first year is the reference
    x = pd.concat([data[list(fit_.terms)], unit_dummies, year_dummies.add_prefix("year_")], axis=1)
    ols = sm.OLS(data["outcome"].to_numpy(dtype=float), x.to_numpy(dtype=float)).fit(cov_type="HC1")
    contrast = np.zeros(x.shape[1])
    first = len(fit_.terms)
    contrast[first : first + len(units)] = -1.0 / len(units)
    contrast[first + units.index(mine[0])] += 1.0
    effect = float(contrast @ ols.params)
    se = math.sqrt(float(contrast @ ols.cov_params() @ contrast))
    from scipy import stats

    half = float(stats.t.ppf(0.5 + level / 2.0, ols.df_resid)) * se
    return pd.Series(
        {
            "effect": effect,
            "std_error": se,
            "ci_low": effect - half,
            "ci_high": effect + half,
            "ratio": math.exp(effect),
            "ratio_low": math.exp(effect - half),
            "ratio_high": math.exp(effect + half),
        }
    )
