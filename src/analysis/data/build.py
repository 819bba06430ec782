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
- ``egov``: UN E-Government Survey, one row per member state and survey year (2003-2024): the
  E-Government Development Index and, for 2022 and 2024 (the editions whose own files are
  registered), the published world rank. UN names become ISO3 codes through the authored table
  ``data/raw/egov_country_names.csv``; other years come from the Data360 export (ISO3, no ranks).
- ``ilo_productivity``: ILOSTAT output per worker (GDP, constant 2017 international $ at PPP),
  ILO modelled estimates of November 2022, one row per economy (or ILO aggregate, ``X..``) and year.
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
    "tidy_egov",
    "tidy_hdr",
    "tidy_ilo",
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


EGOV_NAMES_FILE = provenance.AUTHORED_INPUTS["egov"][0]
_EGOV_COLUMNS = {
    "Survey Year": "survey_year",
    "Country Name": "country",
    "E-Government Rank": "rank",
    "E-Government Index": "egdi",
}


def egov_names_to_iso3(names: pd.Series, table: pd.DataFrame, where: str) -> pd.Series:
    """UN country names → ISO3 through the authored name table; a one-line error for a name it lacks."""
    mapping = table.set_index("un_name")["iso3"]
    unknown = sorted(set(names) - set(mapping.index))
    if unknown:
        raise DataError(
            f"{where} names countries missing from data/raw/{EGOV_NAMES_FILE}: {unknown}. "
            "Add each UN name with its ISO 3166 alpha-3 code to that table."
        )
    return names.map(mapping)


def tidy_egov(ranked: dict[str, pd.DataFrame], data360: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """The E-Government Survey editions with ranks (``{source id: file}``) and the Data360 export → one table.

    A survey year present in a ranked file is taken from it (index and published rank); every other
    survey year of the Data360 export adds its index with no rank. Names are mapped to ISO3 by
    ``names`` (columns ``un_name``, ``iso3``); each survey must name each code once.
    """
    parts = []
    for source_id, raw in ranked.items():
        missing = sorted(set(_EGOV_COLUMNS) - set(raw.columns))
        if missing:
            raise DataError(f"The E-Government Survey file of {source_id} lacks the columns {missing}.")
        part = raw[list(_EGOV_COLUMNS)].rename(columns=_EGOV_COLUMNS)
        part["country"] = part["country"].astype(str).str.strip()
        part["iso3"] = egov_names_to_iso3(part["country"], names, f"The E-Government Survey file of {source_id}")
        part["source"] = source_id
        parts.append(part)
    ranked_years = {int(year) for part in parts for year in part["survey_year"]}
    year_columns = [c for c in data360.columns if re.fullmatch(r"\d{4}", str(c)) and int(c) not in ranked_years]
    named = dict(zip(names["iso3"], names["un_name"], strict=True))
    long = data360[["REF_AREA", *year_columns]].melt(id_vars="REF_AREA", var_name="survey_year", value_name="egdi")
    long = long.dropna(subset=["egdi"]).rename(columns={"REF_AREA": "iso3"})
    unknown = sorted(set(long["iso3"]) - set(named))
    if unknown:
        raise DataError(f"The Data360 EGDI export has codes missing from data/raw/{EGOV_NAMES_FILE}: {unknown}.")
    long["country"] = long["iso3"].map(named)
    long["rank"] = pd.NA
    long["source"] = "egdi_data360"
    table = pd.concat([*parts, long], ignore_index=True)
    table["survey_year"] = table["survey_year"].astype("int64")
    table["egdi"] = pd.to_numeric(table["egdi"], errors="raise").astype("float64")
    table["rank"] = pd.to_numeric(table["rank"]).astype("Int64")
    ordered = table[["iso3", "country", "survey_year", "egdi", "rank", "source"]]
    return ordered.sort_values(["iso3", "survey_year"]).reset_index(drop=True)


def tidy_ilo(raw: pd.DataFrame) -> pd.DataFrame:
    """ILOSTAT's bulk file (one observation per row) → iso3, name, aggregate flag, year, output per worker."""
    indicators = set(raw["indicator"])
    if indicators != {"GDP_211P_NOC_NB"}:
        raise DataError(f"The ILOSTAT file holds {sorted(indicators)}, not only GDP_211P_NOC_NB (output per worker).")
    table = pd.DataFrame(
        {
            "iso3": raw["ref_area"].astype(str),
            "country": raw["ref_area.label"].astype(str),
            "is_aggregate": raw["ref_area"].astype(str).str.fullmatch(r"X\d{2}"),
            "year": raw["time"].astype("int64"),
            "output_per_worker_ppp_2017usd": pd.to_numeric(raw["obs_value"], errors="raise").astype("float64"),
        }
    )
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


def read_egov_names() -> pd.DataFrame:
    """The authored UN name → ISO3 table (``data/raw/egov_country_names.csv``)."""
    path = registry.registry_path().parent / EGOV_NAMES_FILE
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            f"data/raw/{EGOV_NAMES_FILE} is missing. It is part of the repository: restore it with "
            f"`git checkout -- data/raw/{EGOV_NAMES_FILE}`."
        ) from None


def read_egov() -> pd.DataFrame:
    """The ``egov`` table from its three raw files and the name table."""
    ranked = {
        sid: pd.read_csv(registry.source(sid).path, dtype={"Country Name": str}, encoding="utf-8")
        for sid in ("egov_2024", "egov_2022")
    }
    data360 = pd.read_csv(
        registry.source("egdi_data360").path, dtype={"REF_AREA": str}, keep_default_na=False, na_values=[""]
    )
    return tidy_egov(ranked, data360, read_egov_names())


def read_ilo() -> pd.DataFrame:
    """The ILOSTAT file as served: UTF-8 with a byte-order mark."""
    raw = pd.read_csv(
        registry.source("ilo_gdp_per_worker_2022").path,
        encoding="utf-8-sig",
        dtype={"ref_area": str, "ref_area.label": str, "indicator": str},
        keep_default_na=False,
        na_values=[""],
    )
    return tidy_ilo(raw)


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
        "egov": lambda: _validated(schemas.EGOV_SCHEMA, read_egov()),
        "ilo_productivity": lambda: _validated(schemas.ILO_PRODUCTIVITY_SCHEMA, read_ilo()),
        "pwt1001": lambda: _validated(schemas.PWT1001_SCHEMA, tidy_pwt1001(_read_pwt("pwt1001"))),
    }
    outcomes = []
    for name in TABLES:
        if name in stale:
            outcomes.append(Built(name, write_table(name, makers[name]()), "wrote"))
        else:
            outcomes.append(Built(name, table_path(name), "unchanged"))
    return outcomes
