"""Knowledge-production-function regressions: recovery of known elasticities, identities, validation, CLI.

Most tests use a synthetic WDI-shaped panel generated with known elasticities, country and year
effects and noise (fixed seeds), so that the whole chain (levels -> logs -> calendar-year lags ->
sample rule -> estimator) is checked against the truth.
"""

from __future__ import annotations

import dataclasses
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

from analysis import cli, regress
from analysis.errors import InputError

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
    year_slope: float = 0.02,
    missing: float = 0.1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A WDI-shaped table and a countries table, outputs generated from TRUE with the default lags.

    log RD[i,t] and log R[i,t]: country levels (correlated across countries, like the real data),
    country-specific trends and noise, so that within-country variation is not collinear with the
    year effects. log Y[i,t] = a_i + d_t + b_rd log RD[i,t-L] + b_res log R[i,t-L] + e[i,t].
    An aggregate ``AGG`` with absurd values must never enter the panel.
    """
    rng = np.random.default_rng(seed)
    n, n_years = n_countries, len(YEARS)
    t = np.arange(n_years)
    level_rd = rng.normal(21.0, 1.5, n)
    level_res = 8.0 + 0.7 * (level_rd - 21.0) + rng.normal(0.0, 0.8, n)
    log_rd = level_rd[:, None] + rng.normal(0.05, 0.03, n)[:, None] * t + rng.normal(0.0, 0.15, (n, n_years))
    log_res = level_res[:, None] + rng.normal(0.03, 0.03, n)[:, None] * t + rng.normal(0.0, 0.15, (n, n_years))
    if correlated_effects:
        country_effect = (level_rd - 21.0) + rng.normal(0.0, 0.3, n)  # richer R&D spenders are also more productive
    else:
        country_effect = rng.normal(0.0, effect_sd, n)
    year_effect = year_slope * t + rng.normal(0.0, 0.05, n_years)
    log_gdp = 26.0 + 0.8 * (level_rd - 21.0)[:, None] + 0.03 * t + rng.normal(0.0, 0.05, (n, n_years))
    log_pop = 16.5 + 0.5 * (level_res - 8.0)[:, None] + 0.01 * t
    outputs = {}
    for output, elasticities in TRUE.items():
        lag = regress.DEFAULT_LAGS[output]
        log_y = np.full((n, n_years), np.nan)
        log_y[:, lag:] = (
            country_effect[:, None]
            + year_effect[None, lag:]
            + elasticities["log_rd_spending"] * log_rd[:, : n_years - lag]
            + elasticities["log_researchers"] * log_res[:, : n_years - lag]
            + rng.normal(0.0, noise_sd, (n, n_years - lag))
        )
        outputs[regress.OUTPUTS[output]] = np.exp(log_y)
    rd_pct = 100.0 * np.exp(log_rd - log_gdp)
    rd_pct[rng.random((n, n_years)) < missing] = np.nan  # gaps, as in the real data
    codes = [f"C{i:02d}" for i in range(n)]
    wdi = pd.DataFrame(
        {
            "iso3": np.repeat(codes, n_years),
            "year": np.tile(YEARS, n),
            "rd_expenditure_pct_gdp": rd_pct.ravel(),
            "researchers_per_million": (np.exp(log_res - log_pop) * 1e6).ravel(),
            "gdp_ppp_const_2021usd": np.exp(log_gdp).ravel(),
            "population": np.exp(log_pop).ravel(),
            "tertiary_enrolment_gross_pct": 40.0,
            **{column: values.ravel() for column, values in outputs.items()},
        }
    )
    aggregate = wdi[wdi["iso3"] == "C00"].assign(iso3="AGG", patent_applications_residents=1e12, journal_articles=1e12)
    countries = pd.DataFrame({"iso3": [*codes, "AGG"], "is_aggregate": [False] * n + [True]})
    return pd.concat([wdi, aggregate], ignore_index=True), countries


@pytest.fixture(scope="module")
def synth():
    return synthetic()


def within_three_se(fit: regress.KpfFit, truth: dict[str, float]) -> None:
    table = fit.table().set_index("term")
    for term, value in truth.items():
        estimate, se = table.loc[term, "estimate"], table.loc[term, "std_error"]
        # The design (60 countries, ~20 years) makes every standard error small, so that
        # "within 3 s.e." is a real check rather than a wide net.
        assert se < 0.08, (fit.estimator, term, se)
        assert abs(estimate - value) <= 3 * se, (fit.estimator, term, estimate, value, se)


# ----------------------------------------------------------------------------------------
# Recovery of known elasticities


@pytest.mark.parametrize("estimator", regress.ESTIMATORS)
@pytest.mark.parametrize("output", list(regress.OUTPUTS))
def test_estimators_recover_known_elasticities(synth, output, estimator):
    wdi, countries = synth
    panel = regress.build_panel(wdi, countries, output, first_year=2000, last_year=2019, min_obs_per_country=5)
    assert panel.n_countries == 60 and "AGG" not in panel.countries
    fit = regress.fit(panel, estimator)
    within_three_se(fit, TRUE[output])
    table = fit.table()
    assert list(table.columns) == regress.TABLE_COLUMNS
    assert (table["ci_low"] < table["estimate"]).all() and (table["estimate"] < table["ci_high"]).all()
    assert table["n_countries"].eq(60).all()


def test_only_twoway_survives_country_effects_correlated_with_inputs():
    wdi, countries = synthetic(seed=7, correlated_effects=True)
    panel = regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    within_three_se(regress.fit_twoway(panel), TRUE["patents"])
    # The cross-country estimators attribute the country effects to R&D spending: the sum of
    # the elasticities is biased upward by about one (the effect loads 1:1 on log RD levels).
    pooled = regress.fit_pooled(panel).combination({"log_rd_spending": 1.0, "log_researchers": 1.0})
    assert pooled["estimate"] - 0.7 > 5 * pooled["std_error"]


def test_twoway_equals_dummy_variable_regression(synth):
    wdi, countries = synth
    panel = regress.build_panel(wdi, countries, "articles", first_year=2000, last_year=2019)
    twoway = regress.fit_twoway(panel)
    lsdv = smf.ols("outcome ~ log_rd_spending + log_researchers + C(iso3) + C(year)", data=panel.data).fit()
    for term in regress.INPUTS:
        assert twoway.params[term] == pytest.approx(lsdv.params[term], abs=1e-9)
    # the year effects split off linearmodels' combined effects match the dummy coefficients
    effects = regress.period_effects(twoway)
    dummies = lsdv.params.filter(like="C(year)")
    np.testing.assert_allclose(effects.iloc[1:].to_numpy(), dummies.to_numpy(), atol=1e-8)


def test_common_trend_recovers_year_slope():
    wdi, countries = synthetic(seed=11, year_slope=0.05, noise_sd=0.05)
    panel = regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    for estimator in ("pooled", "twoway"):
        # d_t = 0.05 t + N(0, 0.05) noise: the fitted log-trend over ten years is 0.05 +- ~0.01
        assert regress.common_trend(regress.fit(panel, estimator)) == pytest.approx(math.expm1(0.05), abs=0.02)


def test_prediction_interval_covers_new_countries():
    # No country effects: the 95 % prediction interval must cover ~95 % of held-out countries' years.
    wdi, countries = synthetic(n_countries=80, seed=3, effect_sd=0.0, noise_sd=0.3)
    panel = regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    held_out = [f"C{i:02d}" for i in range(60, 80)]
    fit = regress.fit_pooled(panel.without(held_out))
    rows = pd.concat([regress.actual_vs_predicted(fit, iso3) for iso3 in held_out])
    assert not rows["in_sample"].any()
    covered = ((rows["actual"] >= rows["pi_low"]) & (rows["actual"] <= rows["pi_high"])).mean()
    # ~350 held-out rows: the coverage's sampling s.d. is about 0.012
    assert 0.91 <= covered <= 0.99
    assert np.allclose(rows["ratio"], rows["actual"] / rows["predicted"])


def test_leave_one_out_finds_the_influential_country():
    wdi, countries = synthetic(n_countries=15, seed=5, effect_sd=0.3)
    # C07 produces patents as if R&D spending had an elasticity of 5: one country, big pull.
    rd = wdi["rd_expenditure_pct_gdp"] / 100 * wdi["gdp_ppp_const_2021usd"]
    bad = wdi["iso3"] == "C07"
    wdi.loc[bad, "patent_applications_residents"] *= (rd[bad] / rd[bad].mean()).shift(2).to_numpy() ** 4.6
    panel = regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    loo = regress.leave_one_country_out(panel, "twoway")
    assert len(loo) == 15 * 2  # 15 countries x 2 terms
    rd = loo[loo["term"] == "log_rd_spending"]
    assert rd.loc[(rd["estimate"] - 0.4).abs().idxmin(), "iso3"] == "C07"
    summary = regress.influence_summary(regress.fit_twoway(panel), drop=["C07"]).set_index("term")
    # dropping C07 brings the R&D elasticity down from well above 0.4 to near it
    assert summary.loc["log_rd_spending", "estimate"] - summary.loc["log_rd_spending", "without"] > 0.1
    assert summary.loc["log_rd_spending", "without"] == pytest.approx(0.4, abs=0.1)
    assert summary.loc["log_rd_spending", "loo_min_country"] == "C07"


@pytest.mark.parametrize("estimator", regress.ESTIMATORS)
def test_leave_one_out_equals_full_refit(synth, estimator):
    wdi, countries = synth
    panel = regress.build_panel(wdi, countries, "articles", first_year=2000, last_year=2019)
    loo = regress.leave_one_country_out(panel, estimator).set_index(["iso3", "term"])["estimate"]
    for iso3 in ("C00", "C31"):
        refit = regress.fit(panel.without([iso3]), estimator)
        for term in regress.INPUTS:
            assert loo[(iso3, term)] == pytest.approx(refit.params[term], abs=1e-7)


def test_tfp_growth_model_recovers_rate_of_return():
    # 12 economies; TFP grows at 0.5 + 0.3 x R&D intensity (% a year), noise-free, so the slope is 0.3.
    codes = [f"T{i:02d}" for i in range(12)]
    intensity = np.linspace(0.2, 3.5, 12)
    years = np.arange(2000, 2020)
    pwt = pd.DataFrame(
        [
            (c, y, math.exp((0.5 + 0.3 * r) / 100 * (y - 2000)))
            for c, r in zip(codes, intensity, strict=False)
            for y in years
        ],
        columns=["iso3", "year", "rtfpna"],
    )
    wdi = pd.DataFrame(
        [(c, y, r) for c, r in zip(codes, intensity, strict=False) for y in years[::2]],
        columns=["iso3", "year", "rd_expenditure_pct_gdp"],
    )
    countries = pd.DataFrame({"iso3": codes, "is_aggregate": False})
    panel = regress.tfp_panel(pwt, wdi, countries, 2000, 2019)
    assert panel.n_obs == 12 * 4  # four 5-year windows
    fit = regress.fit_tfp_growth(panel)
    assert fit.params["rd_pct_gdp"] == pytest.approx(0.3, abs=1e-9)


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
            "tertiary_enrolment_gross_pct": [np.nan, np.nan],
            "patent_applications_residents": [np.nan, 0.0],
            "journal_articles": [np.nan, 120.0],
        }
    )
    table = regress.variables(wdi, pd.DataFrame({"iso3": ["AAA"], "is_aggregate": [False]}))
    first = table.iloc[0]
    assert first["rd_spending"] == pytest.approx(3e9)  # 1.5 / 100 x 2e11
    assert first["researchers"] == pytest.approx(2000.0)  # 500 x 4e6 / 1e6
    assert first["gdp_per_capita"] == pytest.approx(50_000.0)  # 2e11 / 4e6
    assert first["log_rd_spending"] == pytest.approx(21.821878, abs=1e-6)  # ln 3e9
    assert math.isnan(table.iloc[1]["log_patents"])  # a zero count has no log: dropped, not log(1 + 0)


def test_inputs_are_lagged_by_calendar_year_not_by_row():
    # AAA reports inputs only every other year; with lag 2, output in 2004 uses 2002's inputs and
    # output in 2003 has no input row two years earlier (2001 is missing), so it is not in the panel.
    rows = []
    for year in range(2000, 2006):
        has_inputs = year % 2 == 0
        rows.append(
            (
                "AAA",
                year,
                1.0 + 0.1 * (year - 2000) if has_inputs else np.nan,
                100.0 if has_inputs else np.nan,
                1e10,
                1e6,
                100.0 + year - 2000,
            )
        )
    wdi = pd.DataFrame(
        rows,
        columns=[
            "iso3",
            "year",
            "rd_expenditure_pct_gdp",
            "researchers_per_million",
            "gdp_ppp_const_2021usd",
            "population",
            "patent_applications_residents",
        ],
    )
    wdi = wdi.assign(tertiary_enrolment_gross_pct=np.nan, journal_articles=np.nan)
    # ten copies of AAA under other codes, so that the minimum number of countries is met
    wdi = pd.concat([wdi.assign(iso3=f"A{i:02d}") for i in range(10)], ignore_index=True)
    countries = pd.DataFrame({"iso3": [f"A{i:02d}" for i in range(10)], "is_aggregate": False})
    panel = regress.build_panel(
        wdi, countries, "patents", lag=2, first_year=2000, last_year=2005, min_obs_per_country=1
    )
    one = panel.data[panel.data["iso3"] == "A00"].set_index("year")
    assert list(one.index) == [2002, 2004]
    # output 2004 = 104 patents; inputs of 2002: R&D 1.2 % of 1e10 = 1.2e8 $, researchers 100 per million x 1e6 = 100
    assert one.loc[2004, "outcome"] == pytest.approx(math.log(104.0))
    assert one.loc[2004, "log_rd_spending"] == pytest.approx(math.log(1.2e8))
    assert one.loc[2004, "log_researchers"] == pytest.approx(math.log(100.0))


def test_window_means_hand_worked():
    frame = pd.DataFrame({"iso3": ["A"] * 4, "year": [2000, 2004, 2005, 2011], "x": [1.0, 3.0, 10.0, 7.0]})
    means = regress.window_means(frame, ["x"], first_year=2000)
    # windows 2000-04: mean(1, 3) = 2; 2005-09: 10; 2010-14: 7
    assert means[["window", "x", "n_years"]].values.tolist() == [[2000, 2.0, 2], [2005, 10.0, 1], [2010, 7.0, 1]]


def test_input_index_weights_hand_worked(synth):
    wdi, countries = synth
    panel = regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    indexed = regress.with_input_index(panel)
    sd_rd, sd_res = panel.data["log_rd_spending"].std(), panel.data["log_researchers"].std()
    # weights 1/sd normalised: w_rd = (1/sd_rd) / (1/sd_rd + 1/sd_res) = sd_res / (sd_rd + sd_res)
    assert indexed.index_weights["log_rd_spending"] == pytest.approx(sd_res / (sd_rd + sd_res))
    # a 1 % rise in both inputs (log + 0.01; the standard deviations are unchanged) raises the index by 0.01
    shifted = dataclasses.replace(
        panel, data=panel.data.assign(**{name: panel.data[name] + 0.01 for name in regress.INPUTS})
    )
    difference = regress.with_input_index(shifted).data[regress.INPUT_INDEX] - indexed.data[regress.INPUT_INDEX]
    np.testing.assert_allclose(difference, 0.01, rtol=1e-9)
    assert indexed.regressors == (regress.INPUT_INDEX,)


def test_input_path_and_implied_growth_hand_worked(synth):
    base = regress.InputBase("AAA", 2020, rd_pct_gdp=0.5, researchers_per_10k=8.0, gdp=1e12, population=1e8)
    path = regress.input_path(
        base, 2024, rd_target_pct_gdp=2.0, researchers_target_per_10k=8.0, gdp_growth=0.0, population_growth=0.0
    )
    # geometric steps from 0.5 to 2.0 in four years: x sqrt(2) a year
    np.testing.assert_allclose(path["rd_pct_gdp"], [0.5, 0.5 * 2**0.5, 1.0, 2**0.5, 2.0])
    # researchers: 8 per 10,000 of 1e8 people = 80,000
    assert math.exp(path["log_researchers"].iloc[0]) == pytest.approx(80_000.0)
    wdi, countries = synth
    fit = regress.fit_twoway(regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019))
    # only R&D spending changes, by a factor 4: output grows by 4 ** (b_rd / 4) - 1 a year
    expected = 4 ** (fit.params["log_rd_spending"] / 4) - 1
    assert regress.implied_growth(fit, path)["growth"] == pytest.approx(expected, rel=1e-12)
    assert regress.path_growth(path, "log_rd_spending") == pytest.approx(2**0.5 - 1)  # x4 in 4 years
    projection = regress.project(fit, path)
    assert projection["index"].iloc[0] == pytest.approx(100.0) and projection["output_year"].iloc[0] == 2022


def test_compare_with_target():
    # model band 9.7 %-21.3 % a year against the 16-18 % patents target: overlap
    assert regress.compare_with_target(0.097, 0.213, 0.16, 0.18) == "inside"
    assert regress.compare_with_target(0.027, 0.085, 0.10) == "above"  # a 10 % target above a 2.7-8.5 % band
    assert regress.compare_with_target(0.139, 0.243, 0.10) == "below"
    assert regress.compare_with_target(0.05, 0.10, 0.10, 0.12) == "inside"  # touching counts as overlap
    with pytest.raises(InputError, match="low, high"):
        regress.compare_with_target(0.2, 0.1, 0.1)
    assert regress.consistency_verdict({"a": "inside", "b": "inside"}).startswith(
        "consistent with the input targets under every"
    )
    assert regress.consistency_verdict({"a": "inside", "b": "above", "c": "inside"}) == (
        "consistent with the input targets under some models but not others (inside the interval of a, c; above the interval of b)"
    )
    assert regress.consistency_verdict({"a": "above", "b": "above"}).startswith("more than")
    with pytest.raises(InputError, match="inside"):
        regress.consistency_verdict({"a": "maybe"})
    assert regress.describe_interval(-0.41, 0.08) == "not distinguishable from zero"
    assert regress.describe_interval(0.06, 0.45) == "positive"
    assert regress.describe_interval(-0.3, -0.01) == "negative"
    # Viet Nam's patents in 2021: ratio 0.71, prediction interval 0.11 to 4.75
    assert regress.describe_ratio(0.71, 0.11, 4.75).startswith("less than the average economy")
    assert regress.describe_ratio(0.3, 0.1, 0.9) == "significantly less than its inputs predict"
    assert regress.describe_ratio(3.0, 1.2, 9.0) == "significantly more than its inputs predict"


def test_recent_growth_hand_worked():
    # 100 in 2010 growing 5 % a year: 2020 value 100 x 1.05 ** 10 = 162.889...; 2015 missing
    years = [y for y in range(2008, 2021) if y != 2015]
    wdi = pd.DataFrame({"iso3": "AAA", "year": years, "population": [100 * 1.05 ** (y - 2010) for y in years]})
    rate, start, end = regress.recent_growth(wdi, "AAA", "population", years=10)
    assert (start, end) == (2010, 2020) and rate == pytest.approx(0.05)
    rate, start, end = regress.recent_growth(wdi, "AAA", "population", years=10, method="trend")
    assert (start, end) == (2010, 2020) and rate == pytest.approx(0.05)
    with pytest.raises(InputError, match="no population in 2015"):
        regress.recent_growth(wdi, "AAA", "population", years=5)


@settings(max_examples=40, deadline=None)
@given(
    rd=st.floats(0.05, 5.0),
    rd_target=st.floats(0.05, 5.0),
    dens=st.floats(0.5, 100.0),
    dens_target=st.floats(0.5, 100.0),
    years=st.integers(1, 15),
    gdp_growth=st.floats(-0.05, 0.12),
)
def test_input_path_starts_at_base_and_ends_at_targets(rd, rd_target, dens, dens_target, years, gdp_growth):
    base = regress.InputBase("AAA", 2023, rd, dens, gdp=5e11, population=5e7)
    path = regress.input_path(base, 2023 + years, rd_target, dens_target, gdp_growth, 0.01)
    assert path["rd_pct_gdp"].iloc[0] == pytest.approx(rd) and path["rd_pct_gdp"].iloc[-1] == pytest.approx(rd_target)
    assert path["researchers_per_10k"].iloc[-1] == pytest.approx(dens_target)
    assert path["gdp"].iloc[-1] == pytest.approx(5e11 * (1 + gdp_growth) ** years)
    # R&D spending = intensity x GDP in every year
    np.testing.assert_allclose(np.exp(path["log_rd_spending"]), path["rd_pct_gdp"] / 100 * path["gdp"], rtol=1e-12)


# ----------------------------------------------------------------------------------------
# Validation


def test_bad_input_is_explained(synth):
    wdi, countries = synth
    with pytest.raises(InputError, match="Unknown output 'trademarks'.*articles, patents"):
        regress.build_panel(wdi, countries, "trademarks")
    with pytest.raises(InputError, match="Unknown control"):
        regress.build_panel(wdi, countries, "patents", controls=["climate"])
    with pytest.raises(InputError, match="lag must be between 0 and 10"):
        regress.build_panel(wdi, countries, "patents", lag=11)
    with pytest.raises(InputError, match="Too few observations.*0 countries"):
        regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019, min_obs_per_country=50)
    with pytest.raises(InputError, match="do not fit the data"):
        regress.build_panel(wdi, countries, "patents", first_year=2030, last_year=2040)
    with pytest.raises(InputError, match="lacks the variable.*researchers_per_million"):
        regress.build_panel(wdi.drop(columns="researchers_per_million"), countries, "patents")
    panel = regress.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019)
    with pytest.raises(InputError, match="Unknown estimator 'ivreg'.*between, pooled, twoway"):
        regress.fit(panel, "ivreg")
    with pytest.raises(InputError, match="Too few observations to estimate"):
        regress.fit(panel.without(panel.countries[:55]), "pooled")
    with pytest.raises(InputError, match="absorbs each country"):
        regress.predict(regress.fit_twoway(panel), panel.data)
    with pytest.raises(InputError, match="Cannot drop ZZZ"):
        panel.without(["ZZZ"])
    with pytest.raises(InputError, match="Unknown country code 'ZZZ'"):
        regress.latest_inputs(wdi, "ZZZ")
    with pytest.raises(InputError, match="target year"):
        regress.input_path(regress.InputBase("AAA", 2023, 0.4, 8.0, 1e12, 1e8), 2023, 2.0, 12.0, 0.06, 0.01)


# ----------------------------------------------------------------------------------------
# Real data


def test_real_panel_economies_only_and_vietnam_lag(wdi, countries):
    panel = regress.build_panel(wdi, countries, "patents", lag=2, first_year=2000, last_year=2023)
    aggregates = set(countries.loc[countries["is_aggregate"], "iso3"])
    assert not aggregates & set(panel.data["iso3"])
    vnm = panel.candidates[panel.candidates["iso3"] == "VNM"].set_index("year")
    # WDI: Viet Nam 2021 resident patent applications 1,066; its inputs are 2019's:
    # R&D 0.41652 % of GDP 1.129996e12 PPP $ = 4.7066e9 $; researchers 754.61752 per million x 97,173,776 = 73,329
    assert math.exp(vnm.loc[2021, "outcome"]) == pytest.approx(1066.0)
    assert math.exp(vnm.loc[2021, "log_rd_spending"]) == pytest.approx(4.7066e9, rel=1e-4)
    assert math.exp(vnm.loc[2021, "log_researchers"]) == pytest.approx(73_329, rel=1e-4)


def test_latest_inputs_vietnam(wdi):
    base = regress.latest_inputs(wdi, "VNM")
    # WDI: 2023 is Viet Nam's latest year with both R&D (0.41456 % of GDP) and researchers (836.1 per million)
    assert base.year == 2023
    assert base.rd_pct_gdp == pytest.approx(0.41456, abs=1e-5)
    assert base.researchers_per_10k == pytest.approx(8.361, abs=1e-3)


def test_cli_twoway_matches_dummy_regression(wdi, countries, capsys):
    assert cli.main(["kpf", "--output", "patents", "--estimator", "twoway", "--lag", "2", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns) == regress.TABLE_COLUMNS
    assert list(table["term"]) == list(regress.INPUTS)
    panel = regress.build_panel(wdi, countries, "patents", lag=2)
    lsdv = smf.ols("outcome ~ log_rd_spending + log_researchers + C(iso3) + C(year)", data=panel.data).fit()
    for term in regress.INPUTS:
        # the CSV prints 6 significant digits
        assert table.set_index("term").loc[term, "estimate"] == pytest.approx(lsdv.params[term], rel=1e-5)
    assert table["n_obs"].iloc[0] == int(lsdv.nobs)
    assert table["n_countries"].iloc[0] == panel.data["iso3"].nunique()


def test_cli_errors_exit_2(capsys):
    assert cli.main(["kpf", "--output", "articles", "--min-obs", "40"]) == 2
    assert "Too few observations" in capsys.readouterr().err
    assert cli.main(["kpf", "--controls", "weather"]) == 2
    assert "Unknown control 'weather'" in capsys.readouterr().err


def test_cli_subprocess_json():
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
    assert [r["term"] for r in rows] == ["log_rd_spending", "log_researchers", "log_gdp_per_capita"]
    assert all(r["ci_low"] < r["estimate"] < r["ci_high"] for r in rows)
