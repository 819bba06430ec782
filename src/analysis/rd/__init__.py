"""R&D spending: intensity at the paper's basis, the paper's ratio and budget shares, the 2030 target in money.

- :mod:`~analysis.rd.compute`: R&D intensity, budget-share arithmetic, the target in money;
- :mod:`~analysis.rd.report`: what the chapter shows (:func:`~analysis.rd.report.report`);
- :mod:`~analysis.rd.figures`: the chapter's figures; :mod:`~analysis.rd.cli`: the ``rd`` command.
"""

from analysis.rd.compute import (
    RD_PCT_GDP,
    RdMoney,
    budget_share_gaps,
    inverse_ratio,
    latest_rd,
    rd_intensity,
    rd_money,
    rd_money_paths,
    rd_money_table,
    share_of_reference,
)

__all__ = [
    "RD_PCT_GDP",
    "RdMoney",
    "budget_share_gaps",
    "inverse_ratio",
    "latest_rd",
    "rd_intensity",
    "rd_money",
    "rd_money_paths",
    "rd_money_table",
    "share_of_reference",
]
