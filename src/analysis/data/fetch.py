"""Fetch the raw files: from an offline mirror when one is given, else from the official source.

Every file ends at ``data/raw/<file>`` only after its sha256 matched the registry, and
only by an atomic rename, so ``data/raw`` never holds a partial or unverified file.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pooch
import requests

from analysis import paths
from analysis.data import registry
from analysis.data.registry import Source
from analysis.data.wdi_api import download_wdi
from analysis.errors import DataError
from analysis.io import atomic_path, sha256_of

MIRROR_ENV = "ANALYSIS_DATA_MIRROR"

# pooch logs the absolute download path at INFO; the progress bar says enough.
pooch.get_logger().setLevel(logging.WARNING)


@dataclass(frozen=True)
class FetchOutcome:
    source_id: str
    file: str
    action: str  # "present", "copied from mirror", "downloaded", "downloaded (new vintage)"


def mirror_from_env(mirror: Path | str | None) -> Path | None:
    """The mirror directory: the argument if given, else ``$ANALYSIS_DATA_MIRROR``, else none."""
    chosen = mirror if mirror not in (None, "") else os.environ.get(MIRROR_ENV) or None
    if chosen is None:
        return None
    chosen = Path(chosen)
    if not chosen.is_dir():
        raise DataError(
            f"The data mirror directory {chosen} does not exist or is not a directory. "
            f"Give the folder that holds pwt/ and wdi/ (with --mirror DIR or ${MIRROR_ENV}), "
            "or give no mirror to download from the official sources."
        )
    return chosen


def is_present(src: Source) -> bool:
    """True when the file is in ``data/raw`` with the registered hash."""
    return src.path.exists() and sha256_of(src.path) == src.sha256


def _refuse_wrong_local(src: Source) -> None:
    actual = sha256_of(src.path)
    raise DataError(
        f"{paths.relative(src.path)} is present but its sha256 is {actual}, not the registered "
        f"{src.sha256} ({src.dataset}). Raw files are never edited in place: delete it and run "
        "`python -m analysis fetch` again to restore the registered vintage."
    )


def copy_from_mirror(src: Source, mirror: Path) -> None:
    origin = mirror / src.file
    if not origin.is_file():
        raise DataError(
            f"The mirror has no {src.file} ({src.dataset}). Expected it at <mirror>/{src.file} with "
            f"sha256 {src.sha256}. Point --mirror (or ${MIRROR_ENV}) at a complete mirror, or run "
            "without a mirror to download from the official source."
        )
    with atomic_path(src.path) as tmp:
        shutil.copyfile(origin, tmp)
        actual = sha256_of(tmp)
        if actual != src.sha256:
            raise DataError(
                f"The mirror's {src.file} ({src.dataset}) has sha256 {actual}, but the registry "
                f"pins {src.sha256}. The mirror copy is corrupted or of another vintage; nothing was "
                "written. Replace the mirror file with the registered vintage, or fetch without a mirror."
            )


def download_file(src: Source, progress: bool = True) -> None:
    """One HTTP GET of ``src.url`` through pooch, which checks the hash before moving the file in place."""
    try:
        pooch.retrieve(
            url=src.url,
            known_hash=f"sha256:{src.sha256}",
            fname=src.path.name,
            path=src.path.parent,
            progressbar=progress,
        )
    except ValueError as exc:  # pooch's hash mismatch; it has already deleted the download
        raise DataError(
            f"The download of {src.file} ({src.dataset}) from {src.url} did not match the registered "
            f"sha256 {src.sha256}: the transfer was corrupted or truncated, or the file changed "
            f"upstream. Nothing was written. Try again; if it persists, compare with the source's "
            f"release notes. ({exc})"
        ) from None
    except requests.RequestException as exc:
        raise DataError(
            f"Could not download {src.file} ({src.dataset}) from {src.url}: {exc}. Check the network "
            f"connection and that the URL still serves the file, or use an offline mirror with "
            f"--mirror DIR (or ${MIRROR_ENV})."
        ) from None


def download_wdi_sources(wdi_sources: list[Source], accept_new_vintage: bool, progress: bool = True) -> list[str]:
    """Query the World Bank API for every WDI file; install them only if their hashes are accepted.

    The country table is the source whose file is ``wdi_countries.csv``; every other ``wdi_api``
    source is a tidy extract holding the ``[[wdi_series]]`` whose ``extract`` names it.
    """
    countries = next(s for s in wdi_sources if Path(s.file).name == "wdi_countries.csv")
    extracts = [s for s in wdi_sources if s is not countries]
    series = registry.wdi_series()
    base_url = extracts[0].url
    with tempfile.TemporaryDirectory(dir=paths.raw_dir()) as tmp_dir:
        tmp = {s.id: Path(tmp_dir) / Path(s.file).name for s in wdi_sources}
        plan = {tmp[s.id]: [x.code for x in series if x.extract == s.id] for s in extracts}
        try:
            download_wdi(plan, tmp[countries.id], base_url=base_url, progress=progress)
        except requests.RequestException as exc:
            raise DataError(
                f"Could not download the WDI series from the World Bank API at {base_url}: {exc}. "
                f"Check the network connection, or use an offline mirror with --mirror DIR (or ${MIRROR_ENV})."
            ) from None
        downloaded = {s.id: (s, tmp[s.id]) for s in wdi_sources}
        changed = {sid: sha256_of(path) for sid, (src, path) in downloaded.items() if sha256_of(path) != src.sha256}
        if changed and not accept_new_vintage:
            detail = "; ".join(
                f"{downloaded[sid][0].file}: got {sha}, registered {downloaded[sid][0].sha256}"
                for sid, sha in changed.items()
            )
            raise DataError(
                "The World Bank API now serves a different vintage of WDI than the one this book was "
                f"built from ({detail}). WDI is revised continually, so numbers may change. Nothing was "
                "written. Use the pinned vintage from a mirror (--mirror DIR), or rerun with "
                "--accept-new-vintage to use today's data; the new sha256 is then recorded in "
                "data/raw/sources.toml."
            )
        for sid, (src, path) in downloaded.items():
            src.path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, src.path)
            if sid in changed:
                registry.record_new_vintage(
                    sid, changed[sid], src.path.stat().st_size, f"World Bank API, downloaded {date.today().isoformat()}"
                )
        return sorted(changed)


def fetch(
    mirror: Path | str | None = None, accept_new_vintage: bool = False, progress: bool = True
) -> list[FetchOutcome]:
    """Make every registered raw file present with its registered hash.

    Files already present with the right hash are not touched. With a mirror no network
    is used. Raises :class:`DataError` with an explanation on any failure.
    """
    mirror_dir = mirror_from_env(mirror)
    outcomes: list[FetchOutcome] = []
    pending_wdi: list[Source] = []
    for src in registry.sources():
        if src.path.exists():
            if sha256_of(src.path) == src.sha256:
                outcomes.append(FetchOutcome(src.id, src.file, "present"))
                continue
            _refuse_wrong_local(src)
        if mirror_dir is not None:
            copy_from_mirror(src, mirror_dir)
            outcomes.append(FetchOutcome(src.id, src.file, "copied from mirror"))
        elif src.method == "download":
            download_file(src, progress=progress)
            outcomes.append(FetchOutcome(src.id, src.file, "downloaded"))
        elif src.method == "wdi_api":
            pending_wdi.append(src)
        else:
            raise DataError(
                f"Source {src.id} has unknown method {src.method!r} in data/raw/sources.toml "
                "(allowed: download, wdi_api)."
            )
    if pending_wdi:
        wdi_all = [s for s in registry.sources() if s.method == "wdi_api"]
        changed = download_wdi_sources(wdi_all, accept_new_vintage, progress=progress)
        for src in wdi_all:
            action = "downloaded (new vintage)" if src.id in changed else "downloaded"
            outcomes = [o for o in outcomes if o.source_id != src.id] + [FetchOutcome(src.id, src.file, action)]
    return outcomes


def verify() -> None:
    """Raise :class:`DataError` unless every registered raw file is present with its hash."""
    for src in registry.sources():
        if not src.path.exists():
            raise DataError(
                f"{paths.relative(src.path)} ({src.dataset}) is missing. Run `python -m analysis fetch` "
                f"(offline: add --mirror DIR or set ${MIRROR_ENV})."
            )
        if sha256_of(src.path) != src.sha256:
            _refuse_wrong_local(src)
