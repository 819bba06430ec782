"""Provenance of the processed tables: what each was built from, recorded inside the Parquet file.

Every table written by ``python -m analysis build`` carries, in its Parquet key-value metadata
under :data:`KEY`, a JSON record of

- ``raw``: the sha256 of each raw file it was built from (``data/raw/<file>``);
- ``registry``: the sha256 of the registry entries that shape it (those files' ids and pins, and
  for ``wdi`` the ``[[wdi_series]]`` codes and column names);
- ``code``: the sha256 of each build-code module and the versions of the libraries that write
  the bytes (pandas, pyarrow, pandera);
- ``columns`` and ``content``: the column names and a hash of the table's values.

:func:`read_verified` refuses, with one line naming the table, the reason and the remedy, a file
that is unreadable, has no record, was built from other raw files or other build code, or whose
values no longer match the recorded hash (edited after the build). ``build`` uses
:func:`is_current` to skip tables whose record already matches what it would write.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pooch
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import paths
from analysis.data import registry
from analysis.errors import DataError

KEY = b"analysis.provenance"
REBUILD = "run `python -m analysis build`"

# Which raw sources each processed table is built from (``countries`` flags PWT coverage).
TABLE_SOURCES: dict[str, tuple[str, ...]] = {
    "pwt": ("pwt110",),
    "wdi": ("wdi_extract", "wdi_extract_supplement"),
    "countries": ("wdi_countries", "pwt110"),
    "hdr": ("hdr2023_24",),
    "egov": ("egov_2024", "egov_2022", "egdi_data360"),
    "ilo_productivity": ("ilo_gdp_per_worker_2022",),
    "pwt1001": ("pwt1001",),
}

# Committed tables (in data/raw) that shape a processed table besides its raw sources.
AUTHORED_INPUTS: dict[str, tuple[str, ...]] = {"egov": ("egov_country_names.csv",)}

# The modules whose code decides the bytes of a processed table.
BUILD_MODULES = ("build.py", "schemas.py", "provenance.py")
LIBRARIES = ("pandas", "pyarrow", "pandera")


@dataclass(frozen=True)
class Expected:
    """What a table built now from the current raw files, registry and code would record."""

    raw: dict[str, str]
    registry: str
    code: dict[str, str]


def _canonical_sha(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _authored_sha(file_name: str) -> str:
    """sha256 of a committed table in ``data/raw``; a one-line :class:`DataError` when it is missing."""
    path = paths.raw_dir() / file_name
    try:
        return pooch.file_hash(str(path))
    except FileNotFoundError:
        raise DataError(
            f"{paths.relative(path)} is missing. It is part of the repository: restore it with "
            f"`git checkout -- {paths.relative(path)}`."
        ) from None


def code_fingerprint() -> dict[str, str]:
    """sha256 of each build module (by repository-relative name) and the writing libraries' versions."""
    here = Path(__file__).resolve().parent
    record = {f"analysis/data/{name}": pooch.file_hash(str(here / name)) for name in BUILD_MODULES}
    record.update({library: version(library) for library in LIBRARIES})
    return record


def expected(name: str) -> Expected:
    """The record a table ``name`` built now would carry (raw hashes as pinned in the registry)."""
    sources = [registry.source(sid) for sid in TABLE_SOURCES[name]]
    shaping: dict[str, object] = {"sources": [[s.id, s.file, s.sha256] for s in sources]}
    if name == "wdi":
        shaping["wdi_series"] = [[s.code, s.column, s.extract] for s in registry.wdi_series()]
    for authored in AUTHORED_INPUTS.get(name, ()):
        shaping[authored] = _authored_sha(authored)
    return Expected(raw={s.file: s.sha256 for s in sources}, registry=_canonical_sha(shaping), code=code_fingerprint())


