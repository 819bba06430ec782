"""Growth accounting from the Penn World Table: how much of output growth is TFP.

- :mod:`~analysis.growth.specification`: periods and the one :class:`Specification` object
  (:data:`BASELINE`, :data:`PWT_METHOD`);
- :mod:`~analysis.growth.compute`: yearly components, period averages, comparisons, the check
  against PWT's ``rtfpna``;
- :mod:`~analysis.growth.fit`: searches over specifications and windows (reported, never the verdict);
- :mod:`~analysis.growth.claims`: the paper's TFP claims at their ruled basis;
- :mod:`~analysis.growth.vintage`: the same accounting on PWT 11.0 and PWT 10.01 (``--pwt-version``);
- :mod:`~analysis.growth.report`, :mod:`~analysis.growth.figures`: what the chapter shows;
- :mod:`~analysis.growth.cli`: ``python -m analysis growth``.
"""

from analysis.growth import vintage
from analysis.growth.compute import (
    CONTRIBUTION_LABELS,
    CONTRIBUTIONS,
    average_over_periods,
    blank_missing,
    compare,
    country_name,
    country_series,
    decompose,
    growth_components,
    has_variable,
    hours_per_worker,
    percent_table,
    rtfpna_check,
    sensitivity,
    shares_by_window,
    yearly,
)
from analysis.growth.fit import Fit, claim_check, fit_labour_share, rmse, specification_fits, with_baseline_row
from analysis.growth.specification import (
    BASELINE,
    CAPITAL_MEASURES,
    DECLARED_GRID,
    GRID_LABOUR_SHARES,
    LABOUR_INPUTS,
    PWT_LABOUR_SHARE,
    PWT_METHOD,
    Period,
    Specification,
    parse_labour_share,
    parse_period,
    parse_periods,
)

__all__ = [
    "BASELINE",
    "CAPITAL_MEASURES",
    "CONTRIBUTIONS",
    "CONTRIBUTION_LABELS",
    "DECLARED_GRID",
    "GRID_LABOUR_SHARES",
    "LABOUR_INPUTS",
    "PWT_LABOUR_SHARE",
    "PWT_METHOD",
    "Fit",
    "Period",
    "Specification",
    "average_over_periods",
    "blank_missing",
    "claim_check",
    "compare",
    "country_name",
    "country_series",
    "decompose",
    "fit_labour_share",
    "growth_components",
    "has_variable",
    "hours_per_worker",
    "parse_labour_share",
    "parse_period",
    "parse_periods",
    "percent_table",
    "rmse",
    "rtfpna_check",
    "sensitivity",
    "shares_by_window",
    "specification_fits",
    "vintage",
    "with_baseline_row",
    "yearly",
]
