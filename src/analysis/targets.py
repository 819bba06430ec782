"""The 2030 targets against the open data: where each stands and whether the recent pace reaches it.

The targets are the claims of kind ``target`` dated 2030 in ``data/raw/paper_claims.csv``
(Resolution 57 and the Ministry of Industry and Trade's strategy). :data:`MEASURES` says
which WDI series measures a target, how to convert it to the claim's unit, whether the
target is a *level* to reach or a *growth* rate to sustain, and how close the series is to
the target's concept. The TFP-share target is read from the growth chapter's results.
Every other target is listed as ``cannot-be-measured`` with the reason from
:data:`NO_OPEN_DATA` (or a generic one), never dropped.

The arithmetic (rates as fractions per year, computed with :mod:`analysis.trends`):

* required growth of a level target ``T`` in year ``Y`` from the latest value ``v`` in year
  ``t``: ``(T / v) ** (1 / (Y - t)) - 1``; for a growth target it is the target rate itself;
* historical growth over an ``n``-year window: compound growth from the earliest
  observation in ``[t - n, t)`` to the latest (gaps are not filled; the start year is shown);
* verdict: ``on-track`` when the latest value already meets a level target, or when growth
  over the short window (default five years) is at least the required growth; ``off-track``
  otherwise; ``cannot-be-measured`` when there is no series or too few observations;
* concept: ``same`` keeps that verdict; ``upper-bound`` (the series can only overstate the
  target's quantity) keeps ``off-track`` but turns ``on-track`` into ``cannot-be-measured``;
  ``proxy`` (a different scope) always gives ``cannot-be-measured``, the figures being shown
  for context only.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import trends
from analysis.book import plots
from analysis.book.display import fmt
from analysis.book.results import ResultsRecorder
from analysis.errors import InputError, available


@dataclass(frozen=True)
class Measure:
    """How one target is measured with a WDI series."""

    column: str  # WDI column in the processed panel
    scale: float  # WDI value × scale = value in the claim's unit
    kind: str  # "level": reach at least the target; "growth": grow at least the target % a year
    concept: str  # "same", "upper-bound" or "proxy" (see the module docstring)
    label: str  # short name for tables and charts
    note: str  # what the series is and how it differs from the target's wording


KINDS = ("level", "growth")
CONCEPTS = ("same", "upper-bound", "proxy")

_PATENTS_NOTE = (
    "Resident patent applications (WIPO via WDI): domestic inventive activity. The resolution does "
    "not say resident or all applications; the chapter also shows all applications."
)

MEASURES: dict[str, Measure] = {
    "r57.rd_pct_gdp.2030": Measure(
        "rd_expenditure_pct_gdp",
        1.0,
        "level",
        "same",
        "R&D spending (% of GDP)",
        "Gross domestic expenditure on R&D as % of GDP (UNESCO UIS via WDI): the target's concept.",
    ),
    "r57.researchers.2030": Measure(
        "researchers_per_million",
        0.01,
        "level",
        "same",
        "Researchers per 10,000 people",
        "Researchers in R&D per million people (full-time equivalent, UIS via WDI) ÷ 100; the resolution "
        "says 'STI human resources', which the paper itself measures with researchers per 10,000.",
    ),
    "r57.high_tech_exports.2030": Measure(
        "high_tech_exports_pct_manuf_exports",
        1.0,
        "level",
        "upper-bound",
        "High-tech exports (% of exports)",
        "WDI's share is of manufactured exports, the target's of total export value; high-tech products are "
        "manufactures, so on WDI's product list the share of total exports is lower. Viet Nam's own list of "
        "high-tech products differs from WDI's.",
    ),
    "r57.publications_growth.2030": Measure(
        "journal_articles",
        1.0,
        "growth",
        "same",
        "Scientific articles (growth)",
        "Scientific and technical journal articles (NSF, Scopus-based, fractional counts, via WDI).",
    ),
    "r57.patents_growth.2030.low": Measure(
        "patent_applications_residents", 1.0, "growth", "same", "Patent applications (growth, low)", _PATENTS_NOTE
    ),
    "r57.patents_growth.2030.high": Measure(
        "patent_applications_residents", 1.0, "growth", "same", "Patent applications (growth, high)", _PATENTS_NOTE
    ),
    "moit.labour_productivity_growth.2030": Measure(
        "gdp_per_worker_ppp_2021usd",
        1.0,
        "growth",
        "proxy",
        "Labour productivity (growth)",
        "The strategy's target is for the industry and trade sector; WDI has economy-wide GDP per person "
        "employed (constant 2021 PPP $), shown for context.",
    ),
}

TFP_CLAIM = "r57.tfp_share.2030"
TFP_LABEL = "TFP share of GDP growth"

# Claims whose headline result another chapter records (one result per claim_id in the book):
# the tracker records its own verdicts for these without the claim_id.
RECORDED_ELSEWHERE = frozenset(
    {
        "r57.tfp_share.2030",
        "r57.researchers.2030",
        "r57.rd_pct_gdp.2030",
        "r57.rd_private_share.2030",
        "r57.budget_sti_share.2030",
        "r57.budget_strategic_share.2030",
    }
)

_RANKING = "A ranking by an outside body; no ranking data among this compendium's sources."
_NO_SERIES = "No open, internationally comparable series among this compendium's sources."
# Targets without an open series: a short label and the reason.
NO_OPEN_DATA: dict[str, tuple[str, str]] = {
    "moit.industry_value_added_growth.2030": (
        "Industrial value added (growth)",
        "Industrial value-added growth is not among the WDI series this compendium fetches.",
    ),
    "moit.public_sti_orgs_reduction.2030": (
        "Public STI organisations (reduction)",
        "The number of public STI organisations is national administrative data.",
    ),
    "r57.digital_competitiveness.sea_rank.2030": ("Digital competitiveness (ASEAN rank)", _RANKING),
    "r57.digital_competitiveness.world_rank.2030": ("Digital competitiveness (world rank)", _RANKING),
    "r57.egov_index.sea_rank.2030": ("E-Government index (ASEAN rank)", _RANKING),
    "r57.egov_index.world_rank.2030": ("E-Government index (world rank)", _RANKING),
    "r57.ai_research.sea_rank.2030": ("AI research (ASEAN rank)", _RANKING),
    "r57.digital_tech_enterprises.2030": (
        "Digital technology firms on par with advanced countries",
        "'On par with advanced countries' has no statistical definition.",
    ),
    "r57.digital_economy_pct_gdp.2030": ("Digital economy (% of GDP)", "A national estimate. " + _NO_SERIES),
    "r57.online_public_services.2030": (
        "Online public services use (%)",
        "National administrative data. " + _NO_SERIES,
    ),
    "r57.cashless_transactions.2030": ("Cashless transactions (%)", "Not among this compendium's WDI series."),
    "r57.innovating_enterprises.2030": (
        "Innovating enterprises (%)",
        "Needs an enterprise innovation survey. " + _NO_SERIES,
    ),
    "r57.hdi.2030": (
        "Human Development Index",
        "UNDP's Human Development Index is not among this compendium's sources.",
    ),
    "r57.rd_private_share.2030": (
        "Private share of R&D spending (%)",
        "R&D by source of funds (UNESCO UIS) is not among this compendium's WDI series.",
    ),
    "r57.budget_sti_share.2030": ("STI share of the state budget (%)", "National fiscal data. " + _NO_SERIES),
    "r57.budget_strategic_share.2030": (
        "Strategic-technology share of the S&T budget (%)",
        "National fiscal data. " + _NO_SERIES,
    ),
    "r57.st_orgs_ranked.2030.low": ("S&T organisations ranked (low)", _RANKING),
    "r57.st_orgs_ranked.2030.high": ("S&T organisations ranked (high)", _RANKING),
    "r57.patent_commercialization.2030.low": ("Patent commercialisation rate (low)", _NO_SERIES),
    "r57.patent_commercialization.2030.high": ("Patent commercialisation rate (high)", _NO_SERIES),
    "r57.global_tech_firms_attracted.2030": ("Global technology firms attracted", _NO_SERIES),
    "r57.gov.strategic_tech_projects.2030": ("Strategic-technology projects", _NO_SERIES),
}

# How each claim unit reads after a target value in tables ("2 % of GDP").
UNIT_TEXT: dict[str, str] = {
    "percent": "%",
    "percent_per_year": "% a year",
    "percent_of_gdp": "% of GDP",
    "percent_of_budget": "% of the state budget",
    "percent_of_st_budget": "% of the S&T budget",
    "per_10k_people": "per 10,000 people",
    "rank": "(rank)",
    "count": "",
    "index": "(index)",
}


def target_text(value: float, unit: str) -> str:
    """A target as read in a table: ``target_text(2, "percent_of_gdp")`` → ``"2% of GDP"``."""
    text = UNIT_TEXT.get(unit, unit.replace("_", " "))
    joiner = "" if text.startswith("%") else " "
    return f"{value:g}{joiner}{text}".strip()


TRACKER_COLUMNS = [
    "claim_id",
    "label",
    "kind",
    "concept",
    "target",
    "unit",
    "latest_value",
    "latest_year",
    "current",
    "required_pct",
    "growth_short_pct",
    "short_from",
    "growth_long_pct",
    "long_from",
    "verdict",
    "note",
]


def targets_for_year(claims: pd.DataFrame, target_year: int) -> pd.DataFrame:
    """Claims of kind ``target`` for ``target_year``: dated that year, or undated with the year in their id."""
    dated = claims["year_or_period"].astype(str) == str(target_year)
    named = claims["year_or_period"].astype(str).eq("") & claims["claim_id"].str.contains(
        f".{target_year}", regex=False
    )
    selected = claims[(claims["kind"] == "target") & (dated | named)]
    if selected.empty:
        years = sorted({y for y in claims.loc[claims["kind"] == "target", "year_or_period"] if str(y).isdigit()})
        raise InputError(f"No targets for {target_year} in the claims table. Target years: {available(years)}.")
    return selected.reset_index(drop=True)


def indicator_series(wdi: pd.DataFrame, country: str, column: str, scale: float = 1.0) -> pd.Series:
    """One country's WDI series in the claim's unit, indexed by year, observed years only."""
    if column not in wdi.columns:
        raise InputError(
            f"Unknown WDI column {column!r}. Available: {available(c for c in wdi.columns if c not in ('iso3', 'country', 'year'))}."
        )
    if country not in set(wdi["iso3"]):
        raise InputError(f"Unknown country code {country!r}. Available: {available(wdi['iso3'].unique())}.")
    rows = wdi[(wdi["iso3"] == country) & wdi[column].notna()]
    return pd.Series(
        rows[column].to_numpy(dtype=float) * scale, index=rows["year"].astype(int).to_numpy(), name=column
    ).sort_index()


def window_growth(series: pd.Series, window: int) -> tuple[float, int | None]:
    """Compound annual growth from the earliest observation in the ``window`` years before the
    latest one, to the latest: ``(rate, start_year)``; ``(nan, None)`` with no earlier observation.

    Only positive observations count (a growth rate from zero is undefined).
    """
    if window < 1:
        raise InputError(f"The window must be at least one year; got {window}.")
    clean = series.dropna()
    clean = clean[clean > 0]
    if clean.empty:
        return math.nan, None
    latest_year = int(clean.index.max())
    earlier = clean[(clean.index >= latest_year - window) & (clean.index < latest_year)]
    if earlier.empty:
        return math.nan, None
    start_year = int(earlier.index.min())
    return trends.cagr(float(clean[start_year]), float(clean[latest_year]), latest_year - start_year), start_year


def assess(
    series: pd.Series, kind: str, target: float, target_year: int, short_window: int = 5, long_window: int = 10
) -> dict:
    """Latest value, required and historical growth, and whether the short-window pace is enough.

    ``target`` is in the series' unit for a level target and in percent per year for a growth
    target. Rates in the result are in percent per year; ``on_track`` is None when the series
    has too few observations to judge.
    """
    if kind not in KINDS:
        raise InputError(f"Unknown kind of target {kind!r}. Allowed: {available(KINDS)}.")
    clean = series.dropna()
    clean = clean[clean > 0]
    short, short_from = window_growth(clean, short_window)
    long, long_from = window_growth(clean, long_window)
    out = {
        "latest_value": math.nan,
        "latest_year": None,
        "required_pct": math.nan,
        "growth_short_pct": 100 * short,
        "short_from": short_from,
        "growth_long_pct": 100 * long,
        "long_from": long_from,
        "on_track": None,
    }
    if clean.empty:
        return out
    latest_year = int(clean.index.max())
    latest = float(clean[latest_year])
    out.update(latest_value=latest, latest_year=latest_year)
    required = target / 100.0 if kind == "growth" else trends.required_cagr(latest, latest_year, target, target_year)
    out["required_pct"] = 100 * required
    if kind == "level" and latest >= target:
        out["on_track"] = True
    elif not math.isnan(short):
        out["on_track"] = bool(short >= required)
    return out


def verdict_for(on_track: bool | None, concept: str) -> str:
    """The verdict from the pace (:func:`assess`) and how well the series fits the target's concept."""
    if concept not in CONCEPTS:
        raise InputError(f"Unknown concept {concept!r}. Allowed: {available(CONCEPTS)}.")
    if on_track is None or concept == "proxy":
        return "cannot-be-measured"
    if concept == "upper-bound":
        return "cannot-be-measured" if on_track else "off-track"
    return "on-track" if on_track else "off-track"


