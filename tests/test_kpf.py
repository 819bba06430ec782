"""Knowledge-production-function models: recovery of known elasticities, identities, validation, CLI.

Most tests use a synthetic WDI-shaped panel generated with known elasticities, country and year
effects and noise (fixed seeds), so that the whole chain (levels -> logs -> calendar-year lags ->
sample rule -> estimator) is checked against the truth.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import cli
from analysis.errors import InputError
from analysis.kpf import counterfactual, estimators, report, robustness
from analysis.kpf import panel as kpanel
from analysis.kpf.estimators import TABLE_COLUMNS
from analysis.kpf.panel import SPECIFICATIONS

INPUTS = SPECIFICATIONS["levels"]
TRUE = {
    "patents": {"log_rd_spending": 0.4, "log_researchers": 0.3},
    "articles": {"log_rd_spending": 0.5, "log_researchers": 0.2},
}
YEARS = np.arange(1996, 2020)


def synthetic(
    n_countries: int = 60,
    seed: int = 20240601,
    effect_sd: float = 0.5,
    correlated_effects: bool = False,
    noise_sd: float = 0.2,
    input_noise: float = 0.15,
    missing: float = 0.1,
    researcher_break: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A WDI-shaped table and a countries table, outputs generated from TRUE with the default lags.

    log RD and log R: country levels, country trends and noise. log Y = a_i + d_t + b_rd log RD[t-L]
    + b_res log R[t-L] + e. With ``researcher_break`` != 1, every even-numbered economy *reports*
    researchers multiplied by that factor from 2008 on (a change of method), while its outputs follow
    the true series. An aggregate ``AGG`` with absurd values must never enter the panel.
    """
    rng = np.random.default_rng(seed)
    n, n_years = n_countries, len(YEARS)
    t = np.arange(n_years)
    level_rd = rng.normal(21.0, 1.5, n)
    level_res = 8.0 + 0.7 * (level_rd - 21.0) + rng.normal(0.0, 0.8, n)
    log_rd = level_rd[:, None] + rng.normal(0.05, 0.03, n)[:, None] * t + rng.normal(0.0, input_noise, (n, n_years))
    log_res = level_res[:, None] + rng.normal(0.03, 0.03, n)[:, None] * t + rng.normal(0.0, input_noise, (n, n_years))
    country_effect = level_rd - 21.0 + rng.normal(0.0, 0.3, n) if correlated_effects else rng.normal(0.0, effect_sd, n)
    year_effect = 0.02 * t + rng.normal(0.0, 0.05, n_years)
    log_gdp = 26.0 + 0.8 * (level_rd - 21.0)[:, None] + 0.03 * t + rng.normal(0.0, 0.05, (n, n_years))
    log_pop = 16.5 + 0.5 * (level_res - 8.0)[:, None] + 0.01 * t
    outputs = {}
    for output, elasticities in TRUE.items():
        lag = kpanel.DEFAULT_LAGS[output]
        log_y = np.full((n, n_years), np.nan)
        log_y[:, lag:] = (
            country_effect[:, None]
            + year_effect[None, lag:]
            + elasticities["log_rd_spending"] * log_rd[:, : n_years - lag]
            + elasticities["log_researchers"] * log_res[:, : n_years - lag]
            + rng.normal(0.0, noise_sd, (n, n_years - lag))
        )
        outputs[kpanel.OUTPUTS[output]] = np.exp(log_y)
    rd_pct = 100.0 * np.exp(log_rd - log_gdp)
    rd_pct[rng.random((n, n_years)) < missing] = np.nan
    reported_res = np.exp(log_res - log_pop) * 1e6
    reported_res[::2, YEARS >= 2008] *= researcher_break
    codes = [f"C{i:02d}" for i in range(n)]
    wdi = pd.DataFrame(
        {
            "iso3": np.repeat(codes, n_years),
            "year": np.tile(YEARS, n),
            "rd_expenditure_pct_gdp": rd_pct.ravel(),
            "researchers_per_million": reported_res.ravel(),
            "gdp_ppp_const_2021usd": np.exp(log_gdp).ravel(),
            "population": np.exp(log_pop).ravel(),
            **{column: values.ravel() for column, values in outputs.items()},
        }
    )
    aggregate = wdi[wdi["iso3"] == "C00"].assign(iso3="AGG", patent_applications_residents=1e12, journal_articles=1e12)
    countries = pd.DataFrame({"iso3": [*codes, "AGG"], "is_aggregate": [False] * n + [True]})
    return pd.concat([wdi, aggregate], ignore_index=True), countries


