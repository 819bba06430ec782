"""The chapter's numbers as text for the prose, its tables and figures glued by name, and its recorded results."""

from __future__ import annotations

import math

import pandas as pd

from analysis.kpf import figures, report, robustness
from analysis.kpf.panel import TERM_LABELS
from analysis.style.display import fmt

OUTPUT_NAMES = {"patents": "patent applications", "articles": "journal articles"}


def _ci(low: float, high: float, digits: int = 2) -> str:
    return f"{fmt(low, digits)} to {fmt(high, digits)}"


def output_values(ch: report.Chapter, output: str, names: dict[str, str]) -> dict[str, str]:
    """The strings the prose quotes for one output, keyed ``<name>_<output>``."""
    fit_, curve = ch.fits[output], ch.curves[output]
    table = fit_.table().set_index("term")
    rd, res = fit_.panel.inputs
    v = robustness.value
    influential = {k: names.get(code, code) for k, (code, _) in ch.influential[output].items()}
    policy, implied = ch.policy[output], ch.implied[output]
    target_low, target_high = ch.targets[output]
    policy_range = robustness.robustness_range(curve, "policy")
    counts = robustness.survival(curve, "rd")
    long_diff = ch.long_difference[output]
    ld_table = long_diff.table.set_index("term")
    values = {
        "lag": str(fit_.panel.lag),
        "n_obs": f"{fit_.n_obs:,}",
        "n_countries": f"{fit_.n_countries:,}",
        "zeros": zero_counts(fit_.panel.zeros),
        "b_rd": fmt(table.loc[rd, "estimate"], 2),
        "ci_rd": _ci(table.loc[rd, "ci_low"], table.loc[rd, "ci_high"]),
        "boot_rd": _ci(*ch.bootstrap[output][rd]),
        "b_res": fmt(table.loc[res, "estimate"], 2),
        "ci_res": _ci(table.loc[res, "ci_low"], table.loc[res, "ci_high"]),
        "boot_res": _ci(*ch.bootstrap[output][res]),
        "sign_rd": report.describe_interval(table.loc[rd, "ci_low"], table.loc[rd, "ci_high"]),
        "sign_res": report.describe_interval(table.loc[res, "ci_low"], table.loc[res, "ci_high"]),
        "influential": influential["primary"],
        "rd_without_influential": fmt(ch.influential[output]["primary"][1], 2),
        "ppml_rd": fmt(v(curve, "ppml", "estimate"), 2),
        "ppml_ci": _ci(v(curve, "ppml", "ci_low"), v(curve, "ppml", "ci_high")),
        "ppml_influential": influential["ppml"],
        "ppml_rd_without": fmt(v(curve, "ppml_without", "estimate"), 2),
        "ppml_levels_rd": fmt(v(curve, "ppml_levels", "estimate"), 2),
        "ppml_levels_influential": influential["ppml_levels"],
        "ppml_levels_rd_without": fmt(v(curve, "ppml_levels_without", "estimate"), 2),
        "levels_rd": fmt(v(curve, "levels", "estimate"), 2),
        "levels_sized_rd": fmt(v(curve, "levels_sized", "estimate"), 2),
        "levels_obs": f"{v(curve, 'levels', 'n_obs'):,}",
        "levels_sized_obs": f"{v(curve, 'levels_sized', 'n_obs'):,}",
        "segments_rd": fmt(v(curve, "segments", "estimate"), 2),
        "drop_breaks_rd": fmt(v(curve, "drop_breaks", "estimate"), 2),
        "drop_breaks_countries": f"{v(curve, 'drop_breaks', 'n_countries'):,}",
        "broken": f"{len(set(fit_.panel.break_table['iso3']) & set(fit_.panel.countries)):,}",
        "interpolated_rd": fmt(v(curve, "interpolated", "estimate"), 2),
        "interpolated_obs": f"{v(curve, 'interpolated', 'n_obs'):,}",
        "interpolated_countries": f"{v(curve, 'interpolated', 'n_countries'):,}",
        "late_rd": fmt(v(curve, "late", "estimate"), 2),
        "rd_range": _ci(*robustness.robustness_range(curve, "estimate", "rd")),
        "res_range": _ci(*robustness.robustness_range(curve, "estimate", "researchers")),
        "rd_survival": report.survival_sentence(counts),
        "res_survival": report.survival_sentence(robustness.survival(curve, "researchers")),
        "policy_sentence": report.policy_sentence(OUTPUT_NAMES[output], *policy),
        "policy_range": report.percent_range(*policy_range),
        "implied": fmt(100 * implied["growth"], 1),
        "implied_ci": report.percent_range(implied["low"], implied["high"]),
        "target": "–".join(f"{100 * t:g}" for t in dict.fromkeys((target_low, target_high))),
        "target_sentence": report.target_sentence(
            OUTPUT_NAMES[output], implied, ch.baseline_implied[output], target_low, target_high
        ),
        "no_income_rd": fmt(ch.without_income[output].table().set_index("term").loc[rd, "estimate"], 2),
        "no_income_ci_rd": _ci(*ch.without_income[output].table().set_index("term").loc[rd, ["ci_low", "ci_high"]]),
        "ld_span": str(long_diff.span),
        "ld_rd": fmt(ld_table.loc[rd, "estimate"], 2),
        "ld_ci_rd": _ci(ld_table.loc[rd, "ci_low"], ld_table.loc[rd, "ci_high"]),
        "ld_res": fmt(ld_table.loc[res, "estimate"], 2),
        "ld_ci_res": _ci(ld_table.loc[res, "ci_low"], ld_table.loc[res, "ci_high"]),
        "ld_countries": report.plural(long_diff.n_countries, "economy", "economies"),
        "ld_broken": f"{long_diff.n_broken:,}",
        "effect": effect_text(ch, output, names),
        "in_short": report.in_short(OUTPUT_NAMES[output], counts, policy, policy_range),
        "relative": relative_text(ch, output, names),
    }
    return {f"{key}_{output}": text for key, text in values.items()}