def _run_country(parameters: str) -> str:
    """The country a results row was computed for (runs without the parameter are Viet Nam's)."""
    try:
        values = json.loads(parameters) if parameters else {}
    except (TypeError, json.JSONDecodeError):
        values = {}
    return str(values.get("country", "VNM")) if isinstance(values, dict) else "VNM"


def tfp_share_from_results(results: pd.DataFrame, country: str) -> tuple[float, str] | None:
    """The latest TFP share of growth (percent) the growth chapter recorded for ``country``.

    The growth chapter records it with ``claim_id = r57.tfp_share.2030`` for Viet Nam; a run
    for another country is found under the same ``result_id`` (or that id with Viet Nam's code
    replaced by the country's, e.g. ``target.tfp_share_latest.THA``) without the claim id.
    Failing both, a single result id starting with ``tfp_share`` for the country is used.
    Returns ``(value, description)`` or None when there is no such result, or more than one.
    """
    if results is None or results.empty:
        return None
    claimed = results[results["claim_id"] == TFP_CLAIM]
    ids = set(claimed["result_id"])
    for result_id, parameters in zip(claimed["result_id"], claimed["parameters"].astype(str), strict=True):
        ids.add(str(result_id).replace(_run_country(parameters), country))
    candidates = results[results["result_id"].isin(ids) | results["result_id"].astype(str).str.startswith("tfp_share")]
    candidates = candidates[candidates["parameters"].astype(str).map(_run_country) == country]
    preferred = candidates[candidates["result_id"].isin(ids)]
    chosen = preferred if not preferred.empty else candidates
    if len(chosen) != 1 or not np.isfinite(float(chosen["value"].iloc[0])):
        return None
    row = chosen.iloc[0]
    note = f": {row['note']}" if str(row["note"]) else ""
    return float(row["value"]), f"Growth chapter ({row['notebook']}), result {row['result_id']}{note}"


