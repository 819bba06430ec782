"""Fetch the raw files, offline first, and install each only once its sha256 matches the registry.

For every file in ``data/raw/sources.toml`` the places tried are, in this order:

1. ``data/raw/<file>`` itself: already present with the registered sha256, it is left alone
   (present with another hash, it is refused, never silently replaced);
2. an offline mirror (``--mirror DIR`` or ``$ANALYSIS_DATA_MIRROR``), a folder holding the same
   relative paths. When a mirror is given it is the only place used: the network is never touched;
3. the official source, ``url``: one HTTP download (``method = "download"``), or the World Bank
   API (``method = "wdi_api"``; ``$ANALYSIS_WDI_API`` overrides the API base), with retries and
   backoff, per-request timeouts and one deadline for the whole fetch (:mod:`analysis.data.net`);
4. the deposit, ``deposit`` (``doi:<DOI>/<file>`` or an https URL): a published copy of exactly
   the registered bytes, tried when the official source fails or, for WDI, serves another vintage.

Each outcome says which place served the file. Files reach ``data/raw`` only by an atomic
rename after their hash matched, so ``data/raw`` never holds a partial or unverified file; the
debris a killed fetch can leave (``data/raw/tmp*/`` folders, ``tmp*`` and ``*.part`` files) is
removed when the next fetch starts. A new WDI vintage is accepted only with
``--accept-new-vintage`` and only if it covers no less than the pinned one (:mod:`.vintage`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pooch
import requests

from analysis import paths
from analysis.data import registry, vintage
from analysis.data.net import Deadline, DeadlineExceeded, describe, retrieve
from analysis.data.registry import Source
from analysis.data.wdi_api import download_wdi
from analysis.errors import DataError
from analysis.io import atomic_path, sha256_of

MIRROR_ENV = "ANALYSIS_DATA_MIRROR"
WDI_API_ENV = "ANALYSIS_WDI_API"
METHODS = ("download", "wdi_api")

# pooch logs the absolute download path at INFO; the progress bar says enough.
pooch.get_logger().setLevel(logging.WARNING)

# What killed fetches leave behind: tempfile's folders and files (tmp + 8 characters), atomic_path's *.part.
_DEBRIS_NAME = re.compile(r"tmp[a-z0-9_]{8}")


@dataclass(frozen=True)
class FetchOutcome:
    source_id: str
    file: str
    action: str  # "present", "copied from mirror", "downloaded from official source", "downloaded from deposit", ...


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


def wdi_api_base(src: Source) -> str:
    """The World Bank API base: ``$ANALYSIS_WDI_API`` when set, else the registry's ``url``."""
    return (os.environ.get(WDI_API_ENV) or src.url).rstrip("/")


def is_present(src: Source) -> bool:
    """True when the file is in ``data/raw`` with the registered hash."""
    return src.path.exists() and sha256_of(src.path) == src.sha256


def clean_debris() -> list[Path]:
    """Remove what killed fetches leave in ``data/raw``: ``tmp*/`` folders, ``tmp*`` and ``*.part`` files.

    Only names that no registered file can have are touched (registered files are listed in the
    registry and never start with ``tmp`` or end in ``.part``).
    """
    raw = paths.raw_dir()
    if not raw.is_dir():
        return []
    registered = {src.path for src in registry.sources()}
    removed = []
    for path in sorted(raw.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        debris = _DEBRIS_NAME.fullmatch(path.name) or (path.is_file() and path.name.endswith(".part"))
        if not debris or path in registered or not path.exists():
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path)
    return removed


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


def _download(src: Source, url: str, deadline: Deadline, progress: bool) -> None:
    """Download ``url`` into ``src.path`` through pooch (retried; hash-checked before it is moved in place)."""
    try:
        retrieve(url, src.path, src.sha256, deadline, progress)
    except DeadlineExceeded:
        raise
    except ValueError:  # pooch's hash mismatch, after its retries; it has already deleted the download
        raise DataError(
            f"The download of {src.file} ({src.dataset}) from {url} did not match the registered "
            f"sha256 {src.sha256}: the transfer was corrupted or truncated, or the file changed "
            f"upstream. Nothing was written. Try again; if it persists, compare with the source's "
            f"release notes."
        ) from None
    except requests.RequestException as exc:
        if deadline.expired:
            raise deadline.exceeded(f"The download of {src.file} from {url}") from None
        raise DataError(
            f"Could not download {src.file} ({src.dataset}) from {url}: {describe(exc)}. Check the "
            f"network connection and that the URL still serves the file, or use an offline mirror with "
            f"--mirror DIR (or ${MIRROR_ENV})."
        ) from None


