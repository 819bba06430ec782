"""What the technology-gap chapter shows: values, reader tables, figures, and what it records.

:func:`report` computes everything once; the notebook glues ``report.text`` (glue key → text),
places ``report.tables`` and ``report.figures`` (glue key → object) and calls :func:`record`.
Data-dependent sentences are built by the small functions of :mod:`.text` and here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from analysis.claims.ledger import load_claims
from analysis.style import format as f
from analysis.style import plots
from analysis.style.display import Text, sentence
from analysis.trends.rates import PREDICTION_LEVEL

from . import figures
from .compute import (
    LESS_THAN,
    MORE_THAN,
    NO_DATA,
    NOT_CENSORED,
    forward_table,
    gap_table,
    generation_range,
    percentile_rank,
    structure_snapshot,
    with_generations,
)
from .generation import PAPER_YEAR, VINTAGE_CLAIM, ImpliedGeneration, decade_in, implied_generation, relation
from .indicators import CHAPTER_INDICATORS, get_indicator, indicator_table
from .panels import MEDIAN, WORLD, WORLD_PANEL_START, Panels, median_panel, world_panel_coverage
from .tables import (
    GDP_IDS,
    forward_reader_table,
    gdp_table,
    generation_length_table,
    generations_table,
    name,
    unmeasured_table,
)
from .text import (
    claim_reading,
    cli_commands,
    conclusion_comparison,
    conclusion_structure,
    describe_years,
    finding_implied,
    finding_paradox,
    finding_scope,
    format_distance,
    format_generation_range,
    relation_words,
    structure_detail,
    structure_lead,
)

NOTEBOOK = "05_gap"
LINKED_COUNTRY = "VNM"  # the paper's claims are about Viet Nam: only its run links results to claims
HEADLINE = (WORLD, "pwt_gdp_per_worker")  # the proxy: PWT GDP per person employed against the world
PROXY_CLAIMS = ("paper.technology.generations_behind.low", "paper.technology.generations_behind.high")
PARADOX_IDS = (
    "TX.VAL.TECH.MF.ZS",
    "resident_patents_per_million",
    "GB.XPD.RSDV.GD.ZS",
    "ip_receipts_pct_gdp",
    "NV.MNF.TECH.ZS.UN",
)
SNAPSHOT_WINDOW = 5  # years: each economy's latest observation in the indicator's last five years
SNAPSHOT_MIN_POPULATION = 1e6  # a single plant can dominate a smaller economy's exports
SOURCE_LINE = "Source: World Development Indicators; Penn World Table 11.0."
# The structure paradox: the high-tech export share "is not matched" by domestic invention when its
# percentile rank exceeds both the resident-patent and the R&D rank by at least this many points.
MISMATCH_POINTS = 25.0
LEADER_RANK = 75.0  # a "technology leader" on the export share: above three quarters of economies


def links_claims(country: str) -> bool:
    """Whether a run for ``country`` records results against the paper's claims (only Viet Nam's does)."""
    return country.strip().upper() == LINKED_COUNTRY


@dataclass(frozen=True)
class Proxy:
    """The economy-wide proxy for the paper's firm-level "2–3 generations": years behind the world / generation."""

    year: int
    years_behind: float
    censored: str
    generation_years: float
    generations: float
    band: tuple[float, float]  # generations over the band of generation lengths (open-ended if censored)

    @property
    def basis(self) -> str:
        """What the proxy is, for the ledger's ``basis_used``."""
        bound = {MORE_THAN: " (a lower bound)", LESS_THAN: " (an upper bound)"}.get(self.censored, "")
        return (
            f"Proxy: time distance of GDP per person employed (PWT rgdpo/emp, {self.year}) to the world "
            f"(balanced panel since {WORLD_PANEL_START}), {f.number(self.years_behind, 1)} years{bound}, "
            f"at {f.number(self.generation_years, 0)} years a generation"
        )


@dataclass(frozen=True)
class Reading:
    """The headline proxy read at one generation length or range of lengths, against the paper's range."""

    basis: str  # what the lengths are: the declared default, the declared band, implied by the paper
    lengths: tuple[float, float]  # shortest, longest generation (equal for a single length)
    generations: tuple[float, float]  # fewest, most generations behind (open-ended if censored)
    relation: str  # within, overlaps, below or above the paper's range (:func:`.generation.relation`)


