"""Raw → processed: tidy tables, schema checks, determinism."""

from __future__ import annotations

import csv
import hashlib
import shutil

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.data import build, load, registry, schemas
from analysis.errors import DataError, InputError

from .conftest import REPO_ROOT

HDR_FILE = "hdr/HDR23-24_Composite_indices_complete_time_series.csv"


def test_processed_tables_match_the_sources(pwt, wdi, countries):
    # PWT 11.0: 185 economies, 1950-2023, 13,690 rows (the release's documented shape).
    assert (pwt["iso3"].nunique(), pwt["year"].min(), pwt["year"].max(), len(pwt)) == (185, 1950, 2023, 13690)
    # Spot values printed in the PWT 11.0 manifest (float32 stored values, printed exactly).
    vnm = pwt.set_index(["iso3", "year"]).loc["VNM"]
    assert vnm.loc[2015, "rgdpna"] == 877314.5
    assert vnm.loc[2023, "emp"] == pytest.approx(54.9557991027832, rel=1e-15)
    # WDI: 265 codes, 48 of them aggregates; VNM R&D 0.419 % of GDP in 2017 (2026-07-13 vintage).
    assert len(countries) == 265 and countries["is_aggregate"].sum() == 48
    rd = wdi.set_index(["iso3", "year"])["rd_expenditure_pct_gdp"]
    assert rd.loc[("VNM", 2017)] == pytest.approx(0.419, abs=5e-4)
    assert rd.loc[("WLD", 2019)] == pytest.approx(2.263, abs=5e-4)


def test_wdi_panel_has_one_column_per_registered_series(wdi):
    expected = ["iso3", "country", "year", *[s.column for s in registry.wdi_series()]]
    assert list(wdi.columns) == expected


def test_tidy_wdi_pivots_without_inventing_values():
    extract = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "BBB"],
            "country": ["Aland", "Aland", "Bland"],
            "indicator": ["GB.XPD.RSDV.GD.ZS", "SP.POP.TOTL", "SP.POP.TOTL"],
            "year": [2000, 2001, 2000],
            "value": [1.5, 10.0, 20.0],
        }
    )
    wide = build.tidy_wdi(extract).set_index(["iso3", "year"])
    assert wide.loc[("AAA", 2000), "rd_expenditure_pct_gdp"] == 1.5
    assert np.isnan(wide.loc[("AAA", 2001), "rd_expenditure_pct_gdp"])  # not filled
    assert len(wide) == 3


def test_tidy_wdi_rejects_unregistered_series():
    extract = pd.DataFrame(
        {"iso3": ["AAA"], "country": ["A"], "indicator": ["XX.UNKNOWN"], "year": [2000], "value": [1.0]}
    )
    with pytest.raises(DataError, match="not in the registry: \\['XX.UNKNOWN'\\]"):
        build.tidy_wdi(extract)


def test_schema_rejects_out_of_range_and_duplicate_keys(pwt):
    bad = pwt.head(3).copy()
    bad.loc[bad.index[0], "labsh"] = 1.7  # a labour share above one
    with pytest.raises(pa.errors.SchemaErrors, match="labsh"):
        schemas.PWT_SCHEMA.validate(bad, lazy=True)
    duplicated = pd.concat([pwt.head(1), pwt.head(1)], ignore_index=True)
    with pytest.raises(pa.errors.SchemaErrors, match="iso3.*year|unique"):
        schemas.PWT_SCHEMA.validate(duplicated, lazy=True)


def test_wdi_schema_rejects_a_share_above_100(wdi):
    bad = wdi.head(2).copy()
    bad["internet_users_pct"] = [50.0, 150.0]
    with pytest.raises(pa.errors.SchemaErrors, match="internet_users_pct"):
        schemas.wdi_schema().validate(bad, lazy=True)


def test_unknown_table_and_missing_table_are_explained(tmp_repo):
    with pytest.raises(
        InputError,
        match="Unknown processed table 'gdp'. Available: countries, egov, hdr, ilo_productivity, pwt, pwt1001, wdi",
    ):
        load("gdp")
    with pytest.raises(DataError, match="Run `python -m analysis fetch` and then `python -m analysis build`"):
        load("pwt")


def test_build_is_byte_identical_and_refuses_corrupted_raw(tmp_repo):
    real_raw = REPO_ROOT / "data" / "raw"
    for src in registry.sources():
        target = tmp_repo / "data" / "raw" / src.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_raw / src.file, target)
    shutil.copyfile(real_raw / build.EGOV_NAMES_FILE, tmp_repo / "data" / "raw" / build.EGOV_NAMES_FILE)

    first = {b.path.name: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in build.build()}
    rebuilt = build.build(force=True)
    assert {b.action for b in rebuilt} == {"wrote"}
    second = {b.path.name: hashlib.sha256(b.path.read_bytes()).hexdigest() for b in rebuilt}
    assert first == second and len(first) == 7

    (tmp_repo / "data" / "raw" / "wdi" / "wdi_countries.csv").write_text("iso3\nVNM\n")
    with pytest.raises(DataError, match="wdi_countries.csv is present but its sha256"):
        build.build()


# --- HDR and the WDI supplement, each value read back independently from the raw file -------------


def _hdr_raw_row(iso3: str) -> dict[str, str]:
    with open(REPO_ROOT / "data" / "raw" / HDR_FILE, encoding="latin-1", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["iso3"] == iso3)