def content_hash(table: pd.DataFrame) -> str:
    """A hash of a table's column names, dtypes and values (row order included)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in table.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def record(name: str, table: pd.DataFrame) -> dict[str, object]:
    """The provenance record written into table ``name``."""
    want = expected(name)
    return {
        "table": name,
        "raw": want.raw,
        "registry": want.registry,
        "code": want.code,
        "columns": [str(c) for c in table.columns],
        "content": content_hash(table),
    }


def write(name: str, table: pd.DataFrame, target: Path) -> None:
    """Write ``table`` as Parquet with its provenance record (same data → same bytes).

    The content hash is taken of the table as a reader will see it (after a Parquet round trip),
    so that dtype normalisation on reading (e.g. None in an object column) is not mistaken for an edit.
    """
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    buffer = io.BytesIO()
    pq.write_table(arrow, buffer, compression="zstd")
    as_read = pd.read_parquet(io.BytesIO(buffer.getvalue()))
    metadata = dict(arrow.schema.metadata or {})
    metadata[KEY] = json.dumps(record(name, as_read), sort_keys=True).encode()
    pq.write_table(arrow.replace_schema_metadata(metadata), target, compression="zstd")


def _refuse(name: str, path: Path, why: str) -> DataError:
    return DataError(f"The processed table {name!r} ({paths.relative(path)}) {why}; {REBUILD}.")


def stored_record(name: str, path: Path) -> dict[str, object]:
    """The provenance record in a processed file, or a one-line :class:`DataError` why it has none."""
    try:
        metadata = pq.read_schema(path).metadata or {}
    except PermissionError:
        raise DataError(
            f"The processed table {name!r} ({paths.relative(path)}) cannot be read: permission denied. "
            "Give yourself read access to data/processed (e.g. `chmod -R u+rwX data/processed`)."
        ) from None
    except (pa.ArrowException, OSError):
        raise _refuse(name, path, "is not a readable Parquet file (truncated, zeroed or overwritten)") from None
    if KEY not in metadata:
        raise _refuse(name, path, "has no build record: it was written by an older build or by hand")
    try:
        stored = json.loads(metadata[KEY])
    except ValueError:
        raise _refuse(name, path, "has a damaged build record") from None
    if not isinstance(stored, dict):
        raise _refuse(name, path, "has a damaged build record")
    return stored


def mismatch(name: str, stored: dict[str, object]) -> str | None:
    """Why a stored record differs from what a build now would write (None when it matches)."""
    want = expected(name)
    if stored.get("raw") != want.raw:
        recorded = stored.get("raw") if isinstance(stored.get("raw"), dict) else {}
        changed = sorted(f for f in set(recorded) | set(want.raw) if recorded.get(f) != want.raw.get(f))
        return f"was built from other raw files than data/raw/sources.toml now pins ({', '.join(changed)})"
    if stored.get("registry") != want.registry:
        return "was built under other registry entries (data/raw/sources.toml changed)"
    if stored.get("code") != want.code:
        recorded = stored.get("code") if isinstance(stored.get("code"), dict) else {}
        changed = sorted(k for k in set(recorded) | set(want.code) if recorded.get(k) != want.code.get(k))
        return f"was built by other build code or library versions ({', '.join(changed)})"
    return None


def check_table(name: str, path: Path, stored: dict[str, object], table: pd.DataFrame) -> None:
    """Refuse a table whose columns or values differ from its own build record."""
    columns = [str(c) for c in table.columns]
    recorded = stored.get("columns")
    if columns != recorded:
        missing = [c for c in (recorded or []) if c not in columns]
        extra = [c for c in columns if c not in (recorded or [])]
        detail = "; ".join(
            part for part in (f"lacks {missing}" if missing else "", f"has extra {extra}" if extra else "") if part
        )
        raise _refuse(name, path, f"does not have the columns its build recorded ({detail or 'other order'})")
    if content_hash(table) != stored.get("content"):
        raise _refuse(name, path, "was modified after it was built (its values do not match the build record)")


def read_verified(name: str, path: Path) -> pd.DataFrame:
    """Read a processed table and verify it against its build record and the current registry and code."""
    stored = stored_record(name, path)
    why = mismatch(name, stored)
    if why:
        raise _refuse(name, path, why)
    try:
        table = pd.read_parquet(path)
    except PermissionError:
        raise DataError(
            f"The processed table {name!r} ({paths.relative(path)}) cannot be read: permission denied."
        ) from None
    except (pa.ArrowException, OSError):
        raise _refuse(name, path, "is not a readable Parquet file (truncated, zeroed or overwritten)") from None
    check_table(name, path, stored, table)
    return table


def is_current(name: str, path: Path) -> bool:
    """True when ``path`` holds an intact table ``name`` that a build now would write identically."""
    try:
        read_verified(name, path)
    except DataError:
        return False
    return True


def stale_tables(names: tuple[str, ...], force: bool = False) -> list[str]:
    """The tables among ``names`` that a build must (re)write: all with ``force``, else the non-current ones."""
    from analysis.data import table_path

    return [name for name in names if force or not is_current(name, table_path(name))]
