"""What the inputs-outputs chapter shows: one computation, its glued values, tables, sentences and figures.

:func:`chapter` fits the primary model for each output, its wild-bootstrap intervals, the influence
checks, the specification curve, the counterfactual and the country's actual / predicted output.
:func:`values` turns it into the strings the prose quotes; the sentence functions below are small
and tested, so that which way a comparison goes is decided in code, not typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from analysis.kpf import counterfactual, estimators, longdiff, robustness
from analysis.kpf.panel import OUTPUTS, input_breaks, variables
from analysis.style.display import fmt

INPUT_NAMES = {"rd": "R&D intensity", "researchers": "researcher density"}


# --------------------------------------------------------------------------------------
# Sentences


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 economy``, ``2 economies``."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def describe_interval(low: float, high: float) -> str:
    """Words for a 95 % confidence interval: positive, negative, or not distinguishable from zero."""
    if low > 0:
        return "positive"
    if high < 0:
        return "negative"
    return "not distinguishable from zero"


def percent_range(low: float, high: float, digits: int = 1) -> str:
    """Two fractions as a percent range, ``"-1.7 to 9.4"``."""
    return f"{fmt(100 * low, digits)} to {fmt(100 * high, digits)}"


def policy_sentence(output_name: str, growth: float, low: float, high: float) -> str:
    """What the primary model says the input targets buy; says the data cannot tell when the CI includes zero."""
    numbers = f"{fmt(100 * growth, 1)}% a year (95% CI {percent_range(low, high)})"
    if low > 0:
        return f"the input targets would raise the growth of {output_name} by {numbers}"
    if high < 0:
        return f"the input targets would go with slower growth of {output_name}, {numbers}"
    return (
        f"the data cannot tell whether the input targets would raise the growth of {output_name} at all: "
        f"the estimate is {numbers}, an interval that includes zero"
    )


def survival_sentence(counts: dict[str, int]) -> str:
    """``"positive in 3 of 19 models, negative in none, and not distinguishable from zero in 16"``."""
    negative = plural(counts["negative"], "model") if counts["negative"] else "none"
    return (
        f"positive in {counts['positive']} of {plural(counts['total'], 'model')}, negative in {negative}, "
        f"and not distinguishable from zero in {counts['unclear']}"
    )


def compare_with_target(low: float, high: float, target_low: float, target_high: float) -> str:
    """Where a target range lies against an interval: ``above`` it, ``below`` it or ``inside`` (overlap)."""
    if target_low > high:
        return "above"
    if target_high < low:
        return "below"
    return "inside"


def target_sentence(
    output_name: str, implied: pd.Series, baseline: pd.Series, target_low: float, target_high: float
) -> str:
    """The central growth on the target path first, then what the inputs add, then where the target lies.

    ``implied`` and ``baseline`` are :func:`analysis.kpf.counterfactual.implied_growth` on the target
    path and on the path where the input intensities stay at their latest values (fractions a year).
    """
    central, low, high = implied["growth"], implied["low"], implied["high"]
    target = "–".join(f"{100 * t:g}" for t in dict.fromkeys((target_low, target_high)))
    head = (
        f"the primary model puts the growth of {output_name} on the target path at {fmt(100 * central, 1)}% a year, "
        f"against {fmt(100 * baseline['growth'], 1)}% if R&D intensity and researcher density stayed at their "
        f"latest values"
    )
    interval = f"the 95% interval ({percent_range(low, high)}% a year)"
    position = compare_with_target(low, high, target_low, target_high)
    if target_low > central:
        gap = f"{fmt(100 * (target_low - central), 1)} percentage points above the central estimate"
        tail = (
            f"; {interval} reaches it, so the data cannot rule the target out, but they do not point to it"
            if position == "inside"
            else f" and above {interval}"
        )
        return f"{head}. The Resolution 57 target of {target}% a year is {gap}{tail}"
    if target_high < central:
        gap = f"{fmt(100 * (central - target_high), 1)} percentage points below the central estimate"
        tail = f", inside {interval}" if position == "inside" else f" and below {interval}"
        return f"{head}. The Resolution 57 target of {target}% a year is {gap}{tail}"
    return f"{head}, inside the Resolution 57 target of {target}% a year ({interval[4:]})"


def effect_sentence(name: str, effect: pd.Series) -> str:
    """An economy effect as a ratio to an average economy, with its standard error and interval."""
    return (
        f"{name}'s economy effect, over all its years in the sample, is {fmt(effect['ratio'], 2)} times an average "
        f"economy with the same inputs (95% CI {fmt(effect['ratio_low'], 2)} to {fmt(effect['ratio_high'], 2)}; "
        f"standard error {fmt(effect['std_error'], 2)} of its log)"
    )


def relative_sentence(name: str, ratio: float, low: float, high: float) -> str:
    """An actual / predicted ratio against the range of economies with the same inputs."""
    where = "within" if low <= ratio <= high else "outside"
    return (
        f"{name} produced {fmt(ratio, 2)} times the output of an average economy with the same inputs, "
        f"{where} the range in which 95% of economy-years lie ({fmt(low, 2)} to {fmt(high, 2)})"
    )


def in_short(output_name: str, counts: dict[str, int], policy: pd.Series, policy_range: tuple[float, float]) -> str:
    """The conclusion that survives the robustness checks, and only that."""
    if counts["positive"] == counts["total"]:
        elasticity = f"Every model finds a positive R&D elasticity for {output_name}"
    elif counts["positive"] == 0:
        elasticity = f"No model finds an R&D elasticity for {output_name} that is distinguishable from zero"
    else:
        elasticity = (
            f"Whether more R&D goes with more {output_name} within economies depends on the model: the R&D "
            f"elasticity is {survival_sentence(counts)}"
        )
    low, high = policy_range
    if policy["low"] > 0 and low > 0:
        effect = f"every model says the input targets would raise growth, by {percent_range(low, high)}% a year"
    elif policy["low"] <= 0:
        effect = (
            f"so the data cannot say what the input targets would buy: the primary model's interval includes zero "
            f"and the other models give {percent_range(low, high)}% a year"
        )
    else:
        others = percent_range(low, high)
        effect = f"the primary model says they would raise growth, but the other models give {others}% a year"
    return f"{elasticity}; {effect}."


# --------------------------------------------------------------------------------------
# The computation


@dataclass
class Chapter:
    """Everything the chapter shows, per output (``patents``, ``articles``)."""

    country: str
    primary: dict[str, robustness.Specification]
    fits: dict[str, estimators.KpfFit]
    bootstrap: dict[str, dict[str, tuple[float, float]]]
    influential: dict[str, dict[str, tuple[str, float]]]
    curves: dict[str, pd.DataFrame]
    policy: dict[str, pd.Series]
    implied: dict[str, pd.Series]
    relative: dict[str, pd.DataFrame | None]
    base: counterfactual.InputBase
    paths: dict[str, pd.DataFrame]
    growth: dict[str, tuple[float, int, int]]
    targets: dict[str, tuple[float, float]]
    breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    late_first_year: int = 0
    long_difference: dict[str, longdiff.LongDifferenceFit] = field(default_factory=dict)
    without_income: dict[str, estimators.KpfFit] = field(default_factory=dict)
    effect: dict[str, pd.Series | None] = field(default_factory=dict)
    baseline_implied: dict[str, pd.Series] = field(default_factory=dict)


def chapter(
    wdi: pd.DataFrame,
    countries: pd.DataFrame,
    primary: robustness.Specification,
    lags: dict[str, int],
    country: str,
    late_first_year: int,
    target_year: int,
    rd_target_pct_gdp: float,
    researchers_target_per_10k: float,
    targets: dict[str, tuple[float, float]],
    growth_years: int = 10,
    bootstrap_reps: int = 4999,
    seed: int = 20240601,
    names: dict[str, str] | None = None,
) -> Chapter:
    """Fit and check the primary model for each output in ``lags`` (output -> lag); ``names`` label economies."""
    economies = variables(wdi, countries).dropna(subset=["rd_intensity"])["iso3"].unique()
    breaks = input_breaks(wdi, economies)
    base = counterfactual.latest_inputs(wdi, country)
    growth = {
        name: counterfactual.recent_growth(wdi, country, column, growth_years)
        for name, column in (("gdp", "gdp_ppp_const_2021usd"), ("population", "population"))
    }
    rates = (growth["gdp"][0], growth["population"][0])
    paths = {
        "target": counterfactual.input_path(base, target_year, rd_target_pct_gdp, researchers_target_per_10k, *rates),
        "baseline": counterfactual.input_path(base, target_year, base.rd_pct_gdp, base.researchers_per_10k, *rates),
    }
    out = Chapter(country, {}, {}, {}, {}, {}, {}, {}, {}, base, paths, growth, targets, breaks, late_first_year)
    for output, lag in lags.items():
        spec = replace(primary, output=output, lag=lag)
        panel = spec.panel(wdi, countries, breaks)
        fit_ = estimators.fit(panel, spec.estimator)
        rd, res = panel.inputs
        ppml_levels = replace(spec, estimator="ppml", specification="levels", controls=()).panel(wdi, countries, breaks)
        influential = {
            "primary": robustness.most_influential(panel, spec.estimator, rd),
            "ppml": robustness.most_influential(panel, "ppml", rd),
            "ppml_levels": robustness.most_influential(ppml_levels, "ppml", "log_rd_spending"),
        }
        table = robustness.variants(
            spec,
            influential["primary"][0],
            influential["ppml"][0],
            influential["ppml_levels"][0],
            late_first_year,
            names,
        )
        out.primary[output], out.fits[output], out.influential[output] = spec, fit_, influential
        out.bootstrap[output] = {t: estimators.wild_bootstrap_ci(fit_, t, bootstrap_reps, seed) for t in (rd, res)}
        out.curves[output] = robustness.specification_curve(
            table, wdi, countries, paths["target"], paths["baseline"], breaks
        )
        out.policy[output] = counterfactual.policy_growth(fit_, paths["target"], paths["baseline"])
        out.implied[output] = counterfactual.implied_growth(fit_, paths["target"])
        out.baseline_implied[output] = counterfactual.implied_growth(fit_, paths["baseline"])
        out.long_difference[output] = longdiff.fit_long_difference(panel)
        out.without_income[output] = replace(spec, controls=()).fit(wdi, countries, breaks)
        in_sample = country in panel.countries
        out.relative[output] = estimators.relative_to_average(fit_, country) if in_sample else None
        out.effect[output] = estimators.economy_effect(fit_, country) if in_sample else None
    return out


def glue_table_frame(ch: Chapter, output: str) -> pd.DataFrame:
    """The primary model's coefficients (pyfixest's table) with the wild cluster bootstrap interval."""
    from analysis.kpf.panel import TERM_LABELS

    table = ch.fits[output].table()
    boot = ch.bootstrap[output]
    return pd.DataFrame(
        {
            "term": table["term"].map(TERM_LABELS),
            "estimate": table["estimate"].map(lambda v: fmt(v, 3)),
            "std. error (clustered)": table["std_error"].map(lambda v: fmt(v, 3)),
            "95% CI (clustered)": [
                f"{fmt(lo, 2)} to {fmt(hi, 2)}" for lo, hi in zip(table["ci_low"], table["ci_high"], strict=False)
            ],
            "95% CI (wild cluster bootstrap)": [
                f"{fmt(boot[t][0], 2)} to {fmt(boot[t][1], 2)}" if t in boot else "–" for t in table["term"]
            ],
        }
    )


def comparison_frame(ch: Chapter) -> pd.DataFrame:
    """The primary model beside itself without log GDP per capita and beside the long difference, per output."""
    from analysis.kpf.panel import OUTPUT_LABELS

    rows = []
    for output, fit_ in ch.fits.items():
        span = ch.long_difference[output].span
        models = [
            ("Primary: two-way FE", fit_.table(), "clustered by economy"),
            ("Primary without log GDP per capita", ch.without_income[output].table(), "clustered by economy"),
            (f"Long difference, {span} years", ch.long_difference[output].table, "robust (HC1)"),
        ]
        for label, table, errors in models:
            coefficients = table.set_index("term")
            cells = {}
            for role, term in zip(robustness.ROLES, fit_.panel.inputs, strict=True):
                row = coefficients.loc[term]
                estimate = f"{fmt(row['estimate'], 2)} ({fmt(row['std_error'], 2)})"
                cells[f"{INPUT_NAMES[role]} elasticity (s.e.)"] = estimate
                cells[f"{INPUT_NAMES[role]} 95% CI"] = f"{fmt(row['ci_low'], 2)} to {fmt(row['ci_high'], 2)}"
            first = table.iloc[0]
            rows.append(
                {
                    "output": OUTPUT_LABELS[output],
                    "model": label,
                    **cells,
                    "economies": f"{int(first['n_countries']):,}",
                    "observations": f"{int(first['n_obs']):,}",
                    "standard errors": errors,
                }
            )
    return pd.DataFrame(rows)


def curve_frame(curve: pd.DataFrame) -> pd.DataFrame:
    """The specification curve as a table: one row per model, both input elasticities and the policy effect."""
    wide = curve.pivot_table(
        index=["group", "label"], columns="role", values=["estimate", "ci_low", "ci_high"], sort=False
    )
    first = curve.drop_duplicates(["group", "label"]).set_index(["group", "label"])
    rows = {
        "check": [g for g, _ in wide.index],
        "model": [label for _, label in wide.index],
        **{
            f"{INPUT_NAMES[role]} elasticity (95% CI)": [
                f"{fmt(e, 2)} ({fmt(lo, 2)} to {fmt(hi, 2)})"
                for e, lo, hi in zip(wide["estimate"][role], wide["ci_low"][role], wide["ci_high"][role], strict=False)
            ]
            for role in robustness.ROLES
        },
        "economies": [f"{n:,}" for n in first["n_countries"]],
        "observations": [f"{n:,}" for n in first["n_obs"]],
        "targets buy, %/yr (95% CI)": [
            f"{fmt(100 * g, 1)} ({percent_range(lo, hi)})"
            for g, lo, hi in zip(first["policy"], first["policy_low"], first["policy_high"], strict=False)
        ],
    }
    return pd.DataFrame(rows)


__all__ = ["OUTPUTS", "Chapter", "chapter"]