def _hdr() -> pd.DataFrame:
    return load("hdr")


def test_hdr_values_equal_the_raw_file_read_with_the_csv_module():
    hdr = _hdr().set_index(["iso3", "year"])
    raw = _hdr_raw_row("VNM")
    # The manifest's spot values: Viet Nam HDI 0.726 (2022), 0.718 (2021), 0.726 (2020).
    assert (float(raw["hdi_2022"]), float(raw["hdi_2021"]), float(raw["hdi_2020"])) == (0.726, 0.718, 0.726)
    for year in (1990, 2010, 2022):
        assert hdr.loc[("VNM", year), "hdi"] == float(raw[f"hdi_{year}"])
        assert hdr.loc[("VNM", year), "life_expectancy_years"] == float(raw[f"le_{year}"])
        assert hdr.loc[("VNM", year), "mean_years_schooling"] == float(raw[f"mys_{year}"])
        assert hdr.loc[("VNM", year), "gni_per_capita_ppp_2017usd"] == float(raw[f"gnipc_{year}"])
    assert hdr.loc[("VNM", 2022), "hdi_group_2022"] == raw["hdicode"] == "High"
    # A Latin-1 name decoded correctly, and an HDR aggregate kept and flagged.
    assert _hdr_raw_row("CIV")["country"] == "C\u00f4te d'Ivoire"
    assert hdr.loc[("CIV", 2022), "country"] == "C\u00f4te d'Ivoire"
    assert hdr.loc[("ZZK.WORLD", 2022), "is_aggregate"] and not hdr.loc[("VNM", 2022), "is_aggregate"]


def test_hdr_covers_the_release():
    hdr = _hdr()
    # 206 rows in the file (195 economies + 11 aggregates), every one with life expectancy 1990-2022.
    assert hdr["iso3"].nunique() == 206 and hdr["is_aggregate"].sum() == 11 * 33
    assert (hdr["year"].min(), hdr["year"].max()) == (1990, 2022)
    assert list(hdr.columns) == [
        "iso3",
        "country",
        "is_aggregate",
        "hdi_group_2022",
        "year",
        *schemas.HDR_INDICATORS.values(),
    ]


def test_tidy_hdr_melts_without_inventing_values():
    raw = pd.DataFrame(
        {
            "iso3": ["AAA", "ZZK.WORLD"],
            "country": ["Aland", "World"],
            "hdicode": ["High", None],
            **{f"{p}_{y}": [None, None] for p in schemas.HDR_INDICATORS for y in (2000, 2001)},
        }
    )
    raw["hdi_2000"] = [0.5, 0.6]
    raw["le_2001"] = [70.0, None]
    raw["hdi_f_2000"] = [0.9, 0.9]  # a longer prefix must not be read as "hdi"
    tidy = build.tidy_hdr(raw).set_index(["iso3", "year"])
    assert sorted(tidy.index) == [("AAA", 2000), ("AAA", 2001), ("ZZK.WORLD", 2000)]  # all-missing row dropped
    assert tidy.loc[("AAA", 2000), "hdi"] == 0.5 and np.isnan(tidy.loc[("AAA", 2001), "hdi"])
    assert tidy.loc[("AAA", 2001), "life_expectancy_years"] == 70.0
    assert tidy.loc[("ZZK.WORLD", 2000), "is_aggregate"] and tidy.loc[("ZZK.WORLD", 2000), "hdi_group_2022"] is None


def test_hdr_schema_rejects_bad_values():
    hdr = _hdr().head(3).copy()
    bad = hdr.copy()
    bad.loc[bad.index[0], "hdi"] = 1.2
    with pytest.raises(pa.errors.SchemaErrors, match="hdi"):
        schemas.HDR_SCHEMA.validate(bad, lazy=True)
    with pytest.raises(pa.errors.SchemaErrors, match="unique|iso3"):
        schemas.HDR_SCHEMA.validate(pd.concat([hdr.head(1), hdr.head(1)], ignore_index=True), lazy=True)
    bad = hdr.copy()
    bad.loc[bad.index[0], "hdi_group_2022"] = "Very high"  # not UNDP's spelling
    with pytest.raises(pa.errors.SchemaErrors, match="hdi_group_2022"):
        schemas.HDR_SCHEMA.validate(bad, lazy=True)


def test_wdi_supplement_series_are_in_the_panel(wdi):
    expected = {}
    with open(REPO_ROOT / "data" / "raw" / "wdi" / "wdi_extract_supplement.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] == "VNM" and row["year"] == "2022":
                expected[row["indicator"]] = float(row["value"])
    assert set(expected) == {"TX.VAL.MRCH.CD.WT", "NV.IND.TOTL.ZS", "NY.GNP.PCAP.CD"}
    columns = {s.code: s.column for s in registry.wdi_series()}
    row = wdi.set_index(["iso3", "year"]).loc[("VNM", 2022)]
    for code, value in expected.items():
        assert row[columns[code]] == value
    assert columns["NY.GNP.PCAP.CD"] == "gni_per_capita_atlas_usd"
    assert columns["TX.VAL.MRCH.CD.WT"] == "merchandise_exports_usd"
    assert columns["NV.IND.TOTL.ZS"] == "industry_value_added_pct_gdp"
    # The income group used for "lower-middle -> upper-middle income" (current classification).
    assert load("countries").set_index("iso3").loc["VNM", "income_group"] == "Upper middle income"
