"""What the growth-accounting chapter shows: one :func:`report` per page, and the sentences that depend on data.

The notebook calls :func:`report`, glues its values and places its tables and figures; the
sentences whose wording depends on the numbers (which way a comparison goes) are built by the
small functions below, each tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.countries import check_code
from analysis.errors import InputError
from analysis.growth import compute, fit, once
from analysis.growth.claims import ClaimValue, claim_values
from analysis.growth.specification import (
    DECLARED_GRID,
    GRID_LABOUR_SHARES,
    PWT_METHOD,
    Specification,
    parse_periods,
)
from analysis.style.display import fmt
from analysis.style.format import join, percent

VIETNAM = "VNM"
LABSH_YEARS = (2011, 2020)  # the decade of the paper's comparison, for the labour-share context
BAND = (0.40, 0.70)  # labour shares called plausible in the sensitivity sentence
GRID_STEP = 0.01
METHOD_BASELINE, METHOD_PWT = "Baseline", "PWT's method"
METHOD_HOURS = "Baseline with hours"  # the baseline with labour emp × avh × hc, where PWT has avh
LABOUR_WORDS = {
    "emp": "persons only, so that hours and schooling end up in TFP",
    "emp_hc": "persons times schooling (hours end up in TFP)",
    "emp_avh_hc": "persons times hours times schooling",
}


@dataclass(frozen=True)
class Validation:
    """How closely :data:`PWT_METHOD` reproduces PWT's ``rtfpna`` growth, and how far a variant without hours misses."""

    countries: int
    country_years: int
    max_deviation: float
    without_hours_max: float
    without_hours_median: float


def validation(pwt: pd.DataFrame) -> Validation:
    """:func:`~analysis.growth.compute.rtfpna_check` for every country-year, with and without hours.

    Computed once per table and code (:mod:`analysis.growth.once`): every growth page shows it.
    """
    return once.cached("growth-validation", pwt, compute_validation, Validation)


def compute_validation(pwt: pd.DataFrame) -> Validation:
    """:func:`validation`, computed (no cache)."""
    check = compute.rtfpna_check(pwt)
    without = compute.rtfpna_check(pwt, spec=PWT_METHOD.replace(labour_input="emp_hc"))["deviation"].abs()
    return Validation(
        int(check["iso3"].nunique()),
        len(check),
        float(check["deviation"].abs().max()),
        float(without.max()),
        float(without.median()),
    )


@dataclass
class GrowthReport:
    """The values, tables and figures of one growth-accounting page."""

    country: str
    name: str
    spec: Specification
    periods: list[str]
    names: dict[str, str]
    has_pwt_method: bool
    baseline: pd.DataFrame
    decomposition: pd.DataFrame
    labsh: pd.Series
    sensitivity: pd.DataFrame
    claimed: dict[str, float]
    fits: pd.DataFrame | None
    best: fit.Fit | None
    peer_table: pd.DataFrame
    peer_checks: pd.DataFrame
    grid: pd.DataFrame  # the declared grid's decomposition (one row per specification and period)
    claimed_figures: dict[str, float]  # the paper's TFP figures (percent) by claim id
    claim_values: list[ClaimValue] = field(default_factory=list)

    @property
    def longest(self) -> str:
        """The longest period shown (the earliest of equal length)."""
        return max(parse_periods(self.periods), key=lambda p: (len(p.years), -p.start)).label

    @property
    def links_claims(self) -> bool:
        """Only the Viet Nam page links results to claims (one result per claim in the book)."""
        return self.country == VIETNAM


def best_fit(
    pwt: pd.DataFrame, iso3: str, claimed: dict[str, float], capital: str, bounds: tuple[float, float]
) -> tuple[pd.DataFrame | None, fit.Fit | None]:
    """The best fit per labour input to official period shares, and the best of all (``None`` without shares)."""
    if not claimed:
        return None, None
    fits = fit.specification_fits(pwt, iso3, list(claimed), list(claimed.values()), capital=capital, bounds=bounds)
    top = fits.iloc[0]
    shares = tuple(float(top[p]) for p in claimed)
    return fits, fit.Fit(
        top["labour_input"], float(top["labour_share"]), shares, top["rmse"], top["max_abs_gap"], capital
    )