def zero_counts(n: int) -> str:
    """``no zero counts``, ``1 zero count``, ``3 zero counts``: the noun agrees with the number."""
    return "no zero counts" if n == 0 else report.plural(n, "zero count")


def effect_text(ch: report.Chapter, output: str, names: dict[str, str]) -> str:
    """The country's economy effect with its interval, or why there is none."""
    name = names.get(ch.country, ch.country)
    effect = ch.effect.get(output)
    if effect is None:
        return f"{name} is not in the sample of the primary model, so it has no economy effect"
    return report.effect_sentence(name, effect)


def relative_text(ch: report.Chapter, output: str, names: dict[str, str]) -> str:
    """The country's latest actual / predicted output, or why there is none."""
    name = names.get(ch.country, ch.country)
    rows = ch.relative[output]
    if rows is None:
        return f"{name} is not in the sample of the primary model, so the model cannot place it"
    last = rows.iloc[-1]
    return f"in {int(last['year'])}, " + report.relative_sentence(
        name, last["ratio"], last["ratio_low"], last["ratio_high"]
    )


def values(ch: report.Chapter, names: dict[str, str]) -> dict[str, str]:
    """Every string the prose quotes."""
    base, growth = ch.base, ch.growth
    out = {
        "country_name": names.get(ch.country, ch.country),
        "base_year": str(base.year),
        "base_rd": fmt(base.rd_pct_gdp, 2),
        "base_res": fmt(base.researchers_per_10k, 1),
        "target_year": str(int(ch.paths["target"]["year"].iloc[-1])),
        "target_rd": fmt(ch.paths["target"]["rd_pct_gdp"].iloc[-1], 1),
        "target_res": fmt(ch.paths["target"]["researchers_per_10k"].iloc[-1], 0),
        "rd_multiplier": fmt(ch.paths["target"]["rd_pct_gdp"].iloc[-1] / base.rd_pct_gdp, 1),
        "gdp_growth": fmt(100 * growth["gdp"][0], 1),
        "pop_growth": fmt(100 * growth["population"][0], 1),
        "growth_years": f"{growth['gdp'][1]}–{growth['gdp'][2]}",
        "breaks_total": f"{ch.breaks['iso3'].nunique():,}",
        "late_first_year": str(ch.late_first_year),
    }
    for output in ch.fits:
        out |= output_values(ch, output, names)
    if any(text in ("nan", "n/a") or "nan" in text.split() for text in out.values()):
        raise ValueError("A glued value is missing: " + ", ".join(k for k, t in out.items() if "nan" in t.split()))
    return out


def tables(ch: report.Chapter) -> dict[str, pd.DataFrame]:
    """The chapter's tables, ready to show (strings), by glue name."""
    out = {}
    for output in ch.fits:
        out[f"tbl_kpf_primary_{output}"] = report.glue_table_frame(ch, output)
        out[f"tbl_kpf_curve_{output}"] = report.curve_frame(ch.curves[output])
        out["tbl_kpf_compare"] = report.comparison_frame(ch)
        rows = ch.relative[output]
        if rows is not None:
            out[f"tbl_kpf_relative_{output}"] = pd.DataFrame(
                {
                    "output year": rows["year"].astype(str),
                    "actual / predicted": rows["ratio"].map(lambda r: fmt(r, 2)),
                    "95% of economy-years": [
                        _ci(lo, hi) for lo, hi in zip(rows["ratio_low"], rows["ratio_high"], strict=True)
                    ],
                }
            )
    return out