def reading(proxy: Proxy, basis: str, lengths: Sequence[float], claimed: Sequence[float]) -> Reading:
    """:class:`Reading` of ``proxy`` at generation ``lengths`` (shortest, longest)."""
    lengths = (float(min(lengths)), float(max(lengths)))
    low, high = generation_range(proxy.years_behind, lengths, proxy.censored)
    return Reading(basis, lengths, (low, high), relation((low, high), claimed))


@dataclass
class GapReport:
    """Everything the chapter shows for one country."""

    country: str
    references: list[str]
    gaps: pd.DataFrame
    generation_rows: pd.DataFrame
    forward: pd.DataFrame
    snapshot: pd.DataFrame
    proxy: Proxy
    counts: dict[str, int]
    ranks: dict[str, float]
    rho: float
    implied: ImpliedGeneration | None = None  # the generation length the paper's own statements imply
    # the proxy at the default length, the band and the implied lengths: "own" (this economy), "paper" (Viet Nam)
    readings: dict[str, list[Reading]] = field(default_factory=dict)
    paper_proxy: Proxy | None = None  # Viet Nam's proxy: the paper's claims are about Viet Nam
    claimed: tuple[float, float] = (math.nan, math.nan)  # the paper's range of generations
    median_panel: dict[str, tuple[int, int]] = field(default_factory=dict)  # source → (start year, economies)
    text: dict[str, str | Text] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, plt.Figure] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Small, tested pieces


def cell_counts(gaps: pd.DataFrame) -> dict[str, int]:
    """How many comparisons have data, are censored from above (more-than), and have the country ahead."""
    with_data = gaps[gaps["censored"] != NO_DATA]
    years = with_data["years_behind"].astype(float)
    ahead = ((with_data["censored"] == NOT_CENSORED) & (years < 0)) | (
        (with_data["censored"] == LESS_THAN) & (years <= 0)
    )
    return {
        "total": len(gaps),
        "with_data": len(with_data),
        "more_than": int((with_data["censored"] == MORE_THAN).sum()),
        "ahead": int(ahead.sum()),
    }


def ahead_indicators(gaps: pd.DataFrame) -> list[str]:
    """Short names of the indicators on which the country is ahead of at least one reference."""
    with_data = gaps[gaps["censored"] != NO_DATA]
    years = with_data["years_behind"].astype(float)
    ahead = ((with_data["censored"] == NOT_CENSORED) & (years < 0)) | (
        (with_data["censored"] == LESS_THAN) & (years <= 0)
    )
    return list(dict.fromkeys(get_indicator(i).short for i in with_data.loc[ahead, "indicator"]))


def proxy_from(rows: pd.DataFrame, generation_years: float) -> Proxy:
    """The headline proxy row (PWT GDP per worker against the world) of :func:`with_generations` output."""
    row = rows.set_index(["reference", "indicator"]).loc[HEADLINE]
    return Proxy(
        year=int(row["year"]),
        years_behind=float(row["years_behind"]),
        censored=str(row["censored"]),
        generation_years=float(generation_years),
        generations=float(row["generations"]),
        band=(float(row["generations_low"]), float(row["generations_high"])),
    )


def structure_matched(ranks: Mapping[str, float], points: float = MISMATCH_POINTS) -> bool | None:
    """Whether the high-tech export rank is matched by the patent and R&D ranks (None: a rank is missing).

    Not matched when the export rank exceeds *both* the others by at least ``points`` percentile points.
    """
    if any(math.isnan(ranks[key]) for key in ("ht", "patents", "rd")):
        return None
    return not ranks["ht"] - max(ranks["patents"], ranks["rd"]) >= points


def paper_generation(claims: pd.DataFrame) -> ImpliedGeneration:
    """The generation length implied by the paper's decade of imported equipment and its 2–3 generations."""
    claims = claims.set_index("claim_id")
    claimed = [float(claims.loc[c, "value"]) for c in PROXY_CLAIMS]
    return implied_generation(PAPER_YEAR, decade_in(str(claims.loc[VINTAGE_CLAIM, "quote"])), claimed)


