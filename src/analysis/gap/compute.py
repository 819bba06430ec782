"""Technology gap: how many years, and how many technology "generations", a country is behind.

The measure is Sicherl's time distance, or S-distance (Sicherl 2012, *Time Distance in
Economics and Statistics*). Take a country's
level ``L`` of an indicator in year ``t`` and a reference economy's annual series ``R(y)``.
The reference first reached ``L`` in year ``y*``; the time distance is ``t - y*`` years.
``y*`` is interpolated between the two consecutive observations that bracket ``L``:
log-linearly for levels (constant growth between observations) and linearly for shares
(a percentage moves by equal steps). Missing years are simply absent: the interpolation
bridges the gap between the observations on either side. If the reference's series goes
down and up again, the *first* crossing counts ("first reached").

The answer is censored when the data cannot give a number:

``more-than``
    The reference was already above ``L`` in its first observed year ``y0``: it reached
    ``L`` some time before ``y0``, so ``years_behind`` (= ``t - y0``) is a lower bound.
    Write it as "more than N years", never as a number.
``less-than``
    The reference never reached ``L`` in its observed years (last one ``y1``): it may
    reach it after ``y1``, so ``years_behind`` (= ``t - y1``) is an upper bound. When
    that bound is zero or negative the country is *ahead* of the reference.

Uncensored distances are negative when the reference reached ``L`` only after ``t``:
the country is ahead by that many years. Batch tables mark a missing series ``no-data``.

References are an economy or aggregate code (``KOR``, ``WLD``) or a frontier
``frontier:KOR,JPN,USA``: the maximum over the group in each year, over the members
observed in that year. Penn World Table has no aggregates; for its indicators ``WLD``
is built as the ratio of sums over a balanced panel of economies observed every year
since :data:`WORLD_PANEL_START` (see :func:`world_aggregate`).

Generations turn years into the paper's unit: years behind / generation length.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import trends
from analysis.errors import InputError, available

if TYPE_CHECKING:  # matplotlib is imported by the figure functions only, to keep the CLI quick
    import matplotlib.pyplot as plt

LOG_LINEAR = "log-linear"
LINEAR = "linear"
INTERPOLATIONS = (LOG_LINEAR, LINEAR)

NOT_CENSORED = "no"
MORE_THAN = "more-than"
LESS_THAN = "less-than"
NO_DATA = "no-data"

FRONTIER_PREFIX = "frontier:"
WORLD = "WLD"
# PWT's world aggregate: economies with output and employment in every year from here on.
# 1970 is when PWT's coverage widens to most of the world (and when Viet Nam's series starts).
WORLD_PANEL_START = 1970

COLUMNS = ["country", "reference", "indicator", "year", "level", "reference_year_at_level", "years_behind", "censored"]


class NoDataError(InputError):
    """An economy (or a whole reference group) has no observation of an indicator."""


# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class Indicator:
    """An indicator: ``scale * numerator / denominator`` from one source table."""

    id: str
    label: str
    short: str
    source: str  # "wdi" or "pwt"
    numerator: str
    denominator: str = ""
    scale: float = 1.0
    interpolation: str = LOG_LINEAR
    wdi_code: str = ""
    derivation: str = ""

    def values(self, table: pd.DataFrame) -> pd.DataFrame:
        """``iso3, year, value`` for every economy-year where the indicator can be computed."""
        value = table[self.numerator].astype(float) * self.scale
        if self.denominator:
            denominator = table[self.denominator].astype(float)
            value = value / denominator.where(denominator > 0)
        out = pd.DataFrame({"iso3": table["iso3"], "year": table["year"].astype(int), "value": value})
        return out.dropna(subset=["value"]).reset_index(drop=True)


# The chapter's indicators. A plain WDI series keeps its code as id; derived ones get a name.
CHAPTER_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "SL.GDP.PCAP.EM.KD",
        "GDP per person employed (constant 2021 PPP $)",
        "GDP per worker (WDI)",
        "wdi",
        "gdp_per_worker_ppp_2021usd",
        wdi_code="SL.GDP.PCAP.EM.KD",
        derivation="WDI series as published",
    ),
    Indicator(
        "pwt_gdp_per_worker",
        "GDP per person employed, PWT (2021 US$ at chained PPPs)",
        "GDP per worker (PWT)",
        "pwt",
        "rgdpo",
        "emp",
        derivation="PWT rgdpo / emp (output-side real GDP at chained PPPs per person engaged)",
    ),
    Indicator(
        "NY.GDP.PCAP.PP.KD",
        "GDP per capita, PPP (constant 2021 international $)",
        "GDP per capita (WDI)",
        "wdi",
        "gdp_per_capita_ppp_2021usd",
        wdi_code="NY.GDP.PCAP.PP.KD",
        derivation="WDI series as published",
    ),
    Indicator(
        "GB.XPD.RSDV.GD.ZS",
        "R&D expenditure (% of GDP)",
        "R&D % GDP",
        "wdi",
        "rd_expenditure_pct_gdp",
        interpolation=LINEAR,
        wdi_code="GB.XPD.RSDV.GD.ZS",
        derivation="WDI series as published",
    ),
    Indicator(
        "researchers_per_10k",
        "Researchers in R&D per 10,000 people",
        "Researchers per 10k",
        "wdi",
        "researchers_per_million",
        scale=0.01,
        wdi_code="SP.POP.SCIE.RD.P6",
        derivation="SP.POP.SCIE.RD.P6 / 100",
    ),
    Indicator(
        "articles_per_million",
        "Scientific and technical journal articles per million people",
        "Articles per million",
        "wdi",
        "journal_articles",
        "population",
        scale=1e6,
        wdi_code="IP.JRN.ARTC.SC",
        derivation="IP.JRN.ARTC.SC / SP.POP.TOTL × 10⁶",
    ),
    Indicator(
        "resident_patents_per_million",
        "Resident patent applications per million people",
        "Resident patents per million",
        "wdi",
        "patent_applications_residents",
        "population",
        scale=1e6,
        wdi_code="IP.PAT.RESD",
        derivation="IP.PAT.RESD / SP.POP.TOTL × 10⁶",
    ),
    Indicator(
        "TX.VAL.TECH.MF.ZS",
        "High-technology exports (% of manufactured exports)",
        "High-tech exports %",
        "wdi",
        "high_tech_exports_pct_manuf_exports",
        interpolation=LINEAR,
        wdi_code="TX.VAL.TECH.MF.ZS",
        derivation="WDI series as published",
    ),
    Indicator(
        "NV.MNF.TECH.ZS.UN",
        "Medium and high-tech manufacturing value added (% of manufacturing value added)",
        "Med./high-tech manuf. VA %",
        "wdi",
        "medium_high_tech_manuf_pct_manuf_va",
        interpolation=LINEAR,
        wdi_code="NV.MNF.TECH.ZS.UN",
        derivation="WDI series as published",
    ),
    Indicator(
        "ip_receipts_pct_gdp",
        "Intellectual-property receipts (% of GDP)",
        "IP receipts % GDP",
        "wdi",
        "ip_receipts_usd",
        "gdp_current_usd",
        scale=100.0,
        interpolation=LINEAR,
        wdi_code="BX.GSR.ROYL.CD",
        derivation="BX.GSR.ROYL.CD / NY.GDP.MKTP.CD × 100",
    ),
)


@cache
def _catalogue() -> dict[str, Indicator]:
    from analysis.data.registry import wdi_series

    catalogue = {i.id: i for i in CHAPTER_INDICATORS}
    for series in wdi_series():
        if series.code not in catalogue:
            catalogue[series.code] = Indicator(
                series.code,
                series.label,
                series.label,
                "wdi",
                series.column,
                interpolation=LINEAR if "%" in series.label else LOG_LINEAR,
                wdi_code=series.code,
                derivation="WDI series as published",
            )
    return catalogue


def indicator_catalogue() -> dict[str, Indicator]:
    """Every indicator the gap command accepts, by id.

    The chapter's indicators (:data:`CHAPTER_INDICATORS`), plus every other WDI series of
    the registry under its own code; a series whose label has "%" is a share (linear
    interpolation), any other is a level (log-linear).
    """
    return dict(_catalogue())


def get_indicator(key: str) -> Indicator:
    """An indicator by id or WDI code (case-insensitive)."""
    catalogue = indicator_catalogue()
    by_key = {k.casefold(): v for k, v in catalogue.items()}
    if key.strip().casefold() not in by_key:
        raise InputError(f"Unknown indicator {key!r}. Allowed (ids and WDI codes): {available(catalogue, limit=100)}.")
    return by_key[key.strip().casefold()]


def indicator_table(indicators: Iterable[Indicator] = CHAPTER_INDICATORS) -> pd.DataFrame:
    """The indicators as a table: id, label, source, WDI code, derivation, interpolation."""
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "indicator": i.label,
                "source": i.source.upper(),
                "WDI code": i.wdi_code or "–",
                "derivation": i.derivation,
                "interpolation": i.interpolation,
            }
            for i in indicators
        ]
    )


# --------------------------------------------------------------------------- data


@dataclass
class Panels:
    """The processed tables, loaded on first use (tests pass synthetic ones)."""

    wdi: pd.DataFrame | None = None
    pwt: pd.DataFrame | None = None
    countries: pd.DataFrame | None = None
    _values: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    def table(self, name: str) -> pd.DataFrame:
        if getattr(self, name) is None:
            from analysis.data import load

            setattr(self, name, load(name))
        return getattr(self, name)

    def values(self, indicator: Indicator) -> pd.DataFrame:
        """``iso3, year, value`` of an indicator (cached per indicator id)."""
        if indicator.id not in self._values:
            self._values[indicator.id] = indicator.values(self.table(indicator.source))
        return self._values[indicator.id]

    def known_codes(self) -> set[str]:
        return set(self.table("countries")["iso3"])

    def check_code(self, code: str) -> str:
        code = code.strip().upper()
        if code not in self.known_codes():
            raise InputError(
                f"Unknown country or aggregate code {code!r}. Known codes: {available(self.known_codes())}."
            )
        return code

    def series(self, indicator: Indicator, iso3: str) -> pd.Series:
        """One economy's observed values of an indicator, indexed by year (no gaps filled)."""
        iso3 = self.check_code(iso3)
        values = self.values(indicator)
        rows = values[values["iso3"] == iso3]
        if rows.empty:
            raise NoDataError(
                f"{iso3} has no observation of {indicator.id} ({indicator.label}) in {indicator.source.upper()}."
            )
        return pd.Series(rows["value"].to_numpy(), index=rows["year"].to_numpy(), name=iso3).sort_index()


