"""JupyterLab, used as a reader would: `make lab`, the notebook list, a source notebook run in a kernel.

The server is the one `make lab` starts (headless here: a token, a free loopback port, no browser).
Through its REST API and a kernel websocket, as the JupyterLab page does, the tests check that the
MyST Markdown sources are notebooks to JupyterLab, that saving one writes back the same text, and
that a source notebook with a changed ``parameters`` cell runs cell by cell without an error, and
without touching the results the claims ledger reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
import websocket

from .conftest import REPO_ROOT

pytestmark = pytest.mark.slow  # a JupyterLab server and a kernel

NOTEBOOK = "notebooks/00_coverage.md"
SCRATCH = ".build/lab-test"  # inside the repository (so jupytext.toml applies), git-ignored
START_TIMEOUT = 180  # seconds; the server imports its extensions on 2 shared cores
CELL_TIMEOUT = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running `make lab`: its base URL, token and log."""

    def __init__(self, port: int, token: str, process: subprocess.Popen, log: Path) -> None:
        self.url, self.token, self.process, self.log = f"http://127.0.0.1:{port}", token, process, log
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(method, f"{self.url}{path}", timeout=60, **kwargs)
        response.raise_for_status()
        return response

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"`make lab` exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            with contextlib.suppress(requests.ConnectionError):
                if self.session.get(f"{self.url}/api/status", timeout=5).ok:
                    return
            time.sleep(1)
        pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """Shut the server down through its API (which stops its kernels), then end the process group."""
        with contextlib.suppress(requests.RequestException):
            self.session.post(f"{self.url}/api/shutdown", timeout=30)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    token, port = uuid.uuid4().hex, _free_port()
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    # `-o data`: the processed tables are already built (make test depends on data); do not rebuild.
    command = [
        "make",
        "--no-print-directory",
        "-o",
        "data",
        "lab",
        f"LAB_PORT={port}",
        f"LAB_ARGS=--no-browser --IdentityProvider.token={token} --ContentsManager.allow_hidden=True",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Lab(port, token, process, log)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def test_jupyterlab_is_installed_and_pinned():
    pinned = next(p for p in _pins() if p.startswith("jupyterlab=="))
    version = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "jupyter"), "lab", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert f"jupyterlab=={version}" == pinned


def _pins() -> list[str]:
    import tomllib

    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def test_every_source_notebook_is_listed_as_a_notebook(lab):
    listing = lab.api("GET", "/api/contents/notebooks", params={"content": 1}).json()["content"]
    types = {item["name"]: item["type"] for item in listing}
    sources = sorted(p.name for p in (REPO_ROOT / "notebooks").glob("*.md"))
    assert sources, "no source notebooks found"
    assert {name: types.get(name) for name in sources} == dict.fromkeys(sources, "notebook")


def test_markdown_opens_in_the_notebook_editor(lab):
    """The repository's labconfig, not JupyterLab's default (text editor), decides how .md opens."""
    shipped = json.loads(
        next(
            (REPO_ROOT / ".venv" / "share" / "jupyter" / "lab" / "schemas").glob(
                "@jupyterlab/docmanager-extension/plugin.json"
            )
        ).read_text()
    )
    assert shipped["properties"]["defaultViewers"]["default"] == {}  # so what follows comes from jupyter-config/
    settings = lab.api("GET", "/lab/api/settings/@jupyterlab/docmanager-extension:plugin").json()
    viewers = settings["schema"]["properties"]["defaultViewers"]["default"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"


def test_saving_from_jupyterlab_writes_back_the_same_text(lab):
    """Outputs and the editor's cell state (collapsed, editable, timings) never reach the source."""
    model = lab.api("GET", f"/api/contents/{NOTEBOOK}", params={"type": "notebook", "content": 1}).json()
    assert model["type"] == "notebook"
    notebook = model["content"]
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "an output\n"}]
            cell["execution_count"] = 1
            cell["metadata"].update(
                editable=True, jupyter={"source_hidden": True}, execution={"shell.execute_reply": "x"}
            )
    notebook["metadata"]["language_info"] = {"name": "python"}
    scratch = REPO_ROOT / SCRATCH
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / Path(NOTEBOOK).name
    try:
        lab.api(
            "PUT",
            f"/api/contents/{SCRATCH}/{target.name}",
            json={"type": "notebook", "format": "json", "content": notebook},
        )
        assert target.read_text() == (REPO_ROOT / NOTEBOOK).read_text()
    finally:
        target.unlink(missing_ok=True)


def _results_fingerprint() -> dict[str, str]:
    directory = REPO_ROOT / "book" / "results"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.glob("*"))}


class Kernel:
    """One kernel of the server, driven over its websocket with the Jupyter messaging protocol (JSON)."""

    def __init__(self, lab: Lab, kernel_id: str) -> None:
        url = f"{lab.url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?token={lab.token}"
        self.ws = websocket.create_connection(url, timeout=CELL_TIMEOUT)
        self.session = uuid.uuid4().hex

    def execute(self, code: str) -> tuple[str, list[dict]]:
        """Run one cell; return the reply status and its iopub outputs."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session, "username": "test"}
        header["version"] = "5.3"
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
        self.ws.send(
            json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"})
        )
        status, outputs, idle = None, [], False
        while status is None or not idle:
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "execute_reply":
                status = message["content"]["status"]
            elif kind == "status":
                idle = message["content"]["execution_state"] == "idle"
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"output_type": kind, **message["content"]})
        return status, outputs

    def close(self) -> None:
        self.ws.close()


def test_a_source_notebook_with_new_parameters_runs_in_a_kernel_of_the_server(lab, countries):
    """Open the .md as a notebook, set another country in the `parameters` cell, run every cell."""
    notebook = lab.api("GET", f"/api/contents/{NOTEBOOK}", params={"type": "notebook", "content": 1}).json()["content"]
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    parameters = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(parameters) == 1, "a source notebook has exactly one cell tagged `parameters`"
    assert 'country = "VNM"' in parameters[0]["source"]
    parameters[0]["source"] = parameters[0]["source"].replace('country = "VNM"', 'country = "IDN"')

    before = _results_fingerprint()
    session = lab.api(
        "POST", "/api/sessions", json={"path": NOTEBOOK, "type": "notebook", "name": "", "kernel": {"name": "python3"}}
    ).json()
    kernel = Kernel(lab, session["kernel"]["id"])
    try:
        runs = [(cell, *kernel.execute(cell["source"])) for cell in cells]
    finally:
        kernel.close()
        lab.api("DELETE", f"/api/sessions/{session['id']}")

    failures = [
        (cell["source"].splitlines()[0], output)
        for cell, status, outputs in runs
        for output in outputs + ([{"output_type": "error", "status": status}] if status != "ok" else [])
        if output["output_type"] == "error" or output.get("name") == "stderr"
    ]
    assert failures == []
    # The parameter took effect: the glued country name is the new country's, from the country table.
    glued = {
        o["metadata"]["scrapbook"]["name"]: o["data"]
        for _, _, outputs in runs
        for o in outputs
        if "scrapbook" in o.get("metadata", {})
    }
    assert countries.set_index("iso3").loc["IDN", "country"] in json.dumps(glued["country_name"])
    # Run interactively, the notebook does not write the results the claims ledger reads.
    assert _results_fingerprint() == before