def report(
    pwt: pd.DataFrame,
    claims: pd.DataFrame,
    rules: pd.DataFrame,
    country: str,
    peers: list[str],
    periods: list[str],
    spec: Specification,
    labour_share_range: tuple[float, float],
    peer_windows: list[str],
    verdict_pwt: pd.DataFrame | None = None,
) -> GrowthReport:
    """Everything the chapter shows for ``country``; Viet Nam is always among the comparators.

    ``verdict_pwt`` is the release the verdict rules measure the paper's claims on (PWT 11.0; by
    default ``pwt`` itself), so that a page run on another release shows its numbers without
    changing a verdict. Official period figures beyond the last year of ``pwt`` are not fitted.
    """
    verdict_pwt = pwt if verdict_pwt is None else verdict_pwt
    country = check_code(country, pwt["iso3"].unique(), "PWT 11.0")
    comparators = [c for c in dict.fromkeys(p.strip().upper() for p in [*peers, VIETNAM]) if c != country]
    focus = [country, *comparators]
    names = {c: compute.country_name(pwt, c) for c in focus}
    has_pwt_method = all(compute.has_variable(pwt, country, v) for v in ("labsh", "rkna"))
    baseline = compute.decompose(pwt, country, periods, spec)
    tables = [baseline.assign(method=METHOD_BASELINE)]
    if spec.labour_input != "emp_avh_hc" and compute.has_variable(pwt, country, "avh"):
        with_hours = spec.replace(labour_input="emp_avh_hc")
        tables.append(compute.decompose(pwt, country, periods, with_hours).assign(method=METHOD_HOURS))
    if has_pwt_method:
        tables.append(compute.decompose(pwt, country, periods, PWT_METHOD).assign(method=METHOD_PWT))
    in_decade = pwt[pwt["iso3"].isin(focus) & pwt["year"].between(*LABSH_YEARS)]
    labsh = in_decade.groupby("iso3")["labsh"].mean().dropna()
    low, high = labour_share_range
    grid = np.round(np.arange(low, high + 1e-9, GRID_STEP), 2)
    tfp_claims = claims[claims["claim_id"].str.startswith("paper.tfp_share.") & claims["value"].notna()]
    last_year = int(pwt.loc[(pwt["iso3"] == country) & pwt["rgdpna"].notna(), "year"].max())
    claimed = {
        r.year_or_period: r.value / 100
        for r in tfp_claims.itertuples()
        if r.country == country and r.year_or_period and parse_periods(r.year_or_period)[0].end <= last_year
    }
    fits, best = best_fit(pwt, country, claimed, spec.capital, (low, high))
    with_pwt = [c for c in focus if all(compute.has_variable(pwt, c, v) for v in ("labsh", "rkna"))]
    peer_table = pd.concat(
        [
            compute.compare(pwt, with_pwt, peer_windows, PWT_METHOD).assign(method=METHOD_PWT),
            compute.compare(pwt, focus, peer_windows, spec).assign(method=METHOD_BASELINE),
        ],
        ignore_index=True,
    )
    undated = {r.country: r.value / 100 for r in tfp_claims.itertuples() if not r.year_or_period and r.country in focus}
    basis = rules.set_index("claim_id")["basis_year"]
    peer_basis = next((basis[r.claim_id] for r in tfp_claims.itertuples() if r.country in undated), peer_windows[0])
    checks = fit.claim_check(peer_table, undated, reference_method=METHOD_BASELINE, reference_period=peer_basis)
    values = claim_values(verdict_pwt, claims, rules)
    return GrowthReport(
        country,
        names[country],
        spec,
        list(periods),
        names,
        has_pwt_method,
        baseline,
        pd.concat(tables, ignore_index=True),
        labsh,
        compute.sensitivity(pwt, country, periods, grid, capital=spec.capital),
        claimed,
        fits,
        best,
        peer_table,
        checks,
        compute.sensitivity(pwt, country, periods, GRID_LABOUR_SHARES, capital=DECLARED_GRID[0].capital),
        dict(zip(tfp_claims["claim_id"], tfp_claims["value"], strict=True)),
        values,
    )


# --- sentences whose wording depends on the data ------------------------------------------------


def this_page(name: str, periods: list[str], spec: Specification, comparators: list[str]) -> str:
    """The readable line that replaces the parameters cell on the page."""
    return (
        f"This page: {name}; periods {', '.join(p.replace('-', '–') for p in periods)}; baseline {spec.describe()}; "
        f"compared with {', '.join(comparators)}."
    )


