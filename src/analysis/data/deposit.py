"""A deposit-ready bundle of the raw files, so that outsiders can obtain the exact pinned data.

``python -m analysis deposit --output DIR`` writes to ``DIR``:

- every registered raw file, flat (a data repository such as Zenodo has no folders), byte for byte
  as ``data/raw`` holds it after its sha256 was checked against ``data/raw/sources.toml``;
- ``SHA256SUMS``: one ``<sha256>  <file name>`` line per file (``sha256sum -c SHA256SUMS`` checks it);
- ``datacite.json``: DataCite-style metadata (creators = the data producers, rights per licence,
  each file's official source as ``IsDerivedFrom``);
- ``README.md``: per file its official source, producer, licence, citation, vintage, size and hash,
  and how to register the published deposit in ``sources.toml`` (``deposit = "doi:<DOI>/<name>"``).

Every dataset here may be redistributed with attribution: CC BY 4.0 for the Penn World Table,
the World Development Indicators and ILOSTAT's output per worker (November 2022); UNDP's terms
of use for the Human Development Report indices; UN DESA's for the E-Government Survey files and
the EGDI series. Each file is listed with its registry ``note`` where it has one (e.g. a copy that
is not byte-identical to its producer's download). The bundle is built in a temporary folder beside ``DIR`` and
renamed into place, so ``DIR`` is either absent or complete. Same registry and files, same bytes
(the publication year comes from ``$SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis import __version__, paths
from analysis.data import fetch, registry
from analysis.data.registry import Source
from analysis.errors import DataError, DiskFull, InputError
from analysis.io import sha256_of

SUMS = "SHA256SUMS"
METADATA = "datacite.json"
README = "README.md"
TITLE = "Raw data of the compendium: Viet Nam's national science, technology and innovation capacity, re-run"

# Licence texts as DataCite rights entries (SPDX identifiers where one exists).
_RIGHTS = {
    "CC BY 4.0": {
        "rights": "Creative Commons Attribution 4.0 International",
        "rightsUri": "https://creativecommons.org/licenses/by/4.0/legalcode",
        "rightsIdentifier": "cc-by-4.0",
        "rightsIdentifierScheme": "SPDX",
    },
}
_FORMATS = {".csv": "text/csv", ".dta": "application/x-stata-dta"}


def deposit_name(src: Source) -> str:
    """The file's name in the bundle (and in a published record): its base name."""
    return Path(src.file).name


def _checked_names(sources: list[Source]) -> dict[str, Source]:
    by_name: dict[str, Source] = {}
    for src in sources:
        name = deposit_name(src)
        if name in by_name:
            raise DataError(
                f"Two registered files share the name {name!r} ({by_name[name].file}, {src.file}); a deposit is "
                "flat, so rename one in data/raw/sources.toml."
            )
        by_name[name] = src
    return by_name


def _rights(licence: str) -> dict[str, str]:
    if licence in _RIGHTS:
        return _RIGHTS[licence]
    uri = next((word for word in licence.replace(",", " ").split() if word.startswith("https://")), "")
    return {"rights": licence, **({"rightsUri": uri} if uri else {})}


def _official(src: Source) -> str:
    if src.method == "wdi_api":
        codes = [s.code for s in registry.wdi_series() if s.extract == src.id]
        what = f"series {', '.join(codes)}" if codes else "country and aggregate table"
        return f"World Bank API {src.url} ({what}; https://datacatalog.worldbank.org/dataset/0037712)"
    return src.url


