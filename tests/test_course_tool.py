"""tools/course.py, the build/test entry point: the environment it gives the
notebook kernels and the rule that re-executes notebooks after xentlib changes."""
from __future__ import annotations

import importlib.util
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def course(tmp_path, monkeypatch):
    """tools/course.py loaded as a module, pointed at a scratch project."""
    spec = importlib.util.spec_from_file_location("course_tool", ROOT / "tools" / "course.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    (tmp_path / "xentlib").mkdir()
    (tmp_path / "xentlib" / "entropy.py").write_text("X = 1\n")
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "chapters").mkdir()
    monkeypatch.setattr(mod, "ROOT", str(tmp_path))
    return mod, tmp_path


def test_kernels_do_not_inherit_mplbackend(course, monkeypatch):
    """With MPLBACKEND=agg the kernels' plt.show() draws nothing: the site and
    nbval would lose every figure.  run() must remove it."""
    mod, _ = course
    monkeypatch.setenv("MPLBACKEND", "agg")
    probe = "import os, sys; sys.exit(3 if 'MPLBACKEND' in os.environ else 0)"
    assert mod.run([sys.executable, "-c", probe]) == 0


def test_kernels_get_one_blas_kernel(course, monkeypatch):
    """Notebooks executed by run() (build, nbval) use OpenBLAS's Haswell kernels
    on any x86-64 machine with AVX2 and FMA, so chapter 4's chaotic cell prints the
    same digits on an AVX-512 machine (tools/blas_env.py); a value already set wins."""
    mod, _ = course
    blas_env = sys.modules["blas_env"]
    monkeypatch.delenv("OPENBLAS_CORETYPE", raising=False)
    monkeypatch.setattr(blas_env.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(blas_env, "_cpu_flags", lambda: {"avx2", "fma", "sse2"})
    probe = "import os, sys; sys.exit(0 if os.environ.get('OPENBLAS_CORETYPE') == 'Haswell' else 3)"
    assert mod.run([sys.executable, "-c", probe]) == 0
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Zen")
    probe_zen = "import os, sys; sys.exit(0 if os.environ['OPENBLAS_CORETYPE'] == 'Zen' else 3)"
    assert mod.run([sys.executable, "-c", probe_zen]) == 0
    monkeypatch.delenv("OPENBLAS_CORETYPE")
    monkeypatch.setattr(blas_env, "_cpu_flags", lambda: {"sse2"})   # no AVX2: no Haswell kernels
    assert blas_env.pin_blas_kernels({}) == {}
    monkeypatch.setattr(blas_env, "_cpu_flags", lambda: {"avx2", "fma"})
    monkeypatch.setattr(blas_env.platform, "machine", lambda: "aarch64")
    assert blas_env.pin_blas_kernels({}) == {}


def test_library_change_drops_the_execution_cache(course, capsys):
    mod, root = course
    cache = root / "_build" / ".jupyter_cache"
    doctrees = root / "_build" / ".doctrees"

    def fill():
        for d in (cache, doctrees):
            d.mkdir(parents=True, exist_ok=True)
            (d / "entry").write_text("old outputs")

    fill()
    mod._invalidate_when_library_changed()        # first build with a stamp
    assert not cache.exists() and not doctrees.exists()
    fill()
    mod._invalidate_when_library_changed()        # nothing changed: cache kept
    assert (cache / "entry").exists() and (doctrees / "entry").exists()
    (root / "xentlib" / "entropy.py").write_text("X = 2\n")
    mod._invalidate_when_library_changed()        # xentlib edited: executed again
    assert not cache.exists() and not doctrees.exists()
    assert "executed again" in capsys.readouterr().out
    fill()
    (root / "requirements.txt").write_text("numpy==2.4.7\n")
    mod._invalidate_when_library_changed()        # a pin changed
    assert not cache.exists()
    fill()
    (root / "README.md").write_text("prose only\n")
    mod._invalidate_when_library_changed()        # unrelated file: cache kept
    assert (cache / "entry").exists()
    assert os.path.exists(root / "_build" / ".xentlib-state.json")
