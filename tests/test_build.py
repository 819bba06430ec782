"""Raw → processed: tidy tables, schema checks, determinism."""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from analysis.data import build, load, registry, schemas
from analysis.errors import DataError, InputError

from .conftest import REPO_ROOT


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
    with pytest.raises(InputError, match="Unknown processed table 'gdp'. Available: countries, pwt, wdi"):
        load("gdp")
    with pytest.raises(DataError, match="Run `python -m analysis fetch` and then `python -m analysis build`"):
        load("pwt")


def test_build_is_byte_identical_and_refuses_corrupted_raw(tmp_repo):
    real_raw = REPO_ROOT / "data" / "raw"
    for src in registry.sources():
        target = tmp_repo / "data" / "raw" / src.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(real_raw / src.file, target)

    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in build.build()}
    second = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in build.build()}
    assert first == second and len(first) == 3

    (tmp_repo / "data" / "raw" / "wdi" / "wdi_countries.csv").write_text("iso3\nVNM\n")
    with pytest.raises(DataError, match="wdi_countries.csv is present but its sha256"):
        build.build()
