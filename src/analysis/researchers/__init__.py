"""Researchers in R&D per 10,000 people: the paper's figures at their basis, breaks, and the 2030 target.

- :mod:`~analysis.researchers.compute`: conversion, observed densities, head counts, claims at their basis;
- :mod:`~analysis.researchers.report`: what the chapter shows (:func:`~analysis.researchers.report.report`);
- :mod:`~analysis.researchers.figures`: the chapter's figures; :mod:`~analysis.researchers.cli`: the command.
"""

from analysis.researchers.compute import (
    RESEARCHERS_PER_10K,
    claims_at_basis,
    headcount,
    headcount_table,
    latest_density,
    per_million_to_per_10k,
    rd_personnel,
    researcher_density,
)

__all__ = [
    "RESEARCHERS_PER_10K",
    "claims_at_basis",
    "headcount",
    "headcount_table",
    "latest_density",
    "per_million_to_per_10k",
    "rd_personnel",
    "researcher_density",
]
