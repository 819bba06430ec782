"""Inference of the knowledge production function, checked against independent computations.

Clustered standard errors of the primary model against statsmodels' dummy-variable regression;
the economy effect's standard error against a sandwich written out with numpy; the long
difference against hand-worked changes and a hand-written HC1 sandwich; and the specification
curve against duplicated designs.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.errors import InputError
from analysis.kpf import estimators, glue, longdiff, report, robustness
from analysis.kpf import panel as kpanel
from analysis.style.display import fmt

from .test_kpf import synthetic


@pytest.fixture(scope="module")
def primary_fit(wdi, countries) -> estimators.KpfFit:
    """The chapter's primary model for patents, on the real data."""
    return robustness.Specification().fit(wdi, countries)


def hc1_sandwich(x: np.ndarray, residuals: np.ndarray) -> np.ndarray:
    """White's covariance with the n / (n - k) correction, written out."""
    n, k = x.shape
    bread = np.linalg.inv(x.T @ x)
    meat = (x * residuals[:, None] ** 2).T @ x
    return n / (n - k) * bread @ meat @ bread


# ----------------------------------------------------------------------------------------
# Clustered standard errors


def test_clustered_errors_equal_statsmodels_with_pyfixest_correction(primary_fit):
    data, terms = primary_fit.sample, primary_fit.terms
    formula = f"outcome ~ {' + '.join(terms)} + C(iso3) + C(year)"
    model = smf.ols(formula, data=data)
    raw = model.fit(cov_type="cluster", cov_kwds={"groups": data["cluster"], "use_correction": False})
    n, g, n_years = len(data), data["iso3"].nunique(), data["year"].nunique()
    # pyfixest's CRV1 default, fixest's "nonnested" rule: K = 3 slopes + the 22 year effects
    assert (len(terms), n_years, g) == (3, 22, 78)
    # G / (G - 1) x (N - 1) / (N - K): fixest drops the economy effects, nested in the clusters
    factor = g / (g - 1) * (n - 1) / (n - (len(terms) + n_years))
    ours = primary_fit.table().set_index("term")["std_error"]
    np.testing.assert_allclose(ours[terms], raw.bse[terms] * math.sqrt(factor), rtol=1e-6)
    # statsmodels' own correction counts every dummy (K = 102): a known ratio, not an agreement
    corrected = model.fit(cov_type="cluster", cov_kwds={"groups": data["cluster"]})
    k_dummies = len(corrected.params)
    ratio = math.sqrt((n - k_dummies) / (n - len(terms) - n_years))
    np.testing.assert_allclose(ours[terms], corrected.bse[terms] * ratio, rtol=1e-6)
    # dropping the clustering is seen: the iid errors are less than 60 % of the clustered ones
    iid = model.fit().bse[terms]
    assert (iid / ours[terms] < 0.6).all()
    assert not np.allclose(ours[terms], iid, rtol=0.1)


def test_clustered_intervals_use_t_with_clusters_minus_one(primary_fit):
    from scipy import stats

    g = primary_fit.n_countries
    assert primary_fit.critical_value == pytest.approx(stats.t.ppf(0.975, g - 1), rel=1e-9)


# ----------------------------------------------------------------------------------------
# The economy effect


