"""The data a time distance reads: the processed tables, reference economies, frontiers and PWT's built world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.countries import check_code, check_codes
from analysis.errors import InputError

from .indicators import Indicator

FRONTIER_PREFIX = "frontier:"
WORLD = "WLD"
# PWT's world aggregate: economies with output and employment in every year from here on.
# 1970 is when PWT's coverage widens to most of the world (and when Viet Nam's series starts).
WORLD_PANEL_START = 1970
# The unweighted reference: in each year, the median economy of a balanced panel (see median_economy).
MEDIAN = "median"
MEDIAN_MIN_ECONOMIES = 10  # a median over fewer economies is not a reference for "the typical economy"


class NoDataError(InputError):
    """An economy (or a whole reference group) has no observation of an indicator."""


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
        """``code`` upper-cased, after checking the countries table has it (the one validator)."""
        return check_code(code, self.known_codes(), "the countries table")

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


def median_economy(values: pd.DataFrame, economies: Sequence[str], start_year: int) -> pd.Series:
    """The median across ``economies`` of ``values`` (``iso3, year, value``) in each year from ``start_year``.

    Only the economies observed in *every* year from ``start_year`` to the last year any of them is
    observed count (a balanced panel, as for PWT's world): an economy whose data start late, or
    stop early, would otherwise move the median without any economy changing. Each economy counts
    once, whatever its size (PWT's world is weighted by employment).
    """
    rows = values[values["iso3"].isin(set(economies)) & (values["year"] >= start_year)].dropna(subset=["value"])
    if rows.empty:
        raise NoDataError(f"No economy has an observation from {start_year} on, so there is no median economy.")
    members = balanced_panel(rows, ["value"], start_year)
    if len(members) < MEDIAN_MIN_ECONOMIES:
        raise NoDataError(
            f"Only {len(members)} economies are observed in every year from {start_year} to "
            f"{int(rows['year'].max())}; a median needs at least {MEDIAN_MIN_ECONOMIES}."
        )
    panel = rows[rows["iso3"].isin(members)]
    return panel.groupby("year")["value"].median().rename(MEDIAN)


def median_panel(indicator: Indicator, panels: Panels) -> tuple[int, list[str]]:
    """(start year, economies) of the median economy's balanced panel for ``indicator``.

    PWT: the economies observed every year since :data:`WORLD_PANEL_START`, as for its world (so the
    two references differ only in weighting). WDI: the economies (not aggregates) observed every year
    since the series' first year.
    """
    values = panels.values(indicator)
    if indicator.source == "pwt":
        economies, start = sorted(set(values["iso3"])), WORLD_PANEL_START
    else:
        countries = panels.table("countries")
        economies = sorted(set(countries.loc[~countries["is_aggregate"], "iso3"]))
        start = int(values.loc[values["iso3"].isin(economies), "year"].min())
    rows = values[values["iso3"].isin(economies) & (values["year"] >= start)]
    return start, balanced_panel(rows, ["value"], start)


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
    """``"KOR"``, ``"wld"``, ``"median"`` or ``"frontier:KOR,JPN,USA"`` → a checked :class:`Reference`."""
    text = text.strip()
    if text.casefold() == MEDIAN:
        return Reference(MEDIAN, ())
    if text.casefold().startswith(FRONTIER_PREFIX):
        members = tuple(check_codes(text[len(FRONTIER_PREFIX) :], panels.known_codes(), "the countries table"))
        return Reference(FRONTIER_PREFIX + ",".join(members), members)
    if not text:
        raise InputError(f"Give a reference: an ISO3 code (KOR), an aggregate (WLD), {MEDIAN} or frontier:KOR,JPN,USA.")
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
    if reference.label == MEDIAN:
        start, members = median_panel(indicator, panels)
        return median_economy(panels.values(indicator), members, start)
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