def method_note(name: str, has_pwt_method: bool) -> str:
    """Whether PWT's own method can be applied to the economy."""
    if has_pwt_method:
        return (
            f"Because PWT has a labour share and capital services for {name}, the tables and figures also show PWT's "
            "own method (Section 1), whose TFP matches PWT's published TFP."
        )
    return (
        f"PWT has no labour share or capital services for {name}, so PWT's own method cannot be applied and the "
        "labour share is the key unknown."
    )


def baseline_story(baseline: pd.DataFrame, period: str, with_hours: bool) -> str:
    """Where growth came from over ``period`` under the baseline, and the TFP share in every period."""
    row = baseline.set_index("period").loc[period]
    labour = row["persons_contribution"] + row["hours_contribution"]
    workers = "the number of workers and their hours" if with_hours else "the number of workers"
    shares = "; ".join(f"{percent(100 * r.tfp_share)} in {r.period.replace('-', '–')}" for r in baseline.itertuples())
    return (
        f"Under the baseline, over {period.replace('-', '–')} output grew {fmt(100 * row['output_growth'], 2)} "
        f"points a year: capital accumulation contributed {fmt(100 * row['capital_contribution'], 2)}, {workers} "
        f"{fmt(100 * labour, 2)}, labour quality {fmt(100 * row['quality_contribution'], 2)} and TFP "
        f"{fmt(100 * row['tfp_contribution'], 2)} points, a TFP share of {percent(100 * row['tfp_share'])}. By period, "
        f"the TFP share is {shares}."
    )


def hours_note(imputed: int, name: str) -> str:
    """How many period-years use hours that are not the economy's own data ('' when none)."""
    if not imputed:
        return ""
    years = "period-year" if imputed == 1 else "period-years"
    return f"In {imputed} of the {years} shown, hours are not {name}'s own data but follow PWT's rule (Section 1)."


def hours_reason(name: str, own_hours: tuple[int, int] | None, economies: int, with_avh: int, miss: float) -> str:
    """Why the baseline leaves hours out, and what leaving them out costs (``miss``: points a year).

    ``own_hours`` is the first and last year of the economy's own ``avh`` (``None`` if none);
    ``economies`` and ``with_avh`` count the PWT economies and those with any ``avh``.
    """
    coverage = (
        f"PWT publishes hours (avh) for {name} for {own_hours[0]}–{own_hours[1]}"
        if own_hours
        else f"PWT publishes no hours (avh) for {name}"
    )
    return (
        f"Why the baseline leaves hours out: it is one specification for every economy of the book, and only "
        f"{with_avh} of the {economies} PWT economies have hours of their own; for the other {economies - with_avh} "
        f"PWT moves hours with US hours, an assumption rather than a measurement. {coverage}. The cost is real: "
        f"without hours, PWT's own TFP growth is missed by up to {fmt(miss, 1)} points a year (Section 1), so "
        f"the table also shows the {METHOD_HOURS.lower()} (labour emp × avh × hc) where hours exist."
    )


def labour_share_sentence(name: str, years: dict[str, tuple[int, int]]) -> str:
    """Whether any PWT release gives the economy its own labour share (``years``: release → (with labsh, all))."""
    have = {release: n for release, (n, _) in years.items() if n}
    if have:
        parts = "; ".join(f"PWT {release}: {n} years" for release, n in have.items())
        return f"PWT publishes a labour share (labsh) for {name} ({parts}); it is shown as PWT's method."
    parts = " and ".join(f"all {total} years of PWT {release}" for release, (_, total) in years.items())
    return (
        f"No {name}-specific labour share is available: labsh is missing for {name} in {parts}, and none of "
        "the other open sources in the compendium's data (World Development Indicators, UNDP's Human "
        "Development Report, ILOSTAT output per worker, the UN E-Government Survey) publishes a labour share. "
        "The labour share therefore stays an assumption, and the declared grid spans it."
    )


def vintage_sentence(comparison: pd.DataFrame, name: str, specification: str = METHOD_BASELINE) -> str:
    """How far the release of PWT moves the TFP share (:func:`~analysis.growth.vintage.vintage_comparison`)."""
    from analysis.growth.vintage import largest_move

    reference, other = list(dict.fromkeys(comparison["release"]))
    try:
        period, move = largest_move(comparison, specification)
    except InputError:
        return f"No period of the table has a TFP share for {name} in both PWT {reference} and PWT {other}."
    shares = comparison[(comparison["specification"] == specification) & (comparison["period"] == period)]
    by_release = dict(zip(shares["release"], 100 * shares["tfp_share"], strict=True))
    order = list(dict.fromkeys(comparison["period"])).index
    gap = ""
    for release in (reference, other):
        missing = comparison.loc[comparison["tfp_share"].isna() & (comparison["release"] == release), "period"]
        if not missing.empty:
            periods = join([p.replace("-", "–") for p in sorted(set(missing), key=order)])
            gap += f" PWT {release} does not cover all of {periods}, so it has no share there."
    return (
        f"The release of the data matters. Under the {specification.lower()}, {name}'s TFP share over "
        f"{period.replace('-', '–')} is {percent(by_release[reference])} on PWT {reference} and "
        f"{percent(by_release[other])} on PWT {other}: the same method on another vintage of the national "
        f"accounts moves it {'up' if move > 0 else 'down'} by {fmt(abs(move), 1)} points.{gap}"
    )


