"""The one tolerance rule and the verdict vocabulary, against hand-worked examples."""

from __future__ import annotations

import math

import pytest

from analysis.book import verdicts


@pytest.mark.parametrize(
    ("claimed", "printed", "quote", "band"),
    [
        # one decimal: half a unit is 0.05, 1 % of 12.1 is 0.121 → ±0.121
        (12.1, "12.1", "for Thailand is 12.1", (11.979, 12.221)),
        # two decimals: 1 % of 2.23 = 0.0223 beats half a unit (0.005)
        (2.23, "2.23", "the world average rate of 2.23%", (2.2077, 2.2523)),
        # an integer multiple: half a unit (0.5) is 17 % of 3, capped at 10 % → ±0.3
        (3.0, "3", "3 times lower than that of Malaysia", (2.7, 3.3)),
        # 1,600 is a whole number: 1 % (16) beats half a unit
        (1600.0, "1,600", "over 1,600 S&T organizations", (1600.0, 1760.0)),
        # qualifiers: "about" ±10 %, "nearly" below, "over" above
        (7.4, "7.4", "only has about 7.4 researchers", (6.66, 8.14)),
        (50.0, "50", "for nearly 50 years", (45.0, 50.0)),
    ],
)
def test_tolerance_hand_worked(claimed, printed, quote, band):
    assert verdicts.tolerance(claimed, printed, quote) == pytest.approx(band)


def test_decimals_and_qualifiers():
    assert verdicts.decimals("39.0") == 1 and verdicts.decimals("1,600") == 0 and verdicts.decimals("8.99") == 2
    assert verdicts.qualifier("only about 44.6%", "44.6") == "both"
    assert verdicts.qualifier("about 2,000 S&T enterprises", "2,000") == "both"
    assert verdicts.qualifier("rate of 2.23%", "2.23") == ""


def test_judge_each_rule():
    band = (9.0, 11.0)
    assert verdicts.judge("measure", 10, band, 10.5) == "reproduced"
    assert verdicts.judge("measure", 10, band, 12.0, search_value=10.9) == "matches-only-when-chosen"
    assert verdicts.judge("measure", 10, band, 12.0, search_value=12.5) == "differs"
    assert verdicts.judge("measure", 10, band, math.nan) == ""  # nothing recorded yet
    assert verdicts.judge("arithmetic", 10, band, 10.0) == "arithmetic-consistent"
    assert verdicts.judge("arithmetic", 10, band, 5.0) == "arithmetic-inconsistent"
    assert verdicts.judge("direction", math.nan, band, 2.0) == "reproduced"
    assert verdicts.judge("direction", math.nan, band, -2.0) == "contradicted"
    assert verdicts.judge("lower", math.nan, band, -2.0) == "reproduced"
    assert verdicts.judge("lower", math.nan, band, 2.0) == "contradicted"
    assert verdicts.judge("proxy", 2, band) == "proxy-only"
    assert verdicts.judge("no-open-data", 2, band) == "no-open-data"
    assert verdicts.judge("target", 2, band, target_verdict="borderline") == "borderline"
    with pytest.raises(ValueError, match="Unknown rule 'guess'"):
        verdicts.judge("guess", 1, band)


def test_a_search_never_reproduces():
    # However close the searched value, only the value at the basis can give `reproduced`.
    for searched in (10.0, 9.5, 11.0):
        assert verdicts.judge("measure", 10, (9.0, 11.0), 20.0, search_value=searched) != "reproduced"


def test_vocabulary_is_defined_once():
    assert set(verdicts.VERDICTS) == set(verdicts.MEANINGS)
    assert all(set(v) <= set(verdicts.VERDICTS) for v in verdicts.RULES.values())
    assert all(text.endswith(".") for text in verdicts.MEANINGS.values())