def balanced_panel(table: pd.DataFrame, columns: Sequence[str], start_year: int) -> list[str]:
    """Economies with every column observed in every year from ``start_year`` to the table's last year."""
    observed = table.dropna(subset=list(columns))
    observed = observed[observed["year"] >= start_year]
    if observed.empty:
        raise NoDataError(f"No economy has {', '.join(columns)} from {start_year} on.")
    n_years = int(table["year"].max()) - start_year + 1
    counts = observed.groupby("iso3")["year"].nunique()
    return sorted(counts[counts == n_years].index)


def world_aggregate(
    table: pd.DataFrame, numerator: str, denominator: str, start_year: int = WORLD_PANEL_START, scale: float = 1.0
) -> pd.Series:
    """``scale * Σ numerator / Σ denominator`` by year over a balanced panel (for PWT's missing world row).

    A fixed set of economies keeps entries and exits (e.g. the former Soviet states in 1990)
    from making jumps that are not growth.
    """
    members = balanced_panel(table, [numerator, denominator], start_year)
    panel = table[table["iso3"].isin(members) & (table["year"] >= start_year)]
    sums = panel.groupby("year")[[numerator, denominator]].sum()
    return (scale * sums[numerator] / sums[denominator]).rename(WORLD)


def world_panel_coverage(
    table: pd.DataFrame, numerator: str, denominator: str, start_year: int = WORLD_PANEL_START
) -> tuple[int, float, int]:
    """(number of economies, their share of the denominator, year) in the balanced panel's last year."""
    members = balanced_panel(table, [numerator, denominator], start_year)
    last = table[table["year"] == table["year"].max()].dropna(subset=[numerator, denominator])
    share = last.loc[last["iso3"].isin(members), denominator].sum() / last[denominator].sum()
    return len(members), float(share), int(last["year"].max())


