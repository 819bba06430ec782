"""What the data covers: which economies and years each source has for each variable.

- :mod:`~analysis.coverage.compute`: coverage counts, presence matrices, year lists, the source registry;
- :mod:`~analysis.coverage.report`: what the data-overview chapter shows; :mod:`~analysis.coverage.figures`.
"""

from analysis.coverage.compute import (
    PWT_GROWTH_VARIABLES,
    country_years,
    presence_matrix,
    sources_table,
    variable_coverage,
    wdi_series_table,
    years_with_data,
)

__all__ = [
    "PWT_GROWTH_VARIABLES",
    "country_years",
    "presence_matrix",
    "sources_table",
    "variable_coverage",
    "wdi_series_table",
    "years_with_data",
]