def track_targets(
    claims: pd.DataFrame,
    wdi: pd.DataFrame,
    country: str,
    target_year: int = 2030,
    results: pd.DataFrame | None = None,
    short_window: int = 5,
    long_window: int = 10,
) -> pd.DataFrame:
    """One row per target of ``target_year`` (:data:`TRACKER_COLUMNS`), measured for ``country``.

    ``current`` is where the country stands in the claim's unit: the latest value for a level
    target, the short-window growth (percent per year) for a growth target, the latest
    TFP share for the TFP target, NaN when the target cannot be measured. ``results`` are the
    book's results tables (:func:`analysis.results.read_all`), for the TFP share.
    """
    if country not in set(wdi["iso3"]):
        raise InputError(f"Unknown country code {country!r}. Available: {available(wdi['iso3'].unique())}.")
    rows = []
    for claim in targets_for_year(claims, target_year).itertuples():
        row = {
            "claim_id": claim.claim_id,
            "target": float(claim.value),
            "unit": claim.unit,
            "label": claim.claim_id,
            "kind": "",
            "concept": "",
            "latest_value": math.nan,
            "latest_year": None,
            "current": math.nan,
            "required_pct": math.nan,
            "growth_short_pct": math.nan,
            "short_from": None,
            "growth_long_pct": math.nan,
            "long_from": None,
            "verdict": "cannot-be-measured",
        }
        measure = MEASURES.get(claim.claim_id)
        if measure is not None:
            series = indicator_series(wdi, country, measure.column, measure.scale)
            status = assess(series, measure.kind, float(claim.value), target_year, short_window, long_window)
            on_track = status.pop("on_track")
            row.update(status, label=measure.label, kind=measure.kind, concept=measure.concept, note=measure.note)
            row["current"] = status["growth_short_pct"] if measure.kind == "growth" else status["latest_value"]
            row["verdict"] = verdict_for(on_track, measure.concept)
            if on_track is None:
                row["note"] = f"Too few observations for {country} (WDI {measure.column}). " + measure.note
        elif claim.claim_id == TFP_CLAIM:
            row.update(label=TFP_LABEL, kind="level", concept="same")
            found = tfp_share_from_results(results, country)
            if found is None:
                row["note"] = (
                    "Cannot be measured yet: the growth chapter has not recorded a TFP share for this country."
                )
            else:
                share, source = found
                # A share of growth does not compound: compare the latest period's share with the
                # threshold, which the resolution sets as "above" 55%.
                row.update(latest_value=share, current=share, note=source)
                row["verdict"] = "on-track" if share > float(claim.value) else "off-track"
        else:
            row["label"], row["note"] = NO_OPEN_DATA.get(claim.claim_id, (claim.claim_id, _NO_SERIES))
        rows.append(row)
    table = pd.DataFrame(rows, columns=TRACKER_COLUMNS)
    for column in ("latest_year", "short_from", "long_from"):
        table[column] = table[column].astype("Int64")
    return table