@pytest.fixture(scope="module")
def synth():
    return synthetic()


def within_three_se(fit: estimators.KpfFit, truth: dict[str, float], max_se: float = 0.08) -> None:
    table = fit.table().set_index("term")
    for term, value in truth.items():
        estimate, se = table.loc[term, "estimate"], table.loc[term, "std_error"]
        # 60 economies x ~20 years make every standard error small: "within 3 s.e." is a real check
        assert se < max_se, (fit.estimator, term, se)
        assert abs(estimate - value) <= 3 * se, (fit.estimator, term, estimate, value, se)


# ----------------------------------------------------------------------------------------
# Recovery of known elasticities


@pytest.mark.parametrize("estimator", estimators.ESTIMATORS)
@pytest.mark.parametrize("output", list(kpanel.OUTPUTS))
def test_estimators_recover_known_elasticities(synth, output, estimator):
    wdi, countries = synth
    panel = kpanel.build_panel(wdi, countries, output, first_year=2000, last_year=2019, min_obs_per_country=5)
    assert panel.n_countries == 60 and "AGG" not in panel.countries
    fit = estimators.fit(panel, estimator)
    # log-normal errors with constant variance: PPML is consistent too (E[Y|x] = exp(x'b) E[exp(e)])
    within_three_se(fit, TRUE[output], max_se=0.12 if estimator == "ppml" else 0.08)
    table = fit.table()
    assert list(table.columns) == TABLE_COLUMNS
    assert (table["ci_low"] < table["estimate"]).all() and (table["estimate"] < table["ci_high"]).all()
    assert table["n_countries"].eq(60).all()


def test_only_twoway_survives_country_effects_correlated_with_inputs():
    wdi, countries = synthetic(seed=7, correlated_effects=True)
    panel = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    within_three_se(estimators.fit(panel, "twoway"), TRUE["patents"])
    # the cross-country estimator attributes the country effects (loading 1:1 on log RD) to the inputs
    pooled = estimators.fit(panel, "pooled").combination({"log_rd_spending": 1.0, "log_researchers": 1.0})
    assert pooled["estimate"] - 0.7 > 5 * pooled["std_error"]


def test_twoway_equals_dummy_variable_regression(synth):
    wdi, countries = synth
    panel = kpanel.build_panel(wdi, countries, "articles", first_year=2000, last_year=2019)
    twoway = estimators.fit(panel, "twoway")
    lsdv = smf.ols("outcome ~ log_rd_spending + log_researchers + C(iso3) + C(year)", data=panel.data).fit()
    for term in INPUTS:
        assert twoway.params[term] == pytest.approx(lsdv.params[term], abs=1e-8)