def frontier(series: dict[str, pd.Series]) -> pd.Series:
    """The maximum over a group in each year, over the members observed in that year."""
    wide = pd.DataFrame(series)
    return wide.max(axis=1, skipna=True).dropna().sort_index().rename("frontier")


@dataclass(frozen=True)
class Reference:
    """A reference for the time distance: one economy/aggregate or a frontier group."""

    label: str
    members: tuple[str, ...]

    @property
    def is_frontier(self) -> bool:
        return self.label.startswith(FRONTIER_PREFIX)


def parse_reference(text: str, panels: Panels) -> Reference:
    """``"KOR"``, ``"wld"`` or ``"frontier:KOR,JPN,USA"`` → a checked :class:`Reference`."""
    text = text.strip()
    if text.casefold().startswith(FRONTIER_PREFIX):
        from analysis.cli import parse_country_list

        members = tuple(panels.check_code(c) for c in parse_country_list(text[len(FRONTIER_PREFIX) :]))
        return Reference(FRONTIER_PREFIX + ",".join(members), members)
    if not text:
        raise InputError("Give a reference: an ISO3 code (KOR), an aggregate (WLD) or frontier:KOR,JPN,USA.")
    code = panels.check_code(text)
    return Reference(code, (code,))


def reference_series(indicator: Indicator, reference: Reference, panels: Panels) -> pd.Series:
    """The reference's observed values of an indicator, indexed by year."""
    if reference.is_frontier:
        found = {}
        for member in reference.members:
            try:
                found[member] = panels.series(indicator, member)
            except NoDataError:
                continue
        if not found:
            raise NoDataError(
                f"No member of {reference.label} has an observation of {indicator.id} ({indicator.label})."
            )
        return frontier(found).rename(reference.label)
    if indicator.source == "pwt" and reference.label == WORLD:
        return world_aggregate(panels.table("pwt"), indicator.numerator, indicator.denominator, scale=indicator.scale)
    if indicator.source == "pwt" and reference.label in _aggregates(panels):
        raise NoDataError(
            f"Penn World Table has no aggregates, so {reference.label} has no {indicator.id}; "
            f"use {WORLD} (built from a balanced panel) or a frontier:… group of economies."
        )
    return panels.series(indicator, reference.label)


