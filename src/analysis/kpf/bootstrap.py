"""The wild cluster bootstrap's inner loop compiled once per process, not once per test.

``wildboottest`` (0.3.2, which pyfixest calls) defines its numba kernel for the CRV1 denominator
*inside* ``WildboottestCL.get_denom``, so numba compiles it again at every bootstrap test: the
KPF chapter's test-inversion intervals run 64 tests, and the profile of its page (issue 23)
found 33 of its 44 bootstrap seconds in those compilations. :func:`compiled_once` swaps in the
same method with the same kernel, defined once at module level: the same loop in the same order
on the same draws, hence the same p-values bit for bit (checked by ``tests/test_kpf_bootstrap.py``
against the package's own method). Any other case (CRV3, parallel, another package version)
keeps the package's method.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version

import numpy as np
from numba import njit, prange

WILDBOOTTEST_VERSION = "0.3.2"  # the version whose get_denom this module reproduces


@njit(parallel=False)
def compute_denom(Cg, H, bootclustid, B, G, v, ssc):
    """``wildboottest``'s ``compute_denom``, statement for statement (``prange`` is ``range`` here)."""
    denom = np.zeros(B)

    for b in prange(B):
        Zg = np.zeros(G)
        for ixg, _g in enumerate(bootclustid):
            vH = 0
            for ixh, _h in enumerate(bootclustid):
                vH += v[ixh, b] * H[ixg, ixh]
            Zg[ixg] = Cg[ixg] * v[ixg, b] - vH

        denom[b] = ssc * np.sum(np.power(Zg, 2))

    return denom


def get_denom(boot) -> None:
    """``WildboottestCL.get_denom`` for CRV1, calling the kernel compiled once."""
    H = np.zeros((boot.G, boot.G))
    for ixg, _g in enumerate(boot.bootclustid):
        for ixh, _h in enumerate(boot.bootclustid):
            H[ixg, ixh] = boot.R @ boot.tXXinv @ boot.tXgXg_list[ixg] @ boot.tXXinv @ boot.scores_mat[:, ixh]
    boot.denom = compute_denom(boot.Cg, H, boot.bootclustid, boot.B, boot.G, boot.v, boot.ssc)


@contextmanager
def compiled_once() -> Iterator[None]:
    """While inside, ``WildboottestCL`` computes CRV1 denominators with :func:`get_denom`."""
    from wildboottest.wildboottest import WildboottestCL

    if version("wildboottest") != WILDBOOTTEST_VERSION:  # another version: its own method, unchanged
        yield
        return
    original = WildboottestCL.get_denom

    def patched(self) -> None:
        if self.crv_type != "crv1" or self.parallel:
            return original(self)
        return get_denom(self)

    WildboottestCL.get_denom = patched
    try:
        yield
    finally:
        WildboottestCL.get_denom = original
