"""The one tolerance rule and the verdict vocabulary, against hand-worked examples."""

from __future__ import annotations

import math

import pytest

from analysis.claims import verdicts


@pytest.mark.parametrize(
    ("claimed", "printed", "quote", "band"),
    [
        # one decimal: half a unit is 0.05, 1 % of 12.1 is 0.121 → ±0.121
        (12.1, "12.1", "for Thailand is 12.1", (11.979, 12.221)),
        # two decimals: 1 % of 2.23 = 0.0223 beats half a unit (0.005)
        (2.23, "2.23", "the world average rate of 2.23%", (2.2077, 2.2523)),
        # an integer multiple: half a unit (0.5) is 17 % of 3, capped at 10 % → ±0.3
        (3.0, "3", "3 times lower than that of Malaysia", (2.7, 3.3)),
        # "over X" is one-sided: X or more
        (1600.0, "1,600", "over 1,600 S&T organizations", (1600.0, math.inf)),
        # qualifiers: "about" ±10 %, "nearly" below, "over" above
        (7.4, "7.4", "only has about 7.4 researchers", (6.66, 8.14)),
        (50.0, "50", "for nearly 50 years", (45.0, 50.0)),
    ],
)
def test_tolerance_hand_worked(claimed, printed, quote, band):
    assert verdicts.tolerance(claimed, printed, quote) == pytest.approx(band)


# Every qualifier phrase that occurs in the claims table, worked by hand.
@pytest.mark.parametrize(
    ("claimed", "printed", "quote", "band"),
    [
        (25.0, "25", "only accounting for about 25% of the total", (22.5, 27.5)),
        (2000.0, "2,000", "and about 2,000 S&T enterprises", (1800.0, 2200.0)),
        (50.0, "50", "for nearly 50 years", (45.0, 50.0)),
        (0.8, "0.8", "will reach a rate of over 0.8% of total", (0.8, math.inf)),
        (75.0, "75", "of which over 75% of equipment", (75.0, math.inf)),
        (2.0, "2", "Spending on STI not less than 2% of the total", (2.0, math.inf)),
        (8.5, "8.5", "growth rate of over 8.5 per cent", (8.5, math.inf)),
        (55.0, "55", "to economic growth will be above 55%", (55.0, math.inf)),
        (50.0, "50", "export value will reach at least 50%", (50.0, math.inf)),
        (5.0, "5", "At least 5 digital technology enterprises", (5.0, math.inf)),
        (80.0, "80", "online public services will exceed 80%", (80.0, math.inf)),
        (60.0, "60", "with over 60% from the private sector", (60.0, math.inf)),
        (0.7, "0.7", "Development Index (HDI) above 0.7", (0.7, math.inf)),
        (0.5, "0.5", "enterprises is only less than 0.5% of revenue", (-math.inf, 0.5)),
        (3.0, "three", "Vietnam will be among the top three in Southeast Asia", (-math.inf, 3.0)),
        (50.0, "50", "among the top 50 countries in the world", (-math.inf, 50.0)),
        # a range: the upper end takes the lower end's "about"
        (20.0, "20", "is only about 20 - 30%", (18.0, 22.0)),
        (30.0, "30", "is only about 20 - 30%", (27.0, 33.0)),
        (3.0, "3", "technology that is about 2-3 generations lower", (2.7, 3.3)),
        # no qualifier: the rounding band
        (12.0, "12", "resources will reach 12 people per ten thousand", (11.5, 12.5)),
    ],
)
def test_every_qualifier_phrase_hand_worked(claimed, printed, quote, band):
    assert verdicts.tolerance(claimed, printed, quote) == pytest.approx(band)


def test_decimals_and_qualifiers():
    assert verdicts.decimals("39.0") == 1 and verdicts.decimals("1,600") == 0 and verdicts.decimals("8.99") == 2
    assert verdicts.qualifier("only about 44.6%", "44.6") == "both"
    assert verdicts.qualifier("about 2,000 S&T enterprises", "2,000") == "both"
    assert verdicts.qualifier("rate of 2.23%", "2.23") == ""


def test_judge_each_rule():
    band = (9.0, 11.0)
    assert verdicts.judge("measure", band, 10.5) == "reproduced"
    assert verdicts.judge("measure", band, 12.0, search_value=10.9) == "matches-only-when-chosen"
    assert verdicts.judge("measure", band, 12.0, search_value=12.5) == "differs"
    assert verdicts.judge("measure", band, math.nan) == ""  # nothing recorded yet
    assert verdicts.judge("arithmetic", band, 10.0) == "arithmetic-consistent"
    assert verdicts.judge("arithmetic", band, 5.0) == "arithmetic-inconsistent"
    assert verdicts.judge("direction", band, 2.0) == "reproduced"
    assert verdicts.judge("direction", band, -2.0) == "contradicted"
    assert verdicts.judge("lower", band, -2.0) == "reproduced"
    assert verdicts.judge("lower", band, 2.0) == "contradicted"
    assert verdicts.judge("proxy", band) == "proxy-only"
    assert verdicts.judge("no-open-data", band) == "no-open-data"
    assert verdicts.judge("target", band, target_verdict="borderline") == "borderline"
    # all-of: reproduced only when every part is; one contradicted part contradicts the whole
    assert verdicts.judge("all-of", band, parts=("reproduced", "reproduced")) == "reproduced"
    assert verdicts.judge("all-of", band, parts=("reproduced", "contradicted")) == "contradicted"
    assert verdicts.judge("all-of", band, parts=()) == ""
    with pytest.raises(ValueError, match="Unknown rule 'guess'"):
        verdicts.judge("guess", band)


def test_a_search_never_reproduces():
    # However close the searched value, only the value at the basis can give `reproduced`.
    for searched in (10.0, 9.5, 11.0):
        assert verdicts.judge("measure", (9.0, 11.0), 20.0, search_value=searched) != "reproduced"


def test_vocabulary_is_defined_once():
    assert set(verdicts.VERDICTS) == set(verdicts.MEANINGS)
    assert all(set(v) <= set(verdicts.VERDICTS) for v in verdicts.RULES.values())
    assert all(text.endswith(".") for text in verdicts.MEANINGS.values())


def test_agreement_of_declared_assumptions():
    # The one rule every multi-assumption verdict uses (trend windows, threshold rates, TFP specifications).
    assert verdicts.agreement(["on-track", "on-track"]) == "on-track"
    assert verdicts.agreement(["off-track"]) == "off-track"
    assert verdicts.agreement(["on-track", "off-track", "on-track"]) == "borderline"
    assert verdicts.agreement(["achieved", "below-target"]) == "borderline"
    with pytest.raises(ValueError):
        verdicts.agreement([])
