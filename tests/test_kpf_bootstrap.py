"""The wild bootstrap's kernel compiled once: the package's own denominators and p-values, bit for bit."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from wildboottest.wildboottest import WildboottestCL

from analysis.kpf import bootstrap, estimators
from analysis.kpf import panel as kpanel

from .test_kpf import synthetic


@pytest.fixture(scope="module")
def fit():
    """A small synthetic panel (20 economies, 20 years), two-way model: a CRV1 bootstrap in a second."""
    wdi, countries = synthetic(n_countries=20)
    panel = kpanel.build_panel(wdi, countries, "patents", first_year=2000, last_year=2019, min_obs_per_country=5)
    return estimators.fit(panel, "twoway")


def _p_values(fit, values: list[float]) -> list[float]:
    return [estimators._bootstrap_p_value(fit, "log_rd_spending", v, 199, 7) for v in values]


def test_compiled_once_gives_the_packages_own_denominators_and_p_values(fit, monkeypatch):
    estimate = float(fit.params["log_rd_spending"])
    values = [estimate - 0.3, estimate, estimate + 0.05]
    # The package's own method (the swap turned into a no-op), its denominators recorded.
    own = []
    package = WildboottestCL.get_denom

    def package_recording(self):
        package(self)
        own.append(self.denom.copy())

    monkeypatch.setattr(WildboottestCL, "get_denom", package_recording)
    monkeypatch.setattr(bootstrap, "compiled_once", contextlib.nullcontext)
    own_p = _p_values(fit, values)
    monkeypatch.undo()
    # The module's kernel, compiled once, its denominators recorded.
    once = []
    module = bootstrap.get_denom

    def module_recording(boot):
        module(boot)
        once.append(boot.denom.copy())

    monkeypatch.setattr(bootstrap, "get_denom", module_recording)
    once_p = _p_values(fit, values)
    assert len(own) == len(once) == 3  # the swap was used for every test
    for a, b in zip(own, once, strict=True):
        assert a.shape == (199,) and np.array_equal(a, b)  # the same floats, not merely close ones
    assert once_p == own_p
    assert own_p[1] > 0.5 and own_p[0] < 0.05  # a test that can fail: the estimate kept, a far value rejected


def test_the_package_method_is_restored_and_other_versions_untouched(monkeypatch):
    before = WildboottestCL.get_denom
    with bootstrap.compiled_once():
        assert WildboottestCL.get_denom is not before
    assert WildboottestCL.get_denom is before
    with pytest.raises(RuntimeError), bootstrap.compiled_once():
        raise RuntimeError("a failing bootstrap")
    assert WildboottestCL.get_denom is before  # restored after an error too
    monkeypatch.setattr(bootstrap, "version", lambda name: "9.9")
    with bootstrap.compiled_once():
        assert WildboottestCL.get_denom is before  # another wildboottest: its own method