def poisson_panel(seed: int = 3, n: int = 100, years: int = 15) -> kpanel.KpfPanel:
    """Counts ~ Poisson(exp(a_i + d_t + 0.8 x1 + 0.3 x2)) with small means: many zeros."""
    rng = np.random.default_rng(seed)
    iso3 = np.repeat([f"P{i:03d}" for i in range(n)], years)
    year = np.tile(np.arange(2000, 2000 + years), n)
    a = np.repeat(rng.normal(-0.5, 0.7, n), years)
    d = np.tile(0.03 * np.arange(years), n)
    x1 = np.repeat(rng.normal(0, 1, n), years) + rng.normal(0, 0.5, n * years)
    x2 = np.repeat(rng.normal(0, 1, n), years) + rng.normal(0, 0.5, n * years)
    counts = rng.poisson(np.exp(a + d + 0.8 * x1 + 0.3 * x2)).astype(float)
    data = pd.DataFrame({"iso3": iso3, "year": year, "unit": iso3, "segment": 0, "level": counts})
    data = data.assign(outcome=np.log(data["level"].where(data["level"] > 0)), log_rd_spending=x1, log_researchers=x2)
    return kpanel.KpfPanel(data, data, "patents", 0, tuple(INPUTS), 2000, 2000 + years - 1, 1)


def test_ppml_recovers_poisson_elasticities_and_log_ols_is_biased():
    panel = poisson_panel()
    assert panel.zeros > 0.2 * panel.n_obs  # a count outcome with many zeros
    ppml = estimators.fit(panel, "ppml")
    within_three_se(ppml, {"log_rd_spending": 0.8, "log_researchers": 0.3}, max_se=0.06)
    ols = estimators.fit(panel, "twoway").table().set_index("term")
    # dropping the zeros selects the lucky draws at low means: the log-linear slope is pulled towards zero
    assert 0.8 - ols.loc["log_rd_spending", "estimate"] > 0.15
    assert 0.8 - ols.loc["log_rd_spending", "ci_high"] > 0.05
    # PPML keeps the zeros, except those of economies that never produce (their effect would be -infinity)
    never = panel.data.groupby("iso3")["level"].transform("sum") == 0
    assert ppml.n_obs == panel.n_obs - int(never.sum())
    # the log-linear model loses every zero, and economies left with one row (singleton effects)
    positive = panel.data[panel.data["level"] > 0].groupby("iso3").size()
    assert ols["n_obs"].iloc[0] == positive[positive > 1].sum()


def test_size_controls_keep_the_same_observations(synth):
    wdi, countries = synth
    plain = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    for controls in (["gdp"], ["population"], ["gdp", "population"], ["gdp_per_capita"]):
        sized = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019, controls=controls)
        assert sized.data[["iso3", "year"]].equals(plain.data[["iso3", "year"]])
        fit = estimators.fit(sized, "twoway")
        assert fit.n_obs == estimators.fit(plain, "twoway").n_obs


def test_segment_effects_recover_elasticity_across_a_level_break():
    wdi, countries = synthetic(seed=21, input_noise=0.04, noise_sd=0.05, researcher_break=2.5, missing=0.0)
    truth = TRUE["patents"]["log_researchers"]
    plain = estimators.fit(kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019), "twoway")
    segments = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019, breaks="segments")
    assert set(segments.break_table["to_year"]) == {2008}  # detect_jumps finds the reporting change, only it
    split = estimators.fit(segments, "twoway")
    within_three_se(split, {"log_researchers": truth})
    b, se = plain.params["log_researchers"], math.sqrt(plain.cov.loc["log_researchers", "log_researchers"])
    assert abs(b - truth) > 5 * se and abs(b - truth) > 0.1  # without segments the break biases it
    dropped = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019, breaks="drop")
    assert dropped.n_countries == 30 and all(int(c[1:]) % 2 == 1 for c in dropped.countries)


def test_most_influential_economy_is_found():
    wdi, countries = synthetic(n_countries=15, seed=5, effect_sd=0.3)
    rd = wdi["rd_expenditure_pct_gdp"] / 100 * wdi["gdp_ppp_const_2021usd"]
    bad = wdi["iso3"] == "C07"  # C07 produces as if the R&D elasticity were 5
    wdi.loc[bad, "patent_applications_residents"] *= (rd[bad] / rd[bad].mean()).shift(2).to_numpy() ** 4.6
    panel = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    iso3, without = robustness.most_influential(panel, "twoway", "log_rd_spending")
    assert iso3 == "C07" and without == pytest.approx(0.4, abs=0.1)
    refit = estimators.fit(panel.without(["C07"]), "twoway").params["log_rd_spending"]
    assert without == pytest.approx(refit, abs=1e-10)