def level_outlook(table: pd.DataFrame, target_year: int) -> pd.DataFrame:
    """For the measured level targets: the value in ``target_year`` if the short-window growth
    continued, and the year that pace would reach the target (inf: never)."""
    rows = []
    for row in table[(table["kind"] == "level") & table["growth_short_pct"].notna()].itertuples():
        growth = row.growth_short_pct / 100
        rows.append(
            {
                "claim_id": row.claim_id,
                "label": row.label,
                "latest_value": row.latest_value,
                "latest_year": row.latest_year,
                "target": row.target,
                "projected": trends.value_at(row.latest_value, int(row.latest_year), growth, target_year),
                "year_reaching": trends.year_reaching(row.latest_value, int(row.latest_year), row.target, growth),
            }
        )
    return pd.DataFrame(
        rows, columns=["claim_id", "label", "latest_value", "latest_year", "target", "projected", "year_reaching"]
    )


def record_verdicts(recorder: ResultsRecorder, table: pd.DataFrame, with_claim_ids: bool) -> None:
    """Record each target's verdict as ``target.<claim_id>``, in the claim's unit.

    The claim id is attached only when ``with_claim_ids`` (the run for the targets' own
    country) and the claim is not in :data:`RECORDED_ELSEWHERE`.
    """
    for row in table.itertuples():
        claim_id = row.claim_id if with_claim_ids and row.claim_id not in RECORDED_ELSEWHERE else ""
        pace = ""
        if not math.isnan(row.required_pct) and not math.isnan(row.growth_short_pct):
            pace = (
                f"Required {row.required_pct:.1f}% a year from {row.latest_year}; "
                f"achieved {row.growth_short_pct:.1f}% a year {row.short_from}-{row.latest_year}. "
            )
        recorder.record(
            f"target.{row.claim_id}",
            row.current,
            row.unit,
            claim_id=claim_id,
            verdict=row.verdict,
            note=pace + row.note,
        )


