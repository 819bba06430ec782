"""MathJax for the offline book: one bundle, installed from the npm registry (pinned in book/package-lock.json).

Jupyter Book adds every ``*.js`` under ``book/_static`` to every page, so MathJax must not live there:
the whole ``es5`` tree would become ~70 ``<script>`` tags (~22 MB and a score of errors per page).
It is copied instead to ``book/_extra/_static/mathjax``; ``_extra`` is the book's ``html_extra_path``,
whose files Sphinx copies into the build unchanged and which the theme never scans. The page loads
only ``_static/mathjax/tex-chtml.js`` (``mathjax_path`` in ``book/_config.yml``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from analysis import paths
from analysis.errors import DataError
from analysis.io import sha256_of

BUNDLE = "tex-chtml.js"
# What the bundle reads at run time, relative to its own folder: the CommonHTML fonts (always),
# and the TeX extensions that its autoloader fetches when a page uses, e.g., \boldsymbol or \cancel.
RUNTIME_FOLDERS = ("output/chtml/fonts/woff-v2", "input/tex/extensions")


def served_mathjax_dir(book: Path | None = None) -> Path:
    """Where the served copy lives in the source tree (it reaches the build as ``_static/mathjax``)."""
    return (book or paths.book_dir()) / "_extra" / "_static" / "mathjax"


def ensure_mathjax() -> None:
    """Put the MathJax 3 bundle and the files it loads into ``book/_extra/_static/mathjax``.

    The built book must work with no network at all, so MathJax is served from the build.
    """
    book = paths.book_dir()
    # Earlier builds copied the whole tree into book/_static, where it would still be added to every page.
    stale = book / "_static" / "mathjax"
    if stale.exists():
        shutil.rmtree(stale)
    source = _installed_es5(book)
    target = served_mathjax_dir(book)
    if _is_current(source, target):
        return
    # Assemble beside the target and swap it in, so a failed copy never leaves half a MathJax.
    staging = target.with_name(".mathjax.partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    shutil.copy2(source / BUNDLE, staging / BUNDLE)
    for folder in RUNTIME_FOLDERS:
        shutil.copytree(source / folder, staging / folder)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def _installed_es5(book: Path) -> Path:
    """``book/node_modules/mathjax/es5`` at the version pinned in the lock file (``npm ci`` if not)."""
    package = book / "node_modules" / "mathjax"
    if _installed_version(package) != _locked_version(book):
        npm = shutil.which("npm")
        if npm is None:
            raise DataError(
                "MathJax is not installed and npm is not on PATH. "
                "Install Node.js (npm), then run `npm ci --prefix book`."
            )
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(book)], check=True, stdout=subprocess.DEVNULL
        )
    return package / "es5"


def _locked_version(book: Path) -> str:
    lock = json.loads((book / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/mathjax"]["version"]


def _installed_version(package: Path) -> str | None:
    manifest = package / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def _is_current(source: Path, target: Path) -> bool:
    """The served copy holds this bundle and every runtime folder."""
    bundle = target / BUNDLE
    if not bundle.exists() or sha256_of(bundle) != sha256_of(source / BUNDLE):
        return False
    return all((target / folder).is_dir() for folder in RUNTIME_FOLDERS)