def test_variants_change_one_choice_at_a_time():
    primary = robustness.Specification(exclude=("AAA",))
    table = robustness.variants(primary, "BBB", "CCC", "DDD", 2010, {"BBB": "Bee"}).set_index("key")
    assert table.loc["primary", "spec"] == primary
    changed = {
        key: {f for f in vars(primary) if getattr(spec, f) != getattr(primary, f)}
        for key, spec in table["spec"].items()
    }
    assert changed["primary"] == set()
    # every check changes one choice, except those whose labels name two (levels with their own controls)
    assert {key for key, fields in changed.items() if len(fields) != 1} == {
        "primary",
        "levels",
        "levels_sized",
        "ppml_without",
        "ppml_levels",
        "ppml_levels_without",
    }
    assert changed["lag_1"] == {"lag"} and changed["lag_3"] == {"lag"}
    assert table.loc["without_influential", "label"] == "without Bee"
    assert table.loc["without_influential", "spec"].exclude == ("AAA", "BBB")  # added to the primary's own
    assert table.loc["ppml_without", "label"] == "PPML without CCC"


@pytest.mark.slow
def test_wild_bootstrap_interval_inverts_the_test(synth):
    wdi, countries = synth
    fit = estimators.fit(kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019), "twoway")
    low, high = estimators.wild_bootstrap_ci(fit, "log_rd_spending", reps=399, seed=1, tol=1e-3)
    clustered = fit.table().set_index("term").loc["log_rd_spending"]
    assert low < clustered["estimate"] < high
    # with 60 clusters the bootstrap and clustered intervals are close, not identical
    assert low == pytest.approx(clustered["ci_low"], abs=0.05) and high == pytest.approx(clustered["ci_high"], abs=0.05)
    p = estimators._bootstrap_p_value
    assert p(fit, "log_rd_spending", high + 0.01, 399, 1) < 0.05 <= p(fit, "log_rd_spending", high - 0.01, 399, 1)
    with pytest.raises(InputError, match="not for PPML"):
        estimators.wild_bootstrap_ci(estimators.fit(fit.panel, "ppml"), "log_rd_spending")


def test_relative_to_average_recovers_country_effects():
    wdi, countries = synthetic(seed=9, noise_sd=0.01, effect_sd=0.5)
    fit = estimators.fit(kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019), "twoway")
    units = fit.result.fixef()["C(unit)"]
    mean = np.mean(list(units.values()))
    rows = estimators.relative_to_average(fit, "C03")
    # with almost no noise, actual / predicted is exp(a_C03 - mean a) in every year
    np.testing.assert_allclose(rows["ratio"], math.exp(units["C03"] - mean), rtol=0.05)
    assert (rows["ratio_low"] < rows["ratio_high"]).all()


# ----------------------------------------------------------------------------------------
# Hand-worked identities


def test_variables_levels_and_logs_hand_worked():
    wdi = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA"],
            "year": [2000, 2002],
            "rd_expenditure_pct_gdp": [1.5, np.nan],
            "researchers_per_million": [500.0, np.nan],
            "gdp_ppp_const_2021usd": [2e11, 2.2e11],
            "population": [4e6, 4e6],
            "patent_applications_residents": [8.0, 0.0],
            "journal_articles": [np.nan, 120.0],
        }
    )
    table = kpanel.variables(wdi, pd.DataFrame({"iso3": ["AAA"], "is_aggregate": [False]}))
    first = table.iloc[0]
    assert first["rd_spending"] == pytest.approx(3e9)  # 1.5 / 100 x 2e11
    assert first["researchers"] == pytest.approx(2000.0)  # 500 x 4e6 / 1e6
    assert first["gdp_per_capita"] == pytest.approx(50_000.0)
    assert first["patents_per_capita"] == pytest.approx(2.0)  # 8 / 4e6 x 1e6
    assert first["log_rd_intensity"] == pytest.approx(math.log(1.5))
    assert math.isnan(table.iloc[1]["log_patents"])  # a zero count has no log


