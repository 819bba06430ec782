"""Fetching raw files: mirror copies, downloads from a local HTTP server, and every failure path.

The download tests serve files the test itself makes from a server on 127.0.0.1; the
registry entries are pointed at it, so the real download code runs end to end.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from analysis.data import fetch, registry
from analysis.errors import DataError

PAYLOAD = b"synthetic raw file\n" * 1000
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes, int | None]] = {}

    def do_GET(self):
        parsed = urlparse(self.path)
        key = parsed.path
        if "page" in parse_qs(parsed.query):
            key += "?page=" + parse_qs(parsed.query)["page"][0]
        status, body, declared_length = self.routes.get(key, (404, b"not found", None))
        self.send_response(status)
        self.send_header("Content-Length", str(declared_length if declared_length is not None else len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if declared_length is not None and declared_length > len(body):
            self.close_connection = True

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def server():
    _Handler.routes = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.routes
    httpd.shutdown()
    httpd.server_close()


def _rewrite_registry(root: Path, replacements: dict[str, str]) -> None:
    path = root / "data" / "raw" / "sources.toml"
    text = path.read_text()
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)


def _point_pwt_at(root: Path, url: str, sha: str = PAYLOAD_SHA) -> None:
    pwt = registry.source("pwt110")
    _rewrite_registry(root, {f'url = "{pwt.url}"': f'url = "{url}"', f'sha256 = "{pwt.sha256}"': f'sha256 = "{sha}"'})


def _leftovers(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in (root / "data" / "raw").rglob("*") if p.is_file() and p.name != "sources.toml"
    )


# --- mirror -----------------------------------------------------------------------------------


def test_mirror_copy_is_hash_checked_and_then_left_alone(tmp_repo, mirror_dir):
    outcomes = fetch.fetch(mirror=mirror_dir, progress=False)
    assert {o.action for o in outcomes} == {"copied from mirror"}
    target = tmp_repo / "data" / "raw" / "pwt" / "pwt110.dta"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == registry.source("pwt110").sha256
    before = target.stat().st_mtime_ns
    again = fetch.fetch(mirror=mirror_dir, progress=False)
    assert {o.action for o in again} == {"present"}
    assert target.stat().st_mtime_ns == before  # not touched


def test_mirror_from_environment_variable(tmp_repo, mirror_dir, monkeypatch):
    monkeypatch.setenv("ANALYSIS_DATA_MIRROR", str(mirror_dir))
    assert fetch.mirror_from_env(None) == mirror_dir


def test_missing_mirror_directory_is_explained(tmp_repo, tmp_path):
    with pytest.raises(DataError, match="does not exist or is not a directory"):
        fetch.fetch(mirror=tmp_path / "nowhere", progress=False)


def test_file_missing_from_mirror_is_explained(tmp_repo, tmp_path):
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()
    with pytest.raises(DataError, match=r"The mirror has no pwt/pwt110\.dta .*sha256 2a0d2149"):
        fetch.fetch(mirror=empty_mirror, progress=False)
    assert _leftovers(tmp_repo) == []


def test_corrupted_mirror_file_is_refused_and_nothing_written(tmp_repo, tmp_path):
    bad_mirror = tmp_path / "mirror"
    (bad_mirror / "pwt").mkdir(parents=True)
    (bad_mirror / "pwt" / "pwt110.dta").write_bytes(b"not the Penn World Table")
    with pytest.raises(DataError, match="has sha256 .* but the registry pins 2a0d2149"):
        fetch.fetch(mirror=bad_mirror, progress=False)
    assert _leftovers(tmp_repo) == []


def test_wrong_local_file_is_not_silently_replaced(tmp_repo, mirror_dir):
    target = tmp_repo / "data" / "raw" / "pwt" / "pwt110.dta"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"edited by hand")
    with pytest.raises(DataError, match="delete it and run `python -m analysis fetch`"):
        fetch.fetch(mirror=mirror_dir, progress=False)
    assert target.read_bytes() == b"edited by hand"


def test_verify_names_missing_file(tmp_repo):
    with pytest.raises(DataError, match=r"data/raw/pwt/pwt110\.dta .* is missing"):
        fetch.verify()


# --- download ---------------------------------------------------------------------------------


@pytest.mark.network
def test_download_succeeds_and_is_hash_checked(tmp_repo, server, mirror_dir):
    base, routes = server
    routes["/pwt110.dta"] = (200, PAYLOAD, None)
    _point_pwt_at(tmp_repo, f"{base}/pwt110.dta")
    # The other files come from the mirror here; only PWT is downloaded.
    others = [s for s in registry.sources() if s.id != "pwt110"]
    for src in others:
        src.path.parent.mkdir(parents=True, exist_ok=True)
        src.path.write_bytes((mirror_dir / src.file).read_bytes())
    outcomes = {o.source_id: o.action for o in fetch.fetch(progress=False)}
    assert outcomes == {"pwt110": "downloaded", **{s.id: "present" for s in others}}
    assert (tmp_repo / "data" / "raw" / "pwt" / "pwt110.dta").read_bytes() == PAYLOAD


@pytest.mark.network
@pytest.mark.parametrize(
    "served, declared_length, message",
    [
        (PAYLOAD[:-1] + b"X", None, "did not match the registered sha256"),  # corrupted: same length, wrong bytes
        (PAYLOAD[: len(PAYLOAD) // 2], len(PAYLOAD), "pwt/pwt110.dta"),  # truncated: connection closed half-way
    ],
    ids=["corrupted", "truncated"],
)
def test_bad_download_is_refused_and_nothing_written(tmp_repo, server, served, declared_length, message):
    base, routes = server
    routes["/pwt110.dta"] = (200, served, declared_length)
    _point_pwt_at(tmp_repo, f"{base}/pwt110.dta")
    with pytest.raises(DataError, match=message):
        fetch.download_file(registry.source("pwt110"), progress=False)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_http_404_is_explained(tmp_repo, server):
    base, _ = server
    _point_pwt_at(tmp_repo, f"{base}/moved-away.dta")
    with pytest.raises(DataError, match=r"Could not download pwt/pwt110\.dta .*404"):
        fetch.download_file(registry.source("pwt110"), progress=False)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_unreachable_url_is_explained(tmp_repo):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    _point_pwt_at(tmp_repo, "http://127.0.0.1:9/pwt110.dta")
    with pytest.raises(DataError, match="Could not download .* use an offline mirror"):
        fetch.download_file(registry.source("pwt110"), progress=False)


# --- World Bank API -----------------------------------------------------------------------------


def _api_page(rows, page=1, pages=1):
    return json.dumps([{"page": page, "pages": pages, "per_page": 2, "total": len(rows)}, rows]).encode()


def _serve_fake_wdi(routes, codes):
    countries = [
        {
            "id": "VNM",
            "name": "Viet Nam",
            "region": {"value": "East Asia & Pacific"},
            "incomeLevel": {"value": "Lower middle income"},
            "lendingType": {"value": "IBRD"},
        },
        {
            "id": "WLD",
            "name": "World",
            "region": {"value": "Aggregates"},
            "incomeLevel": {"value": "Aggregates"},
            "lendingType": {"value": "Aggregates"},
        },
    ]
    routes["/v2/country?page=1"] = (200, _api_page(countries), None)
    for i, code in enumerate(codes):

        def row(iso, year, value, code=code):
            return {
                "indicator": {"id": code},
                "country": {"id": iso[:2], "value": iso},
                "countryiso3code": iso,
                "date": str(year),
                "value": value,
            }

        # Two pages for every series, with a missing value to be dropped.
        routes[f"/v2/country/all/indicator/{code}?page=1"] = (
            200,
            _api_page([row("VNM", 2020, 1.5 + i), row("VNM", 2021, None)], 1, 2),
            None,
        )
        routes[f"/v2/country/all/indicator/{code}?page=2"] = (200, _api_page([row("WLD", 2020, 2.5 + i)], 2, 2), None)


@pytest.mark.network
def test_wdi_api_new_vintage_is_refused_without_the_flag(tmp_repo, server):
    base, routes = server
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
    url = registry.source("wdi_extract").url
    _rewrite_registry(tmp_repo, {f'url = "{url}"': f'url = "{base}/v2"'})
    sources = [s for s in registry.sources() if s.method == "wdi_api"]
    with pytest.raises(DataError, match="different vintage .* --accept-new-vintage"):
        fetch.download_wdi_sources(sources, accept_new_vintage=False, progress=False)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_wdi_api_new_vintage_accepted_is_written_and_recorded(tmp_repo, server):
    base, routes = server
    codes = [s.code for s in registry.wdi_series()]
    _serve_fake_wdi(routes, codes)
    url = registry.source("wdi_extract").url
    _rewrite_registry(tmp_repo, {f'url = "{url}"': f'url = "{base}/v2"'})
    sources = [s for s in registry.sources() if s.method == "wdi_api"]
    changed = fetch.download_wdi_sources(sources, accept_new_vintage=True, progress=False)
    assert changed == ["wdi_countries", "wdi_extract", "wdi_extract_supplement"]
    extract = (tmp_repo / "data" / "raw" / "wdi" / "wdi_extract.csv").read_text().splitlines()
    assert extract[0] == "iso3,country,indicator,year,value"
    # 2 observed values per series (VNM 2020, WLD 2020), the missing 2021 dropped; 3 series are in the supplement.
    assert len(extract) == 1 + 2 * (len(codes) - 3)
    assert "VNM,Viet Nam,GB.XPD.RSDV.GD.ZS,2020,1.5" in extract
    supplement = (tmp_repo / "data" / "raw" / "wdi" / "wdi_extract_supplement.csv").read_text().splitlines()
    assert sorted({line.split(",")[2] for line in supplement[1:]}) == [
        "NV.IND.TOTL.ZS",
        "NY.GNP.PCAP.CD",
        "TX.VAL.MRCH.CD.WT",
    ]
    assert len(supplement) == 1 + 2 * 3
    countries = (tmp_repo / "data" / "raw" / "wdi" / "wdi_countries.csv").read_text().splitlines()
    assert countries == [
        "iso3,country,region,income_group,lending_category,is_aggregate",
        "VNM,Viet Nam,East Asia & Pacific,Lower middle income,IBRD,0",
        "WLD,World,,,,1",
    ]
    # The registry now pins what was downloaded, and a second fetch finds it present.
    new_sha = hashlib.sha256((tmp_repo / "data" / "raw" / "wdi" / "wdi_extract.csv").read_bytes()).hexdigest()
    assert registry.source("wdi_extract").sha256 == new_sha
    assert registry.source("wdi_extract").vintage.startswith("World Bank API, downloaded ")
    assert (
        "# Registry of the raw source files" in (tmp_repo / "data" / "raw" / "sources.toml").read_text()
    )  # comments kept
    assert all(fetch.is_present(s) for s in registry.sources() if s.method == "wdi_api")
