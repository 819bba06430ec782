"""The one trend engine: sparse series, breaks, growth rates, windows, targets and projections.

- :mod:`analysis.trends.rates`: growth-rate arithmetic (compound, required, log-linear, target years);
- :mod:`analysis.trends.sparse`: series observed in scattered years (what exists, breaks, published-figure search);
- :mod:`analysis.trends.outlook`: the declared trend windows and methods, and where a series stands against a target.

Every chapter and the target tracker (:mod:`analysis.targets`) call these; none re-implements them.
"""

from analysis.trends.rates import cagr, log_linear_fit, log_trend_growth, required_cagr, value_at, year_reaching

__all__ = ["cagr", "log_linear_fit", "log_trend_growth", "required_cagr", "value_at", "year_reaching"]
