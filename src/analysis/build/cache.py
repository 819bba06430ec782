"""What a notebook run depends on, found statically, and the lock file that remembers it.

A run's *inputs* are named files and values, each with its own hash:

- ``notebook code``: the code cells of its source notebook (a Markdown edit is not an input),
- ``parameters`` and ``run`` (its name and where it writes),
- ``requirements.lock``: the pinned environment,
- ``analysis/<module>.py``: every module of the ``analysis`` package that its code imports,
  transitively, found with :mod:`ast` (imports inside functions count too),
- ``analysis/<folder>/<file>``: the package's other files (``book/house.mplstyle``) named in the
  folder's imported modules,
- ``data/processed/<table>.parquet``: the processed tables read through
  ``analysis.data.load("<table>")`` in the notebook or any of those modules; a ``load`` whose
  argument is not a literal, or any direct use of ``read_parquet``/``processed_dir``/``table_path``,
  counts as reading every table (over-approximate rather than miss one),
- ``data/raw/<file>``: committed raw tables (``paper_claims.csv``, ``sources.toml``) whose name
  appears in one of those modules,
- ``book/results/<run>.csv``: for runs marked ``reads_results``, the upstream runs' results.

``book/runs.lock`` stores, per run, these input hashes, the hash of its page text (Markdown
cells and title), and the hashes of the executed notebook and results table it wrote. A run is
unchanged when every input, and the files it wrote, still match.
"""

from __future__ import annotations

import ast
import errno
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import analysis
from analysis import paths
from analysis.errors import DataError
from analysis.io import write_text_atomic

ALL_TABLES = "*"
_DATA_PACKAGE = "analysis.data"
_DIRECT_READS = {"read_parquet", "processed_dir", "table_path"}
_MAGIC = re.compile(r"^\s*[%!]", re.M)


def package_dir() -> Path:
    """The installed ``analysis`` package (its source files are hashed, wherever the project root is)."""
    return Path(analysis.__file__).resolve().parent


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=256)
def _file_hash(path: Path, stamp: tuple[int, ...]) -> str:
    return sha256_bytes(path.read_bytes())


