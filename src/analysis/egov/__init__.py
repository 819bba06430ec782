"""The UN E-Government Survey: Viet Nam's E-Government Development Index (EGDI) and its ranks.

- :mod:`~analysis.egov.compute`: world and regional ranks, the index at a rank, the rank path;
- :mod:`~analysis.egov.report`, :mod:`~analysis.egov.figures`: what the targets chapter shows.

Ranks for surveys before 2022 are computed from the index among the 193 member states (the
Data360 export has no ranks); for 2022 and 2024 they equal the published ranks (tested).
"""

from analysis.egov.compute import (
    RANK_PATH_FROM,
    REGIONS,
    bar_path,
    computed_ranks,
    index_at_rank,
    rank_path,
    region_states,
    regional_rank,
    world_rank,
)

__all__ = [
    "RANK_PATH_FROM",
    "REGIONS",
    "bar_path",
    "computed_ranks",
    "index_at_rank",
    "rank_path",
    "region_states",
    "regional_rank",
    "world_rank",
]
