"""Work done once per input: the PWT validation that every growth page shows.

Each growth page (Viet Nam's and the five country pages) checks PWT's own method against
``rtfpna`` for every country-year of the same release: the same seconds of work, with the same
result, six times per build. :func:`cached` keeps such a result in a small JSON file under
``.build/once/`` (git-ignored), named by a key of everything the result depends on: the table's
contents (values, index, columns, dtypes) and the source of the growth package. Another table or
an edited module gives another key, so a stale file is never read; a damaged one is recomputed.

Floats are written by ``json`` with their shortest round-tripping repr, so a value read back is
the very float that was computed, and a page shows the same digits whether it computed or read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis import paths
from analysis.io import write_text_atomic

T = TypeVar("T")
VERSION = "1"  # bump to invalidate every cached file (e.g. a change of the file format)


def cache_dir() -> Path:
    return paths.repo_root() / ".build" / "once"


def table_key(table: pd.DataFrame) -> str:
    """A sha256 of a table's contents: values and index (pandas' row hashes), column names and dtypes."""
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(table, index=True).to_numpy().tobytes())
    digest.update(json.dumps([[str(c), str(t)] for c, t in table.dtypes.items()]).encode())
    return digest.hexdigest()


def code_key() -> str:
    """A sha256 of the growth package's source files (any edit to the computation changes it)."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(name: str, table: pd.DataFrame, compute: Callable[[pd.DataFrame], T], kind: type[T]) -> T:
    """``compute(table)``, read from ``.build/once/`` when the same table and code computed it before.

    ``kind`` is a dataclass of plain JSON values (numbers, strings): the result is stored as its
    fields and rebuilt with ``kind(**fields)``.
    """
    key = hashlib.sha256(f"{VERSION}\0{name}\0{table_key(table)}\0{code_key()}".encode()).hexdigest()
    path = cache_dir() / f"{name}-{key[:32]}.json"
    try:
        return kind(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):  # absent, damaged or of another shape: computed again
        pass
    result = compute(table)
    with contextlib.suppress(OSError):  # a read-only checkout still gets its result, only not cached
        write_text_atomic(path, json.dumps(dataclasses.asdict(result)))
    return result