def _aggregates(panels: Panels) -> set[str]:
    countries = panels.table("countries")
    return set(countries.loc[countries["is_aggregate"], "iso3"])


# --------------------------------------------------------------------------- time distance


@dataclass(frozen=True)
class TimeDistance:
    """The year the reference reached the level, and the distance (or its bound, if censored)."""

    reference_year_at_level: float  # NaN when censored
    years_behind: float  # the distance; a lower bound if MORE_THAN, an upper bound if LESS_THAN
    censored: str  # NOT_CENSORED, MORE_THAN or LESS_THAN


def interpolate_year(
    year_a: float, value_a: float, year_b: float, value_b: float, level: float, interpolation: str = LOG_LINEAR
) -> float:
    """The year between two observations at which the path through them equals ``level``.

    Log-linear: constant growth between the observations. It needs positive values; a
    segment starting from zero falls back to linear.
    """
    if interpolation not in INTERPOLATIONS:
        raise InputError(f"Unknown interpolation {interpolation!r}. Allowed: {available(INTERPOLATIONS)}.")
    if value_a == value_b:
        return float(year_a)
    if interpolation == LOG_LINEAR and value_a > 0 and value_b > 0 and level > 0:
        fraction = math.log(level / value_a) / math.log(value_b / value_a)
    else:
        fraction = (level - value_a) / (value_b - value_a)
    return year_a + fraction * (year_b - year_a)


def time_distance(reference: pd.Series, level: float, year: int, interpolation: str = LOG_LINEAR) -> TimeDistance:
    """How many years before ``year`` the reference first reached ``level`` (see the module docstring)."""
    observed = reference.dropna().sort_index()
    if observed.empty:
        raise NoDataError(f"The reference series {reference.name!r} has no observations.")
    if not math.isfinite(level):
        raise InputError(f"The level must be a finite number; got {level!r}.")
    years = observed.index.to_numpy(dtype=float)
    values = observed.to_numpy(dtype=float)
    reached = np.flatnonzero(values >= level)
    if reached.size == 0:
        return TimeDistance(math.nan, year - years[-1], LESS_THAN)
    first = int(reached[0])
    if first == 0:
        if values[0] == level:
            return TimeDistance(years[0], year - years[0], NOT_CENSORED)
        return TimeDistance(math.nan, year - years[0], MORE_THAN)
    crossing = interpolate_year(years[first - 1], values[first - 1], years[first], values[first], level, interpolation)
    return TimeDistance(crossing, year - crossing, NOT_CENSORED)


def country_level(series: pd.Series, year: int | None, what: str = "") -> tuple[int, float]:
    """(year, value): the value in ``year``, or the latest observation if ``year`` is None."""
    if year is None:
        return int(series.index.max()), float(series.iloc[-1])
    if year not in series.index:
        raise NoDataError(
            f"{series.name} has no observation{what} in {year}; observed years: "
            f"{available(series.index.astype(int), limit=80)}."
        )
    return int(year), float(series.loc[year])


