"""Raw → processed: tidy, validated tables in ``data/processed`` (Parquet).

Tables:
- ``pwt``: Penn World Table 11.0, one row per economy-year, PWT's own variable names
  (``countrycode`` renamed ``iso3``); values kept at full stored precision.
- ``wdi``: one row per economy (or WDI aggregate) and year, one readable column per
  series (units in the name; see ``[[wdi_series]]`` in ``data/raw/sources.toml``).
- ``countries``: the WDI economy/aggregate table with a flag for PWT coverage and the World
  Bank income group (the current classification only; not historical).
- ``pwt1001``: Penn World Table 10.01 (2017 PPPs, 1950-2019) in the same layout and columns as
  ``pwt``, for vintage comparisons only (the mirror's copy re-saved by a third party: its shortened
  country names are restored and its added ``gdpcapita`` dropped, as is 10.01's ``statcap``, which
  PWT 11.0 no longer has).
- ``hdr``: UNDP Human Development Report 2023/24 composite indices, one row per economy (or
  HDR aggregate, ``ZZ…`` codes) and year, 1990-2022: HDI and its components, IHDI, GDI, GII, PHDI.
Each is validated by its pandera schema before an atomic write; rebuilding gives
byte-identical files. Each file records the hashes of the raw files, registry entries and build
code it came from (:mod:`analysis.data.provenance`); a table whose record already matches, and
whose values are intact, is left alone (``unchanged``) unless ``force`` is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data import TABLES, fetch, provenance, registry, schemas, table_path
from analysis.errors import DataError
from analysis.io import write_atomic

__all__ = [
    "TABLES",
    "Built",
    "build",
    "table_path",
    "tidy_countries",
    "tidy_hdr",
    "tidy_pwt",
    "tidy_pwt1001",
    "tidy_wdi",
    "write_table",
]


def tidy_pwt(raw: pd.DataFrame) -> pd.DataFrame:
    """PWT as read from the Stata file → the processed panel (float64, Int8 flags, sorted)."""
    table = raw.rename(columns={"countrycode": "iso3"})
    table["year"] = table["year"].astype("int64")
    for column in schemas.PWT_NUMERIC:
        table[column] = table[column].astype("float64")
    for flag in schemas.PWT_FLAGS:
        table[flag] = table[flag].astype("Int8")
    for column in ("iso3", "country", "currency_unit"):
        table[column] = table[column].astype(str).str.strip().replace({"": None})
    ordered = ["iso3", "country", "currency_unit", "year", *schemas.PWT_NUMERIC, *schemas.PWT_FLAGS]
    missing = sorted(set(ordered) - set(table.columns))
    if missing:
        raise DataError(f"The PWT file lacks the variables {missing}; is it PWT 11.0?")
    return table[ordered].sort_values(["iso3", "year"]).reset_index(drop=True)


# The 14 names the third-party re-save of PWT 10.01 shortened, back to PWT's own (the mirror's MANIFEST, §1.1).
PWT1001_NAMES = {
    "South Korea": "Republic of Korea",
    "Iran": "Iran (Islamic Republic of)",
    "Venezuela": "Venezuela (Bolivarian Republic of)",
    "Tanzania": "U.R. of Tanzania: Mainland",
    "Palestine": "State of Palestine",
    "Sint Maarten": "Sint Maarten (Dutch part)",
    "Russia": "Russian Federation",
    "Moldova": "Republic of Moldova",
    "Laos": "Lao People's DR",
    "Bolivia": "Bolivia (Plurinational State of)",
    "Hong Kong": "China, Hong Kong SAR",
    "Macao": "China, Macao SAR",
    "Syria": "Syrian Arab Republic",
    "Vietnam": "Viet Nam",
}


def tidy_pwt1001(raw: pd.DataFrame) -> pd.DataFrame:
    """PWT 10.01 as read from the mirror's Stata file → the layout of the ``pwt`` table.

    PWT's own country names are restored; ``gdpcapita`` (added by the re-save) and ``statcap``
    (not in PWT 11.0) are dropped; every other value is kept as stored.
    """
    if "rgdpna" not in raw.columns or "statcap" not in raw.columns:
        raise DataError("The PWT 10.01 file lacks rgdpna or statcap; is it PWT 10.01?")
    table = raw.drop(columns=[c for c in ("gdpcapita", "statcap") if c in raw.columns])
    table["country"] = table["country"].astype(str).str.strip().replace(PWT1001_NAMES)
    return tidy_pwt(table)


def tidy_wdi(extract: pd.DataFrame) -> pd.DataFrame:
    """Long WDI extract → wide country-year panel with readable column names."""
    series = registry.wdi_series()
    columns = {s.code: s.column for s in series}
    unknown = sorted(set(extract["indicator"]) - set(columns))
    if unknown:
        raise DataError(
            f"The WDI extracts hold series not in the registry: {unknown}. "
            "Add them to [[wdi_series]] in data/raw/sources.toml."
        )
    names = extract.drop_duplicates("iso3").set_index("iso3")["country"]
    wide = extract.pivot(index=["iso3", "year"], columns="indicator", values="value").rename(columns=columns)
    wide = wide.reindex(columns=[s.column for s in series]).astype("float64").reset_index()
    wide.columns.name = None
    wide.insert(1, "country", wide["iso3"].map(names))
    wide["year"] = wide["year"].astype("int64")
    return wide.sort_values(["iso3", "year"]).reset_index(drop=True)


def tidy_hdr(raw: pd.DataFrame) -> pd.DataFrame:
    """HDR wide file (``<indicator>_<year>`` columns) → one row per code and year, readable names.

    Rows where none of the kept indices is reported are dropped; nothing is filled or rescaled.
    """
    long_parts = []
    for prefix, column in schemas.HDR_INDICATORS.items():
        by_year = {c: int(c.rsplit("_", 1)[1]) for c in raw.columns if re.fullmatch(rf"{prefix}_\d{{4}}", c)}
        if not by_year:
            raise DataError(f"The HDR file lacks the {prefix}_<year> columns ({column}); is it the 2023/24 release?")
        part = raw[["iso3", *by_year]].rename(columns=by_year).melt(id_vars="iso3", var_name="year", value_name=column)
        long_parts.append(part.set_index(["iso3", "year"])[column])
    values = pd.concat(long_parts, axis=1).apply(pd.to_numeric, errors="raise").astype("float64")
    values = values.dropna(how="all").reset_index()
    meta = raw.set_index("iso3")
    table = pd.DataFrame(
        {
            "iso3": values["iso3"].astype(str),
            "country": values["iso3"].map(meta["country"].str.strip()),
            "is_aggregate": values["iso3"].str.startswith("ZZ"),
            "hdi_group_2022": values["iso3"].map(meta["hdicode"].where(meta["hdicode"].notna(), None)),
            "year": values["year"].astype("int64"),
        }
    )
    table["hdi_group_2022"] = table["hdi_group_2022"].astype(object).where(table["hdi_group_2022"].notna(), None)
    table = pd.concat([table, values[list(schemas.HDR_INDICATORS.values())]], axis=1)
    return table.sort_values(["iso3", "year"]).reset_index(drop=True)


def tidy_countries(countries: pd.DataFrame, pwt: pd.DataFrame) -> pd.DataFrame:
    table = countries.copy()
    for column in ("region", "income_group", "lending_category"):
        table[column] = table[column].where(table[column].notna(), None)
    table["is_aggregate"] = table["is_aggregate"].astype(bool)
    table["in_pwt"] = table["iso3"].isin(set(pwt["iso3"]))
    return (
        table[["iso3", "country", "region", "income_group", "lending_category", "is_aggregate", "in_pwt"]]
        .sort_values("iso3")
        .reset_index(drop=True)
    )


def _validated(schema: pa.DataFrameSchema, table: pd.DataFrame) -> pd.DataFrame:
    try:
        return schema.validate(table, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        raise DataError(f"The processed table {schema.name!r} fails its schema:\n{exc}") from None


def write_table(name: str, table: pd.DataFrame) -> Path:
    """Write a processed table atomically as Parquet with its provenance record (same data → same bytes)."""
    target = table_path(name)
    write_atomic(target, lambda tmp: provenance.write(name, table, tmp))
    return target


@dataclass(frozen=True)
class Built:
    """One processed table after ``build``: its path and ``"wrote"`` or ``"unchanged"``."""

    name: str
    path: Path
    action: str


def read_wdi_extracts() -> pd.DataFrame:
    """Every registered WDI extract (the main one and the supplement), stacked in registry order."""
    extract_ids = list(dict.fromkeys(series.extract for series in registry.wdi_series()))
    return pd.concat(
        [
            pd.read_csv(registry.source(sid).path, dtype={"iso3": str, "country": str, "indicator": str})
            for sid in extract_ids
        ],
        ignore_index=True,
    )


def read_hdr() -> pd.DataFrame:
    """The HDR file as UNDP serves it: Latin-1, CRLF; "NaN" and empty cells are missing."""
    return pd.read_csv(
        registry.source("hdr2023_24").path,
        encoding="latin-1",
        dtype={"iso3": str, "country": str, "hdicode": str, "region": str},
        keep_default_na=False,
        na_values=["", "NaN"],
    )


def _read_pwt(source_id: str = "pwt110") -> pd.DataFrame:
    return pd.read_stata(registry.source(source_id).path, convert_categoricals=False)


def _read_countries() -> pd.DataFrame:
    return pd.read_csv(
        registry.source("wdi_countries").path, dtype={"iso3": str}, keep_default_na=False, na_values=[""]
    )


def build(force: bool = False) -> list[Built]:
    """Verify the raw files, then write every processed table that is missing, stale or damaged.

    A table is left alone when its build record matches the current raw files, registry and
    build code and its values are intact; ``force`` rewrites every table.
    """
    fetch.verify()
    stale = provenance.stale_tables(TABLES, force)
    pwt: pd.DataFrame | None = None
    if {"pwt", "countries"} & set(stale):
        pwt = _validated(schemas.PWT_SCHEMA, tidy_pwt(_read_pwt()))
    makers: dict[str, Callable[[], pd.DataFrame]] = {
        "pwt": lambda: pwt,
        "wdi": lambda: _validated(schemas.wdi_schema(), tidy_wdi(read_wdi_extracts())),
        "countries": lambda: _validated(schemas.COUNTRIES_SCHEMA, tidy_countries(_read_countries(), pwt)),
        "hdr": lambda: _validated(schemas.HDR_SCHEMA, tidy_hdr(read_hdr())),
        "pwt1001": lambda: _validated(schemas.PWT1001_SCHEMA, tidy_pwt1001(_read_pwt("pwt1001"))),
    }
    outcomes = []
    for name in TABLES:
        if name in stale:
            outcomes.append(Built(name, write_table(name, makers[name]()), "wrote"))
        else:
            outcomes.append(Built(name, table_path(name), "unchanged"))
    return outcomes
