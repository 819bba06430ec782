"""Data layer: source registry, fetch, build and the processed tables.

>>> from analysis.data import load
>>> pwt = load("pwt")        # Penn World Table 11.0, one row per economy-year
>>> wdi = load("wdi")        # WDI panel, readable column names with units
>>> countries = load("countries")   # economies and aggregates, region, income group
>>> hdr = load("hdr")        # UNDP HDR 2023/24: HDI and components, one row per economy-year
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError, InputError, available

TABLES = ("pwt", "wdi", "countries", "hdr")


def table_path(name: str) -> Path:
    """Where the processed table ``name`` lives (``data/processed/<name>.parquet``)."""
    return paths.processed_dir() / f"{name}.parquet"


@lru_cache(maxsize=8)
def _read(name: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_parquet(table_path(name))


def load(name: str) -> pd.DataFrame:
    """A processed table by name (``pwt``, ``wdi``, ``countries`` or ``hdr``), as a fresh copy."""
    if name not in TABLES:
        raise InputError(f"Unknown processed table {name!r}. Available: {available(TABLES)}.")
    path = table_path(name)
    if not path.exists():
        raise DataError(
            f"The processed table {paths.relative(path)} does not exist yet. Run "
            "`python -m analysis fetch` and then `python -m analysis build` (or `make data`)."
        )
    return _read(name, path.stat().st_mtime_ns).copy()