def test_inputs_are_lagged_by_calendar_year_and_interpolation_fills_gaps():
    rows = []
    for year in range(2000, 2006):
        has_inputs = year % 2 == 0
        rd = 1.0 * 2 ** ((year - 2000) / 2) if has_inputs else np.nan  # 1, 2, 4 % of GDP in 2000, 2002, 2004
        rows.append(("AAA", year, rd, 100.0 if has_inputs else np.nan, 1e10, 1e6, 100.0 + year - 2000, 1.0))
    columns = ["iso3", "year", "rd_expenditure_pct_gdp", "researchers_per_million", "gdp_ppp_const_2021usd"]
    wdi = pd.DataFrame(rows, columns=[*columns, "population", "patent_applications_residents", "journal_articles"])
    wdi = pd.concat([wdi.assign(iso3=f"A{i:02d}") for i in range(10)], ignore_index=True)
    countries = pd.DataFrame({"iso3": [f"A{i:02d}" for i in range(10)], "is_aggregate": False})
    panel = kpanel.build_panel(wdi, countries, "patents", lag=2, first_year=2002, last_year=2005, min_obs_per_country=1)
    one = panel.data[panel.data["iso3"] == "A00"].set_index("year")
    assert list(one.index) == [2002, 2004]  # 2003 and 2005 have no inputs two years earlier
    assert one.loc[2004, "outcome"] == pytest.approx(math.log(104.0))
    assert one.loc[2004, "log_rd_spending"] == pytest.approx(math.log(0.02 * 1e10))  # 2002: 2 % of 1e10
    filled = kpanel.build_panel(
        wdi, countries, "patents", lag=2, first_year=2002, last_year=2005, min_obs_per_country=1, interpolate=True
    )
    one = filled.data[filled.data["iso3"] == "A00"].set_index("year")
    assert list(one.index) == [2002, 2003, 2004, 2005]
    # 2001 lies between 1 % (2000) and 2 % (2002): log-linear, sqrt(2) %
    assert math.exp(one.loc[2003, "log_rd_spending"]) == pytest.approx(math.sqrt(2) / 100 * 1e10)


def test_segment_numbers_hand_worked():
    breaks = pd.DataFrame({"iso3": ["A", "A"], "to_year": [2005, 2010]})
    numbers = kpanel.segment_numbers(pd.Series([2004, 2005, 2009, 2012, 2012]), pd.Series(["A"] * 4 + ["B"]), breaks)
    assert numbers.tolist() == [0, 1, 1, 2, 0]
    table = kpanel.input_breaks(
        pd.DataFrame(
            {
                "iso3": "A",
                "year": [2000, 2001, 2003, 2004],
                "rd_expenditure_pct_gdp": [1.0, 1.1, 2.0, 2.1],  # x 1.82 between 2001 and 2003
                "researchers_per_million": [100.0, 110.0, 120.0, 50.0],  # / 2.4 in 2004
            }
        )
    )
    assert table[["series", "from_year", "to_year"]].values.tolist() == [
        ["R&D, % of GDP", 2001, 2003],
        ["researchers", 2003, 2004],
    ]
    assert kpanel.breaks_within(table, 2002, 2004)["to_year"].tolist() == [2004]


