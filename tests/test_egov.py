"""UN E-Government Survey: registry, name table, processed table, ranks and the two Resolution 57 targets."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pandera.pandas as pa
import pytest

from analysis import egov
from analysis.countries import SOUTHEAST_ASIA
from analysis.data import build, fetch, load, registry, schemas
from analysis.errors import DataError, InputError
from analysis.io import sha256_of

from .conftest import REPO_ROOT

NAMES = REPO_ROOT / "data" / "raw" / "egov_country_names.csv"
# Pins and sizes as MANIFEST.md §5 of the mirror states them (typed from it, not from the registry).
MANIFEST = {
    "egov/EGOV_DATA_2024.csv": ("aabc9b5df7f701a9b925914051fc5f3d6770533bea70675f7f988172201c5adc", 11934),
    "egov/EGOV_DATA_2022.csv": ("b5743c688b0b6baa463e3cd215a4990e3d0a388aeddf927169396c8b90363bd7", 11934),
    "egov/UN_EGDI_EGDI_WIDEF.csv": ("28af46e4abaa970519ae19cdc53ff8b785cd17ea2af0a0d1e19ee78ac398ff72", 49346),
    "ilostat/GDP_211P_NOC_NB_A-full-2023-10-18.csv": (
        "c3d6a91535293812263f3df756eb4f85dd0dfd537f9a932dc95302beac2d00ee",
        1682224,
    ),
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return load("egov")


def _raw_rows(file: str) -> list[dict[str, str]]:
    with open(registry.registry_path().parent / file, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- registry ------------------------------------------------------------------------------------


def test_registry_pins_the_manifest_hashes_and_sizes(mirror_dir):
    by_file = {s.file: s for s in registry.sources()}
    for file, (sha, size) in MANIFEST.items():
        src = by_file[file]
        assert (src.sha256, src.bytes) == (sha, size)
        assert sha256_of(mirror_dir / file) == sha and (mirror_dir / file).stat().st_size == size
        assert src.licence and src.citation and src.url.startswith("https://") and src.note
    assert "not byte-identical" in by_file["egov/EGOV_DATA_2024.csv"].note.lower()
    assert by_file["ilostat/GDP_211P_NOC_NB_A-full-2023-10-18.csv"].licence == "CC BY 4.0"


def test_note_is_optional_and_typed(tmp_repo):
    assert registry.source("pwt110").note == ""
    path = tmp_repo / "data" / "raw" / "sources.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('bibkey = "pwt110"', 'bibkey = "pwt110"\nnote = 3'))
    with pytest.raises(DataError, match="note"):
        registry.sources()


def test_a_missing_egov_file_is_a_one_line_error(tmp_repo):
    with pytest.raises(DataError, match=r"data/raw/pwt/pwt110.dta .* is missing"):
        fetch.verify()
    src = registry.source("egov_2024")
    for other in registry.sources():
        target = tmp_repo / "data" / "raw" / other.file
        target.parent.mkdir(parents=True, exist_ok=True)
        if other.id != "egov_2024":
            shutil.copyfile(REPO_ROOT / "data" / "raw" / other.file, target)
    with pytest.raises(DataError) as caught:
        fetch.verify()
    assert "EGOV_DATA_2024.csv" in str(caught.value) and "\n" not in str(caught.value)
    (tmp_repo / "data" / "raw" / src.file).write_text("Survey Year\n2024\n")
    with pytest.raises(DataError, match="EGOV_DATA_2024.csv is present but its sha256"):
        fetch.verify()


# --- the name table --------------------------------------------------------------------------------


def test_every_un_name_of_both_surveys_is_mapped_once():
    names = pd.read_csv(NAMES, dtype=str, keep_default_na=False)
    assert list(names.columns) == ["un_name", "iso3"]
    assert not names["un_name"].duplicated().any() and not names["iso3"].duplicated().any()
    assert names["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    for file in ("egov/EGOV_DATA_2024.csv", "egov/EGOV_DATA_2022.csv"):
        surveyed = [row["Country Name"] for row in _raw_rows(file)]
        assert len(surveyed) == len(set(surveyed)) == 193
        assert set(surveyed) == set(names["un_name"])
    # the codes are those of the Data360 export, which codes the same 193 states
    assert set(names["iso3"]) == {row["REF_AREA"] for row in _raw_rows("egov/UN_EGDI_EGDI_WIDEF.csv")}
    by_name = names.set_index("un_name")["iso3"]
    assert by_name["Viet Nam"] == "VNM" and by_name["Republic of Korea"] == "KOR"
    assert by_name["Türkiye"] == "TUR" and by_name["Democratic People's Republic of Korea"] == "PRK"


def test_a_name_missing_from_the_table_is_a_one_line_error():
    names = pd.DataFrame({"un_name": ["Viet Nam"], "iso3": ["VNM"]})
    with pytest.raises(DataError, match=r"missing from data/raw/egov_country_names.csv: \['Atlantis'\]"):
        build.egov_names_to_iso3(pd.Series(["Viet Nam", "Atlantis"]), names, "A survey file")


# --- the processed table -------------------------------------------------------------------------


def test_table_equals_the_raw_files(table):
    rows = table.set_index(["iso3", "survey_year"])
    names = pd.read_csv(NAMES, dtype=str, keep_default_na=False).set_index("un_name")["iso3"]
    for year in (2022, 2024):
        for raw in _raw_rows(f"egov/EGOV_DATA_{year}.csv"):
            got = rows.loc[(names[raw["Country Name"]], year)]
            assert got["egdi"] == float(raw["E-Government Index"]) and got["rank"] == int(raw["E-Government Rank"])
    for raw in _raw_rows("egov/UN_EGDI_EGDI_WIDEF.csv"):
        for year in (2003, 2016, 2022, 2024):  # the Data360 export equals the survey files where both exist
            assert rows.loc[(raw["REF_AREA"], year), "egdi"] == float(raw[str(year)])
    assert table.groupby("survey_year").size().eq(193).all()
    assert table.loc[table["survey_year"] < 2022, "rank"].isna().all()
    assert set(table.loc[table["survey_year"] >= 2022, "source"]) == {"egov_2022", "egov_2024"}


def test_schema_rejects_bad_values(table):
    bad = table.head(2).copy()
    bad["egdi"] = [0.5, 1.2]
    with pytest.raises(pa.errors.SchemaErrors, match="egdi"):
        schemas.EGOV_SCHEMA.validate(bad, lazy=True)
    with pytest.raises(pa.errors.SchemaErrors):
        schemas.EGOV_SCHEMA.validate(pd.concat([table.head(1), table.head(1)], ignore_index=True), lazy=True)


# --- ranks ------------------------------------------------------------------------------------------


def test_computed_ranks_equal_the_published_ranks(table):
    for year in (2022, 2024):
        published = table[table["survey_year"] == year].set_index("iso3")["rank"].astype("int64")
        computed = egov.computed_ranks(table, year)
        assert computed.reindex(published.index).eq(published).all()


def test_viet_nam_ranks_and_index(table):
    assert egov.world_rank(table, "VNM", 2024) == 71 and egov.world_rank(table, "VNM", 2022) == 86
    assert table.set_index(["iso3", "survey_year"]).loc[("VNM", 2024), "egdi"] == 0.77092
    path = egov.rank_path(table, "VNM")
    assert list(path["survey_year"]) == [2016, 2018, 2020, 2022, 2024]
    assert list(path["rank_published"]) == [False, False, False, True, True]
    assert path.set_index("survey_year").loc[2016, "egdi"] == 0.51426  # MANIFEST §5


def test_regional_rank_and_the_index_at_a_rank_by_hand(table):
    assert len(SOUTHEAST_ASIA) == 11 and "TLS" in SOUTHEAST_ASIA
    survey = table[(table["survey_year"] == 2024) & table["iso3"].isin(SOUTHEAST_ASIA)]
    higher = int((survey["egdi"] > 0.77092).sum())
    assert egov.regional_rank(table, "VNM", 2024) == higher + 1
    third = sorted(survey["egdi"], reverse=True)[2]
    assert egov.index_at_rank(table, 3, 2024, SOUTHEAST_ASIA) == third
    fiftieth = table[(table["survey_year"] == 2024) & (table["rank"] == 50)]["egdi"]
    assert egov.index_at_rank(table, 50, 2024) == float(fiftieth.iloc[0])


def test_a_tiny_survey_ranks_ties_together():
    tiny = pd.DataFrame(
        {"iso3": ["AAA", "BBB", "CCC", "DDD"], "survey_year": [2020] * 4, "egdi": [0.9, 0.5, 0.9, 0.1], "rank": pd.NA}
    )
    assert egov.computed_ranks(tiny, 2020).to_dict() == {"AAA": 1, "CCC": 1, "BBB": 3, "DDD": 4}
    assert egov.world_rank(tiny, "BBB", 2020) == 3
    assert egov.index_at_rank(tiny, 3, 2020) == 0.5


def test_bad_years_codes_and_ranks_are_explained(table):
    with pytest.raises(InputError, match="No E-Government Survey in 2023. Survey years: 2003"):
        egov.world_rank(table, "VNM", 2023)
    with pytest.raises(InputError, match="Unknown country code"):
        egov.world_rank(table, "XXX", 2024)
    with pytest.raises(InputError, match="outside 1..11"):
        egov.index_at_rank(table, 12, 2024, SOUTHEAST_ASIA)
    with pytest.raises(InputError, match="Unknown ranking"):
        egov.region_states("asia")


# --- the two targets --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    from analysis.targets import tracker

    return tracker().set_index("claim_id")


def test_the_egov_targets_are_measured_by_the_latest_rank(rows, table):
    world = rows.loc["r57.egov_index.world_rank.2030"]
    sea = rows.loc["r57.egov_index.sea_rank.2030"]
    assert (world["latest_value"], world["latest_year"], world["target_value"]) == (71, 2024, 50)
    assert (sea["latest_value"], sea["target_value"]) == (egov.regional_rank(table, "VNM", 2024), 3)
    assert world["threshold_today"] == egov.index_at_rank(table, 50, 2024)  # the bar to clear
    assert world["bound_value"] == 0.77092
    # the ratio to the bar needed: (1 / (0.77092 / bar)) ** (1 / 6) - 1, by hand
    needed = (world["threshold_today"] / 0.77092) ** (1 / 6) - 1
    assert world["required_growth_pct"] == pytest.approx(100 * needed, rel=1e-12)


def test_the_egov_verdicts_follow_the_trend_of_the_index_relative_to_the_bar(rows, table):
    from analysis.trends import outlook

    for claim_id, rank, region in (
        ("r57.egov_index.world_rank.2030", 50, None),
        ("r57.egov_index.sea_rank.2030", 3, SOUTHEAST_ASIA),
    ):
        path = egov.rank_path(table, "VNM").set_index("survey_year")["egdi"]
        ratio = path / egov.bar_path(table, rank, region=region)
        assert rows.loc[claim_id, "verdict"] == outlook.outlook(ratio, 1.0, 2030, "level").verdict
    assert rows.loc["r57.egov_index.world_rank.2030", "verdict"] == "on-track"
    assert rows.loc["r57.egov_index.sea_rank.2030", "verdict"] == "borderline"


def test_a_rank_already_reached_is_achieved(table):
    import importlib

    tracker_module = importlib.import_module("analysis.targets.tracker")
    claim = pd.Series({"claim_id": "x", "group": "x", "unit": "rank", "year_or_period": "2030", "value": "80"})
    measure = pd.Series({"indicator": "EGDI rank", "note": "n", "numerator": "world"})
    fields = tracker_module._egov_fields(claim, measure, "VNM", table)
    assert fields["verdict"] == "achieved" and fields["latest_value"] == 71


def test_footer_readme_and_coverage_name_every_source():
    from analysis.coverage import compute as coverage

    footer = (REPO_ROOT / "book" / "_config.yml").read_text(encoding="utf-8").split("extra_footer", 1)[1]
    footer = " ".join(footer.split("launch_buttons", 1)[0].split())
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for words in (
        "Penn World Table 11.0 and 10.01",
        "World Development Indicators",
        "Human Development Report",
        "E-Government Surveys",
        "ILOSTAT",
    ):
        assert words in footer
    for src in registry.sources():
        assert f"`data/raw/{src.file}`" in readme
    listed = coverage.sources_table().set_index("file")
    assert listed.loc["data/raw/egov/EGOV_DATA_2024.csv", "note"] == registry.source("egov_2024").note