def file_hash(path: Path) -> str:
    """sha256 of a file, memoised on its inode, size and times, so a status check reads each file once."""
    stat = path.stat()
    return _file_hash(path, (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


# --- static scan ---------------------------------------------------------------------------


def parse_code(source: str) -> ast.Module | None:
    """Python source of a notebook cell or module; IPython magics and shell lines are blanked."""
    try:
        return ast.parse(_MAGIC.sub(lambda m: " " * len(m.group(0)), source))
    except SyntaxError:
        return None


def module_file(name: str, root: Path | None = None) -> Path | None:
    """The file of module ``analysis.x.y`` (package ``__init__.py`` or ``.py``), if it exists."""
    parts = name.split(".")
    if parts[0] != "analysis":
        return None
    base = (root or package_dir()).joinpath(*parts[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _imports(tree: ast.AST, current: str | None, is_package: bool) -> set[str]:
    """Dotted names a module imports (``from a import b`` gives ``a`` and ``a.b``; b may be a submodule)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and current:
                package = current if is_package else current.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                module = f"{package}.{node.module}" if node.module else package
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def imported_modules(trees: list[ast.AST], root: Path | None = None) -> dict[str, Path]:
    """Every ``analysis`` module the code imports, transitively, with its parent packages."""
    root = root or package_dir()
    found: dict[str, Path] = {}
    pending = set().union(*(_imports(t, None, False) for t in trees)) if trees else set()
    while pending:
        name = pending.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__ too
            prefix = ".".join(parts[:depth])
            if prefix in found:
                continue
            file = module_file(prefix, root)
            if file is None:
                continue
            found[prefix] = file
            pending |= _module_imports(prefix, file, file.stat().st_mtime_ns) - set(found)
    return found


def _load_aliases(tree: ast.AST, current: str | None) -> tuple[set[str], set[str]]:
    """Names bound to ``analysis.data.load`` and names bound to the ``analysis.data`` module."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level and current:
                module = f"{current.rpartition('.')[0]}.{module}".strip(".")
            for alias in node.names:
                if module == _DATA_PACKAGE and alias.name == "load":
                    functions.add(alias.asname or "load")
                if module == "analysis" and alias.name == "data":
                    modules.add(alias.asname or "data")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == _DATA_PACKAGE and alias.asname:
                    modules.add(alias.asname)
    return functions, modules


def tables_read(tree: ast.AST, current: str | None = None) -> set[str]:
    """Processed tables a module or cell reads through ``load``; ``{"*"}`` when it cannot tell."""
    functions, modules = _load_aliases(tree, current)
    tables: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in _DIRECT_READS:
                tables.add(ALL_TABLES)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_load = (isinstance(func, ast.Name) and func.id in functions) or (
            isinstance(func, ast.Attribute)
            and func.attr == "load"
            and (
                (isinstance(func.value, ast.Name) and func.value.id in modules)
                or ast.unparse(func.value) == _DATA_PACKAGE
            )
        )
        if not is_load:
            continue
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            tables.add(first.value)
        else:
            tables.add(ALL_TABLES)
    return tables


@dataclass(frozen=True)
class Dependencies:
    modules: dict[str, Path]
    tables: set[str]
    raw_files: set[str]
    package_files: set[Path]


def dependencies(code_cells: list[str], root: Path | None = None) -> Dependencies:
    """What code cells depend on: modules, processed tables, committed raw files."""
    trees = []
    for source in code_cells:
        tree = parse_code(source)
        if tree is None:
            # Not Python even without magics: depend on the whole package rather than guess.
            tree = ast.parse("import analysis\n" + "\n".join(f"import {m}" for m in _all_modules(root)))
        trees.append(tree)
    modules = imported_modules(trees, root)
    tables = tables_read(_one_module(trees))
    raw_names = {p.name for p in committed_raw_files()}
    package_data = _package_data(root or package_dir())
    raw: set[str] = set()
    package_files: set[Path] = set()
    for name, file in modules.items():
        text, module_tables = _module_facts(name, file, file.stat().st_mtime_ns)
        raw |= {r for r in raw_names if r in text}
        package_files |= {f for f in package_data if f.parent == file.parent and f.name in text}
        if name == _DATA_PACKAGE or name.startswith(_DATA_PACKAGE + "."):
            continue  # the loader itself reads whatever it is asked for
        tables |= module_tables
    return Dependencies(modules=modules, tables=tables, raw_files=raw, package_files=package_files)


def _package_data(root: Path) -> list[Path]:
    """The package's files other than Python source (a matplotlib style, say), read by name by its modules."""
    files = (f for f in root.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    return [f for f in files if f.suffix not in (".py", ".pyc")]


def _one_module(trees: list[ast.Module]) -> ast.Module:
    """A notebook's cells as one module: ``load`` imported in one cell is called in another."""
    return ast.Module(body=[node for tree in trees for node in tree.body], type_ignores=[])


def tables_loaded_by_cells(code_cells: list[str]) -> set[str]:
    """The processed tables a notebook's own cells load (not those its imported modules read)."""
    trees = [tree for tree in map(parse_code, code_cells) if tree is not None]
    return tables_read(_one_module(trees))


@lru_cache(maxsize=512)
def _module_facts(name: str, file: Path, mtime_ns: int) -> tuple[str, frozenset[str]]:
    """A module's text and the tables it reads (memoised: every run of a status check shares them)."""
    text = file.read_text(encoding="utf-8")
    tree = parse_code(text)
    return text, frozenset(tables_read(tree, name) if tree is not None else {ALL_TABLES})


@lru_cache(maxsize=512)
def _module_imports(name: str, file: Path, mtime_ns: int) -> frozenset[str]:
    tree = parse_code(file.read_text(encoding="utf-8"))
    return frozenset(_imports(tree, name, file.name == "__init__.py")) if tree is not None else frozenset()


def _all_modules(root: Path | None) -> list[str]:
    root = root or package_dir()
    names = []
    for file in root.rglob("*.py"):
        parts = file.relative_to(root).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        names.append(".".join(("analysis", *parts)))
    return names


def committed_raw_files() -> list[Path]:
    """The hand-authored tables and registry kept in ``data/raw`` (downloads live in sub-folders)."""
    return sorted(p for p in paths.raw_dir().glob("*") if p.is_file() and p.suffix in {".csv", ".toml"})


# --- inputs of one run ---------------------------------------------------------------------


def code_hash(cells: list) -> str:
    """Hash of a notebook's code cells (source and tags; tags like ``parameters`` change execution)."""
    payload = [(c.source, sorted(c.get("metadata", {}).get("tags", []))) for c in cells if c.cell_type == "code"]
    return sha256_bytes(json.dumps(payload).encode())


def page_hash(cells: list, title: str) -> str:
    """Hash of what a re-render (no execution) changes: Markdown and raw cells, code-cell tags, title."""
    payload = [
        (c.cell_type, c.source if c.cell_type != "code" else "", sorted(c.get("metadata", {}).get("tags", [])))
        for c in cells
    ]
    return sha256_bytes(json.dumps([payload, title]).encode())


def _value_inputs(name: str, parameters: dict, output: str, upstream: list[str] | None) -> dict[str, str]:
    """The inputs that are values, not files."""
    inputs = {
        "run": sha256_bytes(json.dumps({"name": name, "output": output}).encode()),
        "parameters": sha256_bytes(json.dumps(parameters, sort_keys=True, default=str).encode()),
    }
    if upstream is not None:
        inputs["upstream runs"] = sha256_bytes(json.dumps(sorted(upstream)).encode())
    lock = paths.repo_root() / "requirements.lock"
    inputs["requirements.lock"] = file_hash(lock) if lock.exists() else "absent"
    return inputs


def _table_list() -> str:
    """Hash of the names of the processed tables (an input of runs that may read any table)."""
    return sha256_bytes(json.dumps(sorted(p.name for p in paths.processed_dir().glob("*.parquet"))).encode())


def run_inputs(
    source_cells: list,
    name: str,
    parameters: dict,
    output: str,
    upstream: list[str] | None = None,
    root: Path | None = None,
) -> dict[str, str]:
    """Every input of one run, label -> sha256 (see the module docstring).

    ``upstream`` names the runs whose results tables a ``reads_results`` run reads.
    """
    deps = dependencies([c.source for c in source_cells if c.cell_type == "code"], root)
    inputs = _value_inputs(name, parameters, output, upstream)
    inputs["notebook code"] = code_hash(source_cells)
    base = (root or package_dir()).parent
    for file in [*deps.modules.values(), *sorted(deps.package_files)]:
        inputs[str(file.relative_to(base))] = file_hash(file)
    folder = paths.processed_dir()
    if folder.is_dir() and not os.access(folder, os.R_OK | os.X_OK):
        # glob() would see an unreadable folder as empty and blame the build.
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))
    processed = sorted(folder.glob("*.parquet"))
    if ALL_TABLES in deps.tables:
        if not processed:
            raise DataError("data/processed is empty: run `python -m analysis build` before executing notebooks.")
        wanted = processed
        inputs["data/processed/*"] = _table_list()
    else:
        wanted = [paths.processed_dir() / f"{t}.parquet" for t in sorted(deps.tables)]
    for table in wanted:
        if not table.exists():
            raise DataError(
                f"{paths.relative(table)} does not exist: run `python -m analysis build` before executing notebooks."
            )
        inputs[paths.relative(table)] = file_hash(table)
    for raw in sorted(deps.raw_files):
        inputs[f"data/raw/{raw}"] = file_hash(paths.raw_dir() / raw)
    for run in sorted(upstream or []):
        table = paths.results_dir() / f"{run}.csv"
        if table.exists():
            inputs[paths.relative(table)] = file_hash(table)
    return inputs


def recorded_inputs_now(
    recorded: dict[str, str], name: str, parameters: dict, output: str, upstream: list[str] | None
) -> dict[str, str] | None:
    """The current hashes of the inputs recorded for a run whose source file has not changed.

    The dependency scan is a function of the notebook's code and of the recorded modules'
    sources, so when none of those changed it would find the same inputs: re-hashing them is
    enough, and much faster than reading the notebook and scanning the package again.
    ``None`` when a recorded file has disappeared (then the full scan decides).
    """
    now = _value_inputs(name, parameters, output, upstream)
    now["notebook code"] = recorded.get("notebook code", "")
    base = package_dir().parent
    for label in recorded:
        if label in now:
            continue
        if label == "data/processed/*":
            now[label] = _table_list()
            continue
        file = base / label if label.startswith("analysis/") else paths.repo_root() / label
        if not file.is_file():
            return None
        now[label] = file_hash(file)
    return now


def key_of(inputs: dict[str, str]) -> str:
    return sha256_bytes(json.dumps(inputs, sort_keys=True).encode())


def changed_inputs(old: dict[str, str], new: dict[str, str]) -> str:
    """A short reason naming what differs, e.g. ``changed: analysis/growth.py``."""
    changed = sorted(k for k in new.keys() & old.keys() if new[k] != old[k])
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    parts = []
    for label, names in (("changed", changed), ("new input", added), ("no longer an input", removed)):
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            parts.append(f"{label}: {shown}")
    return "; ".join(parts)


# --- the lock file -------------------------------------------------------------------------


@dataclass
class Entry:
    """What the lock file remembers about one run."""

    key: str = ""
    source: str = ""  # sha256 of the source notebook file and page title: unchanged means no need to parse it
    page: str = ""
    output: str = ""  # sha256 of the executed notebook written
    results: str = ""  # sha256 of the results table written ("" if the run writes none)
    failed: str = ""  # the error of the last attempt, if it failed
    inputs: dict[str, str] = field(default_factory=dict)


_LOCK_HEADER = (
    "# Written by `python -m analysis run`; do not edit. For each run: the hash of every input\n"
    "# (code cells, parameters, analysis modules imported, processed tables and results read,\n"
    "# requirements.lock), of its page text, and of the executed notebook and results it wrote.\n"
)


def read_lock(path: Path) -> dict[str, Entry]:
    """The lock file; a missing one is empty, an unreadable one is treated as empty (everything stale)."""
    import tomllib

    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    entries = {}
    for name, value in data.get("run", {}).items():
        if isinstance(value, dict):
            known = {k: v for k, v in value.items() if k in Entry.__dataclass_fields__}
            entries[name] = Entry(**known)
    return entries


def write_lock(path: Path, entries: dict[str, Entry]) -> None:
    """Write the lock file atomically, runs and inputs sorted, so the same state gives the same bytes."""
    import tomlkit

    document = tomlkit.document()
    runs = tomlkit.table(is_super_table=True)
    for name in sorted(entries):
        entry = entries[name]
        table = tomlkit.table()
        for key in ("key", "source", "page", "output", "results", "failed"):
            table.add(key, getattr(entry, key))
        inputs = tomlkit.table()
        for label in sorted(entry.inputs):
            inputs.add(label, entry.inputs[label])
        table.add("inputs", inputs)
        runs.add(name, table)
    document.add("run", runs)
    write_text_atomic(path, _LOCK_HEADER + tomlkit.dumps(document))
