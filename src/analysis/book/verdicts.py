"""The verdict vocabulary of the claims ledger, defined once."""

from __future__ import annotations

VERDICTS = (
    "reproduced",
    "differs",
    "arithmetic-inconsistent",
    "not-reproducible-with-open-data",
    "not-yet-analysed",
    # for targets (kind = target): where the latest trend leads
    "on-track",
    "off-track",
    "cannot-be-measured",
)