def gdp_sentence(part: pd.DataFrame, names: Mapping[str, str]) -> str:
    """``"Korea: more than 32 years behind; the world: 9.5 years behind"``."""
    return "; ".join(
        f"{name(r.reference, names)}: {describe_years(r.years_behind, r.censored, 1)}" for r in part.itertuples()
    )


def this_page(country: str, references: Sequence[str], year: int | None, generation_years: float, band, names) -> str:
    """The readable line that replaces the parameters cell."""
    when = f"year {f.year(year)}" if year is not None else "each indicator's latest year"
    return (
        f"This page: {name(country, names)}, compared with {f.join(name(r, names) for r in references)}; "
        f"{when}; generations of {f.quantity(generation_years, 'year')} (band {f.year_range(min(band), max(band))} "
        "years)."
    )


# ---------------------------------------------------------------------------------------------
# The report


def report(
    country: str,
    references: Sequence[str],
    year: int | None = None,
    generation_years: float = 10.0,
    generation_band: Sequence[float] = (7.0, 15.0),
    trend_window: int = 10,
    panels: Panels | None = None,
) -> GapReport:
    """Compute everything the chapter shows for ``country`` against ``references``."""
    panels = panels or Panels()
    country = panels.check_code(country)
    peers = [r for r in references if r.strip().upper() != country]  # a country is not its own reference
    names = f.names_table(panels.table("countries"))
    band = (float(min(generation_band)), float(max(generation_band)))
    indicator_ids = [i.id for i in CHAPTER_INDICATORS]

    gaps = gap_table(country, peers, indicator_ids, year, panels)
    headline_refs = list(dict.fromkeys([*peers, WORLD, MEDIAN]))
    order = {r: i for i, r in enumerate(headline_refs + list(GDP_IDS))}
    rows = with_generations(gap_table(country, headline_refs, list(GDP_IDS), year, panels), generation_years, band)
    rows = rows.sort_values(["reference", "indicator"], key=lambda s: s.map(order)).reset_index(drop=True)
    rows["label"] = [
        f"{name(r.reference, names)} ({get_indicator(r.indicator).source.upper()})" for r in rows.itertuples()
    ]
    proxy = proxy_from(rows, generation_years)
    claims = load_claims()
    implied = paper_generation(claims)
    claimed = implied.generations
    if links_claims(country):
        paper_proxy = proxy
    else:  # the paper's claims are Viet Nam's: its proxy on the same measure, for comparison
        vnm = with_generations(gap_table(LINKED_COUNTRY, [WORLD], [HEADLINE[1]], None, panels), generation_years, band)
        paper_proxy = proxy_from(vnm, generation_years)
    lengths = {"declared default": (generation_years, generation_years), "declared band": band}
    lengths["implied by the paper"] = implied.length
    readings = {
        who: [reading(p, basis, g, claimed) for basis, g in lengths.items()]
        for who, p in [("own", proxy), ("paper", paper_proxy)]
    }
    medians = {get_indicator(i).source.upper(): median_panel(get_indicator(i), panels) for i in GDP_IDS}
    forward = forward_table(country, peers, "SL.GDP.PCAP.EM.KD", year, trend_window, panels)
    snapshot = structure_snapshot(
        list(PARADOX_IDS), panels, window=SNAPSHOT_WINDOW, min_population=SNAPSHOT_MIN_POPULATION
    )
    ranks = {
        key: percentile_rank(snapshot, column, country)
        for key, column in [
            ("ht", "TX.VAL.TECH.MF.ZS"),
            ("patents", "resident_patents_per_million"),
            ("rd", "GB.XPD.RSDV.GD.ZS"),
        ]
    }
    rho = float(snapshot[["TX.VAL.TECH.MF.ZS", "resident_patents_per_million"]].corr(method="spearman").iloc[0, 1])
    out = GapReport(
        country,
        peers,
        gaps,
        rows,
        forward,
        snapshot,
        proxy,
        cell_counts(gaps),
        ranks,
        rho,
        implied=implied,
        readings=readings,
        paper_proxy=paper_proxy,
        claimed=claimed,
        median_panel={source: (start, len(members)) for source, (start, members) in medians.items()},
    )
    _texts(out, panels, names, year, generation_years, band, trend_window)
    out.tables = {
        "tbl_gap_indicators": indicator_table(),
        "tbl_gap_gdp": gdp_table(gaps, names),
        "tbl_gap_generations": generations_table(rows, generation_years, band),
        "tbl_gap_generation_length": generation_length_table(
            readings["paper"], claimed, None if links_claims(country) else (name(country, names), readings["own"])
        ),
        "tbl_gap_forward": forward_reader_table(forward, names),
        "tbl_gap_unmeasured": unmeasured_table(),
    }
    out.figures = _figures(out, names, band, generation_years)
    return out