def download_file(src: Source, progress: bool = True, deadline: Deadline | None = None) -> str:
    """Get ``src`` from its official URL, else from its deposit; return which one served it."""
    with deadline or Deadline() as limit:
        try:
            _download(src, src.url, limit, progress)
            return "downloaded from official source"
        except DataError as official:
            if not src.deposit or isinstance(official, DeadlineExceeded):
                raise
            try:
                _download(src, src.deposit, limit, progress)
            except DataError as deposit:
                raise DataError(f"{official} The deposit {src.deposit} failed too: {deposit}") from None
            return "downloaded from deposit (official source failed)"


def _install(downloaded: dict[str, tuple[Source, Path]], changed: dict[str, str]) -> None:
    for sid, (src, path) in downloaded.items():
        src.path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, src.path)
        if sid in changed:
            countries_file = Path(src.file).name == "wdi_countries.csv"
            registry.record_new_vintage(
                sid,
                changed[sid],
                src.path.stat().st_size,
                f"World Bank API, downloaded {date.today().isoformat()}",
                vintage.summarize(src.path, countries_file),
            )


def download_wdi_sources(
    wdi_sources: list[Source], accept_new_vintage: bool, progress: bool = True, deadline: Deadline | None = None
) -> dict[str, str]:
    """Query the World Bank API for every WDI file; install them only if their hashes are accepted.

    The country table is the source whose file is ``wdi_countries.csv``; every other ``wdi_api``
    source is a tidy extract holding the ``[[wdi_series]]`` whose ``extract`` names it. Returns
    ``{source id: action}``. Files the API serves in another vintage come from their deposit when
    one is registered (unless ``accept_new_vintage``); a new vintage is accepted only if it covers
    no less than the pinned one.
    """
    countries = next(s for s in wdi_sources if Path(s.file).name == "wdi_countries.csv")
    extracts = [s for s in wdi_sources if s is not countries]
    series = registry.wdi_series()
    base_url = wdi_api_base(extracts[0])
    paths.raw_dir().mkdir(parents=True, exist_ok=True)
    with deadline or Deadline() as limit, tempfile.TemporaryDirectory(dir=paths.raw_dir()) as tmp_dir:
        tmp = {s.id: Path(tmp_dir) / Path(s.file).name for s in wdi_sources}
        plan = {tmp[s.id]: [x.code for x in series if x.extract == s.id] for s in extracts}
        try:
            download_wdi(plan, tmp[countries.id], base_url=base_url, deadline=limit, progress=progress)
        except requests.RequestException as exc:
            if limit.expired:
                failure = limit.exceeded(f"The WDI download from {base_url}")
            else:
                failure = DataError(
                    f"Could not download the WDI series from the World Bank API at {base_url}: "
                    f"{describe(exc)}. Check the network connection, or use an offline mirror "
                    f"with --mirror DIR (or ${MIRROR_ENV})."
                )
            return _wdi_from_deposits(wdi_sources, failure, "API failed", progress, limit)
        except DataError as failure:
            if isinstance(failure, DeadlineExceeded):
                raise
            return _wdi_from_deposits(wdi_sources, failure, "API failed", progress, limit)
        downloaded = {s.id: (s, tmp[s.id]) for s in wdi_sources}
        changed = {sid: sha256_of(path) for sid, (src, path) in downloaded.items() if sha256_of(path) != src.sha256}
        if changed and not accept_new_vintage:
            detail = "; ".join(
                f"{downloaded[sid][0].file}: got {sha}, registered {downloaded[sid][0].sha256}"
                for sid, sha in changed.items()
            )
            failure = DataError(
                "The World Bank API now serves a different vintage of WDI than the one this book was "
                f"built from ({detail}). WDI is revised continually, so numbers may change. Nothing was "
                "written. Use the pinned vintage from a mirror (--mirror DIR), or rerun with "
                "--accept-new-vintage to use today's data; the new sha256 is then recorded in "
                "data/raw/sources.toml."
            )
            same = {sid: downloaded[sid] for sid in downloaded if sid not in changed}
            stale = [downloaded[sid][0] for sid in changed]
            actions = _wdi_from_deposits(stale, failure, "API serves a newer vintage", progress, limit)
            _install(same, {})
            return {**{sid: "downloaded from official source" for sid in same}, **actions}
        if changed:
            _refuse_shrunken(downloaded, changed, series)
        _install(downloaded, changed)
        return {
            sid: "downloaded (new vintage)" if sid in changed else "downloaded from official source"
            for sid in downloaded
        }