def test_window_means_hand_worked():
    frame = pd.DataFrame({"iso3": ["A"] * 4, "year": [2000, 2004, 2005, 2011], "x": [1.0, 3.0, 10.0, 7.0]})
    means = kpanel.window_means(frame, ["x"], first_year=2000)
    assert means[["window", "x", "n_years"]].values.tolist() == [[2000, 2.0, 2], [2005, 10.0, 1], [2010, 7.0, 1]]


def test_policy_and_implied_growth_hand_worked(synth):
    base = counterfactual.InputBase("AAA", 2020, rd_pct_gdp=0.5, researchers_per_10k=8.0, gdp=1e12, population=1e8)
    target = counterfactual.input_path(base, 2024, 2.0, 8.0, gdp_growth=0.0, population_growth=0.01)
    baseline = counterfactual.input_path(base, 2024, 0.5, 8.0, gdp_growth=0.0, population_growth=0.01)
    np.testing.assert_allclose(target["rd_pct_gdp"], [0.5, 0.5 * 2**0.5, 1.0, 2**0.5, 2.0])
    assert math.exp(target["log_researchers"].iloc[0]) == pytest.approx(80_000.0)
    wdi, countries = synth
    spec = robustness.Specification(specification="per_capita", controls=(), first_year=2000, last_year=2019)
    fit = spec.fit(wdi, countries)
    # only R&D intensity differs between the paths, by a factor 4 in 4 years
    expected = 4 ** (fit.params["log_rd_intensity"] / 4) - 1
    assert counterfactual.policy_growth(fit, target, baseline)["growth"] == pytest.approx(expected, rel=1e-12)
    # total output: per-capita change plus population growth (1 % a year)
    implied = counterfactual.implied_growth(fit, target)["growth"]
    assert implied == pytest.approx(4 ** (fit.params["log_rd_intensity"] / 4) * 1.01 - 1, rel=1e-9)


def test_recent_growth_hand_worked():
    years = [y for y in range(2008, 2021) if y != 2015]
    wdi = pd.DataFrame({"iso3": "AAA", "year": years, "population": [100 * 1.05 ** (y - 2010) for y in years]})
    rate, start, end = counterfactual.recent_growth(wdi, "AAA", "population", years=10)
    assert (start, end) == (2010, 2020) and rate == pytest.approx(0.05)
    with pytest.raises(InputError, match="no population in 2015"):
        counterfactual.recent_growth(wdi, "AAA", "population", years=5)


@settings(max_examples=40, deadline=None)
@given(rd=st.floats(0.05, 5.0), rd_target=st.floats(0.05, 5.0), years=st.integers(1, 15), g=st.floats(-0.05, 0.12))
def test_input_path_starts_at_base_and_ends_at_targets(rd, rd_target, years, g):
    base = counterfactual.InputBase("AAA", 2023, rd, 8.0, gdp=5e11, population=5e7)
    path = counterfactual.input_path(base, 2023 + years, rd_target, 12.0, g, 0.01)
    assert path["rd_pct_gdp"].iloc[-1] == pytest.approx(rd_target)
    np.testing.assert_allclose(np.exp(path["log_rd_spending"]), path["rd_pct_gdp"] / 100 * path["gdp"], rtol=1e-12)
    np.testing.assert_allclose(path["log_rd_intensity"], np.log(path["rd_pct_gdp"]), rtol=1e-12)


