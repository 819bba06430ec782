"""Download the project's WDI series from the World Bank API in the mirror's tidy format.

The files written: one tidy extract per registered extract source (``wdi_extract.csv``,
``wdi_extract_supplement.csv``: iso3, country, indicator, year, value; one row per non-missing
observation) and ``wdi_countries.csv`` (iso3, country, region,
income_group, lending_category, is_aggregate). The API is documented at
https://datahelpdesk.worldbank.org/knowledgebase/articles/889392 . Requests are retried with
backoff and bounded by the fetch deadline (:mod:`analysis.data.net`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import requests
from tqdm import tqdm  # plain bar: this runs in a terminal, never in a notebook

from analysis.data.net import Deadline, get_json, one_line, session
from analysis.errors import DataError, UnexpectedAnswer
from analysis.io import write_atomic

PER_PAGE = 20000
# No WDI series or country list fills more than one page of PER_PAGE rows; 100 pages would be 2 million.
MAX_PAGES = 100


def _page_count(meta: dict, url: str) -> int:
    """The ``pages`` of an answer's metadata: a whole number from 1 to :data:`MAX_PAGES`."""
    pages = meta.get("pages")
    if pages is None:
        raise UnexpectedAnswer(url, f"its metadata has no page count (keys: {one_line(', '.join(map(str, meta)))})")
    if not isinstance(pages, int) or isinstance(pages, bool):
        raise UnexpectedAnswer(url, f"the page count is {one_line(repr(pages))}, not a whole number")
    if not 1 <= pages <= MAX_PAGES:
        raise UnexpectedAnswer(url, f"it claims {pages} pages; the World Bank sends 1 to {MAX_PAGES}")
    return pages


def _get_pages(http: requests.Session, url: str, params: dict, deadline: Deadline) -> list[dict]:
    """All rows of a paged World Bank API v2 JSON response (each request retried within the deadline)."""
    rows: list[dict] = []
    page = 1
    while True:
        payload = get_json(http, url, {**params, "format": "json", "per_page": PER_PAGE, "page": page}, deadline)
        if not isinstance(payload, list) or len(payload) < 2 or not isinstance(payload[0], dict):
            first = payload[0] if isinstance(payload, list) and payload else payload
            message = first.get("message") if isinstance(first, dict) else first
            raise DataError(f"The World Bank API answered {url} with no data: {one_line(str(message))}")
        meta, data = payload[0], payload[1] or []
        pages = _page_count(meta, url)
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise UnexpectedAnswer(url, f"page {page} holds {one_line(repr(data))}, not a list of records")
        rows.extend(data)
        if page >= pages:
            return rows
        page += 1


def _read_rows(url: str, read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``read()``, with a record lacking a documented field or holding a wrong value named in one line."""
    try:
        return read()
    except KeyError as missing:
        raise UnexpectedAnswer(url, f"a record has no {missing} field") from None
    except (TypeError, ValueError, AttributeError) as wrong:
        raise UnexpectedAnswer(url, f"a record holds a wrong value ({one_line(str(wrong))})") from None


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
        url = f"{base_url}/country"
        rows = _get_pages(http, url, {}, deadline)
        countries = _read_rows(url, lambda: countries_table(rows))
        frames = {}
        for code in tqdm(codes, desc="WDI series", unit="series", disable=not progress):
            url = f"{base_url}/country/all/indicator/{code}"
            rows = _get_pages(http, url, {}, deadline)
            frames[code] = _read_rows(url, lambda rows=rows, code=code: series_table(rows, code))
    # One naming convention across series: the country table's names where it has the code.
    names = countries.set_index("iso3")["country"]
    for path, file_codes in extracts.items():
        extract = pd.concat([frames[code] for code in file_codes], ignore_index=True)
        extract = extract[extract["iso3"].str.fullmatch(r"[A-Z0-9]{3}")]
        extract["country"] = extract["iso3"].map(names).fillna(extract["country"])
        extract = extract.sort_values(["iso3", "indicator", "year"]).reset_index(drop=True)
        write_atomic(path, lambda tmp, table=extract: table.to_csv(tmp, index=False, lineterminator="\n"))
    write_atomic(countries_path, lambda tmp: countries.to_csv(tmp, index=False, lineterminator="\n"))