def verdict_matrix(
    claims: pd.DataFrame,
    wdi: pd.DataFrame,
    countries: list[str],
    target_year: int = 2030,
    results: pd.DataFrame | None = None,
    short_window: int = 5,
    long_window: int = 10,
) -> pd.DataFrame:
    """The measured targets (rows) for several countries (columns): "current value · verdict"."""
    if not countries:
        raise InputError("Give at least one country.")
    columns = {}
    for country in countries:
        table = track_targets(claims, wdi, country, target_year, results, short_window, long_window)
        measured = table[table["kind"] != ""].set_index("label")
        columns[country] = [
            f"{fmt(v, 2)} · {verdict}" for v, verdict in zip(measured["current"], measured["verdict"], strict=True)
        ]
        index = measured.index
    return pd.DataFrame(columns, index=index).rename_axis("target")


def plot_required_vs_historical(
    table: pd.DataFrame, country: str, country_name: str, target_year: int, short_window: int, long_window: int
) -> plt.Figure:
    """Dot plot: required growth (or target rate) against historical growth, per measured target."""
    colour = plots.country_colour(country)
    shown = table[table["kind"].ne("") & table["required_pct"].notna()].iloc[::-1]
    fig, ax = plt.subplots(figsize=(10.0, 0.55 * len(shown) + 2.0))
    y = np.arange(len(shown))
    ax.hlines(
        y,
        shown[["required_pct", "growth_short_pct"]].min(axis=1),
        shown[["required_pct", "growth_short_pct"]].max(axis=1),
        color="#cccccc",
        linewidth=3,
        zorder=1,
    )
    ax.scatter(shown["required_pct"], y, marker="D", s=60, color="black", label="Required (or target) growth", zorder=3)
    ax.scatter(shown["growth_short_pct"], y, s=60, color=colour, label=f"Last {short_window} years", zorder=3)
    ax.scatter(
        shown["growth_long_pct"],
        y,
        s=60,
        facecolors="white",
        edgecolors=colour,
        linewidths=1.5,
        label=f"Last {long_window} years",
        zorder=3,
    )
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.set_yticks(y, [f"{label} [{verdict}]" for label, verdict in zip(shown["label"], shown["verdict"], strict=True)])
    ax.set_xlabel("Annual growth, % per year")
    ax.set_title(f"{country_name}: growth needed for the {target_year} targets vs growth achieved", pad=30)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=8, frameon=False)
    fig.tight_layout()
    plots.add_source(
        fig, "Source: World Development Indicators (World Bank); targets from Resolution 57 and the MOIT strategy."
    )
    return fig
