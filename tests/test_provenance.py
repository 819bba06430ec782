"""Processed tables carry their build record; damaged, edited or out-of-date tables are refused.

Each test works on copies of the real raw files and processed tables in a temporary project
root, damages one thing, and checks the one-line refusal (no traceback, no absolute path).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from analysis import cli
from analysis.data import TABLES, build, load, provenance, registry, schemas
from analysis.errors import DataError

from .conftest import REPO_ROOT


@pytest.fixture
def built_repo(tmp_repo):
    """A temporary project root holding copies of the real raw files and processed tables."""
    for src in registry.sources():
        target = tmp_repo / "data" / "raw" / src.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / "data" / "raw" / src.file, target)
    for authored in {file for files in provenance.AUTHORED_INPUTS.values() for file in files}:
        shutil.copyfile(REPO_ROOT / "data" / "raw" / authored, tmp_repo / "data" / "raw" / authored)
    for name in TABLES:
        shutil.copyfile(
            REPO_ROOT / "data" / "processed" / f"{name}.parquet", tmp_repo / "data" / "processed" / f"{name}.parquet"
        )
    return tmp_repo


def _refusal(name: str, root) -> str:
    with pytest.raises(DataError) as caught:
        load(name)
    message = str(caught.value)
    assert "\n" not in message and str(root) not in message and "Traceback" not in message
    assert f"The processed table {name!r} (data/processed/{name}.parquet)" in message
    assert message.endswith("run `python -m analysis build`.")
    return message


def test_intact_copies_load_and_carry_their_record(built_repo):
    pwt = load("pwt")
    stored = json.loads(pq.read_schema(built_repo / "data" / "processed" / "pwt.parquet").metadata[provenance.KEY])
    # The record names the raw file by its registered hash, independently of the code that wrote it.
    assert stored["raw"] == {"pwt/pwt110.dta": registry.source("pwt110").sha256}
    assert stored["columns"] == list(pwt.columns)
    assert set(stored["code"]) >= {"analysis/data/build.py", "analysis/data/schemas.py", "pandas", "pyarrow"}


def test_edited_table_that_still_passes_the_schema_is_refused(built_repo):
    path = built_repo / "data" / "processed" / "pwt.parquet"
    arrow = pq.read_table(path)
    # Raise every labour share by 1 % (still within [0, 1] where it was below 0.99): metadata kept.
    labsh = arrow.column("labsh")
    edited = arrow.set_column(arrow.schema.get_field_index("labsh"), "labsh", pc.multiply(labsh, 0.99))
    pq.write_table(edited, path, compression="zstd")
    assert provenance.KEY in pq.read_schema(path).metadata  # the record survived the edit
    schemas.PWT_SCHEMA.validate(pd.read_parquet(path), lazy=True)  # the schema alone would accept it
    assert "was modified after it was built" in _refusal("pwt", built_repo)


@pytest.mark.parametrize("damage", ["truncated", "zeroed", "empty"])
def test_truncated_or_zeroed_table_is_refused_without_arrow_traceback(built_repo, damage):
    path = built_repo / "data" / "processed" / "wdi.parquet"
    data = path.read_bytes()
    path.write_bytes({"truncated": data[: len(data) // 2], "zeroed": bytes(len(data)), "empty": b""}[damage])
    assert "is not a readable Parquet file" in _refusal("wdi", built_repo)


def test_table_from_an_older_build_missing_a_column_is_refused(built_repo):
    path = built_repo / "data" / "processed" / "pwt.parquet"
    arrow = pq.read_table(path)
    without_hc = arrow.drop_columns(["hc"])
    # As an older build wrote it: no build record at all.
    pq.write_table(without_hc.replace_schema_metadata({b"pandas": arrow.schema.metadata[b"pandas"]}), path)
    assert "has no build record" in _refusal("pwt", built_repo)
    # With the current record copied over, the missing column is named.
    pq.write_table(without_hc.replace_schema_metadata(arrow.schema.metadata), path)
    assert "lacks ['hc']" in _refusal("pwt", built_repo)


def test_table_built_from_other_raw_files_or_other_code_is_refused(built_repo, monkeypatch):
    path = built_repo / "data" / "processed" / "hdr.parquet"
    arrow = pq.read_table(path)
    stored = json.loads(arrow.schema.metadata[provenance.KEY])
    stored["raw"] = {next(iter(stored["raw"])): "0" * 64}
    pq.write_table(
        arrow.replace_schema_metadata({**arrow.schema.metadata, provenance.KEY: json.dumps(stored).encode()}), path
    )
    assert "was built from other raw files than data/raw/sources.toml now pins (hdr/HDR23-24" in _refusal(
        "hdr", built_repo
    )
    fingerprint = provenance.code_fingerprint()
    monkeypatch.setattr(provenance, "code_fingerprint", lambda: {**fingerprint, "analysis/data/build.py": "1" * 64})
    assert "was built by other build code or library versions (analysis/data/build.py)" in _refusal(
        "countries", built_repo
    )


def test_build_skips_current_tables_and_rewrites_only_stale_ones(built_repo, monkeypatch, capsys):
    processed = built_repo / "data" / "processed"
    before = {name: (processed / f"{name}.parquet").stat().st_mtime_ns for name in TABLES}
    assert cli.main(["build"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"unchanged data/processed/{name}.parquet" for name in TABLES]
    assert {name: (processed / f"{name}.parquet").stat().st_mtime_ns for name in TABLES} == before
    # A damaged table, and one whose registry entries changed, are rebuilt; the others are left alone.
    (processed / "hdr.parquet").write_bytes(b"\0" * 100)
    toml = built_repo / "data" / "raw" / "sources.toml"
    toml.write_text(toml.read_text().replace('column = "internet_users_pct"', 'column = "internet_users_share_pct"'))
    outcomes = {b.name: b.action for b in build.build()}
    assert outcomes == {
        "pwt": "unchanged",
        "wdi": "wrote",
        "countries": "unchanged",
        "hdr": "wrote",
        "egov": "unchanged",
        "ilo_productivity": "unchanged",
        "pwt1001": "unchanged",
    }
    assert "internet_users_share_pct" in load("wdi").columns
    assert len(load("hdr")) > 6000
    # --force rewrites every table (same bytes).
    pwt_bytes = (processed / "pwt.parquet").read_bytes()
    assert cli.main(["build", "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "wrote data/processed/pwt.parquet"
    assert (processed / "pwt.parquet").read_bytes() == pwt_bytes


def test_unreadable_processed_folder_is_not_called_empty(built_repo, monkeypatch):
    # Tests run as root here, where chmod 000 does not deny reading; simulate the denial instead.
    processed = built_repo / "data" / "processed"
    real_stat = Path.stat

    def denied(self, *args, **kwargs):
        if self.parent == processed:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", denied)
    with pytest.raises(DataError, match="cannot be read: permission denied on data/processed") as caught:
        load("pwt")
    assert "empty" not in str(caught.value) and "\n" not in str(caught.value)
    monkeypatch.setattr(Path, "stat", real_stat)

    def unreadable(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pq, "read_schema", unreadable)
    with pytest.raises(DataError, match=r"'wdi' \(data/processed/wdi.parquet\) cannot be read: permission denied"):
        load("wdi")


def test_processed_files_names_a_missing_or_unreadable_table(built_repo, monkeypatch):
    from analysis.data import processed_files

    assert [p.name for p in processed_files()] == [f"{name}.parquet" for name in TABLES]
    (built_repo / "data" / "processed" / "hdr.parquet").unlink()
    with pytest.raises(
        DataError,
        match=r"data/processed/hdr.parquet does not exist yet\. Run `python -m analysis fetch` and then "
        r"`python -m analysis build`",
    ):
        processed_files()
    real_open = open

    def denied(path, *args, **kwargs):
        if Path(path).parent == built_repo / "data" / "processed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(DataError, match="data/processed/pwt.parquet cannot be read: permission denied"):
        processed_files()


def test_the_name_table_shapes_egov(built_repo):
    names = built_repo / "data" / "raw" / "egov_country_names.csv"
    text = names.read_text(encoding="utf-8")
    names.write_text(text + "\n", encoding="utf-8")  # another file (a blank line), the same table
    _refusal("egov", built_repo)  # built from another name table
    outcomes = {b.name: b.action for b in build.build()}
    assert outcomes["egov"] == "wrote" and {a for n, a in outcomes.items() if n != "egov"} == {"unchanged"}
    names.write_text(text.replace("Viet Nam,VNM", "Viet Nam,VNX"), encoding="utf-8")
    with pytest.raises(DataError, match=r"codes missing from data/raw/egov_country_names.csv: \['VNM'\]"):
        build.build()
    names.unlink()
    with pytest.raises(DataError, match=r"egov_country_names.csv is missing. It is part of the repository"):
        build.build()
