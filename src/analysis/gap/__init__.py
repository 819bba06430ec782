"""Technology gap: how many years, and how many technology "generations", a country is behind.

The measure is Sicherl's time distance (Sicherl 2012, *Time Distance in Economics and
Statistics*): how many years ago a reference economy stood where the country stands now.
References are an economy or aggregate code (``KOR``, ``WLD``) or a frontier ``frontier:KOR,JPN,USA``
(the maximum over the group in each year) or ``median`` (the median economy, unweighted, over a
balanced panel). Penn World Table has no aggregates; for its
indicators ``WLD`` is the ratio of sums over a balanced panel since :data:`WORLD_PANEL_START`.

Modules: :mod:`.indicators` (what is measured), :mod:`.panels` (data and references),
:mod:`.compute` (time distance, generations, forward view, structure snapshot), :mod:`.generation`
(the generation length the paper's own words imply), :mod:`.text`
(words for distances), :mod:`.tables` (reader tables), :mod:`.report` (what the chapter shows),
:mod:`.figures`, :mod:`.cli`.
"""

from __future__ import annotations

from .compute import (
    COLUMNS,
    LESS_THAN,
    MORE_THAN,
    NO_DATA,
    NOT_CENSORED,
    ForwardView,
    TimeDistance,
    country_level,
    forward_table,
    forward_view,
    gap,
    gap_table,
    generation_range,
    generations,
    interpolate_year,
    latest_values,
    percentile_rank,
    ranges_overlap,
    structure_snapshot,
    time_distance,
    with_generations,
)
from .generation import PAPER_YEAR, ImpliedGeneration, decade_in, implied_generation, relation
from .indicators import (
    CHAPTER_INDICATORS,
    INTERPOLATIONS,
    LINEAR,
    LOG_LINEAR,
    Indicator,
    get_indicator,
    indicator_catalogue,
    indicator_table,
)
from .panels import (
    FRONTIER_PREFIX,
    MEDIAN,
    WORLD,
    WORLD_PANEL_START,
    NoDataError,
    Panels,
    Reference,
    balanced_panel,
    frontier,
    median_economy,
    median_panel,
    parse_reference,
    reference_series,
    world_aggregate,
    world_panel_coverage,
)
from .text import describe_years, format_distance, format_generation_range, format_reference_year

__all__ = [
    "CHAPTER_INDICATORS",
    "COLUMNS",
    "FRONTIER_PREFIX",
    "INTERPOLATIONS",
    "LESS_THAN",
    "LINEAR",
    "LOG_LINEAR",
    "MEDIAN",
    "MORE_THAN",
    "NOT_CENSORED",
    "NO_DATA",
    "PAPER_YEAR",
    "WORLD",
    "WORLD_PANEL_START",
    "ForwardView",
    "ImpliedGeneration",
    "Indicator",
    "NoDataError",
    "Panels",
    "Reference",
    "TimeDistance",
    "balanced_panel",
    "country_level",
    "decade_in",
    "describe_years",
    "format_distance",
    "format_generation_range",
    "format_reference_year",
    "forward_table",
    "forward_view",
    "frontier",
    "gap",
    "gap_table",
    "generation_range",
    "generations",
    "implied_generation",
    "get_indicator",
    "indicator_catalogue",
    "indicator_table",
    "interpolate_year",
    "latest_values",
    "median_economy",
    "median_panel",
    "parse_reference",
    "percentile_rank",
    "ranges_overlap",
    "reference_series",
    "relation",
    "structure_snapshot",
    "time_distance",
    "with_generations",
    "world_aggregate",
    "world_panel_coverage",
]