def publication_year() -> int:
    """``$SOURCE_DATE_EPOCH``'s year when set (reproducible builds), else the current year."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        if not epoch.isdigit():
            raise InputError(f"$SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}.")
        return time.gmtime(int(epoch)).tm_year
    return time.gmtime().tm_year


def datacite(by_name: dict[str, Source]) -> dict[str, object]:
    """DataCite-style metadata (kernel 4 property names) for the bundle."""
    sources = list(by_name.values())
    producers = list(dict.fromkeys(s.producer for s in sources))
    rights = []
    for src in sources:
        entry = _rights(src.licence)
        if entry not in rights:
            rights.append(entry)
    related = []
    for src in sources:
        identifier = (
            {"relatedIdentifier": src.doi, "relatedIdentifierType": "DOI"}
            if src.doi
            else {
                "relatedIdentifier": src.url,
                "relatedIdentifierType": "URL",
            }
        )
        if {**identifier, "relationType": "IsDerivedFrom"} not in related:
            related.append({**identifier, "relationType": "IsDerivedFrom"})
    listing = "; ".join(f"{name}: {src.dataset}, {src.vintage}" for name, src in by_name.items())
    return {
        "schemaVersion": "http://datacite.org/schema/kernel-4",
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Raw data of a research compendium"},
        "titles": [{"title": TITLE}],
        "creators": [{"name": name, "nameType": "Organizational"} for name in producers],
        "publisher": {"name": "Zenodo"},
        "publicationYear": str(publication_year()),
        "version": __version__,
        "language": "en",
        "subjects": [
            {"subject": "science, technology and innovation"},
            {"subject": "growth accounting"},
            {"subject": "Viet Nam"},
        ],
        "descriptions": [
            {
                "description": "The exact raw files (pinned by sha256) from which the compendium is built, "
                "redistributed unchanged with attribution so that its numbers can be reproduced after the "
                "publishers revise their data. Files: " + listing + ".",
                "descriptionType": "Abstract",
            },
            {
                "description": "Checksums in SHA256SUMS; per-file source, licence and citation in README.md.",
                "descriptionType": "TechnicalInfo",
            },
        ],
        "rightsList": rights,
        "relatedIdentifiers": related,
        "formats": sorted({_FORMATS.get(Path(name).suffix, "application/octet-stream") for name in by_name}),
        "sizes": [f"{sum(s.bytes for s in sources)} bytes", f"{len(sources)} files"],
    }


def readme(by_name: dict[str, Source]) -> str:
    """The bundle's README: what each file is, where it officially comes from, its licence and citation."""
    lines = [
        f"# {TITLE}",
        "",
        "These files are unchanged copies of the raw data the compendium is built from, pinned by sha256 in",
        "its `data/raw/sources.toml`. They are redistributed with attribution, as their licences permit;",
        "cite the original publishers (below) when you use them. Check them with `sha256sum -c SHA256SUMS`.",
        "",
        "After publishing this folder (e.g. as a Zenodo record with DOI `10.5281/zenodo.N`), add to each",
        '`[[source]]` in `data/raw/sources.toml` a line `deposit = "doi:10.5281/zenodo.N/<file name>"`:',
        "`python -m analysis fetch` then falls back to the deposit when the official source fails or serves",
        "another vintage.",
        "",
    ]
    for name, src in by_name.items():
        lines += [
            f"## {name}",
            "",
            f"- Dataset: {src.dataset}",
            f"- Producer: {src.producer}",
            f"- Official source: {_official(src)}",
            *([f"- DOI: {src.doi}"] if src.doi else []),
            f"- Vintage: {src.vintage}",
            f"- Licence: {src.licence}",
            f"- Citation: {src.citation}",
            f"- Place in the compendium: `data/raw/{src.file}`",
            f"- Size and sha256: {src.bytes} bytes, `{src.sha256}`",
            *([f"- Note: {src.note}"] if src.note else []),
            "",
        ]
    return "\n".join(lines)


def _prepare_output(output: Path) -> None:
    if output.is_symlink():
        target = "a missing place" if not output.exists() else "another place"
        raise InputError(
            f"The deposit folder {output} is a symbolic link to {target}; give the path of a new folder instead."
        )
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file, not a folder; give the path of a new folder for the deposit.")
    if output.exists() and any(output.iterdir()):
        raise InputError(
            f"The deposit folder {output} already exists and is not empty; give a new folder (it is "
            "written whole or not at all)."
        )
    if not output.parent.is_dir():
        raise InputError(f"The parent folder of {output} does not exist; create it first.")


@contextmanager
def _writing(output: Path, name: str) -> Iterator[None]:
    """A full disk or a file-size limit while writing ``name`` is named as such (the file written, not read)."""
    try:
        yield
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            raise
        raise DiskFull(
            f"Could not write {output.name}/{name} ({error.strerror}: the disk is full or a file-size limit "
            "applies); nothing was written. Free some space or choose another disk."
        ) from None


def write_bundle(output: Path | str) -> list[Path]:
    """Write the bundle to ``output`` atomically; return the files written (relative to ``output``)."""
    output = Path(output)
    _prepare_output(output)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent))
    except OSError as error:
        raise InputError(
            f"Cannot create the deposit folder {output} ({error.strerror or type(error).__name__}); "
            "give a folder on a disk you can write to."
        ) from None
    try:
        fetch.verify()
        by_name = _checked_names(registry.sources())
        sums = []
        for name, src in by_name.items():
            with _writing(output, name):
                shutil.copyfile(src.path, staging / name)
            actual = sha256_of(staging / name)
            if actual != src.sha256:  # the file changed while it was copied
                raise DataError(f"{paths.relative(src.path)} changed while it was copied; run the deposit again.")
            sums.append(f"{actual}  {name}\n")
        with _writing(output, SUMS):
            (staging / SUMS).write_text("".join(sums), encoding="utf-8")
        with _writing(output, METADATA):
            (staging / METADATA).write_text(
                json.dumps(datacite(by_name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        with _writing(output, README):
            (staging / README).write_text(readme(by_name), encoding="utf-8")
        os.chmod(staging, 0o755)  # mkdtemp makes 0700; a bundle is for sharing
        if output.exists():
            output.rmdir()  # empty (checked above)
        os.replace(staging, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return sorted(Path(p.name) for p in output.iterdir())


def read_sums(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` from a bundle's ``SHA256SUMS``."""
    pairs = {}
    for line in (Path(folder) / SUMS).read_text(encoding="utf-8").splitlines():
        sha, name = line.split("  ", 1)
        pairs[name] = sha
    return pairs