def test_economy_effect_equals_absorbed_effects_and_a_hand_sandwich(primary_fit):
    effect = estimators.economy_effect(primary_fit, "VNM")
    units = primary_fit.result.fixef()["C(unit)"]
    # pyfixest recovers the absorbed effects iteratively: agreement to its tolerance
    assert effect["effect"] == pytest.approx(units["VNM"] - np.mean(list(units.values())), abs=1e-4)
    data = primary_fit.sample
    unit_dummies = pd.get_dummies(data["unit"], dtype=float)
    years = pd.get_dummies(data["year"], dtype=float).iloc[:, 1:]
    x = np.column_stack([data[primary_fit.terms].to_numpy(float), unit_dummies.to_numpy(), years.to_numpy()])
    y = data["outcome"].to_numpy(float)
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    contrast = np.zeros(x.shape[1])
    start = len(primary_fit.terms)
    contrast[start : start + unit_dummies.shape[1]] = -1.0 / unit_dummies.shape[1]
    contrast[start + list(unit_dummies.columns).index("VNM")] += 1.0
    cov = hc1_sandwich(x, y - x @ beta)
    assert effect["effect"] == pytest.approx(contrast @ beta, abs=1e-9)
    assert effect["std_error"] == pytest.approx(math.sqrt(contrast @ cov @ contrast), rel=1e-8)
    # the interval is the log interval exponentiated, around the ratio
    assert effect["ratio"] == pytest.approx(math.exp(effect["effect"]))
    assert effect["ratio_low"] == pytest.approx(math.exp(effect["ci_low"]))
    assert effect["ratio_low"] < effect["ratio"] < effect["ratio_high"]
    assert effect["ci_high"] - effect["effect"] == pytest.approx(effect["effect"] - effect["ci_low"])


def test_economy_effect_error_has_the_size_of_the_noise_and_bad_input_is_refused():
    wdi, countries = synthetic(seed=9, noise_sd=0.05, effect_sd=0.5)
    fit = estimators.fit(kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019), "twoway")
    effects = [estimators.economy_effect(fit, code) for code in ("C03", "C10")]
    residual_sd = float(np.std(np.asarray(fit.result.resid())))
    # about 20 years per economy with noise 0.05: the standard error is near 0.05 / sqrt(20)
    for e in effects:
        assert 0.5 * residual_sd / math.sqrt(20) < e["std_error"] < 3 * residual_sd / math.sqrt(20)
    diff = effects[0]["effect"] - effects[1]["effect"]
    units = fit.result.fixef()["C(unit)"]
    assert diff == pytest.approx(units["C03"] - units["C10"], abs=1e-4)
    with pytest.raises(InputError, match="ZZZ is not in the sample"):
        estimators.economy_effect(fit, "ZZZ")
    with pytest.raises(InputError, match="two-way"):
        estimators.economy_effect(estimators.fit(fit.panel, "pooled"), "C03")


# ----------------------------------------------------------------------------------------
# The long difference


def tiny_panel(breaks: pd.DataFrame | None = None) -> kpanel.KpfPanel:
    """Twelve economies observed 2000-2012; outcome = 0.5 x + 0.2 z + a_i + 0.01 t, exactly."""
    rng = np.random.default_rng(4)
    rows = []
    for i in range(12):
        a = rng.normal()
        for year in range(2000, 2013):
            x, z = rng.normal(0, 1), rng.normal(0, 1)
            rows.append({"iso3": f"E{i:02d}", "year": year, "x": x, "z": z, "outcome": 0.5 * x + 0.2 * z + a})
    data = pd.DataFrame(rows)
    data["outcome"] += 0.01 * (data["year"] - 2000)
    data.loc[(data["iso3"] == "E00") & (data["year"] == 2012), "outcome"] = np.nan  # a zero output
    data = data.assign(unit=data["iso3"], segment=0, level=np.exp(data["outcome"]).fillna(0.0))
    return kpanel.KpfPanel(data, data, "patents", 1, ("x", "z"), 2000, 2012, 1, break_table=breaks)


def test_long_differences_hand_worked():
    breaks = pd.DataFrame({"iso3": ["E01", "E02"], "series": "R&D", "from_year": [2003, 1999], "to_year": [2005, 2001]})
    table = longdiff.long_differences(tiny_panel(breaks), span=10)
    assert len(table) == 12
    e00 = table.set_index("iso3").loc["E00"]
    # E00 has no 2012 output: its latest pair is 2001 and 2011
    assert (e00["start"], e00["end"]) == (2001, 2011)
    data = tiny_panel().data.set_index(["iso3", "year"])
    assert e00["d_x"] == pytest.approx(data.loc[("E00", 2011), "x"] - data.loc[("E00", 2001), "x"])
    # the break of E01 (input years 2003-2005) lies inside 2001-2011 (input years of 2002-2012); E02's does not
    broken = table.set_index("iso3")["broken"]
    assert broken["E01"] and not broken["E02"] and broken.sum() == 1
    assert longdiff.long_differences(tiny_panel(), span=13).empty