def sensitivity_sentence(sensitivity: pd.DataFrame, period: str) -> str:
    """The range of TFP shares that plausible labour shares and the three labour inputs give over ``period``."""
    band = sensitivity[sensitivity["labour_share"].between(*BAND) & (sensitivity["period"] == period)]["tfp_share"]
    low, high = 100 * band.min(), 100 * band.max()
    return (
        f"For {period.replace('-', '–')}, labour shares between {BAND[0]:.2f} and {BAND[1]:.2f} and the three labour "
        f"inputs give TFP shares from {percent(low)} to {percent(high)}: the assumptions alone move the answer by "
        f"{fmt(high - low, 0)} points."
    )


def fit_sentence(fits: pd.DataFrame, claimed: dict[str, float], baseline_rmse: float) -> str:
    """Which specification comes closest to the official period figures, and by how much the others miss."""
    best = fits.iloc[0]
    periods = list(claimed)
    others = "; ".join(
        f"{r.labour_input.replace('_', ' × ')} (best share {r.labour_share:.3f}) by {fmt(100 * r.rmse, 1)}"
        for r in fits.iloc[1:].itertuples()
    )
    gives = ", ".join(f"{percent(100 * best[p])} for {p.replace('-', '–')}" for p in periods)
    official = ", ".join(percent(100 * v) for v in claimed.values())
    return (
        "Which assumptions give the official figures? Searching all labour shares in the grid and the three labour "
        f"inputs, the closest specification counts labour as {LABOUR_WORDS[best['labour_input']]}, with a labour share "
        f"of {best['labour_share']:.3f}: it gives {gives} against the official {official} (root mean squared gap "
        f"{fmt(100 * best['rmse'], 1)} points). The other labour inputs miss by (root mean squared gap, points): "
        f"{others}; the baseline misses by {fmt(100 * baseline_rmse, 1)}. This specification was chosen after seeing "
        "the official figures, so a match under it is weak evidence; the claims are judged under the baseline."
    )


def peer_sentence(checks: pd.DataFrame, names: dict[str, str], windows: int) -> str:
    """How close the best window-and-method combination comes to each undated peer figure."""
    if checks.empty:
        return "None of the economies with a TFP figure in the paper is among the economies on this page."
    parts = [
        f"{names[r.country]} {percent(100 * r.closest)} "
        f"({r.closest_period.replace('-', '–')}, {r.closest_method}) against {percent(100 * r.claimed)}"
        for r in checks.itertuples()
    ]
    return (
        f"Searching {windows} windows under both methods, the closest values to the paper's figures are: "
        f"{'; '.join(parts)}. A match found by searching windows and methods would be weak evidence, since the "
        "paper states neither."
    )


def increased_sentence(change: float, earlier: str, later: str) -> str:
    """The direction claim in words (``change`` in percentage points, later minus earlier)."""
    if change > 0:
        return (
            f"Under the baseline the TFP share rose by {fmt(change, 1)} points from {earlier.replace('-', '–')} to "
            f"{later.replace('-', '–')}: the paper's statement that it increased holds."
        )
    return (
        f"Under the baseline the TFP share fell by {fmt(-change, 1)} points from {earlier.replace('-', '–')} to "
        f"{later.replace('-', '–')}: the paper's statement that it increased is contradicted."
    )