def chapter_figures(ch: report.Chapter, panels_means: pd.DataFrame, peers: list[str]) -> dict:
    """The chapter's figures by glue name."""
    panels = {output: fit_.panel for output, fit_ in ch.fits.items()}
    out = {
        "fig_kpf_coverage": figures.coverage(panels),
        "fig_kpf_scatter": figures.scatter(panels_means, ch.country, peers),
        "fig_kpf_curve": figures.specification_curve(ch.curves),
    }
    relative = {o: rows for o, rows in ch.relative.items() if rows is not None}
    if relative:
        out["fig_kpf_relative"] = figures.relative_output(relative, ch.country)
    return out


def glue_all(ch: report.Chapter, names: dict[str, str], means: pd.DataFrame, peers: list[str]) -> None:
    """Glue every value, table and figure of the chapter (nothing is displayed here)."""
    import matplotlib.pyplot as plt
    from IPython.display import Markdown
    from myst_nb import glue

    for key, text in values(ch, names).items():
        glue(key, text, display=False)
    for key, table in tables(ch).items():
        glue(key, Markdown(table.to_markdown(index=False, disable_numparse=True)), display=False)
    for key, fig in chapter_figures(ch, means, peers).items():
        glue(key, fig, display=False)
        plt.close(fig)


def record(ch: report.Chapter, results, iso: str) -> None:
    """Record the chapter's headline numbers (no claim ids: these are estimates, not claims)."""
    for output, fit_ in ch.fits.items():
        for role, term in robustness.role_terms(fit_).items():
            row = fit_.table().set_index("term").loc[term]
            low, high = ch.bootstrap[output][term]
            short = "rd" if role == "rd" else "researchers"
            results.record(
                f"kpf_{output}_primary_elasticity_{short}",
                row["estimate"],
                "elasticity",
                note=f"{TERM_LABELS[term]}; 95% CI {row['ci_low']:.3f} to {row['ci_high']:.3f} (clustered), "
                f"{low:.3f} to {high:.3f} (wild cluster bootstrap); {fit_.n_obs} obs, {fit_.n_countries} economies",
            )
        results.record(f"kpf_{output}_n_obs", fit_.n_obs, "count")
        results.record(f"kpf_{output}_n_countries", fit_.n_countries, "count")
        curve = ch.curves[output]
        for key in curve["key"].unique():
            if key != "primary":
                results.record(
                    f"kpf_{output}_{key}_elasticity_rd", robustness.value(curve, key, "estimate"), "elasticity"
                )
        long_diff = ch.long_difference[output]
        for role, term in robustness.role_terms(fit_).items():
            row = long_diff.table.set_index("term").loc[term]
            results.record(
                f"kpf_{output}_long_difference_elasticity_{role}",
                row["estimate"],
                "elasticity",
                note=f"{long_diff.span}-year differences, HC1; 95% CI {row['ci_low']:.3f} to {row['ci_high']:.3f}; "
                f"{long_diff.n_countries} economies, {long_diff.n_broken} with a break in the window",
            )
        results.record(
            f"kpf_{output}_without_income_elasticity_rd",
            ch.without_income[output].params[robustness.role_terms(fit_)["rd"]],
            "elasticity",
            note="primary model without log GDP per capita",
        )
        effect = ch.effect.get(output)
        if effect is not None:
            results.record(
                f"{iso}_{output}_economy_effect_ratio",
                effect["ratio"],
                "ratio",
                note=f"exp(alpha_i - mean alpha), primary model; HC1 s.e. of the log {effect['std_error']:.3f}; "
                f"95% CI {effect['ratio_low']:.2f} to {effect['ratio_high']:.2f} (interval of the log, exponentiated)",
            )
        policy = ch.policy[output]
        results.record(
            f"{iso}_counterfactual_{output}_policy_growth",
            100 * policy["growth"],
            "percent_per_year",
            note=f"primary model; 95% CI {100 * policy['low']:.1f} to {100 * policy['high']:.1f}",
        )
        if ch.relative[output] is not None:
            last = ch.relative[output].iloc[-1]
            ratio = last["ratio"]
            results.record(
                f"{iso}_{output}_actual_to_predicted",
                ratio if math.isfinite(ratio) else None,
                "ratio",
                note=f"primary model, {int(last['year'])}; "
                f"95% of economy-years {last['ratio_low']:.2f} to {last['ratio_high']:.2f}",
            )