def gap(country: str, reference: str, indicator: str, year: int | None = None, panels: Panels | None = None) -> dict:
    """One row of the gap table: the country's level and its time distance to the reference."""
    panels = panels or Panels()
    ind = get_indicator(indicator)
    ref = parse_reference(reference, panels)
    country_year, level = country_level(panels.series(ind, country), year, f" of {ind.id}")
    distance = time_distance(reference_series(ind, ref, panels), level, country_year, ind.interpolation)
    return {
        "country": country.strip().upper(),
        "reference": ref.label,
        "indicator": ind.id,
        "year": country_year,
        "level": level,
        "reference_year_at_level": distance.reference_year_at_level,
        "years_behind": distance.years_behind,
        "censored": distance.censored,
    }


def gap_table(
    country: str,
    references: Sequence[str],
    indicators: Sequence[str],
    year: int | None = None,
    panels: Panels | None = None,
) -> pd.DataFrame:
    """The gap for every reference × indicator; a missing series gives a ``no-data`` row, not an error.

    Codes and indicator names are still checked: a typo is an error, a gap in the data is a row.
    """
    panels = panels or Panels()
    panels.check_code(country)
    inds = [get_indicator(i) for i in indicators]
    refs = [parse_reference(r, panels) for r in references]
    rows = []
    for ind in inds:
        for ref in refs:
            try:
                rows.append(gap(country, ref.label, ind.id, year, panels))
            except NoDataError:
                rows.append(
                    {
                        "country": country.strip().upper(),
                        "reference": ref.label,
                        "indicator": ind.id,
                        "year": year,
                        "censored": NO_DATA,
                    }
                )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["year"] = table["year"].astype("Int64")
    return table


# --------------------------------------------------------------------------- generations and reading


def generations(years_behind: float, generation_years: float = 10.0) -> float:
    """Years behind expressed in technology generations of ``generation_years`` years."""
    if not generation_years > 0:
        raise InputError(f"A generation must last a positive number of years; got {generation_years!r}.")
    return years_behind / generation_years


def generation_range(
    years_behind: float, band: Sequence[float] = (7.0, 15.0), censored: str = NOT_CENSORED
) -> tuple[float, float]:
    """(low, high) generations over a band of generation lengths; open-ended when censored."""
    if len(band) != 2:
        raise InputError(f"The generation band needs two lengths (shortest, longest); got {list(band)!r}.")
    ends = sorted(generations(years_behind, g) for g in band)
    if censored == MORE_THAN:
        return ends[0], math.inf
    if censored == LESS_THAN:
        return -math.inf, ends[1]
    if censored == NO_DATA:
        return math.nan, math.nan
    return ends[0], ends[1]