def test_long_difference_recovers_exact_slopes_and_hc1_by_hand():
    fit = longdiff.fit_long_difference(tiny_panel(), span=10)
    table = fit.table.set_index("term")
    # no noise: the changes satisfy d outcome = 0.5 d x + 0.2 d z + 0.1 exactly
    assert table.loc["x", "estimate"] == pytest.approx(0.5, abs=1e-10)
    assert table.loc["z", "estimate"] == pytest.approx(0.2, abs=1e-10)
    noisy = tiny_panel()
    noisy.data["outcome"] += np.random.default_rng(1).normal(0, 0.1, len(noisy.data))
    fit = longdiff.fit_long_difference(noisy, span=10)
    d = fit.differences
    x = np.column_stack([np.ones(len(d)), d["d_x"], d["d_z"]])
    beta = np.linalg.lstsq(x, d["d_outcome"].to_numpy(), rcond=None)[0]
    cov = hc1_sandwich(x, d["d_outcome"].to_numpy() - x @ beta)
    np.testing.assert_allclose(fit.table["estimate"], beta[1:], rtol=1e-10)
    np.testing.assert_allclose(fit.table["std_error"], np.sqrt(np.diag(cov))[1:], rtol=1e-10)
    assert fit.n_countries == 12 and fit.table["n_obs"].eq(12).all()
    # span 12: E00 lacks its 2012 output, leaving 11 economies; without three more, 8 (at least 10 needed)
    assert longdiff.fit_long_difference(noisy, span=12).n_countries == 11
    with pytest.raises(InputError, match="Too few economies for a 12-year long difference: 8 have"):
        longdiff.fit_long_difference(noisy.without(["E01", "E02", "E03"]), span=12)
    with pytest.raises(InputError, match="at least 1 year"):
        longdiff.long_differences(noisy, span=0)


def test_long_difference_on_real_data(wdi, countries):
    panel = robustness.Specification().panel(wdi, countries)
    fit = longdiff.fit_long_difference(panel)
    d = fit.differences
    assert d["iso3"].is_unique and (d["end"] - d["start"]).eq(10).all()
    assert set(d["iso3"]) <= set(panel.countries) and fit.n_countries > 50
    # one economy checked by hand: its change is the difference of two panel rows
    row = d.iloc[0]
    rows = panel.data.set_index(["iso3", "year"])
    expected = rows.loc[(row["iso3"], row["end"]), "outcome"] - rows.loc[(row["iso3"], row["start"]), "outcome"]
    assert row["d_outcome"] == pytest.approx(expected)
    assert 0 < fit.n_broken <= len(set(panel.break_table["iso3"]) & set(panel.countries))


# ----------------------------------------------------------------------------------------
# The specification curve has no duplicated design


def test_same_design_finds_the_algebraic_twin(wdi, countries):
    primary = robustness.Specification()
    per_capita = replace(primary, controls=("gdp_per_capita", "population"))
    levels = replace(primary, specification="levels", controls=("gdp", "population"))
    levels_model = ("twoway", levels.panel(wdi, countries))
    # log RD spending = log intensity + log GDP - log 100, and so on: one column space
    assert robustness.same_design(("twoway", per_capita.panel(wdi, countries)), levels_model)
    assert not robustness.same_design(("twoway", primary.panel(wdi, countries)), levels_model)
    panel = primary.panel(wdi, countries)
    assert robustness.same_design(("twoway", panel), ("twoway", panel))
    assert not robustness.same_design(("twoway", panel), ("pooled", panel))


