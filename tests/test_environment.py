"""The environment files agree: pyproject.toml pins, environment.yml, the lock, the Makefile."""

from __future__ import annotations

import re
import tomllib

import pytest

from .conftest import REPO_ROOT


@pytest.fixture(scope="module")
def pyproject():
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", requirement.strip())
        assert match, f"not an exact pin: {requirement!r}"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def test_direct_dependencies_are_pinned_exactly(pyproject):
    _pins(pyproject["dependencies"] + pyproject["optional-dependencies"]["test"])


def test_environment_yml_states_the_same_python_and_pins(pyproject):
    text = (REPO_ROOT / "environment.yml").read_text()
    python = re.search(r"^\s*-\s*python=(\S+)$", text, re.MULTILINE).group(1)
    assert pyproject["requires-python"] == f">={python}"
    conda_pins = _pins(re.findall(r"^\s{6}-\s*(\S+==\S+)$", text, re.MULTILINE))
    assert conda_pins == _pins(pyproject["dependencies"] + pyproject["optional-dependencies"]["test"])


def test_lock_contains_every_pin_with_hashes(pyproject):
    lock = (REPO_ROOT / "requirements.lock").read_text()
    locked = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+) \\$", lock, re.MULTILINE))
    locked = {k.lower(): v for k, v in locked.items()}
    for name, version in _pins(pyproject["dependencies"] + pyproject["optional-dependencies"]["test"]).items():
        assert locked.get(name) == version, f"{name}=={version} is not what requirements.lock pins ({locked.get(name)})"
    assert lock.count("--hash=sha256:") >= len(locked)


def test_installed_versions_match_the_pins(pyproject):
    from importlib.metadata import version

    for name, pinned in _pins(pyproject["dependencies"] + pyproject["optional-dependencies"]["test"]).items():
        assert version(name) == pinned, name


def test_mathjax_is_pinned_in_the_npm_lock():
    import json

    package = json.loads((REPO_ROOT / "book" / "package.json").read_text())
    lock = json.loads((REPO_ROOT / "book" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/mathjax"]["version"] == package["dependencies"]["mathjax"]