def _texts(out: GapReport, panels: Panels, names, year, generation_years, band, trend_window) -> None:
    country, proxy, counts = out.country, out.proxy, out.counts
    claims = load_claims().set_index("claim_id")
    claimed = tuple(float(claims.loc[c, "value"]) for c in PROXY_CLAIMS)
    coverage_n, coverage_share, coverage_year = world_panel_coverage(panels.table("pwt"), "rgdpo", "emp")
    first = {
        key: panels.values(get_indicator(i))["year"].min()
        for key, i in [
            ("wdi_gdp_first", "SL.GDP.PCAP.EM.KD"),
            ("wdi_rd_first", "GB.XPD.RSDV.GD.ZS"),
            ("pwt_gdp_first", "pwt_gdp_per_worker"),
        ]
    }
    world_rows = out.generation_rows.set_index(["reference", "indicator"])
    wdi_world = world_rows.loc[(WORLD, "SL.GDP.PCAP.EM.KD")]
    own = out.snapshot.set_index("iso3").loc[country] if country in set(out.snapshot["iso3"]) else pd.Series()

    def shown(column: str, digits: int, as_percent: bool = False) -> str:
        value = own.get(column)
        if value is None or pd.isna(value):
            return "no data"
        return f.percent(value, digits) if as_percent else f.number(value, digits)

    gdp_rows = out.gaps[out.gaps["indicator"].isin(GDP_IDS)]
    by_source = {get_indicator(i).source.upper(): part for i, part in gdp_rows.groupby("indicator", sort=False)}
    no_data = out.gaps[out.gaps["censored"] == NO_DATA].groupby("indicator", sort=False)["reference"]
    peer_rows = out.snapshot.set_index("iso3").reindex([p for p in out.references if p in set(out.snapshot["iso3"])])
    text: dict[str, str | Text] = {
        "country_name": name(country, names),
        "reference_names": f.join(name(r, names) for r in out.references),
        "this_page": this_page(country, out.references, year, generation_years, band, names),
        "n_indicators": f.count(len(CHAPTER_INDICATORS)),
        "world_panel_n": f.count(coverage_n),
        "world_panel_share": f.percent(coverage_share, 0, share=True),
        "world_panel_year": f.year(coverage_year),
        "world_panel_start": f.year(WORLD_PANEL_START),
        **{key: f.year(value) for key, value in first.items()},
        "cells_total": f.count(counts["total"]),
        "cells_with_data": f.count(counts["with_data"]),
        "cells_more_than": f.count(counts["more_than"]),
        "cells_ahead": f.counted(counts["ahead"], "comparison"),
        "ahead_indicators": f.join(ahead_indicators(out.gaps)) or "none",
        "no_data_cells": "; ".join(
            f"{get_indicator(i).short} ({f.join(name(r, names) for r in refs)})" for i, refs in no_data
        )
        or "none",
        "gdp_sentence_WDI": gdp_sentence(by_source["WDI"], names),
        "gdp_sentence_PWT": gdp_sentence(by_source["PWT"], names),
        "gdp_year_WDI": f.year(by_source["WDI"]["year"].dropna().iloc[0]),
        "gdp_year_PWT": f.year(by_source["PWT"]["year"].dropna().iloc[0]),
        "generation_years": f.number(generation_years, 0),
        "band_short": f.number(band[0], 0),
        "band_long": f.number(band[1], 0),
        "proxy_year": f.year(proxy.year),
        "world_years_pwt": describe_years(proxy.years_behind, proxy.censored, 1),
        "world_years_wdi": describe_years(wdi_world["years_behind"], wdi_world["censored"], 1),
        "world_generations": format_distance(proxy.generations, proxy.censored, 1),
        "world_range": format_generation_range(*proxy.band, proxy.censored),
        "world_wdi_range": format_generation_range(
            wdi_world["generations_low"], wdi_world["generations_high"], wdi_world["censored"]
        ),
        "overlap_text": relation_words(relation(proxy.band, claimed)),
        "trend_window": f.count(trend_window),
        "trend_growth": f.percent(100 * out.forward["trend_growth"].dropna().iloc[0], 1),
        "trend_growth_interval": _growth_interval_text(out.forward),
        "prediction_level": f"{PREDICTION_LEVEL:.0%}",
        "snapshot_window": f.count(SNAPSHOT_WINDOW),
        "snapshot_min_population": f.number(SNAPSHOT_MIN_POPULATION / 1e6, 0),
        "ht_share": shown("TX.VAL.TECH.MF.ZS", 1, True),
        "patents_pm": shown("resident_patents_per_million", 1),
        "rd_share": shown("GB.XPD.RSDV.GD.ZS", 2, True),
        "ip_share": shown("ip_receipts_pct_gdp", 2, True),
        "mht_share": shown("NV.MNF.TECH.ZS.UN", 1, True),
        "rank_ht": f.percent(out.ranks["ht"], 0),
        "rank_patents": f.percent(out.ranks["patents"], 0),
        "rank_rd": f.percent(out.ranks["rd"], 0),
        "economies_ht": f.count(out.snapshot["TX.VAL.TECH.MF.ZS"].notna().sum()),
        "rho_ht_patents": f.number(out.rho, 2),
        "peer_structure": "; ".join(
            f"{name(code, names)} {f.percent(r['TX.VAL.TECH.MF.ZS'], 1)} of exports, "
            f"{f.number(r['resident_patents_per_million'], 0)} patents per million, "
            f"R&D {f.percent(r['GB.XPD.RSDV.GD.ZS'], 2)} of GDP"
            for code, r in peer_rows.iterrows()
        ),
    }
    for key, indicator in [("ht_row", "TX.VAL.TECH.MF.ZS"), ("patent_row", "resident_patents_per_million")]:
        row = out.gaps[out.gaps["indicator"] == indicator]
        text[key] = "; ".join(
            f"{format_distance(y, c)} ({name(r, names)})"
            for r, y, c in zip(row["reference"], row["years_behind"], row["censored"], strict=True)
        )
    text["finding_proxy"] = sentence(
        "On Penn World Table data, {country} in {year} is {distance} the world average in GDP per person "
        "employed: {generations} generations of {length} years.",
        country=text["country_name"],
        year=proxy.year,
        distance=text["world_years_pwt"],
        generations=text["world_generations"],
        length=text["generation_years"],
    )
    matched = structure_matched(out.ranks)
    is_paper_country = links_claims(country)
    claimed_text = f"{f.number(out.claimed[0], 0)}–{f.number(out.claimed[1], 0)}"
    default, band_reading, implied_reading = out.readings["paper"]  # the same as "own" on Viet Nam's page
    paper = out.paper_proxy
    text["finding_paradox"] = finding_paradox(
        text["ht_share"], text["rank_ht"], text["rank_patents"], text["rank_rd"], matched
    )
    text["finding_scope"] = finding_scope(
        text["country_name"], is_paper_country, claimed_text, format_distance(paper.generations, paper.censored, 1)
    )
    text["conclusion_comparison"] = conclusion_comparison(
        text["country_name"],
        is_paper_country,
        claimed_text,
        format_generation_range(*band_reading.generations, paper.censored),
        band_reading.relation,
        format_generation_range(*implied_reading.generations, paper.censored),
        f"{f.number(implied_reading.lengths[0], 1)}–{f.number(implied_reading.lengths[1], 1)}",
        implied_reading.relation,
        describe_years(paper.years_behind, paper.censored, 1),
        format_distance(paper.generations, paper.censored, 1),
    )
    text["claim_reading"] = claim_reading(
        text["country_name"], is_paper_country, claimed_text, band_reading.relation, text["finding_scope"]
    )
    text["finding_implied"] = finding_implied(
        text["country_name"],
        is_paper_country,
        format_generation_range(*implied_reading.generations, paper.censored),
        implied_reading.relation,
        claimed_text,
        format_generation_range(*out.readings["own"][2].generations, proxy.censored),
    )
    text["conclusion_structure"] = conclusion_structure(text["country_name"], text["rank_ht"], matched)
    text["structure_lead"] = structure_lead(
        text["country_name"], not math.isnan(out.ranks["ht"]) and out.ranks["ht"] >= LEADER_RANK
    )
    text["structure_detail"] = structure_detail(
        text["country_name"], text["patents_pm"], text["rank_patents"], text["rd_share"], text["rank_rd"], matched
    )
    commands = cli_commands(
        country, out.references[0] if out.references else WORLD, int(by_source["WDI"]["year"].dropna().iloc[0])
    )
    text["cli_commands"] = Text("\n".join(commands), "```bash\n" + "\n".join(commands) + "\n```")
    # The generation length the paper implies (section "How many technology generations?")
    implied = out.implied
    text.update(
        {
            "paper_year": f.year(implied.paper_year),
            "vintage_decade": f"{f.year(implied.decade)}s",
            "vintage_first": f.year(implied.decade),
            "vintage_last": f.year(implied.decade + 9),
            "years_since_short": f.count(implied.years_since[0]),
            "years_since_long": f.count(implied.years_since[1]),
            "implied_short": f.number(implied.length[0], 1),
            "implied_long": f.number(implied.length[1], 1),
            "generations_few": f.number(implied.generations[0], 0),
            "generations_many": f.number(implied.generations[1], 0),
            "implied_range_paper": format_generation_range(*implied_reading.generations, paper.censored),
            "implied_relation": relation_words(implied_reading.relation),
            "default_relation": relation_words(default.relation),
            "band_relation": relation_words(band_reading.relation),
        }
    )
    # The median economy (unweighted) beside PWT's employment-weighted world
    for source, indicator in [("PWT", "pwt_gdp_per_worker"), ("WDI", "SL.GDP.PCAP.EM.KD")]:
        start, members = out.median_panel[source]
        row = world_rows.loc[(MEDIAN, indicator)]
        text[f"median_start_{source}"] = f.year(start)
        text[f"median_n_{source}"] = f.count(members)
        text[f"median_years_{source}"] = describe_years(row["years_behind"], row["censored"], 1)
        text[f"median_generations_{source}"] = format_distance(row["generations"], row["censored"], 1)
    text["finding_ahead"] = sentence(
        "Of {with_data} comparisons with data, {country} is ahead in {ahead}.",
        with_data=text["cells_with_data"],
        country=text["country_name"],
        ahead=text["cells_ahead"],
    )
    text["ledger_sentence"] = (
        "The claims ledger lists both ends of the paper's range as proxy-only and shows this value beside them."
        if links_claims(country)
        else "The paper's claim is about Viet Nam, so this page records nothing against it."
    )
    out.text = text


