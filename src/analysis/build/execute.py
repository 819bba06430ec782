"""Execute one notebook with papermill, in memory, and worker processes that die with their parent.

:func:`execute_in_memory` takes a plain, picklable *task* (the source notebook as text, its
parameters, the run name and the project root) and returns the executed notebook and the
results table it saved, as text. It writes nothing to the book: the caller decides whether
the outcome is publishable and writes both together. The same function runs in this
process, in a worker subprocess (:class:`LocalWorkers`) or on a Dask worker.

Kernels talk to their client over IPC sockets in a private folder (no TCP, so no
"TCP without encryption" warning), start with a fixed hash seed and one BLAS thread (the
same arithmetic in every run) and with figure metadata that carries no version or date.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

KERNEL = "python3"
# Same inputs, same bytes: no per-process hash randomisation, no thread-count-dependent sums.
DETERMINISTIC_ENV = {"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_PR_SET_PDEATHSIG = 1


def read_source(path: Path):
    """A source notebook: MyST Markdown paired by jupytext (``.md``, reviewable as text) or ``.ipynb``.

    Anything else, or a file that does not parse as one, is an :class:`InputError` of one line that
    names the file and never echoes its bytes.
    """
    import nbformat

    from analysis import paths
    from analysis.errors import InputError

    where = paths.relative(Path(path))
    suffix = Path(path).suffix
    if suffix not in (".md", ".ipynb"):
        raise InputError(f"{where} is not a notebook: a source notebook is a .md (MyST) or .ipynb file.")
    try:
        if suffix == ".md":
            import jupytext

            return jupytext.read(path)
        return nbformat.read(path, as_version=4)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{where} cannot be read as a notebook ({type(error).__name__}).") from None
    except Exception as error:  # nbformat/jupytext parse and schema errors quote the file: not echoed
        if isinstance(error, (KeyboardInterrupt, MemoryError)):
            raise
        raise InputError(f"{where} is not a valid {suffix} notebook ({type(error).__name__}).") from None


def scratch_root() -> str:
    """The system's temporary folder, for the private folders of runs and workers, cleared first of
    those of processes that died (SIGKILL leaves them behind; their names carry the pid).

    Not ``.build/``: the kernel's sockets live there, and a socket path may not exceed 107 bytes.
    """
    base = Path(tempfile.gettempdir())
    for folder in base.glob("analysis-*-*-*"):
        pid = folder.name.split("-")[2]
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    return str(base)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if it already has."""
    if sys.platform != "linux":
        return
    parent = os.getppid() if parent is None else parent
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _kernel_setup(root: str, results_dir: str, name: str, parent: int) -> str:
    """Python run by the kernel before the first cell (IPython ``exec_lines``), leaving no names behind."""
    # Imported here: the results module brings pandas, which `run` and `book` need not load to check hashes.
    from analysis.claims.results import RESULTS_DIR_ENV, RUN_NAME_ENV

    code = f"""
def _analysis_setup():
    import os
    os.environ[{RESULTS_DIR_ENV!r}] = {results_dir!r}
    os.environ[{RUN_NAME_ENV!r}] = {name!r}
    os.environ["ANALYSIS_ROOT"] = {root!r}
    from analysis.build.execute import die_with_parent
    die_with_parent({parent})  # the process that started this kernel; exit now if it is already gone
    ip = get_ipython()
    # PNGs without a Software (version) entry; matplotlib writes no date into PNGs.
    ip.run_line_magic("config", "InlineBackend.print_figure_kwargs = "
                      "{{'bbox_inches': 'tight', 'metadata': {{'Software': None}}}}")
    import matplotlib
    matplotlib.rcParams["svg.hashsalt"] = "analysis"
    matplotlib.rcParams["pdf.compression"] = 6
_analysis_setup()
del _analysis_setup
"""
    encoded = base64.b64encode(code.encode()).decode()
    return f"exec(__import__('base64').b64decode('{encoded}'))"


def _kernel_manager_class(folder: Path):
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        """A kernel reached over IPC sockets kept beside its connection file, in a private folder."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.connection_file = str(folder / "kernel.json")
            self.ip = str(folder / "ipc")

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before shutting it down; after the last cell that
            # only makes ipykernel print "KeyboardInterrupt caught in kernel" to the terminal.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


def source_cell_index(cells: list, source: str) -> int | str:
    """The failing cell's index in the source notebook (papermill counts its injected cell too)."""
    return next((i for i, cell in enumerate(cells) if cell.source == source), "?")


def execute_in_memory(task: dict) -> dict:
    """Execute ``task`` and return ``{"ok", "notebook", "results", "error"}`` (texts, not files).

    ``task``: ``name``, ``label`` (the source notebook's path, for messages), ``source``
    (the notebook as JSON text), ``parameters`` and ``root`` (the project root). The outcome
    also carries ``seconds``, the run's wall time (kernel start-up included).
    """
    started = time.perf_counter()
    outcome = _execute(task)
    outcome["seconds"] = time.perf_counter() - started  # wall time of this run, for `run`'s report
    return outcome