def region_sentence(r: GrowthReport) -> str:
    """The regional comparison in words: Viet Nam against each economy the paper names, one by one."""
    comparisons = region_comparisons(r)
    if not comparisons:
        return "The paper names no economy to compare with."
    period = comparisons[0].period.replace("-", "–")
    gaps = [
        f"{fmt(abs(v.value), 1)} points {'below' if v.value < 0 else 'above'} "
        f"{r.names.get(v.comparator, v.comparator)}'s"
        for v in comparisons
    ]
    holds = [r.names.get(v.comparator, v.comparator) for v in comparisons if v.value < 0]
    fails = [r.names.get(v.comparator, v.comparator) for v in comparisons if v.value >= 0]
    grid = "; ".join(
        f"lower than {r.names.get(v.comparator, v.comparator)}'s in {v.search_value:.0f} of {len(DECLARED_GRID)}"
        for v in comparisons
    )
    verdict = (
        f"The paper's statement holds for {join(holds)}"
        + (f" and is contradicted for {join(fails)}." if fails else ".")
        if holds
        else f"The paper's statement is contradicted for {join(fails)}."
    )
    return (
        f"Under the same baseline for every economy, Viet Nam's TFP share over {period} is {join(gaps)}. "
        f"{verdict} Across the declared specification grid, Viet Nam's share is {grid} specifications."
    )


# --- tables for the page ----------------------------------------------------------------------


