"""The source registry, ``data/raw/sources.toml``: what each raw file is and where it comes from."""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

import tomlkit

from analysis import paths
from analysis.errors import DataError, InputError, available, inside
from analysis.io import write_text_atomic


@dataclass(frozen=True)
class Source:
    """One raw file: its place under ``data/raw``, its origin and its pinned hash."""

    id: str
    dataset: str
    producer: str  # who made the data (the creator named in a deposit's metadata)
    file: str
    method: str
    url: str
    sha256: str
    bytes: int
    licence: str
    citation: str
    doi: str
    vintage: str
    bibkey: str
    deposit: str = ""  # a second place to get the very same bytes: "doi:<DOI>/<file name>" or an https URL
    coverage: dict[str, int] = field(default_factory=dict, hash=False)  # WDI files: what the pinned vintage covers
    note: str = ""  # free text a reader of the registry needs, e.g. how this copy differs from the producer's file

    @property
    def path(self) -> Path:
        return paths.raw_dir() / self.file


@dataclass(frozen=True)
class WdiSeries:
    """A World Development Indicators series and its column in the processed panel."""

    code: str
    column: str
    label: str
    extract: str = "wdi_extract"  # the [[source]] id of the tidy extract that holds this series


def registry_path() -> Path:
    return paths.raw_dir() / "sources.toml"


RESTORE = "restore it with `git checkout -- data/raw/sources.toml`"


def _load() -> dict:
    path = registry_path()
    where = paths.relative(path)
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise DataError(f"The source registry {where} is missing. It is part of the repository: {RESTORE}.") from None
    except PermissionError:
        raise DataError(f"The source registry {where} cannot be read: permission denied.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"The source registry {where} is not valid TOML ({exc}); fix it or {RESTORE}.") from None
    except IsADirectoryError:
        raise DataError(f"The source registry {where} is a directory, not a file; {RESTORE}.") from None


def _entries(document: dict, kind: type, key: str) -> list:
    """The ``[[key]]`` entries of the registry as ``kind`` objects, each checked for its fields."""
    entries = document.get(key)
    if not isinstance(entries, list) or not entries:
        raise DataError(f"The source registry data/raw/sources.toml has no [[{key}]] entries; {RESTORE}.")
    allowed = {f.name for f in fields(kind)}
    required = {f.name for f in fields(kind) if f.default is MISSING and f.default_factory is MISSING}
    result = []
    for number, entry in enumerate(entries, start=1):
        label = f"[[{key}]] entry {number}" + (
            f" ({entry.get('id') or entry.get('code')})" if isinstance(entry, dict) else ""
        )
        if not isinstance(entry, dict):
            raise DataError(f"In data/raw/sources.toml, {label} is not a table; {RESTORE}.")
        missing, unknown = sorted(required - set(entry)), sorted(set(entry) - allowed)
        if missing or unknown:
            detail = "; ".join(
                part
                for part in (f"lacks {missing}" if missing else "", f"has unknown {unknown}" if unknown else "")
                if part
            )
            raise DataError(f"In data/raw/sources.toml, {label} {detail} (allowed: {available(allowed)}).")
        wrong = [
            f"{name} must be {_TYPES[f.type].__name__}"
            for f in fields(kind)
            if (name := f.name) in entry and f.type in _TYPES and not _is_type(entry[name], _TYPES[f.type])
        ]
        if wrong:
            raise DataError(f"In data/raw/sources.toml, {label}: {'; '.join(wrong)}.")
        result.append(kind(**entry))
    return result


_TYPES: dict[str, type] = {"str": str, "int": int}


def _is_type(value: object, expected: type) -> bool:
    """``value`` is of the field's type (a bool is not an int here)."""
    return isinstance(value, expected) and not (expected is int and isinstance(value, bool))


def sources() -> list[Source]:
    """All registered raw files, in registry order (the whole registry is checked, so a damaged one fails early).

    Every ``file`` must lie inside data/raw/ and every id must be unique.
    """
    document = _load()
    _entries(document, WdiSeries, "wdi_series")
    result = _entries(document, Source, "source")
    for src in result:
        if not isinstance(src.file, str) or not src.file:
            raise DataError(f"In data/raw/sources.toml, source {src.id!r} has no file name; {RESTORE}.")
        try:
            inside(paths.raw_dir(), src.file, f"In data/raw/sources.toml, the file of source {src.id!r},")
        except InputError as outside:
            raise DataError(str(outside)) from None
    ids = [src.id for src in result]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise DataError(f"data/raw/sources.toml registers the source ids {repeated} more than once; {RESTORE}.")
    return result


def source(source_id: str) -> Source:
    by_id = {s.id: s for s in sources()}
    if source_id not in by_id:
        raise InputError(f"Unknown source {source_id!r}. Registered sources: {available(by_id)}.")
    return by_id[source_id]


def wdi_series() -> list[WdiSeries]:
    """The WDI series the project uses, in registry order."""
    return _entries(_load(), WdiSeries, "wdi_series")


def record_new_vintage(source_id: str, sha256: str, n_bytes: int, vintage: str, coverage: dict[str, int]) -> None:
    """Rewrite one source's sha256, size, vintage and coverage in ``sources.toml``, keeping its comments.

    Used only when the user has explicitly accepted a new upstream vintage; the change
    then shows in ``git diff`` as the record of which data the book was built from.
    """
    path = registry_path()
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for entry in document["source"]:
        if entry.get("id") == source_id:
            entry["sha256"] = sha256
            entry["bytes"] = n_bytes
            entry["vintage"] = vintage
            table = tomlkit.inline_table()
            table.update(coverage)
            entry["coverage"] = table
            break
    else:
        raise InputError(f"Unknown source {source_id!r} in {paths.relative(path)}.")
    write_text_atomic(path, tomlkit.dumps(document))