def _execute(task: dict) -> dict:
    """:func:`execute_in_memory` without the timing."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ.update(DETERMINISTIC_ENV)  # inherited by the kernel
    source = nbformat.reads(task["source"], as_version=4)
    with tempfile.TemporaryDirectory(prefix=f"analysis-run-{os.getpid()}-", dir=scratch_root()) as staging:
        results_dir = Path(staging) / "results"
        results_dir.mkdir()
        setup = _kernel_setup(task["root"], str(results_dir), task["name"], os.getpid())
        try:
            executed = papermill.execute_notebook(
                source,
                None,  # kept in memory; the caller writes it only once it is clean
                parameters=task["parameters"],
                kernel_name=KERNEL,
                cwd=staging,  # nothing a notebook writes by accident lands in the book
                progress_bar=False,
                log_output=False,
                kernel_manager_class=_kernel_manager_class(Path(staging)),
                extra_arguments=[f"--IPKernelApp.exec_lines={setup}"],
            )
        except PapermillExecutionError as exc:
            cell = source_cell_index(source.cells, exc.source)
            return {
                "ok": False,
                "error": f"{task['label']} (run {task['name']!r}) failed in cell {cell} "
                f"(numbered from 0 in the source notebook): {exc.ename}: {exc.evalue}",
            }
        except Exception as exc:  # the kernel died, timed out or could not start
            return {"ok": False, "error": f"{task['label']} (run {task['name']!r}): {type(exc).__name__}: {exc}"}
        table = results_dir / f"{task['name']}.csv"
        return {
            "ok": True,
            "notebook": nbformat.writes(executed),
            "results": table.read_text(encoding="utf-8") if table.exists() else None,
        }


class LocalWorkers:
    """Up to ``jobs`` tasks at once, each in its own subprocess owned by this process.

    A worker asks the kernel to SIGKILL it if this process dies (``PR_SET_PDEATHSIG``); its
    kernel does the same towards the worker. Workers write only to a private temporary
    folder; this process reads their outcome and alone writes to the book. On any exception
    here (Ctrl-C included) the remaining workers are killed.
    """

    def __init__(self, jobs: int):
        self.jobs = jobs

    def map(self, tasks: list[dict]) -> Iterator[tuple[dict, dict]]:
        pending = list(tasks)
        active: dict[subprocess.Popen, tuple[dict, Path]] = {}
        folder = Path(tempfile.mkdtemp(prefix=f"analysis-workers-{os.getpid()}-", dir=scratch_root()))
        parent = os.getpid()
        try:
            while pending or active:
                while pending and len(active) < self.jobs:
                    task = pending.pop(0)
                    spec = folder / f"{len(pending)}-{uuid.uuid4().hex[:8]}.json"
                    spec.write_text(json.dumps(task))
                    process = subprocess.Popen(
                        [sys.executable, "-m", "analysis.build.execute", str(spec)],
                        preexec_fn=lambda: die_with_parent(parent),
                        stdout=subprocess.DEVNULL,
                    )
                    active[process] = (task, spec)
                finished = [p for p in active if p.poll() is not None]
                if not finished:
                    time.sleep(0.1)
                    continue
                for process in finished:
                    task, spec = active.pop(process)
                    yield task, _read_outcome(spec, process.returncode, task)
        finally:
            for process in active:
                process.kill()
            for process in active:
                process.wait()
            for file in folder.glob("*"):
                file.unlink()
            folder.rmdir()


def _read_outcome(spec: Path, returncode: int, task: dict) -> dict:
    outcome = spec.with_suffix(".out.json")
    if returncode == 0 and outcome.exists():
        return json.loads(outcome.read_text())
    return {"ok": False, "error": f"run {task['name']!r}: the worker process stopped (exit status {returncode})"}


SCHEDULER_TIMEOUT = 5.0  # seconds to reach a Dask scheduler
_SCHEDULER = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):([0-9]{1,5})")


def scheduler_address(text: str) -> str:
    """A Dask scheduler address ``tcp://HOST:PORT`` or ``tls://HOST:PORT``; anything else is refused.

    Tasks are sent to the scheduler pickled and run by its workers: only a trusted cluster may be used.
    """
    from analysis.errors import InputError, shorten

    match = _SCHEDULER.fullmatch(text)
    if not match or not 1 <= int(match.group(4)) <= 65535:
        raise InputError(
            f"--scheduler takes tcp://HOST:PORT or tls://HOST:PORT (a trusted Dask cluster: it runs the "
            f"code it is sent), not {shorten(text, 80)!r}."
        )
    return text


class DaskWorkers:
    """The same tasks on an existing Dask distributed cluster (``dask.distributed.Client(address)``)."""

    def __init__(self, address: str, timeout: float = SCHEDULER_TIMEOUT):
        from distributed import Client

        from analysis.errors import DataError

        address = scheduler_address(address)
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise DataError(
                f"Could not reach the Dask scheduler at {address} within {timeout:g} s "
                f"({type(error).__name__}); check that it runs and listens there."
            ) from None

    def map(self, tasks: list[dict]) -> Iterator[tuple[dict, dict]]:
        from distributed import as_completed

        futures = {self.client.submit(execute_in_memory, t, pure=False): t for t in tasks}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                yield futures[future], future.result()
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        self.client.close()


def in_process(tasks: list[dict]) -> Iterator[tuple[dict, dict]]:
    for task in tasks:
        yield task, execute_in_memory(task)


Executor = Callable[[list[dict]], Iterator[tuple[dict, dict]]]


def main(spec: str) -> int:
    """Worker entry point: ``python -m analysis.build.execute SPEC.json`` writes ``SPEC.out.json``."""
    path = Path(spec)
    outcome = execute_in_memory(json.loads(path.read_text()))
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(outcome))
    os.replace(tmp, path.with_suffix(".out.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
