"""Download the project's WDI series from the World Bank API in the mirror's tidy format.

The files written: one tidy extract per registered extract source (``wdi_extract.csv``,
``wdi_extract_supplement.csv``: iso3, country, indicator, year, value; one row per non-missing
observation) and ``wdi_countries.csv`` (iso3, country, region,
income_group, lending_category, is_aggregate). The API is documented at
https://datahelpdesk.worldbank.org/knowledgebase/articles/889392 . Requests are retried with
backoff and bounded by the fetch deadline (:mod:`analysis.data.net`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import requests
from tqdm import tqdm  # plain bar: this runs in a terminal, never in a notebook

from analysis.data.net import Deadline, get_json, one_line, session
from analysis.errors import DataError
from analysis.io import write_atomic

PER_PAGE = 20000


def _get_pages(http: requests.Session, url: str, params: dict, deadline: Deadline) -> list[dict]:
    """All rows of a paged World Bank API v2 JSON response (each request retried by the session)."""
    rows: list[dict] = []
    page = 1
    while True:
        payload = get_json(http, url, {**params, "format": "json", "per_page": PER_PAGE, "page": page}, deadline)
        if not isinstance(payload, list) or len(payload) < 2 or not isinstance(payload[0], dict):
            first = payload[0] if isinstance(payload, list) and payload else payload
            message = first.get("message") if isinstance(first, dict) else first
            raise DataError(f"The World Bank API answered {url} with no data: {one_line(str(message))}")
        meta, data = payload[0], payload[1] or []
        rows.extend(data)
        if page >= int(meta.get("pages", 1)):
            return rows
        page += 1


def countries_table(rows: list[dict]) -> pd.DataFrame:
    """The country table from the API's ``/country`` rows."""

    def label(entry: dict, key: str) -> str:
        value = (entry.get(key) or {}).get("value", "") or ""
        return "" if value in ("Aggregates", "Not classified") else value.strip()

    table = pd.DataFrame(
        {
            "iso3": [r["id"] for r in rows],
            "country": [r["name"].strip() for r in rows],
            "region": [label(r, "region") for r in rows],
            "income_group": [label(r, "incomeLevel") for r in rows],
            "lending_category": [label(r, "lendingType") for r in rows],
            "is_aggregate": [int((r.get("region") or {}).get("value") == "Aggregates") for r in rows],
        }
    )
    return table.sort_values("iso3").reset_index(drop=True)


def series_table(rows: list[dict], code: str) -> pd.DataFrame:
    """Tidy observations of one series from the API's ``/country/all/indicator/<code>`` rows."""
    records = [
        (r.get("countryiso3code") or r["country"]["id"], r["country"]["value"], code, int(r["date"]), float(r["value"]))
        for r in rows
        if r.get("value") is not None and str(r.get("date", "")).isdigit()
    ]
    return pd.DataFrame(records, columns=["iso3", "country", "indicator", "year", "value"])


def download_wdi(
    extracts: dict[Path, list[str]], countries_path: Path, base_url: str, deadline: Deadline, progress: bool = True
) -> None:
    """Query the country list and every series, then write the country table and each extract atomically.

    ``extracts`` maps each extract file to the series codes it holds (one file per registered extract).
    """
    codes = [code for file_codes in extracts.values() for code in file_codes]
    with session(deadline) as http:
        countries = countries_table(_get_pages(http, f"{base_url}/country", {}, deadline))
        frames = {}
        for code in tqdm(codes, desc="WDI series", unit="series", disable=not progress):
            rows = _get_pages(http, f"{base_url}/country/all/indicator/{code}", {}, deadline)
            frames[code] = series_table(rows, code)
    # One naming convention across series: the country table's names where it has the code.
    names = countries.set_index("iso3")["country"]
    for path, file_codes in extracts.items():
        extract = pd.concat([frames[code] for code in file_codes], ignore_index=True)
        extract = extract[extract["iso3"].str.fullmatch(r"[A-Z0-9]{3}")]
        extract["country"] = extract["iso3"].map(names).fillna(extract["country"])
        extract = extract.sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)
        write_atomic(path, lambda tmp, table=extract: table.to_csv(tmp, index=False, lineterminator="\n"))
    write_atomic(countries_path, lambda tmp: countries.to_csv(tmp, index=False, lineterminator="\n"))