def _refuse_shrunken(downloaded: dict[str, tuple[Source, Path]], changed: dict[str, str], series: list) -> None:
    problems = []
    for sid in changed:
        src, path = downloaded[sid]
        codes = [s.code for s in series if s.extract == sid]
        shrunk = vintage.shrinkage(src, path, codes)
        if shrunk:
            problems.append(f"{src.file}: " + "; ".join(shrunk))
    if problems:
        raise DataError(
            "The World Bank API's new WDI vintage covers less than the pinned one, so it was not accepted "
            f"and nothing was written: {' | '.join(problems)}. This is usually a partial or faulty answer: "
            "try again later. If the shrink is real and intended, lower `coverage` for that source in "
            "data/raw/sources.toml and rerun."
        )


def _wdi_from_deposits(
    wanted: list[Source], failure: DataError, reason: str, progress: bool, deadline: Deadline
) -> dict[str, str]:
    """Restore WDI files from their deposits after the API failed or served another vintage."""
    if not wanted or any(not s.deposit for s in wanted):
        raise failure
    actions = {}
    for src in wanted:
        try:
            _download(src, src.deposit, deadline, progress)
        except DataError as deposit:
            raise DataError(f"{failure} The deposit {src.deposit} failed too: {deposit}") from None
        actions[src.id] = f"downloaded from deposit ({reason})"
    return actions


def fetch(
    mirror: Path | str | None = None, accept_new_vintage: bool = False, progress: bool = True
) -> list[FetchOutcome]:
    """Make every registered raw file present with its registered hash.

    Files already present with the right hash are not touched. With a mirror no network
    is used. Raises :class:`DataError` with an explanation on any failure.
    """
    mirror_dir = mirror_from_env(mirror)
    sources = registry.sources()
    for src in sources:
        if src.method not in METHODS:
            raise DataError(
                f"Source {src.id} has unknown method {src.method!r} in data/raw/sources.toml "
                f"(allowed: {', '.join(METHODS)})."
            )
    clean_debris()
    outcomes: dict[str, FetchOutcome] = {}
    pending_wdi = False
    with Deadline() as deadline:
        for src in sources:
            if src.path.exists():
                if sha256_of(src.path) == src.sha256:
                    outcomes[src.id] = FetchOutcome(src.id, src.file, "present")
                    continue
                _refuse_wrong_local(src)
            if mirror_dir is not None:
                copy_from_mirror(src, mirror_dir)
                outcomes[src.id] = FetchOutcome(src.id, src.file, "copied from mirror")
            elif src.method == "download":
                action = download_file(src, progress=progress, deadline=deadline)
                outcomes[src.id] = FetchOutcome(src.id, src.file, action)
            else:
                pending_wdi = True
        if pending_wdi:
            # The API answers for all WDI files at once (one country table, one request per series).
            wdi_all = [s for s in sources if s.method == "wdi_api"]
            actions = download_wdi_sources(wdi_all, accept_new_vintage, progress=progress, deadline=deadline)
            for src in wdi_all:
                outcomes[src.id] = FetchOutcome(src.id, src.file, actions[src.id])
    return [outcomes[src.id] for src in sources]


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
