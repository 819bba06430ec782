"""The source registry, ``data/raw/sources.toml``: what each raw file is and where it comes from."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.errors import DataError, InputError, available
from analysis.io import write_text_atomic


@dataclass(frozen=True)
class Source:
    """One raw file: its place under ``data/raw``, its origin and its pinned hash."""

    id: str
    dataset: str
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


def _load() -> dict:
    path = registry_path()
    if not path.exists():
        raise DataError(
            f"The source registry {paths.relative(path)} is missing. It is part of the "
            "repository: restore it with `git checkout -- data/raw/sources.toml`."
        )
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def sources() -> list[Source]:
    """All registered raw files, in registry order."""
    return [Source(**entry) for entry in _load()["source"]]


def source(source_id: str) -> Source:
    by_id = {s.id: s for s in sources()}
    if source_id not in by_id:
        raise InputError(f"Unknown source {source_id!r}. Registered sources: {available(by_id)}.")
    return by_id[source_id]


def wdi_series() -> list[WdiSeries]:
    """The WDI series the project uses, in registry order."""
    return [WdiSeries(**entry) for entry in _load()["wdi_series"]]


def record_new_vintage(source_id: str, sha256: str, n_bytes: int, vintage: str) -> None:
    """Rewrite one source's sha256, size and vintage in ``sources.toml``, keeping its comments.

    Used only when the user has explicitly accepted a new upstream vintage; the change
    then shows in ``git diff`` as the record of which data the book was built from.
    """
    path = registry_path()
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[\[)", text)
    marker = re.compile(rf'(?m)^id = "{re.escape(source_id)}"$')
    for i, block in enumerate(blocks):
        if block.startswith("[[source]]") and marker.search(block):
            block = re.sub(r'(?m)^sha256 = ".*"$', f'sha256 = "{sha256}"', block)
            block = re.sub(r"(?m)^bytes = \d+$", f"bytes = {n_bytes}", block)
            blocks[i] = re.sub(r'(?m)^vintage = ".*"$', f'vintage = "{vintage}"', block)
            break
    else:
        raise InputError(f"Unknown source {source_id!r} in {paths.relative(path)}.")
    write_text_atomic(path, "".join(blocks))
