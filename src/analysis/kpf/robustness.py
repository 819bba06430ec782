"""One primary model and its robustness variants: influence, the specification curve, the counterfactual range.

A :class:`Specification` holds every choice of a model (output, estimator, lag, specification,
controls, years, break handling, interpolation, exclusions). :func:`variants` changes one choice of
the primary model at a time; :func:`specification_curve` fits them all and records, for each, the
two input elasticities with their 95 % CIs and the output growth the input targets would buy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from analysis.kpf import counterfactual
from analysis.kpf.estimators import ESTIMATOR_LABELS, KpfFit, fit
from analysis.kpf.panel import KpfPanel, build_panel, window_means

# The two inputs by role, whatever the specification calls them.
ROLES: dict[str, str] = {"rd": "R&D", "researchers": "researchers"}


@dataclass(frozen=True)
class Specification:
    """Every choice that defines one model; the defaults are not the primary model (see the chapter)."""

    output: str = "patents"
    estimator: str = "twoway"
    lag: int = 2
    specification: str = "per_capita"
    controls: tuple[str, ...] = ("gdp_per_capita",)
    first_year: int = 2000
    last_year: int = 2023
    min_obs_per_country: int = 5
    breaks: str = "none"
    interpolate: bool = False
    exclude: tuple[str, ...] = ()

    def panel(self, wdi: pd.DataFrame, countries: pd.DataFrame, break_table: pd.DataFrame | None = None) -> KpfPanel:
        options = asdict(self)
        options.pop("estimator")
        return build_panel(wdi, countries, break_table=break_table, **options)

    def fit(self, wdi: pd.DataFrame, countries: pd.DataFrame, break_table: pd.DataFrame | None = None) -> KpfFit:
        return fit(self.panel(wdi, countries, break_table), self.estimator)


def role_terms(fit_: KpfFit) -> dict[str, str]:
    """The model's term for each input role (R&D, researchers)."""
    return dict(zip(ROLES, fit_.panel.inputs, strict=True))


def most_influential(panel: KpfPanel, estimator: str, term: str) -> tuple[str, float]:
    """The economy whose removal moves ``term`` most, and the estimate without it (leave-one-out refits)."""
    full = float(fit(panel, estimator).params[term])
    without = {iso3: float(fit(panel.without([iso3]), estimator).params[term]) for iso3 in panel.countries}
    iso3 = max(without, key=lambda c: abs(without[c] - full))
    return iso3, without[iso3]


