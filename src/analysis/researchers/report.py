"""What the researchers chapter shows: values, tables, sentences and figures, from one call to :func:`report`.

Sentences that depend on the data are built by the small functions below (each tested); the
notebook only glues what :func:`report` returns. The 2030 target is the target tracker's row
(:func:`analysis.targets.tracker`), shown, never recomputed. :func:`target_table` and
:func:`target_sentence` show any tracker row and are used by the R&D chapter too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from analysis.claims.ledger import bands, load_claims, load_rules
from analysis.errors import InputError, available
from analysis.researchers import compute, figures
from analysis.style.format import years_span
from analysis.trends import rates, sparse

TARGET_CLAIM = "r57.researchers.2030"
PAPER_CLAIMS = {f"paper.researchers.{code.lower()}": code for code in ("VNM", "SGP", "MYS", "THA")}
UNIT = "per_10k_people"


# --- sentences ------------------------------------------------------------------------------------


def names_of(wdi: pd.DataFrame) -> dict[str, str]:
    """ISO3 code → the house's readable economy name (``VNM`` → ``Viet Nam``, ``KOR`` → ``Korea``)."""
    from analysis.style.format import names_table

    return dict(names_table(wdi.drop_duplicates("iso3")[["iso3", "country"]]))


def listing(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def page_line(name: str, peer_names: Sequence[str], last_year: int) -> str:
    """The readable line that replaces the parameters cell on the page."""
    return f"This page: {name}, compared with {listing(peer_names)}; WDI observations up to {last_year}."


def personnel_sentence(personnel: pd.DataFrame, name: str) -> str:
    """Researchers and technicians in the latest year both are observed (or why there is none)."""
    if personnel.empty:
        return f"WDI has no year in which both series are observed for {name}."
    last = personnel.iloc[-1]
    return (
        f"in {int(last['year'])}, {name} had {last[compute.RESEARCHERS_PER_10K]:.1f} researchers and "
        f"{last['technicians_per_10k']:.1f} technicians per 10,000 people, "
        f"{last['researchers_and_technicians_per_10k']:.1f} together."
    )


def largest_fall_sentence(jumps: pd.DataFrame, names: dict[str, str]) -> str:
    """The largest fall among the flagged breaks, or that there is none."""
    falls = jumps[jumps["ratio"] < 1]
    if falls.empty:
        return "none: no series falls by that factor"
    fall = falls.loc[falls["ratio"].idxmin()]
    return (
        f"{names.get(fall['country'], fall['country'])}: from {fall['from_value']:.1f} in {int(fall['from_year'])} "
        f"to {fall['to_value']:.1f} in {int(fall['to_year'])}, a ratio of {fall['ratio']:.2f}"
    )


def breaks_sentence(jumps: pd.DataFrame, country: str) -> str:
    """The breaks flagged in one country's series, as ``2002→2013 (×5.82 across 11 years)``, or ``no break``."""
    mine = jumps[jumps["country"] == country]
    if mine.empty:
        return "no break"
    return "; ".join(
        f"{int(j.from_year)}→{int(j.to_year)} (×{j.ratio:.2f} across {int(j.gap_years)} "
        f"year{'s' if j.gap_years > 1 else ''})"
        for j in mine.itertuples()
    )


def claim_sentence(row: pd.Series, name: str, digits: int = 1) -> str:
    """One claim at its basis with the search beside it: ``Singapore's 69.2 against 75.0 in 2020 …``."""
    owner = "the world" if name == "World" else name  # WDI's name for the WLD aggregate
    text = f"{owner}'s {row['claimed']:g} against {row['value']:.{digits}f} in {int(row['basis_used'])}"
    if int(row["search_year"]) == int(row["basis_used"]):
        return text + ", which is also the closest year"
    return text + f" (the closest year is {int(row['search_year'])}, at {row['search_value']:.{digits}f})"


def _number(value: float, digits: int) -> str:
    return "–" if not math.isfinite(value) else f"{value:,.{digits}f}"


def _reach(reach_year: float) -> str:
    if math.isnan(reach_year):
        return "–"
    return "never at this trend" if math.isinf(reach_year) else str(int(reach_year))


def target_table(row: pd.Series, unit: str, digits: int = 1) -> pd.DataFrame:
    """A target tracker row for the page: ``quantity, value`` as text (no ids)."""
    rows = [
        (f"latest observation ({unit})", f"{_number(row['latest_value'], digits)} ({int(row['latest_year'])})"),
        (f"target ({unit})", f"{row['target_value']:g} by {int(row['target_year'])}"),
        ("growth required from the latest observation (% a year)", _number(row["required_growth_pct"], 1)),
        (f"recent trend, {row['window']} (% a year)", _number(row["recent_growth_pct"], 1)),
        (f"value in {int(row['target_year'])} at the recent trend ({unit})", _number(row["projected_value"], digits)),
        ("year the target is reached at the recent trend", _reach(float(row["reach_year"]))),
        ("verdict of the target tracker", str(row["verdict"])),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value"])


def target_sentence(row: pd.Series, name: str, unit: str, digits: int = 1) -> str:
    """Where the latest observation stands against the target and where the tracker's recent trend leads."""
    start = f"{name} stood at {row['latest_value']:,.{digits}f}{unit} in {int(row['latest_year'])}"
    target = f"{row['target_value']:g}{unit}"
    if row["latest_value"] >= row["target_value"]:
        return f"{start}, already at or above the target of {target}."
    need = (
        f"{start}; to reach {target} by {int(row['target_year'])} it must grow {row['required_growth_pct']:.1f}% a year"
    )
    if not math.isfinite(row["recent_growth_pct"]):
        return f"{need}; its recent trend cannot be measured."
    trend = f"its recent trend ({row['window']}) is {row['recent_growth_pct']:.1f}% a year"
    reach = float(row["reach_year"])
    if math.isinf(reach):
        return f"{need}, but {trend}, a pace at which it never gets there."
    return f"{need}; {trend}, which leads to {_projected_text(row, unit, digits)} and {_reach_text(row, reach)}."


def _projected_text(row: pd.Series, unit: str, digits: int) -> str:
    """The value in the target year: the prediction interval first, the trend line's value inside it."""
    value = f"{row['projected_value']:,.{digits}f}{unit}"
    low, high = float(row.get("projected_low", math.nan)), float(row.get("projected_high", math.nan))
    year = int(row["target_year"])
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"{value} in {year}"
    level = f"{rates.PREDICTION_LEVEL:.0%}"
    return (
        f"{low:,.{digits}f}–{high:,.{digits}f}{unit} in {year} ({level} prediction interval; {value} on the trend line)"
    )


def _reach_text(row: pd.Series, reach: float) -> str:
    """When the target is reached: the years the growth interval gives first, the trend line's year inside."""
    early, late = float(row.get("reach_year_low", math.nan)), float(row.get("reach_year_high", math.nan))
    if not math.isfinite(early):
        return f"to the target in {int(reach)}"
    if not math.isfinite(late):
        return (
            f"to the target as early as {int(early)} or never within the growth interval "
            f"({int(reach)} on the trend line)"
        )
    return f"to the target between {int(early)} and {int(late)} ({int(reach)} on the trend line)"


def target_row(tracker: pd.DataFrame, claim_id: str) -> pd.Series:
    """The tracker's row for one target claim."""
    rows = tracker[tracker["claim_id"] == claim_id]
    if rows.empty:
        raise InputError(f"The target tracker has no row for {claim_id!r}. Rows: {available(tracker['claim_id'])}.")
    return rows.iloc[0]


def basis_table(claims: pd.DataFrame, names: dict[str, str], paper: str, band_digits: int) -> pd.DataFrame:
    """A WDI chapter's claims at their basis, with the search beside them (``paper`` heads the claimed values)."""
    bands = zip(claims["band_low"], claims["band_high"], strict=True)
    return pd.DataFrame(
        {
            "economy": [names.get(x, x) for x in claims["country"]],
            paper: claims["claimed"],
            "tolerance band": [f"{lo:.{band_digits}f}–{hi:.{band_digits}f}" for lo, hi in bands],
            "basis year": claims["basis_used"],
            "WDI at the basis": claims["value"],
            "passed over as a break (year)": claims["flagged_year"].astype("Int64"),
            "WDI in that year": claims["flagged_value"],
            "closest year (search)": claims["search_year"],
            "WDI in the closest year": claims["search_value"],
            "latest year": claims["latest_year"],
            "WDI latest": claims["latest_value"],
        }
    )


def basis_results(claims: pd.DataFrame, measure: str, unit: str, link_claims: bool) -> list[dict]:
    """The results rows of a WDI chapter's claims at their basis (``<measure>.at_basis.<iso3>``), the search beside."""
    return [
        {
            "result_id": f"{measure}.at_basis.{row.country.lower()}",
            "value": row.value,
            "unit": unit,
            "claim_id": row.claim_id if link_claims else "",
            "basis_used": str(row.basis_used),
            "basis_period": str(row.basis_used),
            "search_value": row.search_value,
            "search_basis": f"closest year {row.search_year}",
            "note": f"{row.country}, WDI {row.basis_used}: latest valid observation up to "
            f"{row.basis_year.removeprefix('<=')}"
            + (
                f"; {row.flagged_year} ({row.flagged_value:.4g}) passed over, a break by the chapter's rule"
                if pd.notna(row.flagged_year)
                else ""
            ),
        }
        for row in claims.itertuples()
    ]


def wdi_chapter_inputs(
    country: str, peers: Sequence[str], wdi: pd.DataFrame | None, tracker: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], list[str]]:
    """What a WDI chapter (researchers, R&D) starts from: the WDI table and the target tracker
    (loaded when not given), readable names, and the checked codes, ``country`` first."""
    from analysis.data import load

    wdi = load("wdi") if wdi is None else wdi
    if tracker is None:
        from analysis.targets import tracker as build_tracker

        tracker = build_tracker(country)
    return wdi, tracker, names_of(wdi), sparse.check_country_codes(wdi, [country, *peers])


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResearchersReport:
    """Everything the researchers chapter shows (see :func:`report`)."""

    country: str
    name: str
    page_line: str
    density: pd.DataFrame
    years_table: pd.DataFrame
    latest: pd.DataFrame
    latest_year: int
    latest_value: float
    observed_years: str
    observations: int
    personnel_sentence: str
    jumps: pd.DataFrame
    largest_fall_sentence: str
    breaks_sentence: str
    claims: pd.DataFrame
    claim_sentences: dict[str, str]
    target: pd.Series
    target_table: pd.DataFrame
    target_sentence: str
    headcount: pd.DataFrame
    figures: dict[str, plt.Figure] = field(repr=False)

    @property
    def basis_cap(self) -> str:
        """The last year the claims' basis allows (``<=2020`` → ``2020``), from the verdict rules."""
        return " and ".join(dict.fromkeys(str(b).removeprefix("<=") for b in self.claims["basis_year"]))

    def claims_table(self, names: dict[str, str]) -> pd.DataFrame:
        """The paper's four figures at their basis, with the search beside them, for the page."""
        return basis_table(self.claims, names, "paper", band_digits=2)

    def headcount_table(self) -> pd.DataFrame:
        """Head counts in thousands, population in millions."""
        h = self.headcount
        return pd.DataFrame(
            {
                "scenario": h["scenario"],
                "year": h["year"],
                "per 10,000 people": h[compute.RESEARCHERS_PER_10K],
                "population (million)": h["population"] / 1e6,
                "population projected": h["population_projected"].map({True: "yes", False: "no"}),
                "researchers (thousand)": h["researchers"] / 1e3,
            }
        )

    def records(self, link_claims: bool) -> list[dict]:
        """The results to record: each paper figure at its basis (linked to its claim in the run for the
        paper's country only, with the closest-year search beside it) and the head counts."""
        out = [
            {
                "result_id": f"researchers_per_10k.latest.{self.country.lower()}",
                "value": self.latest_value,
                "unit": UNIT,
                "note": f"{self.country}, {self.latest_year}",
            }
        ]
        out += basis_results(self.claims, "researchers_per_10k", UNIT, link_claims)
        for h in self.headcount.itertuples():
            key = {"latest observation": "latest", "target": "at_target", "recent trend": "at_trend"}[h.scenario]
            out.append(
                {
                    "result_id": f"researchers.{key}",
                    "value": h.researchers,
                    "unit": "people_fte",
                    "note": f"{self.country}, {h.year}" + (", projected population" if h.population_projected else ""),
                }
            )
        return out


def report(
    country: str = "VNM",
    peers: Sequence[str] = ("SGP", "MYS", "THA"),
    jump_factor: float = sparse.DEFAULT_JUMP_FACTOR,
    population_growth_years: int = 10,
    *,
    wdi: pd.DataFrame | None = None,
    tracker: pd.DataFrame | None = None,
) -> ResearchersReport:
    """The researchers chapter for ``country`` against ``peers`` (``wdi`` and ``tracker`` load by default)."""
    wdi, tracker, names, codes = wdi_chapter_inputs(country, peers, wdi, tracker)
    country = codes[0]
    density = compute.researcher_density(wdi, codes)
    years_table = sparse.observed_years(density)
    latest = sparse.latest_observations(density, compute.RESEARCHERS_PER_10K)
    focus = latest.set_index("country").loc[country]
    jumps = sparse.jumps_table(density, compute.RESEARCHERS_PER_10K, jump_factor)

    claims = load_claims()
    paper = compute.researcher_density(wdi, list(PAPER_CLAIMS.values()))
    at_basis = compute.claims_at_basis(
        paper, compute.RESEARCHERS_PER_10K, PAPER_CLAIMS, claims, load_rules(claims), bands(claims)
    )
    row = target_row(tracker, TARGET_CLAIM)
    heads = compute.headcount_table(
        wdi,
        country,
        [
            ("latest observation", row["latest_year"], row["latest_value"]),
            ("target", row["target_year"], row["target_value"]),
            ("recent trend", row["target_year"], row["projected_value"]),
        ],
        population_growth_years,
    )
    name = names.get(country, country)
    series = sparse.series_of(density, country, compute.RESEARCHERS_PER_10K)
    annotate = [(j.country, j.to_year) for j in jumps.itertuples() if j.country == country]
    falls = jumps[jumps["ratio"] < 1]
    if not falls.empty:
        fall = falls.loc[falls["ratio"].idxmin()]
        annotate.append((fall["country"], fall["to_year"]))
    figs = {
        "density": figures.plot_observed(
            density,
            compute.RESEARCHERS_PER_10K,
            country,
            ylabel="researchers per 10,000 people (log scale)",
            title="Researchers in R&D per 10,000 people",
            jump_factor=jump_factor,
            annotate=annotate,
            logy=True,
        ),
        "claims": figures.plot_claims_at_basis(
            paper, compute.RESEARCHERS_PER_10K, at_basis, names, ylabel="per 10,000 people"
        ),
        "target": figures.plot_target_row(
            series,
            row,
            country,
            name,
            ylabel="researchers per 10,000 people",
            title=f"{name}: researchers per 10,000 people against the {int(row['target_year'])} target",
        ),
    }
    return ResearchersReport(
        country=country,
        name=name,
        page_line=page_line(name, [names.get(p, p) for p in codes[1:]], int(density["year"].max())),
        density=density,
        years_table=years_table,
        latest=latest,
        latest_year=int(focus["year"]),
        latest_value=float(focus[compute.RESEARCHERS_PER_10K]),
        observed_years=years_span(series.index),
        observations=len(series),
        personnel_sentence=personnel_sentence(compute.rd_personnel(wdi, country), name),
        jumps=jumps,
        largest_fall_sentence=largest_fall_sentence(jumps, names),
        breaks_sentence=breaks_sentence(jumps, country),
        claims=at_basis,
        claim_sentences={
            r.country: claim_sentence(pd.Series(r._asdict()), names.get(r.country, r.country), 1)
            for r in at_basis.itertuples()
        },
        target=row,
        target_table=target_table(row, "per 10,000 people"),
        target_sentence=target_sentence(row, name, " per 10,000 people"),
        headcount=heads,
        figures=figs,
    )