def _figures(out: GapReport, names, band, generation_years) -> dict[str, plt.Figure]:
    plots.apply_style()
    country_name = name(out.country, names)
    years_fig = figures.plot_years_behind(out.gaps, country_name)
    plots.add_source(
        years_fig,
        f"{SOURCE_LINE} Hatched: censored, the number is a bound (>: more than, <: less than). –: no data.",
    )
    claims = load_claims().set_index("claim_id")
    claimed = [float(claims.loc[c, "value"]) for c in PROXY_CLAIMS]
    generation_fig = figures.plot_generation_ranges(
        out.generation_rows.rename(
            columns={"generations_low": "low", "generations": "central", "generations_high": "high"}
        ),
        claimed,
        out.country,
        country_name,
        claim_owner="" if links_claims(out.country) else name(LINKED_COUNTRY, names),
    )
    plots.add_source(
        generation_fig,
        f"{SOURCE_LINE} Dot: generations of {f.number(generation_years, 0)} years; bar: "
        f"{f.year_range(band[0], band[1])} years; arrow: censored, open-ended.",
    )
    labelled = list(dict.fromkeys([*out.references, LINKED_COUNTRY]))  # Viet Nam stays visible on other pages
    structure_fig = figures.plot_structure(
        out.snapshot,
        out.country,
        "TX.VAL.TECH.MF.ZS",
        ["resident_patents_per_million", "GB.XPD.RSDV.GD.ZS"],
        labelled,
        {c: name(c, names) for c in set(out.snapshot["iso3"])},
    )
    plots.add_source(
        structure_fig,
        "Source: World Development Indicators (UN Comtrade, WIPO, UNESCO UIS); latest observation in the last "
        f"{f.count(SNAPSHOT_WINDOW)} years; economies with at least "
        f"{f.number(SNAPSHOT_MIN_POPULATION / 1e6, 0)} million people.",
    )
    made = {"fig_gap_years": years_fig, "fig_gap_generations": generation_fig, "fig_gap_structure": structure_fig}
    for fig in made.values():
        plt.close(fig)  # detached from pyplot, so Jupyter does not show it where the report is made; still drawable
    return made


