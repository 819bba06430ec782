"""Download the project's WDI series from the World Bank API in the mirror's tidy format.

Two files are written: ``wdi_extract.csv`` (iso3, country, indicator, year, value: one row
per non-missing observation) and ``wdi_countries.csv`` (iso3, country, region,
income_group, lending_category, is_aggregate). The API is documented at
https://datahelpdesk.worldbank.org/knowledgebase/articles/889392 .
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import requests
from tqdm import tqdm  # plain bar: this runs in a terminal, never in a notebook

from analysis.errors import DataError
from analysis.io import write_atomic

PER_PAGE = 20000
TIMEOUT_SECONDS = 60


def _get_pages(session: requests.Session, url: str, params: dict) -> list[dict]:
    """All rows of a paged World Bank API v2 JSON response."""
    rows: list[dict] = []
    page = 1
    while True:
        response = session.get(
            url, params={**params, "format": "json", "per_page": PER_PAGE, "page": page}, timeout=TIMEOUT_SECONDS
        )
        response.raise_for_status()
        payload = response.json()
        if not isinstance(payload, list) or len(payload) < 2:
            message = payload[0].get("message") if isinstance(payload, list) and payload else payload
            raise DataError(f"The World Bank API answered {url} with no data: {message}")
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
    codes: list[str], extract_path: Path, countries_path: Path, base_url: str, progress: bool = True
) -> None:
    """Query every series and the country list, then write both files atomically."""
    with requests.Session() as session:
        countries = countries_table(_get_pages(session, f"{base_url}/country", {}))
        frames = []
        for code in tqdm(codes, desc="WDI series", unit="series", disable=not progress):
            frames.append(series_table(_get_pages(session, f"{base_url}/country/all/indicator/{code}", {}), code))
    extract = pd.concat(frames, ignore_index=True)
    extract = extract[extract["iso3"].str.fullmatch(r"[A-Z0-9]{3}")]
    # One naming convention across series: the country table's names where it has the code.
    names = countries.set_index("iso3")["country"]
    extract["country"] = extract["iso3"].map(names).fillna(extract["country"])
    extract = extract.sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)
    write_atomic(extract_path, lambda tmp: extract.to_csv(tmp, index=False, lineterminator="\n"))
    write_atomic(countries_path, lambda tmp: countries.to_csv(tmp, index=False, lineterminator="\n"))
