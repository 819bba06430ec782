"""The deposit bundle, and fetch falling back to a deposit served on 127.0.0.1.

The bundle is written from the real raw files; its checksums are compared with the registry
read independently (tomllib) and with hashes computed here (hashlib).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from pathlib import Path

import pooch
import pytest
import tomlkit

from analysis import cli
from analysis.data import deposit, fetch, net, registry
from analysis.errors import InputError

from .conftest import REPO_ROOT
from .fake_http import FakeServer, Reply, dead_port


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The bundle written from the real data/raw by the command line."""
    output = tmp_path_factory.mktemp("deposit") / "bundle"
    assert cli.main(["deposit", "--output", str(output)]) == 0
    return output


def _registry() -> dict:
    with open(REPO_ROOT / "data" / "raw" / "sources.toml", "rb") as handle:
        return tomllib.load(handle)


def test_bundle_checksums_equal_the_registry(bundle):
    pinned = {Path(entry["file"]).name: entry["sha256"] for entry in _registry()["source"]}
    assert deposit.read_sums(bundle) == pinned
    for name, sha in pinned.items():
        assert hashlib.sha256((bundle / name).read_bytes()).hexdigest() == sha
    assert sorted(p.name for p in bundle.iterdir()) == sorted([*pinned, "README.md", "SHA256SUMS", "datacite.json"])


def test_bundle_names_source_licence_and_citation_of_every_file(bundle):
    readme = (bundle / "README.md").read_text()
    metadata = json.loads((bundle / "datacite.json").read_text())
    for entry in _registry()["source"]:
        section = readme.split(f"## {Path(entry['file']).name}\n", 1)[1].split("\n## ", 1)[0]
        assert entry["url"] in section and entry["citation"] in section and entry["licence"] in section
        assert (f"- Note: {entry['note']}" in section) if entry.get("note") else "- Note:" not in section
    assert "https://hdr.undp.org/sites/default/files/2023-24_HDR/HDR23-24_Composite" in readme
    assert {"rightsIdentifier": "cc-by-4.0"}.items() <= metadata["rightsList"][0].items()
    assert any(r.get("rightsUri") == "https://hdr.undp.org/terms-use" for r in metadata["rightsList"])
    assert {
        "relatedIdentifier": "10.34894/FABVLR",
        "relatedIdentifierType": "DOI",
        "relationType": "IsDerivedFrom",
    } in (metadata["relatedIdentifiers"])
    assert metadata["types"]["resourceTypeGeneral"] == "Dataset" and metadata["creators"]
    # Nothing machine-specific in what is published.
    assert str(REPO_ROOT) not in readme + json.dumps(metadata) and "/tmp" not in readme