def claims_table(values: list[ClaimValue], claims: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The paper's TFP shares beside the baseline value at their basis and the closest searched specification."""
    quoted = claims.set_index("claim_id")
    rows = []
    for v in values:
        if v.unit != "percent":
            continue
        claim = quoted.loc[v.claim_id]
        rows.append(
            {
                "Economy": names.get(claim["country"], claim["country"]),
                "Period": v.period.replace("-", "–"),
                "Paper (%)": claim["value"],
                "Baseline (%)": round(v.value, 1),
                "Closest of the declared grid (%)": round(v.search_value, 1),
                "That specification": v.search_specification,
            }
        )
    return pd.DataFrame(rows)


def fit_table(report: GrowthReport) -> pd.DataFrame:
    """The best fit per labour input, the baseline and the official figures (percent and points)."""
    targets = report.claimed
    shown = fit.with_baseline_row(
        report.fits, report.baseline, targets, report.spec.labour_share, report.spec.labour_input
    )
    shown = pd.concat(
        [pd.DataFrame([{"labour_input": "official figures (paper)", **targets}]), shown], ignore_index=True
    )
    for column in [*targets, "rmse", "max_abs_gap"]:
        shown[column] = (100 * shown[column]).round(1)
    shown["labour_share"] = shown["labour_share"].round(3)
    shown["labour_input"] = shown["labour_input"].str.replace("_", " × ")
    return compute.blank_missing(
        shown.rename(
            columns={
                "labour_input": "Labour input",
                "labour_share": "Labour share",
                "rmse": "Root mean squared gap (points)",
                "max_abs_gap": "Largest gap (points)",
                **{p: f"{p.replace('-', '–')} (%)" for p in targets},
            }
        )
    )


def baseline_rmse(report: GrowthReport) -> float:
    """The baseline's root mean squared gap to the official period figures."""
    shares = report.baseline.set_index("period").loc[list(report.claimed), "tfp_share"]
    return fit.rmse(shares, list(report.claimed.values()))


def region_comparisons(r: GrowthReport) -> list[ClaimValue]:
    """The per-comparator TFP-share gaps (Viet Nam minus each economy the paper names), in the claims' order."""
    return [v for v in r.claim_values if v.comparator]


def region_peer_names(r: GrowthReport) -> list[str]:
    """Readable names of the economies the regional comparison names."""
    return [r.names.get(v.comparator, v.comparator) for v in region_comparisons(r)]


# --- recording and summaries -----------------------------------------------------------------


def record(results, r: GrowthReport, check: Validation) -> None:
    """Record the page's numbers; only the Viet Nam page links them to claims (:attr:`GrowthReport.links_claims`)."""
    points = "percentage points per year (log)"
    results.record("rtfpna.max_abs_deviation", check.max_deviation, "log growth (fraction)")
    results.record("rtfpna.countries", check.countries, "count")
    results.record("rtfpna.country_years", check.country_years, "count")
    linked = {v.result_id: v for v in r.claim_values} if r.links_claims else {}
    for row in r.baseline.itertuples():
        results.record(f"output_growth.{r.country}.{row.period}.baseline", 100 * row.output_growth, points)
        results.record(f"tfp_contribution.{r.country}.{row.period}.baseline", 100 * row.tfp_contribution, points)
        result_id = f"tfp_share.{r.country}.{row.period}.baseline"
        if result_id not in linked:
            results.record(result_id, 100 * row.tfp_share, "percent", note=f"baseline: {r.spec.describe()}")
    for row in r.decomposition[r.decomposition["method"] == METHOD_PWT].itertuples():
        results.record(f"tfp_share.{r.country}.{row.period}.pwt_method", 100 * row.tfp_share, "percent")
    for row in r.decomposition[r.decomposition["method"] == METHOD_HOURS].itertuples():
        results.record(f"tfp_share.{r.country}.{row.period}.baseline_hours", 100 * row.tfp_share, "percent")
    if r.best is not None:
        results.record("fit.labour_share", r.best.labour_share, "fraction", note=f"labour {r.best.labour_input}")
        results.record("fit.rmse", 100 * r.best.rmse, "percentage points")
    for v in linked.values():
        results.record(
            v.result_id,
            v.value,
            v.unit,
            claim_id=v.claim_id,
            basis_used=v.basis_used,
            basis_period=",".join(filter(None, (v.earlier_period, v.period))),
            search_value=None if np.isnan(v.search_value) else v.search_value,
            search_basis=v.search_basis,
            note=v.note,
        )


def claim_value(r: GrowthReport, claim_id: str) -> ClaimValue:
    """One claim's value from the report (the claims are computed on every page, linked only on Viet Nam's)."""
    return next(v for v in r.claim_values if v.claim_id == claim_id)


def grid_range(r: GrowthReport, period: str) -> tuple[float, float]:
    """The lowest and highest TFP share (percent) of the declared grid over ``period``."""
    shares = r.grid[r.grid["period"] == period]["tfp_share"]
    return 100 * float(shares.min()), 100 * float(shares.max())


def own_claim_sentence(r: GrowthReport) -> str:
    """On a comparator's page: the paper's undated figure for this economy against the baseline (or that none)."""
    figure = next(
        (v for v in r.claim_values if v.unit == "percent" and v.claim_id.endswith("." + r.country.lower())), None
    )
    if figure is None:
        return f"The paper gives no TFP figure for {r.name}; the Viet Nam chapter compares the two economies."
    low, high = grid_range(r, figure.period)
    return (
        f"The paper puts {r.name}'s TFP share at {percent(figure_claimed(r, figure))} without a period; over "
        f"{figure.period.replace('-', '–')}, the decade it is judged on, the declared grid gives {percent(low)} to "
        f"{percent(high)} and the baseline {percent(figure.value)}."
    )


def figure_claimed(r: GrowthReport, v: ClaimValue) -> float:
    """The paper's figure (percent) for a claim value of this page."""
    return r.claimed_figures[v.claim_id]


def key_findings(r: GrowthReport) -> list[str]:
    """The sentences of the "Key findings" box: the range over the declared grid first, the baseline inside it."""
    longest = r.baseline.set_index("period").loc[r.longest]
    low, high = grid_range(r, r.longest)
    first = (
        f"Depending on the labour share (2/3, 0.6 or 0.5) and on how labour is counted, TFP supplied between "
        f"{percent(low)} and {percent(high)} of {r.name}'s output growth over {r.longest.replace('-', '–')}; the "
        f"baseline ({r.spec.describe()}) gives {percent(100 * longest['tfp_share'])}."
    )
    band = r.sensitivity[r.sensitivity["labour_share"].between(*BAND) & (r.sensitivity["period"] == r.longest)]
    second = (
        f"Over the wider range of labour shares from {BAND[0]:.2f} to {BAND[1]:.2f} the share runs from "
        f"{percent(100 * band['tfp_share'].min())} to {percent(100 * band['tfp_share'].max())}: the assumptions "
        "matter as much as the data."
    )
    if not r.links_claims:
        return [first, second, own_claim_sentence(r)]
    rise = claim_value(r, "paper.tfp_share.vnm.increased")
    gaps = [
        f"{fmt(abs(v.value), 1)} points {'below' if v.value < 0 else 'above'} {r.names.get(v.comparator, v.comparator)}"
        for v in region_comparisons(r)
    ]
    third = (
        f"For Viet Nam, the baseline TFP share {'rose' if rise.value > 0 else 'fell'} by {fmt(abs(rise.value), 1)} "
        f"points between the paper's two five-year periods; over the decade, under the same method, it is "
        f"{join(gaps)}."
    )
    return [first, second, third]


def baseline_shares_text(r: GrowthReport) -> str:
    """The page economy's baseline TFP share in every period, for the conclusion."""
    return ", ".join(
        f"{percent(100 * row.tfp_share)} for {row.period.replace('-', '–')}" for row in r.baseline.itertuples()
    )
