"""One BLAS kernel for every machine that executes the notebooks.

NumPy's OpenBLAS picks its matrix kernels by CPU at start-up: on an AVX-512
machine (SkylakeX kernels) a product can round differently in the last bit
from the same product on an AVX2 machine (Haswell kernels).  Most cells do not
notice, but a chaotic computation does: chapter 4 trains a network for 5,000
Adam steps on random labels, and its test loss printed 1.884 nats with the
Haswell kernels and 1.880 with the SkylakeX ones.  nbval strict compares the
stored outputs exactly, so the notebooks are executed, on every x86-64 machine
with AVX2 and FMA, with ``OPENBLAS_CORETYPE=Haswell`` (OpenBLAS's documented
override of its CPU detection).  A value already set in the environment wins.
"""
from __future__ import annotations

import platform
from collections.abc import MutableMapping

KERNEL = "Haswell"


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def pin_blas_kernels(env: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Set ``OPENBLAS_CORETYPE`` in ``env`` where the Haswell kernels run; return ``env``."""
    if platform.machine().lower() in ("x86_64", "amd64") and {"avx2", "fma"} <= _cpu_flags():
        env.setdefault("OPENBLAS_CORETYPE", KERNEL)
    return env