def test_sentences():
    assert report.describe_interval(-0.41, 0.08) == "not distinguishable from zero"
    assert report.describe_interval(0.06, 0.45) == "positive"
    assert "cannot tell" in report.policy_sentence("patent", 0.037, -0.017, 0.094)
    assert report.policy_sentence("patents", 0.05, 0.01, 0.09).startswith(
        "the input targets would raise the growth of patents"
    )
    counts = {"positive": 3, "negative": 0, "unclear": 16, "total": 19}
    assert report.survival_sentence(counts) == (
        "positive in 3 of 19 models, negative in none, and not distinguishable from zero in 16"
    )
    short = report.in_short("patents", counts, pd.Series({"growth": 0.04, "low": -0.02, "high": 0.09}), (-0.02, 0.2))
    assert "depends on the model" in short and "cannot say" in short
    everyone = {"positive": 5, "negative": 0, "unclear": 0, "total": 5}
    short = report.in_short("patents", everyone, pd.Series({"growth": 0.04, "low": 0.01, "high": 0.09}), (0.02, 0.2))
    assert short.startswith("Every model finds a positive") and "every model says" in short
    assert report.compare_with_target(0.097, 0.213, 0.16, 0.18) == "inside"
    assert report.compare_with_target(0.027, 0.085, 0.10, 0.10) == "above"
    assert report.compare_with_target(0.139, 0.243, 0.10, 0.10) == "below"
    assert "within the range" in report.relative_sentence("Viet Nam", 0.71, 0.11, 4.75)
    assert "outside the range" in report.relative_sentence("Viet Nam", 0.05, 0.11, 4.75)
    assert report.plural(1, "economy", "economies") == "1 economy" and report.plural(2, "model") == "2 models"


# ----------------------------------------------------------------------------------------
# Validation


def test_bad_input_is_explained(synth):
    wdi, countries = synth
    with pytest.raises(InputError, match="Unknown output 'trademarks'.*articles, patents"):
        kpanel.build_panel(wdi, countries, "trademarks")
    with pytest.raises(InputError, match="Unknown control 'climate'"):
        kpanel.build_panel(wdi, countries, "patents", controls=["climate"])
    with pytest.raises(InputError, match="given more than once"):
        kpanel.build_panel(wdi, countries, "patents", last_year=2019, controls=["gdp", "gdp"])
    with pytest.raises(InputError, match="lag must be between 0 and 10"):
        kpanel.build_panel(wdi, countries, "patents", lag=11)
    with pytest.raises(InputError, match="Too few observations.*0 economies"):
        kpanel.build_panel(wdi, countries, "patents", last_year=2019, min_obs_per_country=50)
    # the data run 1996-2019: with lag 2, output years 1998-2019; both ends are checked alike
    for years in ((1800, 2019), (2000, 2030), (2010, 2005)):
        with pytest.raises(InputError, match="allow output years 1998-2019"):
            kpanel.build_panel(wdi, countries, "patents", first_year=years[0], last_year=years[1])
    with pytest.raises(InputError, match="Unknown economy code.*ZZZ"):
        kpanel.build_panel(wdi, countries, "patents", last_year=2019, exclude=["ZZZ"])
    with pytest.raises(InputError, match="Unknown economy code.*AGG"):  # an aggregate is not an economy
        kpanel.build_panel(wdi, countries, "patents", last_year=2019, exclude=["AGG"])
    more = pd.concat([countries, pd.DataFrame({"iso3": ["NEW"], "is_aggregate": [False]})], ignore_index=True)
    with pytest.raises(InputError, match="Cannot exclude NEW: not in the sample"):
        kpanel.build_panel(wdi, more, "patents", last_year=2019, exclude=["NEW"])
    panel = kpanel.build_panel(wdi, countries, "patents", last_year=2019, exclude=["c01"])
    assert "C01" not in panel.countries and panel.excluded == ("C01",)
    with pytest.raises(InputError, match="Unknown estimator 'ivreg'.*between, pooled, ppml, twoway"):
        estimators.fit(panel, "ivreg")
    with pytest.raises(InputError, match="Too few observations to estimate"):
        estimators.fit(panel.without(panel.countries[:55]), "pooled")
    with pytest.raises(InputError, match="target year"):
        counterfactual.input_path(
            counterfactual.InputBase("AAA", 2023, 0.4, 8.0, 1e12, 1e8), 2023, 2.0, 12.0, 0.06, 0.01
        )


# ----------------------------------------------------------------------------------------
# Real data


