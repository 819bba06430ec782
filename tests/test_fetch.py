"""Fetching raw files: mirror copies, downloads from a local HTTP server, and every failure path.

The download tests serve files the test itself makes from a server on 127.0.0.1; the
registry entries are pointed at it, so the real download code runs end to end.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest

from analysis import cli
from analysis.data import fetch, registry
from analysis.errors import DataError

from .fake_http import FakeServer, Reply

PAYLOAD = b"synthetic raw file\n" * 1000
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


@pytest.fixture
def server(monkeypatch):
    # Quick retries and backoff so that failure paths stay fast; tests that need more set their own.
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "0")
    monkeypatch.setenv("ANALYSIS_FETCH_BACKOFF", "0.05")
    with FakeServer() as (base, routes, hits):
        yield base, routes, hits


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
    base, routes, _ = server
    routes["/pwt110.dta"] = Reply(200, PAYLOAD)
    _point_pwt_at(tmp_repo, f"{base}/pwt110.dta")
    # The other files come from the mirror here; only PWT is downloaded.
    others = [s for s in registry.sources() if s.id != "pwt110"]
    for src in others:
        src.path.parent.mkdir(parents=True, exist_ok=True)
        src.path.write_bytes((mirror_dir / src.file).read_bytes())
    outcomes = {o.source_id: o.action for o in fetch.fetch(progress=False)}
    assert outcomes == {"pwt110": "downloaded from official source", **{s.id: "present" for s in others}}
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
    base, routes, _ = server
    routes["/pwt110.dta"] = Reply(200, served, declared_length)
    _point_pwt_at(tmp_repo, f"{base}/pwt110.dta")
    with pytest.raises(DataError, match=message):
        fetch.download_file(registry.source("pwt110"), progress=False)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_http_404_is_explained(tmp_repo, server):
    base, _, _ = server
    _point_pwt_at(tmp_repo, f"{base}/moved-away.dta")
    with pytest.raises(DataError, match=r"Could not download pwt/pwt110\.dta .*404"):
        fetch.download_file(registry.source("pwt110"), progress=False)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_unreachable_url_is_explained(tmp_repo, monkeypatch):
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "0")
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
    routes["/v2/country?page=1"] = Reply(200, _api_page(countries), content_type="application/json")
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
        routes[f"/v2/country/all/indicator/{code}?page=1"] = Reply(
            200, _api_page([row("VNM", 2020, 1.5 + i), row("VNM", 2021, None)], 1, 2), content_type="application/json"
        )
        routes[f"/v2/country/all/indicator/{code}?page=2"] = Reply(
            200, _api_page([row("WLD", 2020, 2.5 + i)], 2, 2), content_type="application/json"
        )


def _wdi_sources():
    return [s for s in registry.sources() if s.method == "wdi_api"]


def _small_coverage(root: Path) -> None:
    """Let the tiny fake WDI (2 economies, 1 year) pass the coverage check, as a real new vintage would."""
    path = root / "data" / "raw" / "sources.toml"
    text = path.read_text()
    for source in _wdi_sources():
        text = text.replace(f"coverage = {{ {_inline(source.coverage)} }}", "coverage = { economies = 2, rows = 2 }")
    path.write_text(text)


def _inline(coverage: dict) -> str:
    return ", ".join(f"{key} = {value}" for key, value in coverage.items())


@pytest.mark.network
def test_wdi_api_new_vintage_is_refused_without_the_flag(tmp_repo, server, monkeypatch):
    base, routes, _ = server
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")  # the API base, overridden without editing the registry
    with pytest.raises(DataError, match="different vintage .* --accept-new-vintage"):
        fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=False, progress=False)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_wdi_api_new_vintage_accepted_is_written_and_recorded(tmp_repo, server, monkeypatch):
    base, routes, _ = server
    codes = [s.code for s in registry.wdi_series()]
    _serve_fake_wdi(routes, codes)
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    _small_coverage(tmp_repo)
    actions = fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)
    assert actions == {
        "wdi_extract": "downloaded (new vintage)",
        "wdi_countries": "downloaded (new vintage)",
        "wdi_extract_supplement": "downloaded (new vintage)",
    }
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
    # The registry now pins what was downloaded, with its coverage, and a second fetch finds it present.
    new_sha = hashlib.sha256((tmp_repo / "data" / "raw" / "wdi" / "wdi_extract.csv").read_bytes()).hexdigest()
    assert registry.source("wdi_extract").sha256 == new_sha
    assert registry.source("wdi_extract").vintage.startswith("World Bank API, downloaded ")
    assert registry.source("wdi_extract").coverage == {
        "economies": 2,
        "series": len(codes) - 3,
        "first_year": 2020,
        "last_year": 2020,
        "rows": 2 * (len(codes) - 3),
    }
    text = (tmp_repo / "data" / "raw" / "sources.toml").read_text()
    assert "# Registry of the raw source files" in text and "# `extract` names the [[source]]" in text  # comments kept
    assert all(fetch.is_present(s) for s in _wdi_sources())


@pytest.mark.network
def test_shrunken_new_vintage_is_refused_with_a_diff(tmp_repo, server, monkeypatch):
    base, routes, _ = server
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series() if s.code != "IP.PAT.RESD"])
    routes["/v2/country/all/indicator/IP.PAT.RESD?page=1"] = Reply(
        200, _api_page([]), content_type="application/json"
    )  # a series that comes back empty
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    registry_before = (tmp_repo / "data" / "raw" / "sources.toml").read_bytes()
    with pytest.raises(DataError) as caught:
        fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)
    message = str(caught.value)
    assert "covers less than the pinned one" in message and "\n" not in message
    assert (
        "wdi/wdi_extract.csv: economies 265 -> 2; series 26 -> 25 (missing: IP.PAT.RESD); years 1960-2025 -> 2020-2020"
        in message
    )
    assert "wdi/wdi_countries.csv: economies 265 -> 2" in message
    assert _leftovers(tmp_repo) == []
    assert (tmp_repo / "data" / "raw" / "sources.toml").read_bytes() == registry_before


@pytest.mark.network
def test_wdi_api_retries_5xx_then_succeeds(tmp_repo, server, monkeypatch):
    base, routes, hits = server
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "3")
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
    key = "/v2/country/all/indicator/SP.POP.TOTL?page=2"
    routes[key] = [Reply(503, b"busy", content_type="text/plain"), Reply(502, b"bad gateway"), routes[key]]
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    _small_coverage(tmp_repo)
    fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)
    assert hits[key] == 3  # two failures, then the answer
    assert "WLD,World,SP.POP.TOTL,2020," in (tmp_repo / "data" / "raw" / "wdi" / "wdi_extract.csv").read_text()


@pytest.mark.network
def test_wdi_api_5xx_that_persists_is_one_clear_error(tmp_repo, server, monkeypatch):
    base, routes, hits = server
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "2")
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
    routes["/v2/country?page=1"] = Reply(503, b"down for maintenance", content_type="text/plain")
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    with pytest.raises(DataError, match=r"Could not download the WDI series .*503") as caught:
        fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)
    assert hits["/v2/country?page=1"] == 3 and "\n" not in str(caught.value)
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
def test_download_retries_5xx_then_succeeds(tmp_repo, server, monkeypatch):
    base, routes, hits = server
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "2")
    routes["/pwt110.dta"] = [Reply(500, b"oops"), Reply(200, PAYLOAD)]
    _point_pwt_at(tmp_repo, f"{base}/pwt110.dta")
    assert fetch.download_file(registry.source("pwt110"), progress=False) == "downloaded from official source"
    assert hits["/pwt110.dta"] == 2
    assert (tmp_repo / "data" / "raw" / "pwt" / "pwt110.dta").read_bytes() == PAYLOAD


@pytest.mark.network
def test_html_page_with_status_200_is_named_as_such(tmp_repo, server, monkeypatch):
    base, routes, _ = server
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
    page = b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head><body>Back soon</body></html>"
    routes["/v2/country/all/indicator/IP.PAT.RESD?page=1"] = Reply(200, page, content_type="text/html; charset=utf-8")
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    with pytest.raises(DataError) as caught:
        fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)
    message = str(caught.value)
    assert "answered with text/html, not JSON (status 200, starting '<!DOCTYPE html> <html><head>" in message
    assert "Expecting value" not in message and "\n" not in message
    assert _leftovers(tmp_repo) == []


@pytest.mark.network
@pytest.mark.parametrize("route", ["wdi_api", "download"])
def test_trickling_server_hits_the_deadline(tmp_repo, server, monkeypatch, route):
    base, routes, _ = server
    monkeypatch.setenv("ANALYSIS_FETCH_DEADLINE", "2")
    # One byte every 0.4 s: each read succeeds, so per-read timeouts never fire; only the deadline can.
    trickle = Reply(200, b"[" + b" " * 200 + b"]", content_type="application/json", trickle_seconds=0.4)
    if route == "wdi_api":
        _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
        routes["/v2/country/all/indicator/GB.XPD.RSDV.GD.ZS?page=1"] = trickle
        monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
        call = lambda: fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)  # noqa: E731
    else:
        routes["/pwt110.dta"] = trickle
        _point_pwt_at(tmp_repo, f"{base}/pwt110.dta")
        call = lambda: fetch.download_file(registry.source("pwt110"), progress=False)  # noqa: E731
    started = time.monotonic()
    with pytest.raises(DataError, match=r"did not finish within the fetch deadline of 2 s") as caught:
        call()
    assert time.monotonic() - started < 15  # the trickle alone would take 80 s
    assert "\n" not in str(caught.value)
    assert _leftovers(tmp_repo) == []


# --- debris, registry and permission errors -----------------------------------------------------------


def test_debris_of_killed_fetches_is_cleaned_at_the_next_fetch(tmp_repo, mirror_dir):
    raw = tmp_repo / "data" / "raw"
    (raw / "tmpk3j_x9ab").mkdir()  # a TemporaryDirectory of a killed WDI download
    (raw / "tmpk3j_x9ab" / "wdi_extract.csv").write_text("half")
    (raw / "pwt").mkdir()
    (raw / "pwt" / "tmpa1b2c3d4").write_bytes(b"half a download")  # pooch's temporary file
    (raw / "wdi").mkdir()
    (raw / "wdi" / ".wdi_extract.csv.q1w2e3.part").write_text("half a copy")  # atomic_path's temporary file
    (raw / "wdi" / "notes.txt").write_text("not debris")
    fetch.fetch(mirror=mirror_dir, progress=False)
    assert _leftovers(tmp_repo) == sorted(
        ["data/raw/wdi/notes.txt", *[f"data/raw/{s.file}" for s in registry.sources()]]
    )


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text.replace('id = "pwt110"', 'id = "pwt110'), r"is not valid TOML \(.*line \d+"),
        (
            lambda text: text.replace('method = "download"\n', "", 1),
            r"\[\[source\]\] entry 1 \(pwt110\) lacks \['method'\]",
        ),
        (
            lambda text: text.replace('bibkey = "pwt110"', 'bibkey = "pwt110"\nmirror = "x"'),
            r"has unknown \['mirror'\]",
        ),
        (lambda text: text.replace("[[wdi_series]]", "[[wdi_seriez]]"), r"has no \[\[wdi_series\]\] entries"),
    ],
    ids=["not-toml", "missing-field", "unknown-field", "no-series"],
)
def test_malformed_registry_is_one_line_at_the_command_line(tmp_repo, capsys, damage, message):
    path = tmp_repo / "data" / "raw" / "sources.toml"
    path.write_text(damage(path.read_text()))
    assert cli.main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    assert re.search(message, err), err


def test_permission_error_is_one_line_at_the_command_line(tmp_repo, monkeypatch, capsys):
    denied = tmp_repo / "data" / "raw" / "pwt" / "pwt110.dta"

    def refuse(**kwargs):
        raise PermissionError(13, "Permission denied", str(denied))

    monkeypatch.setattr(fetch, "fetch", refuse)
    assert cli.main(["fetch", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: Permission denied on data/raw/pwt/pwt110.dta: `fetch` needs to write data/raw. "
        "Give yourself access (e.g. `chmod -R u+rwX data`) and rerun.\n"
    )


def test_unreadable_registry_is_one_line(tmp_repo, monkeypatch):
    registry_file = tmp_repo / "data" / "raw" / "sources.toml"
    real_open = open

    def denied(path, *args, **kwargs):  # tests run as root, where chmod 000 would not deny reading
        if Path(path) == registry_file:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(DataError) as caught:
        registry.sources()
    assert str(caught.value) == "The source registry data/raw/sources.toml cannot be read: permission denied."