def test_bundle_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="already exists and is not empty"):
        deposit.write_bundle(occupied)
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"]

    copies = []
    real_copy = shutil.copyfile

    def failing_copy(src, dst):  # the disk fills up after the first file
        if copies:
            raise OSError(28, "No space left on device")
        copies.append(dst)
        return real_copy(src, dst)

    monkeypatch.setattr(shutil, "copyfile", failing_copy)
    with pytest.raises(OSError, match="No space left"):
        deposit.write_bundle(tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occupied"]  # no bundle, no staging folder


# --- fetch from a deposit ---------------------------------------------------------------------------


def _serve_bundle(routes, bundle: Path) -> None:
    for path in bundle.iterdir():
        routes[f"/deposit/{path.name}"] = Reply(200, path.read_bytes())


def _point_registry(root: Path, official: str, deposit_base: str) -> None:
    """Official URLs at ``official`` (a dead port), deposits at ``deposit_base``; comments kept (tomlkit)."""
    path = root / "data" / "raw" / "sources.toml"
    document = tomlkit.parse(path.read_text())
    for entry in document["source"]:
        entry["url"] = f"{official}/v2" if entry["method"] == "wdi_api" else f"{official}/{entry['id']}"
        entry["deposit"] = f"{deposit_base}/deposit/{Path(entry['file']).name}"
    path.write_text(tomlkit.dumps(document))


@pytest.mark.network
def test_fetch_restores_every_file_from_a_deposit_when_the_official_sources_are_down(tmp_repo, bundle, monkeypatch):
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "1")
    monkeypatch.setenv("ANALYSIS_FETCH_BACKOFF", "0.05")
    monkeypatch.delenv("ANALYSIS_WDI_API", raising=False)
    with FakeServer() as (base, routes, hits):
        _serve_bundle(routes, bundle)
        _point_registry(tmp_repo, f"http://127.0.0.1:{dead_port()}", base)
        outcomes = {o.source_id: o.action for o in fetch.fetch(progress=False)}
    assert outcomes == {
        "pwt110": "downloaded from deposit (official source failed)",
        "hdr2023_24": "downloaded from deposit (official source failed)",
        "wdi_extract": "downloaded from deposit (API failed)",
        "wdi_countries": "downloaded from deposit (API failed)",
        "wdi_extract_supplement": "downloaded from deposit (API failed)",
        "egov_2024": "downloaded from deposit (official source failed)",
        "egov_2022": "downloaded from deposit (official source failed)",
        "egdi_data360": "downloaded from deposit (official source failed)",
        "ilo_gdp_per_worker_2022": "downloaded from deposit (official source failed)",
        "pwt1001": "downloaded from deposit (official source failed)",
    }
    for src in registry.sources():
        assert hashlib.sha256(src.path.read_bytes()).hexdigest() == src.sha256
        assert hits[f"/deposit/{Path(src.file).name}"] == 1


@pytest.mark.network
def test_wdi_deposit_serves_the_pinned_vintage_when_the_api_has_moved_on(tmp_repo, bundle, monkeypatch):
    from .test_fetch import _serve_fake_wdi

    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "0")
    with FakeServer() as (base, routes, hits):
        _serve_bundle(routes, bundle)
        _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])  # a different (tiny) vintage
        _point_registry(tmp_repo, base, base)
        wdi = [s for s in registry.sources() if s.method == "wdi_api"]
        actions = fetch.download_wdi_sources(wdi, accept_new_vintage=False, progress=False)
    assert set(actions.values()) == {"downloaded from deposit (API serves a newer vintage)"}
    assert all(fetch.is_present(s) for s in wdi)
    assert hits["/v2/country?page=1"] == 1  # the official source was asked first


@pytest.mark.network
def test_with_a_mirror_the_network_is_never_touched(tmp_repo, mirror_dir):
    with FakeServer() as (base, routes, hits):
        _point_registry(tmp_repo, base, base)
        outcomes = fetch.fetch(mirror=mirror_dir, progress=False)
    assert {o.action for o in outcomes} == {"copied from mirror"}
    assert sum(hits.values()) == 0


def test_doi_deposits_go_through_pooch_doi_downloader(monkeypatch, tmp_path):
    calls = []

    class Recorder:
        def __init__(self, **options):
            self.options = options

        def __call__(self, url, output_file, pooch_instance):
            calls.append((type(self).__name__, url, sorted(self.options)))

    monkeypatch.setattr(pooch, "DOIDownloader", type("DOIDownloader", (Recorder,), {}))
    monkeypatch.setattr(pooch, "HTTPDownloader", type("HTTPDownloader", (Recorder,), {}))
    with net.Deadline(5) as deadline:
        net.downloader_for("doi:10.5281/zenodo.1/pwt110.dta", deadline, False)(
            "doi:10.5281/zenodo.1/pwt110.dta", str(tmp_path / "x"), None
        )
        net.downloader_for("https://example.org/x", deadline, False)("https://example.org/x", str(tmp_path / "x"), None)
    assert calls == [
        ("DOIDownloader", "doi:10.5281/zenodo.1/pwt110.dta", ["hooks", "progressbar", "timeout"]),
        ("HTTPDownloader", "https://example.org/x", ["hooks", "progressbar", "timeout"]),
    ]
