"""The long-difference estimator: one change over a fixed span of years per economy, OLS with robust errors.

For each economy, the latest output year ``t1`` of the panel whose output year ``t1 - span``
is in the panel too; the change of the log output is regressed on the changes of the
regressors (lagged as in the panel) and a constant (the common change of the year effects),
one observation per economy, with heteroskedasticity-robust (HC1) standard errors. Economy
effects cancel in the difference, as in the two-way model, but a break in an input series
between the two years enters the difference in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InputError
from analysis.kpf.panel import MIN_COUNTRIES, KpfPanel

DEFAULT_SPAN = 10


def long_differences(panel: KpfPanel, span: int = DEFAULT_SPAN) -> pd.DataFrame:
    """One row per economy: ``iso3``, ``start``, ``end`` (output years ``span`` apart), the changes ``d_<column>``.

    Only rows with a positive output count; an economy without two such output years exactly
    ``span`` apart is left out. ``broken`` says whether an input series breaks between the two
    input years (a row of ``panel.break_table`` inside them).
    """
    if span < 1:
        raise InputError(f"The span of a long difference must be at least 1 year; got {span}.")
    columns = ["outcome", *panel.regressors]
    rows = panel.data[panel.data["outcome"].notna()].set_index(["iso3", "year"])[columns]
    records = []
    for iso3, years in rows.reset_index().groupby("iso3")["year"]:
        present = set(years)
        ends = [y for y in sorted(present, reverse=True) if y - span in present]
        if not ends:
            continue
        end = ends[0]
        change = rows.loc[(iso3, end)] - rows.loc[(iso3, end - span)]
        records.append({"iso3": iso3, "start": end - span, "end": end, **{f"d_{c}": change[c] for c in columns}})
    table = pd.DataFrame(records, columns=["iso3", "start", "end", *(f"d_{c}" for c in columns)])
    breaks = panel.break_table
    if breaks is None:
        breaks = pd.DataFrame(columns=["iso3", "from_year", "to_year"])
    lag = panel.lag

    def broken(iso3: str, start: int, end: int) -> bool:
        inside = breaks["from_year"].ge(start - lag) & breaks["to_year"].le(end - lag)
        return bool(((breaks["iso3"] == iso3) & inside).any())

    table["broken"] = [broken(r.iso3, r.start, r.end) for r in table.itertuples()]
    return table


@dataclass(frozen=True)
class LongDifferenceFit:
    """A fitted long difference: coefficients with HC1 standard errors and 95 % intervals, and its rows."""

    table: pd.DataFrame
    differences: pd.DataFrame
    span: int

    @property
    def n_countries(self) -> int:
        return len(self.differences)

    @property
    def n_broken(self) -> int:
        return int(self.differences["broken"].sum())


def fit_long_difference(panel: KpfPanel, span: int = DEFAULT_SPAN, level: float = 0.95) -> LongDifferenceFit:
    """OLS of the changes of log output on the changes of the regressors and a constant; HC1 standard errors.

    ``table`` has one row per regressor (the constant is left out): term, estimate, std_error,
    ci_low, ci_high (Student's t with n - k degrees of freedom), n_obs, n_countries.
    """
    import statsmodels.api as sm

    differences = long_differences(panel, span)
    k = len(panel.regressors) + 1
    if len(differences) < max(MIN_COUNTRIES, k + 2):
        raise InputError(
            f"Too few economies for a {span}-year long difference: {len(differences)} have two output years "
            f"{span} years apart (at least {max(MIN_COUNTRIES, k + 2)} needed)."
        )
    x = sm.add_constant(differences[[f"d_{c}" for c in panel.regressors]].to_numpy(dtype=float), has_constant="add")
    ols = sm.OLS(differences["d_outcome"].to_numpy(dtype=float), x).fit(cov_type="HC1", use_t=True)
    low, high = np.asarray(ols.conf_int(alpha=1.0 - level)).T
    table = pd.DataFrame(
        {
            "term": list(panel.regressors),
            "estimate": np.asarray(ols.params)[1:],
            "std_error": np.asarray(ols.bse)[1:],
            "ci_low": low[1:],
            "ci_high": high[1:],
            "n_obs": len(differences),
            "n_countries": len(differences),
        }
    )
    return LongDifferenceFit(table=table, differences=differences, span=span)