@pytest.mark.parametrize("output", list(kpanel.OUTPUTS))
def test_no_two_curve_models_share_a_design(wdi, countries, output):
    primary = replace(robustness.Specification(), output=output, lag=kpanel.DEFAULT_LAGS[output])
    some = primary.panel(wdi, countries).countries
    table = robustness.variants(primary, some[0], some[1], some[2], 2010)
    models = [(row.key, (row.spec.estimator, row.spec.panel(wdi, countries))) for row in table.itertuples()]
    twins = [(a, b) for (a, ma), (b, mb) in itertools.combinations(models, 2) if robustness.same_design(ma, mb)]
    assert twins == []
    assert "plus_population" not in set(table["key"])


# ----------------------------------------------------------------------------------------
# Sentences


def test_target_sentence_states_the_central_estimate_first():
    implied = pd.Series({"growth": 0.110, "low": 0.049, "high": 0.175})
    baseline = pd.Series({"growth": 0.070})
    text = report.target_sentence("patent applications", implied, baseline, 0.16, 0.18)
    assert text.startswith("the primary model puts the growth of patent applications on the target path at 11.0%")
    assert "against 7.0%" in text
    assert "16–18% a year is 5.0 percentage points above the central estimate" in text
    assert "cannot rule the target out, but they do not point to it" in text
    assert text.index("11.0") < text.index("4.9 to 17.5")
    above = report.target_sentence("x", pd.Series({"growth": 0.03, "low": 0.01, "high": 0.05}), baseline, 0.10, 0.10)
    assert "above the 95% interval" in above
    below = report.target_sentence("x", pd.Series({"growth": 0.2, "low": 0.15, "high": 0.25}), baseline, 0.10, 0.10)
    assert "10.0 percentage points below the central estimate and below the 95% interval" in below
    inside = report.target_sentence("x", pd.Series({"growth": 0.17, "low": 0.1, "high": 0.2}), baseline, 0.16, 0.18)
    assert "inside the Resolution 57 target" in inside


def test_counts_agree_with_their_nouns():
    assert glue.zero_counts(0) == "no zero counts"
    assert glue.zero_counts(1) == "1 zero count"
    assert glue.zero_counts(1234) == "1,234 zero counts"
    assert report.plural(1, "economy", "economies") == "1 economy"
    effect = pd.Series({"ratio": 0.84, "ratio_low": 0.51, "ratio_high": 1.38, "std_error": 0.253})
    assert report.effect_sentence("Viet Nam", effect) == (
        "Viet Nam's economy effect, over all its years in the sample, is 0.84 times an average economy with the "
        "same inputs (95% CI 0.51 to 1.38; standard error 0.25 of its log)"
    )


def test_comparison_table_shows_each_models_own_numbers():
    from types import SimpleNamespace

    wdi, countries = synthetic(seed=11)
    build = dict(output="patents", first_year=2000, last_year=2019, specification="per_capita")
    panel = kpanel.build_panel(wdi, countries, controls=["gdp_per_capita"], **build)
    primary = estimators.fit(panel, "twoway")
    without = estimators.fit(kpanel.build_panel(wdi, countries, **build), "twoway")
    long_diff = longdiff.fit_long_difference(panel)
    ch = SimpleNamespace(
        fits={"patents": primary}, without_income={"patents": without}, long_difference={"patents": long_diff}
    )
    frame = report.comparison_frame(ch)
    assert list(frame["model"]) == [
        "Primary: two-way FE",
        "Primary without log GDP per capita",
        "Long difference, 10 years",
    ]
    rd = "log_rd_intensity"
    shown = frame["R&D intensity elasticity (s.e.)"]
    for text, table in zip(shown, (primary.table(), without.table(), long_diff.table), strict=True):
        cell = table.set_index("term").loc[rd]
        assert text == f"{fmt(cell['estimate'], 2)} ({fmt(cell['std_error'], 2)})"
    assert frame["observations"].iloc[2] == f"{long_diff.n_countries:,}"
    assert frame["standard errors"].tolist() == ["clustered by economy"] * 2 + ["robust (HC1)"]
    assert without.params[rd] != pytest.approx(primary.params[rd], abs=1e-3)
