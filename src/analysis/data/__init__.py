"""Data layer: source registry, fetch, build and the processed tables.

>>> from analysis.data import load
>>> pwt = load("pwt")        # Penn World Table 11.0, one row per economy-year
>>> wdi = load("wdi")        # WDI panel, readable column names with units
>>> countries = load("countries")   # economies and aggregates, region, income group
>>> hdr = load("hdr")        # UNDP HDR 2023/24: HDI and components, one row per economy-year
>>> egov = load("egov")      # UN E-Government Survey: EGDI (and rank where published), per state and survey year
>>> ilo = load("ilo_productivity")  # ILOSTAT output per worker, Nov. 2022 vintage (2017 PPP)
>>> pwt1001 = load("pwt1001")  # Penn World Table 10.01, same layout as pwt (vintage comparisons only)
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError, InputError, available

TABLES = ("pwt", "wdi", "countries", "hdr", "egov", "ilo_productivity", "pwt1001")


def table_path(name: str) -> Path:
    """Where the processed table ``name`` lives (``data/processed/<name>.parquet``)."""
    return paths.processed_dir() / f"{name}.parquet"


def processed_files() -> list[Path]:
    """The file of every processed table; a one-line :class:`DataError` if one is missing or unreadable.

    Unlike globbing ``data/processed``, which silently finds nothing in a folder one may not read,
    this says which table is missing and why (e.g. ``chmod 000 data/processed``).
    """
    files = []
    for name in TABLES:
        path = table_path(name)
        _checked_stat(path, opened=True)
        files.append(path)
    return files


def _checked_stat(path: Path, opened: bool = False) -> os.stat_result:
    """The file's status (opening it when ``opened``), or the one message for a missing or unreadable table."""
    try:
        if opened:
            with open(path, "rb"):
                pass
        return path.stat()
    except FileNotFoundError:
        raise DataError(
            f"The processed table {paths.relative(path)} does not exist yet. Run "
            "`python -m analysis fetch` and then `python -m analysis build` (or `make data`)."
        ) from None
    except PermissionError:
        raise DataError(
            f"The processed table {paths.relative(path)} cannot be read: permission denied on "
            f"{paths.relative(path.parent)}. Give yourself access (e.g. `chmod -R u+rwX data/processed`)."
        ) from None


@lru_cache(maxsize=8)
def _read(name: str, path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    from analysis.data import provenance

    return provenance.read_verified(name, Path(path))


def load(name: str) -> pd.DataFrame:
    """A processed table by name (one of :data:`TABLES`), as a fresh copy.

    The table is verified against the build record inside it (raw-file and build-code hashes,
    values); a damaged, edited or out-of-date table is refused with a one-line :class:`DataError`.
    """
    if name not in TABLES:
        raise InputError(f"Unknown processed table {name!r}. Available: {available(TABLES)}.")
    path = table_path(name)
    status = _checked_stat(path)
    return _read(name, str(path), status.st_mtime_ns, status.st_size).copy()