# ---------------------------------------------------------------------------------------------
# Recording


def _growth_interval_text(forward: pd.DataFrame) -> str:
    """The trend growth's confidence interval as the forward view's prose gives it (``4.9% to 5.8%``)."""
    first = forward.dropna(subset=["trend_growth"]).iloc[0]
    if pd.isna(first["growth_low"]):
        return "not estimable from so few observations"
    return f"{f.percent(100 * first['growth_low'], 1)} to {f.percent(100 * first['growth_high'], 1)}"


def record(out: GapReport, recorder) -> None:
    """Record the chapter's numbers; Viet Nam's run also records the proxy under the two generation claims.

    The claims' rule is ``proxy``: the ledger gives ``proxy-only`` whatever the value, and shows the
    value and its basis beside the claim. The ``no-open-data`` claims get no result.
    """
    recorder.record("cells_with_data", out.counts["with_data"], "count")
    recorder.record("cells_censored_more_than", out.counts["more_than"], "count")
    recorder.record("cells_country_ahead", out.counts["ahead"], "count")
    for row in out.gaps[out.gaps["indicator"].isin(GDP_IDS)].itertuples():
        note = {MORE_THAN: "lower bound (censored: more than)", LESS_THAN: "upper bound (censored: less than)"}
        recorder.record(
            f"years_behind.{row.indicator}.{row.reference}", row.years_behind, "years", note=note.get(row.censored, "")
        )
    for row in out.generation_rows[out.generation_rows["reference"] == MEDIAN].itertuples():
        note = {MORE_THAN: "lower bound (censored: more than)", LESS_THAN: "upper bound (censored: less than)"}
        recorder.record(
            f"years_behind.{row.indicator}.{MEDIAN}", row.years_behind, "years", note=note.get(row.censored, "")
        )
    proxy = out.proxy
    for r in out.readings.get("own", [])[2:]:  # the proxy at the lengths the paper's own statements imply
        recorder.record("generations_behind.world.paper_implied_length.fewest", r.generations[0], "generations")
        recorder.record("generations_behind.world.paper_implied_length.most", r.generations[1], "generations")
    recorder.record(
        f"generations_behind.world.{f.number(proxy.generation_years, 0)}y", proxy.generations, "generations"
    )
    if links_claims(out.country):
        for claim_id in PROXY_CLAIMS:
            recorder.record(
                f"proxy.{claim_id.removeprefix('paper.')}",
                proxy.generations,
                "generations",
                claim_id=claim_id,
                basis_used=proxy.basis,
                note="An economy-wide proxy for a claim about firms' equipment: it cannot confirm or refute it.",
            )
    for row in out.forward.itertuples():
        recorder.record(f"forward_years_to_reach.SL.GDP.PCAP.EM.KD.{row.reference}", row.years_to_reach, "years")
    for key, column in [
        ("ht", "TX.VAL.TECH.MF.ZS"),
        ("patents", "resident_patents_per_million"),
        ("rd", "GB.XPD.RSDV.GD.ZS"),
    ]:
        recorder.record(f"percentile_rank.{column}", out.ranks[key], "percent")
    recorder.record("spearman.high_tech_exports_vs_resident_patents", out.rho, "coefficient")