def ranges_overlap(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether two closed intervals share at least one point (False if either is NaN)."""
    return bool(a[0] <= b[1] and b[0] <= a[1])


def overlap_verdict(implied: Sequence[float], claimed: Sequence[float]) -> str:
    """``reproduced`` if the implied range overlaps the claimed one, else ``differs``."""
    return "reproduced" if ranges_overlap(implied, claimed) else "differs"


def with_generations(
    gaps: pd.DataFrame, generation_years: float = 10.0, band: Sequence[float] = (7.0, 15.0)
) -> pd.DataFrame:
    """Gap rows plus generations at ``generation_years`` and their range over ``band`` (bounds if censored)."""
    out = gaps.copy()
    out["generations"] = [generations(y, generation_years) for y in out["years_behind"].astype(float)]
    ranges = [
        generation_range(y, band, c) for y, c in zip(out["years_behind"].astype(float), out["censored"], strict=False)
    ]
    out["generations_low"] = [r[0] for r in ranges]
    out["generations_high"] = [r[1] for r in ranges]
    return out


def format_distance(years_behind: float, censored: str, digits: int = 0) -> str:
    """A table cell: ``12``, ``>32`` (lower bound), ``<-1`` (upper bound) or ``–`` (no data)."""
    if censored == NO_DATA or years_behind is None or pd.isna(years_behind):
        return "–"
    number = f"{years_behind:.{digits}f}"
    return {MORE_THAN: ">", LESS_THAN: "<"}.get(censored, "") + number


def format_generation_range(low: float, high: float, censored: str, digits: int = 1) -> str:
    """A range of generations for a table: ``1.9 to 4.0``, ``at least 2.2`` (more-than), ``at most 0.0`` (less-than)."""
    if censored == NO_DATA or (pd.isna(low) and pd.isna(high)):
        return "–"
    if censored == MORE_THAN:
        return f"at least {low:.{digits}f}"
    if censored == LESS_THAN:
        return f"at most {high:.{digits}f}"
    return f"{low:.{digits}f} to {high:.{digits}f}"


def format_reference_year(year: float, years_behind: float, censored: str) -> str:
    """When the reference reached the level: ``2014.2``, ``before 1991`` (more-than), ``after 2024`` (less-than)."""
    if censored == NO_DATA or pd.isna(years_behind):
        return "–"
    if censored == MORE_THAN:
        return f"before {year - years_behind:.0f}"
    if censored == LESS_THAN:
        return f"after {year - years_behind:.0f}"
    return f"{year - years_behind:.1f}"


def describe_years(years_behind: float, censored: str, digits: int = 0) -> str:
    """Prose: "19 years behind", "more than 33 years behind", "ahead by at least 1 year"…

    Bounds are whole years (differences between observed years), so they are written without decimals.
    """
    if censored == NO_DATA or pd.isna(years_behind):
        return "not measurable (no data)"

    def years(x: float) -> str:
        text = f"{abs(x):.{0 if censored in (MORE_THAN, LESS_THAN) else digits}f}"
        return f"{text} year" + ("" if text in ("1", "1.0") else "s")

    if censored == MORE_THAN:
        return f"more than {years(years_behind)} behind"
    if censored == LESS_THAN:
        if years_behind == 0:
            return "ahead (the reference has not reached this level in its data)"
        return (
            f"ahead by at least {years(years_behind)}"
            if years_behind < 0
            else f"less than {years(years_behind)} behind"
        )
    return f"{years(years_behind)} behind" if years_behind >= 0 else f"ahead by {years(years_behind)}"


# --------------------------------------------------------------------------- forward view


@dataclass(frozen=True)
class ForwardView:
    """When the country, growing at its own trend, reaches the reference's latest level."""

    trend_growth: float  # fraction per year, log-linear trend over the window
    reference_year: int
    reference_level: float
    year_reached: float  # inf if the trend never gets there
    years_to_reach: float


def forward_view(
    country_series: pd.Series, reference: pd.Series, year: int | None = None, window: int = 10
) -> ForwardView:
    """At the country's trend growth over ``window`` years ending in ``year``, when it reaches the reference's latest level."""
    if window < 2:
        raise InputError(f"The trend window must be at least 2 years; got {window!r}.")
    country_year, level = country_level(country_series, year)
    recent = country_series.loc[country_year - window + 1 : country_year]
    growth = trends.log_trend_growth(recent)
    observed = reference.dropna()
    if observed.empty:
        raise NoDataError(f"The reference series {reference.name!r} has no observations.")
    reference_year, reference_level = int(observed.index.max()), float(observed.loc[observed.index.max()])
    reached = trends.year_reaching(level, country_year, reference_level, growth)
    return ForwardView(growth, reference_year, reference_level, reached, reached - country_year)


def forward_table(
    country: str,
    references: Sequence[str],
    indicator: str,
    year: int | None = None,
    window: int = 10,
    panels: Panels | None = None,
) -> pd.DataFrame:
    """:func:`forward_view` for each reference (a reference without data gives a row of NaN)."""
    panels = panels or Panels()
    ind = get_indicator(indicator)
    own = panels.series(ind, country)
    rows = []
    for text in references:
        ref = parse_reference(text, panels)
        try:
            view = forward_view(own, reference_series(ind, ref, panels), year, window)
        except NoDataError:
            rows.append({"reference": ref.label})
            continue
        rows.append(
            {
                "reference": ref.label,
                "trend_growth": view.trend_growth,
                "reference_year": view.reference_year,
                "reference_level": view.reference_level,
                "year_reached": view.year_reached,
                "years_to_reach": view.years_to_reach,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["reference", "trend_growth", "reference_year", "reference_level", "year_reached", "years_to_reach"],
    )


# --------------------------------------------------------------------------- structure paradox


def latest_values(indicator: Indicator, panels: Panels, window: int = 5, last_year: int | None = None) -> pd.Series:
    """Each economy's latest observation in the ``window`` years up to ``last_year`` (default: the indicator's last year)."""
    values = panels.values(indicator)
    last_year = int(values["year"].max()) if last_year is None else last_year
    recent = values[(values["year"] > last_year - window) & (values["year"] <= last_year)]
    latest = recent.sort_values("year").groupby("iso3").tail(1)
    return latest.set_index("iso3")["value"].rename(indicator.id)


def structure_snapshot(
    indicators: Sequence[str], panels: Panels | None = None, window: int = 5, min_population: float = 1e6
) -> pd.DataFrame:
    """Economies (no aggregates, at least ``min_population`` people) × latest values of the indicators."""
    panels = panels or Panels()
    inds = [get_indicator(i) for i in indicators]
    countries = panels.table("countries")
    economies = countries.loc[~countries["is_aggregate"], ["iso3", "country"]].set_index("iso3")
    population = latest_values(get_indicator("SP.POP.TOTL"), panels, window)
    snapshot = economies.join(population.rename("population"), how="inner")
    snapshot = snapshot[snapshot["population"] >= min_population]
    for ind in inds:
        snapshot = snapshot.join(latest_values(ind, panels, window))
    return snapshot.reset_index()


def percentile_rank(snapshot: pd.DataFrame, column: str, iso3: str) -> float:
    """Share (%) of the other economies with a value of ``column`` below ``iso3``'s (NaN if it has none)."""
    observed = snapshot.dropna(subset=[column])
    own = observed.loc[observed["iso3"] == iso3, column]
    if own.empty:
        return math.nan
    others = observed.loc[observed["iso3"] != iso3, column]
    return float(100.0 * (others < own.iloc[0]).mean())


# --------------------------------------------------------------------------- figures


def plot_years_behind(table: pd.DataFrame, country_name: str) -> plt.Figure:
    """Heat map indicators × references; colour = years behind, hatched = censored, '–' = no data."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    shorts = {i.id: i.short for i in indicator_catalogue().values()}
    rows = list(dict.fromkeys(table["indicator"]))
    cols = list(dict.fromkeys(table["reference"]))
    values = table.pivot(index="indicator", columns="reference", values="years_behind").loc[rows, cols].astype(float)
    labels = table.assign(
        cell=[format_distance(y, c) for y, c in zip(table["years_behind"], table["censored"], strict=False)]
    )
    labels = labels.pivot(index="indicator", columns="reference", values="cell").loc[rows, cols]
    censored = table.pivot(index="indicator", columns="reference", values="censored").loc[rows, cols]
    limit = max(10.0, float(np.nanmax(np.abs(values.to_numpy()))) if values.notna().any().any() else 10.0)
    fig, ax = plt.subplots(figsize=(1.1 * len(cols) + 3.5, 0.5 * len(rows) + 1.6))
    sns.heatmap(
        values,
        annot=labels.to_numpy(),
        fmt="",
        cmap="vlag",
        vmin=-limit,
        vmax=limit,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": f"years {country_name} is behind"},
        ax=ax,
    )
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            if censored.loc[row, col] in (MORE_THAN, LESS_THAN):
                ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, hatch="//", edgecolor=(0.2, 0.2, 0.2, 0.3), lw=0))
            elif censored.loc[row, col] == NO_DATA:  # seaborn leaves empty cells blank: say why
                ax.add_patch(plt.Rectangle((j, i), 1, 1, color="#eeeeee", lw=0))
                ax.text(j + 0.5, i + 0.5, "–", ha="center", va="center", color="#777777")
    ax.set_yticklabels([shorts.get(r, r) for r in rows], rotation=0)
    ax.set_xlabel("reference")
    ax.set_ylabel("")
    ax.set_title(f"Time distance: years {country_name} is behind each reference")
    return fig


def plot_generation_ranges(
    table: pd.DataFrame, claimed: Sequence[float], country: str, country_name: str
) -> plt.Figure:
    """Implied generations per reference: band as a bar, default as a dot; an arrow where censored.

    ``table`` has columns label, low, central, high, censored (one row per bar, top to bottom).
    """
    import matplotlib.pyplot as plt

    from analysis.book import plots

    fig, ax = plt.subplots(figsize=(8.0, 0.45 * len(table) + 1.6))
    ax.axvspan(
        claimed[0],
        claimed[1],
        color="#f2c14e",
        alpha=0.35,
        lw=0,
        label=f"paper: {claimed[0]:g}–{claimed[1]:g} generations",
    )
    finite = pd.concat([table["low"], table["central"], table["high"]]).replace([math.inf, -math.inf], np.nan).dropna()
    right = max(float(finite.max()) if len(finite) else 0.0, claimed[1]) * 1.15 + 0.5
    left = min(float(finite.min()) if len(finite) else 0.0, 0.0) - 0.5
    colour = plots.country_colour(country)
    for position, row in enumerate(table.itertuples(index=False)):
        y = len(table) - 1 - position
        if row.censored == NO_DATA:
            ax.text(0.05, y, "no data", va="center", fontsize=8, color="#555555")
            continue
        low, high = max(row.low, left), min(row.high, right)
        ax.plot([low, high], [y, y], color=colour, lw=5, alpha=0.45, solid_capstyle="butt")
        if row.censored == MORE_THAN:  # only a lower bound: the range runs off to the right
            ax.annotate("", xy=(right, y), xytext=(low, y), arrowprops={"arrowstyle": "->", "color": colour})
            ax.plot(row.central, y, marker=">", color=colour, ms=8)
        elif row.censored == LESS_THAN:  # only an upper bound: off to the left
            ax.annotate("", xy=(left, y), xytext=(high, y), arrowprops={"arrowstyle": "->", "color": colour})
            ax.plot(row.central, y, marker="<", color=colour, ms=8)
        else:
            ax.plot(row.central, y, marker="o", color=colour, ms=7)
    ax.set_yticks(range(len(table)), list(table["label"])[::-1])
    ax.set_xlim(left, right)
    ax.set_xlabel(f"technology generations {country_name} is behind")
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.set_title("Years behind in GDP per worker, read as generations")
    return fig


def plot_structure(
    snapshot: pd.DataFrame, country: str, y: str, xs: Sequence[str], labelled: Sequence[str]
) -> plt.Figure:
    """Scatter of export sophistication (``y``) against domestic innovation inputs (``xs``, log scale).

    ``country`` is drawn large in its colour; ``labelled`` economies (Viet Nam among them when
    another country is measured) are named in theirs.
    """
    import matplotlib.pyplot as plt

    from analysis.book import plots

    catalogue = indicator_catalogue()
    fig, axes = plt.subplots(1, len(xs), figsize=(5.0 * len(xs), 4.8), sharey=True, squeeze=False, layout="constrained")
    for ax, x in zip(axes[0], xs, strict=False):
        data = snapshot.dropna(subset=[x, y])
        data = data[data[x] > 0]  # log scale: economies reporting zero are left out
        others = data[~data["iso3"].isin([country, *labelled])]
        ax.scatter(others[x], others[y], s=14, color=plots.OTHER_COLOUR, alpha=0.6, lw=0)
        for code in [c for c in labelled if c != country] + [country]:
            point = data[data["iso3"] == code]
            if point.empty:
                continue
            size, colour = (70 if code == country else 40), plots.country_colour(code)
            ax.scatter(point[x], point[y], s=size, color=colour, edgecolor="white", zorder=3)
            ax.annotate(
                code,
                (point[x].iloc[0], point[y].iloc[0]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=9,
                color=colour,
                fontweight="bold" if code == country else "normal",
            )
        ax.set_xscale("log")
        ax.set_xlabel(catalogue[x].short + " (log scale)")
    axes[0][0].set_ylabel(catalogue[y].short)
    fig.suptitle("Export sophistication against domestic innovation", x=0.01, ha="left", fontweight="bold")
    return fig


# --------------------------------------------------------------------------- command line


def _indicator_help() -> str:
    lines = ["indicators (give the id or the WDI code; case does not matter):"]
    for ind in CHAPTER_INDICATORS:
        lines.append(f"  {ind.id:<30} {ind.label} [{ind.derivation}; {ind.interpolation}]")
    lines.append("  any other WDI code in data/raw/sources.toml (as published; '%' series are shares)")
    lines.append("")
    lines.append("censored: no = exact distance (negative: the country is ahead);")
    lines.append("  more-than = the reference was above the level in its first observed year,")
    lines.append("    years_behind is a lower bound and reference_year_at_level is empty;")
    lines.append("  less-than = the reference never reached the level in its data,")
    lines.append("    years_behind is an upper bound (<= 0: the country is ahead).")
    lines.append(
        f"WLD with the PWT indicator is the ratio of sums over the economies observed every year since {WORLD_PANEL_START}."
    )
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    from analysis.cli import add_format_argument

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _indicator_help()
    parser.add_argument("--country", default="VNM", help="ISO3 code of the country measured (default: %(default)s)")
    parser.add_argument(
        "--reference",
        action="append",
        required=True,
        help="ISO3 code, aggregate (WLD) or frontier:ISO3,ISO3,… (max over the group each year); repeatable",
    )
    parser.add_argument(
        "--indicator",
        action="append",
        default=None,
        help="indicator id or WDI code (default: SL.GDP.PCAP.EM.KD); repeatable; see the list below",
    )
    parser.add_argument("--year", type=int, default=None, help="the country's year (default: its latest observation)")
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import render

    panels = Panels()
    indicators = args.indicator or ["SL.GDP.PCAP.EM.KD"]
    rows = [
        gap(args.country, reference, indicator, args.year, panels)
        for indicator in indicators
        for reference in args.reference
    ]
    print(render(pd.DataFrame(rows, columns=COLUMNS), args.format))
    return 0
