"""Loaded by every pytest run in the repository (``pytest chapters/`` included,
which does not load ``tests/conftest.py``): nbval's kernels execute the notebooks
with the BLAS kernels the build used (tools/blas_env.py)."""
from __future__ import annotations

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "tools"))
from blas_env import pin_blas_kernels  # noqa: E402

pin_blas_kernels(os.environ)