def test_real_panel_economies_only_and_vietnam_lag(wdi, countries):
    panel = kpanel.build_panel(wdi, countries, "patents", lag=2, first_year=2000, last_year=2023)
    aggregates = set(countries.loc[countries["is_aggregate"], "iso3"])
    assert not aggregates & set(panel.data["iso3"])
    vnm = panel.candidates[panel.candidates["iso3"] == "VNM"].set_index("year")
    # WDI: Viet Nam 2021 resident patent applications 1,066; its inputs are 2019's:
    # R&D 0.41652 % of GDP 1.129996e12 PPP $ = 4.7066e9 $; researchers 754.61752 per million x 97,173,776 = 73,329
    assert math.exp(vnm.loc[2021, "outcome"]) == pytest.approx(1066.0)
    assert math.exp(vnm.loc[2021, "log_rd_spending"]) == pytest.approx(4.7066e9, rel=1e-4)
    assert math.exp(vnm.loc[2021, "log_researchers"]) == pytest.approx(73_329, rel=1e-4)


def test_latest_inputs_vietnam(wdi):
    base = counterfactual.latest_inputs(wdi, "VNM")
    # WDI: 2023 is Viet Nam's latest year with both R&D (0.41456 % of GDP) and researchers (836.1 per million)
    assert base.year == 2023
    assert base.rd_pct_gdp == pytest.approx(0.41456, abs=1e-5)
    assert base.researchers_per_10k == pytest.approx(8.361, abs=1e-3)


def test_cli_twoway_matches_dummy_regression(wdi, countries, capsys):
    assert cli.main(["kpf", "--output", "patents", "--estimator", "twoway", "--lag", "2", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns) == TABLE_COLUMNS
    panel = kpanel.build_panel(wdi, countries, "patents", lag=2)
    lsdv = smf.ols("outcome ~ log_rd_spending + log_researchers + C(iso3) + C(year)", data=panel.data).fit()
    for term in INPUTS:
        assert table.set_index("term").loc[term, "estimate"] == pytest.approx(lsdv.params[term], rel=1e-5)
    assert table["n_obs"].iloc[0] == int(lsdv.nobs)


def test_cli_ppml_csv_and_exclusion(capsys):
    assert cli.main(["kpf", "--output", "patents", "--estimator", "ppml", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "term,estimate,std_error,ci_low,ci_high,n_obs,n_countries"
    table = pd.read_csv(io.StringIO(out))
    assert table["n_countries"].iloc[0] >= 40
    assert cli.main(["kpf", "--estimator", "ppml", "--exclude", "CHN", "--format", "csv"]) == 0
    without = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert without["n_countries"].iloc[0] == table["n_countries"].iloc[0] - 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--estimator", "ivreg"], "Unknown estimator 'ivreg'"),
        (["--exclude", "ZZZ"], "Unknown economy code(s) ZZZ"),
        (["--exclude", "ABW"], "Cannot exclude ABW: not in the sample"),
        (["--controls", "weather"], "Unknown control 'weather'"),
        (["--controls", "gdp_per_capita,gdp_per_capita"], "given more than once"),
        (["--first-year", "1800"], "are not allowed"),
        (["--first-year", "2030", "--last-year", "2031"], "are not allowed"),
        (["--breaks", "maybe"], "Unknown break handling 'maybe'"),
        (["--output", "articles", "--min-obs", "40"], "Too few observations"),
    ],
)
def test_cli_refuses_bad_options_in_one_line(args, message, capsys):
    assert cli.main(["kpf", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.slow
def test_cli_subprocess_json_per_capita():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "kpf",
            "--output",
            "articles",
            "--estimator",
            "between",
            "--per-capita",
            "--controls",
            "gdp_per_capita",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)
    assert [r["term"] for r in rows] == ["log_rd_intensity", "log_researcher_density", "log_gdp_per_capita"]
    assert all(r["ci_low"] < r["estimate"] < r["ci_high"] for r in rows)