def variants(
    primary: Specification,
    influential: str,
    ppml_influential: str,
    ppml_levels_influential: str,
    late_first_year: int,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The primary model and every one-choice-at-a-time variant: columns ``key``, ``group``, ``label``, ``spec``.

    ``influential`` is the economy that moves the primary estimate most, ``ppml_influential`` the
    one that moves PPML most, ``ppml_levels_influential`` the one that moves PPML in levels most;
    ``names`` (ISO3 -> name) labels them. An exclusion adds to the primary model's own exclusions.
    """
    names = names or {}

    def without(spec: Specification, iso3: str) -> Specification:
        return replace(spec, exclude=(*spec.exclude, iso3))

    ppml_levels = replace(primary, estimator="ppml", specification="levels", controls=())
    lags = [lag for lag in (primary.lag - 1, primary.lag + 1) if lag >= 0]
    size_controls = ("gdp", "population")
    rows = [
        ("primary", "Primary", "Primary model", primary),
        *[(e, "Estimator", ESTIMATOR_LABELS[e], replace(primary, estimator=e)) for e in ("pooled", "between", "ppml")],
        (
            "ppml_without",
            "Estimator",
            f"PPML without {names.get(ppml_influential, ppml_influential)}",
            without(replace(primary, estimator="ppml"), ppml_influential),
        ),
        ("ppml_levels", "Estimator", "PPML, levels, no controls", ppml_levels),
        (
            "ppml_levels_without",
            "Estimator",
            f"PPML, levels, without {names.get(ppml_levels_influential, ppml_levels_influential)}",
            without(ppml_levels, ppml_levels_influential),
        ),
        *[(f"lag_{lag}", "Lag", f"lag {lag}", replace(primary, lag=lag)) for lag in lags],
        # log GDP per capita at t - L may carry part of the effect of R&D (a mediator): the model without it
        ("no_controls", "Controls", "without log GDP per capita", replace(primary, controls=())),
        # no "+ log population" variant: per capita with log GDP per capita and log population spans the
        # same regressors and fixed effects as "levels + log GDP, log population" (see same_design)
        ("levels", "Specification", "levels, no controls", replace(primary, specification="levels", controls=())),
        (
            "levels_sized",
            "Specification",
            "levels + log GDP, log population",
            replace(primary, specification="levels", controls=size_controls),
        ),
        ("late", "Sample", f"output years from {late_first_year}", replace(primary, first_year=late_first_year)),
        (
            "without_influential",
            "Sample",
            f"without {names.get(influential, influential)}",
            without(primary, influential),
        ),
        ("segments", "Breaks", "segment fixed effects", replace(primary, breaks="segments")),
        ("drop_breaks", "Breaks", "economies with breaks dropped", replace(primary, breaks="drop")),
        ("interpolated", "Inputs", "interpolated inputs", replace(primary, interpolate=True)),
    ]
    return pd.DataFrame(rows, columns=["key", "group", "label", "spec"])


def specification_curve(
    table: pd.DataFrame,
    wdi: pd.DataFrame,
    countries: pd.DataFrame,
    target: pd.DataFrame,
    baseline: pd.DataFrame,
    break_table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Fit every row of :func:`variants`: one row per variant and input role.

    Columns: key, group, label, role, term, estimate, ci_low, ci_high, n_obs, n_countries, and the
    policy effect of the input targets (``policy``, ``policy_low``, ``policy_high``, fractions a year).
    """
    rows = []
    for variant in table.itertuples():
        fit_ = variant.spec.fit(wdi, countries, break_table)
        coefficients = fit_.table().set_index("term")
        policy = counterfactual.policy_growth(fit_, target, baseline)
        for role, term in role_terms(fit_).items():
            row = coefficients.loc[term]
            rows.append(
                {
                    "key": variant.key,
                    "group": variant.group,
                    "label": variant.label,
                    "role": role,
                    "term": term,
                    "estimate": row["estimate"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "n_obs": int(row["n_obs"]),
                    "n_countries": int(row["n_countries"]),
                    "policy": policy["growth"],
                    "policy_low": policy["low"],
                    "policy_high": policy["high"],
                }
            )
    return pd.DataFrame(rows)


def value(curve: pd.DataFrame, key: str, column: str, role: str = "rd"):
    """One cell of the specification curve: ``column`` of variant ``key`` for input ``role``."""
    return curve.loc[(curve["key"] == key) & (curve["role"] == role), column].iloc[0]


def robustness_range(curve: pd.DataFrame, column: str, role: str = "rd") -> tuple[float, float]:
    """The smallest and largest ``column`` across the variants other than the primary model."""
    others = curve[(curve["role"] == role) & (curve["group"] != "Primary")]
    return float(others[column].min()), float(others[column].max())


def survival(curve: pd.DataFrame, role: str) -> dict[str, int]:
    """How many variants find the ``role`` elasticity positive, negative, or cannot tell (95 % CI)."""
    part = curve[curve["role"] == role]
    positive = int((part["ci_low"] > 0).sum())
    negative = int((part["ci_high"] < 0).sum())
    return {"positive": positive, "negative": negative, "unclear": len(part) - positive - negative, "total": len(part)}


# --------------------------------------------------------------------------------------
# Designs: two models that differ only in how their regressors are written are one model


def design(panel: KpfPanel, estimator: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows (``iso3``, ``year`` or window) an estimator uses and its design matrix, fixed effects as dummies.

    The log-linear estimators use the rows with a positive output, PPML every row; the columns
    are the regressors, then one dummy per unit and per year (two-way), per year (pooled) or
    per window (between). Two designs with the same rows span the same model when their
    matrices have the same column space (:func:`same_design`).
    """
    data = panel.data if estimator == "ppml" else panel.data[panel.data["outcome"].notna()]
    if estimator == "between":
        data = window_means(data, ["outcome", *panel.regressors], panel.first_year).rename(columns={"window": "year"})
        effects = ["year"]
    else:
        effects = ["unit", "year"] if estimator in ("twoway", "ppml") else ["year"]
    data = data.sort_values(["iso3", "year"]).reset_index(drop=True)
    dummies = [pd.get_dummies(data[e].astype(str), dtype=float).to_numpy() for e in effects]
    matrix = np.column_stack([data[list(panel.regressors)].to_numpy(dtype=float), *dummies])
    return data[["iso3", "year"]], matrix


def same_design(a: tuple[str, KpfPanel], b: tuple[str, KpfPanel], tol: float = 1e-8) -> bool:
    """Whether two (estimator, panel) models are one model: same estimator, rows and column space of the design.

    Regressors are standardised before the rank is taken, so the tolerance does not depend on units.
    """
    (estimator_a, panel_a), (estimator_b, panel_b) = a, b
    if estimator_a != estimator_b or panel_a.output != panel_b.output:
        return False
    rows_a, x_a = design(panel_a, estimator_a)
    rows_b, x_b = design(panel_b, estimator_b)
    if not rows_a.equals(rows_b):
        return False

    def rank(x: np.ndarray) -> int:
        scaled = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
        scaled = np.column_stack([scaled, np.ones(len(x))])
        singular = np.linalg.svd(scaled, compute_uv=False)
        return int((singular > tol * singular[0]).sum())

    return rank(x_a) == rank(x_b) == rank(np.column_stack([x_a, x_b]))
