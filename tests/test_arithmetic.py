"""The sources' own arithmetic: dates against the reference list, the congress chronology, the GII
split and the decade share of TFP as a growth-weighted mean (hand-worked examples and the texts)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.claims import arithmetic, verdicts
from analysis.claims import ledger as claims
from analysis.errors import DataError


@pytest.fixture(scope="module")
def claim_table():
    return claims.load_claims()


@pytest.mark.parametrize(("numeral", "value"), [("VII", 7), ("IX", 9), ("XI", 11), ("XIII", 13), ("XIV", 14)])
def test_roman_numerals(numeral, value):
    assert arithmetic.roman(numeral) == value


def test_dates_are_read_as_written():
    assert arithmetic.date_in("On May 15th, 2018, the Ministry") == 20180515
    assert arithmetic.date_in("dated December 10th, 2019, by") == 20191210
    assert arithmetic.date_in("On May 11, 2022, the Prime Minister") == 20220511
    with pytest.raises(DataError, match="No date"):
        arithmetic.date_in("in the year 2019")


def test_typed_dates_equal_their_quotes(claim_table):
    # The values typed into the claims table, read again from each quote by the parser.
    dated = claim_table[claim_table["unit"] == "date"]
    assert len(dated) == 2 * len(arithmetic.DATED_DOCUMENTS)
    for row in dated.itertuples():
        assert arithmetic.date_in(row.quote) == int(row.value), row.claim_id


def test_weighted_decade_share_by_hand():
    # 30 % of 1 point of growth and 50 % of 3 points: 0.3 + 1.5 = 1.8 of 4 points, i.e. 45 %.
    assert arithmetic.weighted_decade_share(30, 50, 1, 3) == pytest.approx(45)
    # Equal growth in both halves: the plain mean.
    assert arithmetic.weighted_decade_share(33.6, 45.2, 2, 2) == pytest.approx(39.4)


def test_paper_decade_share_needs_more_weight_on_its_first_half(claim_table):
    # 39.0 = w·33.6 + (1 − w)·45.2 gives w = 6.2 / 11.6 = 0.534; with WDI's growth, 2011–2015 had
    # 30.9 of the decade's 62.2 points (0.496), so the weighted mean is 39.44, outside 39.0 ± 0.39.
    growth = pd.Series([6.41, 5.50, 5.55, 6.42, 6.99, 6.69, 6.94, 7.47, 7.36, 2.87], index=range(2011, 2021))
    checked = dict((c[0], c[1]) for c in arithmetic.checks(claim_table, growth))
    value = checked[arithmetic.TFP_DECADE]
    assert value == pytest.approx((33.6 * 30.87 + 45.2 * 31.33) / 62.2, abs=0.01)
    band = verdicts.tolerance(39.0, "39.0")
    assert not verdicts.within(value, band)
    assert arithmetic.TFP_DECADE not in dict((c[0], c[1]) for c in arithmetic.checks(claim_table))


def test_text_checks_by_hand(claim_table):
    checked = {c[0]: c[1] for c in arithmetic.checks(claim_table)}
    # Circular 17/2019: December 15th in the text, December 10th in the reference list.
    assert checked["paper.circular17.date"] == 20191210
    assert checked["paper.circular17.date.references"] == 20191215
    assert checked["paper.circular03.date"] == checked["paper.circular03.date.references"] == 20180515
    # IX (2001), X (2006), ... every five years: the 1996 congress is the VIII, not the VII.
    assert checked["paper.party.congress_1996_ordinal"] == 8
    # November 2013 falls between the XI congress (2011) and the XII (2016).
    assert checked["paper.party.plenum8_term"] == 11
    # 7 groups: (1)–(5) inputs, (6) and (7) outputs.
    assert (checked["paper.gii.input_groups"], checked["paper.gii.output_groups"]) == (5, 2)


def test_labels_are_judged_exactly(claim_table):
    bands = claims.bands(claim_table).set_index("claim_id")
    low, high = bands.loc["paper.circular17.date"]
    assert (low, high) == (20191214.5, 20191215.5)  # one day off is a different date
    assert tuple(bands.loc["paper.party.congress_1996_ordinal"]) == (6.5, 7.5)
    # A measurement keeps the tolerance rule (39.0: ±1 % of the claim).
    assert tuple(bands.loc["paper.tfp_share.vnm.2011_2020"]) == pytest.approx((38.61, 39.39))
    assert not math.isinf(high)


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (20191215, "date", "2019-12-15"),
        (20180501, "date", "2018-05-01"),
        (2009, "year", "2009"),
        (7, "ordinal", "VII"),
        (8, "ordinal", "VIII"),
        (14, "ordinal", "XIV"),
        (19, "ordinal", "XIX"),
    ],
)
def test_labels_are_written_as_readers_write_them(value, unit, written):
    from analysis.ledger_page.report import label

    assert label(value, unit) == written
    if unit == "ordinal":  # and the parser reads the numeral back
        assert arithmetic.roman(written) == value
