"""Labour productivity on three bases, and a country's productivity as a fraction of its peers'.

- :mod:`~analysis.productivity.compute`: levels per basis, ratios, the paper's ratio claims at their basis;
- :mod:`~analysis.productivity.report`, :mod:`~analysis.productivity.figures`: what the chapter shows;
- :mod:`~analysis.productivity.cli`: ``python -m analysis productivity``.
"""

from analysis.productivity.compute import (
    BASES,
    BASIS_TITLES,
    LEVEL_UNITS,
    STATED_BASIS,
    as_claimed,
    as_ratio,
    check_peers,
    ilo_vintage_ratios,
    level_table,
    match_claims,
    per_hour_levels,
    productivity_levels,
    productivity_ratios,
    ratio_panel,
    ratios_all_bases,
)

__all__ = [
    "BASES",
    "BASIS_TITLES",
    "LEVEL_UNITS",
    "STATED_BASIS",
    "as_claimed",
    "as_ratio",
    "check_peers",
    "ilo_vintage_ratios",
    "level_table",
    "match_claims",
    "per_hour_levels",
    "productivity_levels",
    "productivity_ratios",
    "ratio_panel",
    "ratios_all_bases",
]
