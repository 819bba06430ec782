"""ILOSTAT output per worker (November 2022 vintage, 2017 PPP): the processed table and the productivity column."""

from __future__ import annotations

import csv

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.claims.ledger import load_claims, load_rules
from analysis.data import build, load, registry, schemas
from analysis.errors import DataError, InputError
from analysis.productivity import compute
from analysis.productivity import report as productivity_report

ILO_FILE = "ilostat/GDP_211P_NOC_NB_A-full-2023-10-18.csv"


@pytest.fixture(scope="module")
def ilo() -> pd.DataFrame:
    return load("ilo_productivity")


def _raw(iso3: str, year: int) -> float:
    with open(registry.registry_path().parent / ILO_FILE, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["ref_area"] == iso3 and row["time"] == str(year):
                return float(row["obs_value"])
    raise AssertionError(f"{iso3} {year} not in the raw file")


def test_table_covers_the_file_and_equals_it(ilo):
    # MANIFEST §5: 8,666 rows, 271 areas, 1991-2022; Viet Nam 17,793.73 in 2019
    assert (len(ilo), ilo["iso3"].nunique(), ilo["year"].min(), ilo["year"].max()) == (8666, 271, 1991, 2022)
    vnm = ilo.set_index(["iso3", "year"])["output_per_worker_ppp_2017usd"]
    assert vnm[("VNM", 2019)] == 17793.73 and vnm[("VNM", 2022)] == 20128.57
    for iso3, year in (("SGP", 2020), ("THA", 1991), ("X01", 2005)):
        assert vnm[(iso3, year)] == _raw(iso3, year)
    assert ilo.set_index("iso3")["is_aggregate"].groupby(level=0).first()[["X01", "VNM"]].tolist() == [True, False]


def test_schema_rejects_non_positive_output_and_duplicates(ilo):
    bad = ilo.head(2).copy()
    bad["output_per_worker_ppp_2017usd"] = [1.0, 0.0]
    with pytest.raises(pa.errors.SchemaErrors, match="output_per_worker"):
        schemas.ILO_PRODUCTIVITY_SCHEMA.validate(bad, lazy=True)
    with pytest.raises(pa.errors.SchemaErrors):
        schemas.ILO_PRODUCTIVITY_SCHEMA.validate(pd.concat([ilo.head(1), ilo.head(1)], ignore_index=True), lazy=True)


def test_another_indicator_is_refused():
    raw = pd.DataFrame(
        {"ref_area": ["VNM"], "ref_area.label": ["Viet Nam"], "indicator": ["GDP_2HRW_NOC_NB"], "time": [2020]}
        | {"obs_value": [1.0]}
    )
    with pytest.raises(DataError, match="not only GDP_211P_NOC_NB"):
        build.tidy_ilo(raw)


@pytest.fixture(scope="module")
def productivity(pwt, wdi, countries):
    claims = load_claims()
    return productivity_report.report(
        pwt, wdi, countries, claims, load_rules(claims), "VNM", ["SGP", "MYS", "THA"], [2019, 2020, 2021], 2000
    )


def test_ilo_column_equals_a_hand_ratio_of_the_raw_file(ilo, productivity):
    ratios = compute.ilo_vintage_ratios(ilo, productivity.matches, "VNM").set_index("claim_id")
    assert list(ratios.index) == [
        "paper.productivity.ppp.sgp",
        "paper.productivity.ppp.mys",
        "paper.productivity.ppp.tha",
    ]
    for claim_id, peer in (("paper.productivity.ppp.sgp", "SGP"), ("paper.productivity.ppp.tha", "THA")):
        year = int(ratios.loc[claim_id, "claim_year"])
        assert ratios.loc[claim_id, "ilo_2017ppp"] == pytest.approx(
            100 * _raw("VNM", year) / _raw(peer, year), rel=1e-12
        )
    # the WDI column is the verdict's basis, unchanged: the value on the stated basis
    stated = productivity.matches.set_index("claim_id")["as_stated"]
    assert (ratios["wdi_2021ppp"] == stated[ratios.index]).all()


def test_vintage_table_and_glue_values(ilo, productivity):
    table = productivity_report.vintage_table(productivity, ilo)
    assert list(table["Peer"]) == ["Singapore", "Malaysia", "Thailand"]
    assert list(table.columns)[3] == "WDI today, 2021 PPP (verdict basis)"
    values = productivity_report.vintage_values(productivity, ilo)
    assert (values["ilo_vintage"], values["ilo_ppp_round"]) == ("November 2022", "2017")
    assert f"ppp_{compute.ILO_PPP_ROUND}usd" in compute.ILO_COLUMN  # the round is the column's unit
    assert values["ilo_ppp_sgp"] == f"{table.loc[0, 'ILO November 2022, 2017 PPP']:.2f}"


def test_a_year_outside_the_vintage_is_explained(ilo, productivity):
    late = productivity.matches.assign(claim_year=2023)
    with pytest.raises(InputError, match="no output per worker for VNM or SGP in 2023"):
        compute.ilo_vintage_ratios(ilo, late, "VNM")
