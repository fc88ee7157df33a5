#!/usr/bin/env python3
"""One entry point for the course: build the site, run every test, benchmark.

    python3 tools/course.py build     # the site, in _build/html (main job)
    python3 tools/course.py test      # every test: ruff + mypy first, then nbval strict, pytest, browser
    python3 tools/course.py lint      # only ruff and mypy (seconds)
    python3 tools/course.py bench     # build / rebuild / nbval timings
    python3 tools/course.py student   # student edition (no solutions, no outputs) in student/
    python3 tools/course.py assign    # a class's assignments (Otter-Grader) in dist/assignments/
    python3 tools/course.py grade SUBMISSIONS_DIR --out OUT_DIR   # grade the returned notebooks: grades.csv
    python3 tools/course.py env       # only create or update .venv
    python3 tools/course.py lab       # JupyterLab on chapters/ (or `lab student/`; other arguments go to `jupyter lab`)
    python3 tools/course.py pdf       # the whole course as one PDF: _build/pdf/cross-entropy-course.pdf

Each command first makes sure the project's own virtual environment
(``.venv`` at the repository root) exists and holds exactly what
``requirements.txt`` pins plus ``xentlib`` (editable).  Only Python 3.11+
and pip are needed; nothing is installed outside ``.venv``.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blas_env import pin_blas_kernels  # noqa: E402

VENV = os.path.join(ROOT, ".venv")
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
PY = os.path.join(BIN, "python")
STAMP = os.path.join(VENV, ".xentlib-install-stamp")


def log(msg: str) -> None:
    print(f"[course] {msg}", flush=True)


def run(cmd: list[str], **kw) -> int:
    log("$ " + " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd))
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = VENV
    env.setdefault("PYTHONHASHSEED", "0")
    # The notebooks' kernels must use matplotlib's inline backend, which
    # ipykernel selects only when MPLBACKEND is unset: with MPLBACKEND=agg
    # (common on CI machines) plt.show() displays nothing, the site loses
    # every figure and nbval strict sees the stored images go missing.
    env.pop("MPLBACKEND", None)
    pin_blas_kernels(env)  # the same float rounding on every machine (tools/blas_env.py)
    env.update(kw.pop("env", {}))
    return subprocess.call(cmd, cwd=ROOT, env=env, **kw)


def _fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("requirements.txt", "pyproject.toml"):
        with open(os.path.join(ROOT, name), "rb") as fh:
            h.update(fh.read())
    h.update(sys.version.encode())
    return h.hexdigest()


def ensure_env() -> None:
    """Create .venv and install the pinned requirements when they changed."""
    if not os.path.exists(PY):
        log(f"creating virtual environment {os.path.relpath(VENV, ROOT)}")
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    fp = _fingerprint()
    if os.path.exists(STAMP) and open(STAMP).read() == fp:
        return
    log("installing the pinned requirements (first run: about a minute)")
    steps = [
        [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
        [PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", "."],
    ]
    for cmd in steps:
        if run(cmd) != 0:
            sys.exit("[course] installation failed (see the pip output above)")
    with open(STAMP, "w") as fh:
        fh.write(fp)


def _library_fingerprint() -> str:
    """Hash of the xentlib sources and the pinned requirements."""
    h = hashlib.sha256()
    for folder, _, files in sorted(os.walk(os.path.join(ROOT, "xentlib"))):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                h.update(os.path.relpath(path, ROOT).encode())
                with open(path, "rb") as fh:
                    h.update(fh.read())
    h.update(_fingerprint().encode())
    return h.hexdigest()


def _invalidate_when_library_changed() -> None:
    """The build caches notebook outputs by the cells' code (jupyter-cache) and
    re-reads only notebooks whose file changed, so an edit of xentlib alone
    would leave the site showing the old numbers.  When xentlib or the pins
    changed since the last build, drop the execution cache and the doctrees:
    every notebook is then executed again (a clean build, about a minute)."""
    stamp = os.path.join(ROOT, "_build", ".xentlib-fingerprint")
    fp = _library_fingerprint()
    if os.path.exists(stamp) and open(stamp).read() == fp:
        return
    if os.path.isdir(os.path.join(ROOT, "_build")):
        log("xentlib or the pinned packages changed: every notebook is executed again")
    for sub in (".jupyter_cache", ".doctrees", "jupyter_execute"):
        shutil.rmtree(os.path.join(ROOT, "_build", sub), ignore_errors=True)
    os.makedirs(os.path.dirname(stamp), exist_ok=True)
    with open(stamp, "w") as fh:
        fh.write(fp)


def build(clean: bool = False) -> int:
    ensure_env()
    if clean:
        shutil.rmtree(os.path.join(ROOT, "_build"), ignore_errors=True)
    _invalidate_when_library_changed()
    start = time.perf_counter()
    # -W: warnings are errors; -n: nitpicky (broken references warn);
    # --keep-going: report every warning, then fail.
    rc = run([os.path.join(BIN, "jupyter-book"), "build", ROOT, "-W", "-n", "--keep-going"])
    secs = time.perf_counter() - start
    if rc == 0:
        log(f"site built in {secs:.1f} s: open {os.path.join(ROOT, '_build', 'html', 'index.html')}")
    else:
        log(f"BUILD FAILED after {secs:.1f} s (exit {rc})")
    return rc


def lint() -> int:
    """The fast stage: ruff over the code and the notebooks' cells, mypy over xentlib (seconds)."""
    ensure_env()
    for cmd in ([PY, "-m", "ruff", "check", "."], [PY, "-m", "mypy"]):
        rc = run(cmd)
        if rc != 0:
            log(f"LINT FAILED: {' '.join(cmd[2:])} (exit {rc}); fix it before the slow stages")
            return rc
    return 0


def test(extra: list[str]) -> int:
    rc = lint()           # seconds: fail fast before the build and the slow tests
    if rc != 0:
        return rc
    rc = build()
    if rc != 0:
        return rc
    cmd = [
        PY, "-m", "pytest",
        "--nbval", "--nbval-sanitize-with", os.path.join("tests", "nbval_sanitize.cfg"),
        "-p", "no:cacheprovider",
        "xentlib", "chapters", "tests",
    ]
    # The JupyterLab suite (tests/jupyterlab, issue 11) runs too: it starts JupyterLab on
    # loopback and drives every chapter in Chromium (about 4 min).
    cmd += extra
    return run(cmd)


def bench() -> int:
    ensure_env()
    return run([PY, os.path.join("benchmarks", "bench_build.py")])


def student(extra: list[str]) -> int:
    """Write the student edition (solutions removed, outputs cleared) to student/."""
    ensure_env()
    return run([PY, os.path.join("tools", "student_edition.py")] + extra)


LAB_CONFIG = os.path.join(VENV, "xent-lab-config")


def lab_env() -> dict[str, str]:
    """The environment of `course.py lab`: a Jupyter config dir of the course's own.

    ``.venv/xent-lab-config/custom/custom.css`` (tools/lab_css.py) carries the
    Chinese font; JupyterLab serves it from ``JUPYTER_CONFIG_DIR`` only, so that
    variable points there, and the user's own config dir is kept: it is put on
    ``JUPYTER_CONFIG_PATH`` (their server and lab config still load), their
    settings and workspaces stay where they were, and their own custom.css is
    appended to the course's."""
    out = subprocess.run([PY, "-c", "from jupyter_core.paths import jupyter_config_dir as d; print(d())"],
                         capture_output=True, text=True, check=True)
    user = out.stdout.strip()
    if run([PY, os.path.join("tools", "lab_css.py"), LAB_CONFIG]) != 0:
        sys.exit("[course] could not write the JupyterLab font CSS (see above)")
    user_css = os.path.join(user, "custom", "custom.css")
    if os.path.exists(user_css):
        with open(user_css, encoding="utf-8") as src, \
                open(os.path.join(LAB_CONFIG, "custom", "custom.css"), "a", encoding="utf-8") as dst:
            dst.write(f"\n/* {user_css} */\n" + src.read())
    path = os.pathsep.join(p for p in (user, os.environ.get("JUPYTER_CONFIG_PATH", "")) if p)
    return {
        "JUPYTER_CONFIG_DIR": LAB_CONFIG,
        "JUPYTER_CONFIG_PATH": path,
        "JUPYTERLAB_SETTINGS_DIR": os.environ.get("JUPYTERLAB_SETTINGS_DIR",
                                                  os.path.join(user, "lab", "user-settings")),
        "JUPYTERLAB_WORKSPACES_DIR": os.environ.get("JUPYTERLAB_WORKSPACES_DIR",
                                                    os.path.join(user, "lab", "workspaces")),
    }


def lab(extra: list[str]) -> int:
    """Start JupyterLab (pinned, with jupyterlab-myst) on chapters/; Ctrl+C stops it."""
    ensure_env()
    env = lab_env()
    folder = os.path.join(ROOT, "chapters")
    if extra and not extra[0].startswith("-") and os.path.isdir(extra[0]):
        folder, extra = os.path.abspath(extra[0]), extra[1:]  # `course.py lab student/`
    cmd = [os.path.join(BIN, "jupyter"), "lab", folder, "--LabApp.custom_css=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab refuses to start as root without it (containers, VMs)
    return run(cmd + extra, env=env)


def main(argv: list[str]) -> int:
    # This script runs under whatever python3 the machine has: say clearly when it is too old.
    if sys.version_info < (3, 11):  # noqa: UP036 (requires-python is for xentlib, not for this launcher)
        print(f"[course] Python 3.11 or newer is needed (the pinned numpy, scipy and matplotlib "
              f"require it); this is Python {sys.version.split()[0]}", file=sys.stderr)
        return 2
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "build":
        return build(clean="--clean" in rest)
    if cmd == "test":
        return test(rest)
    if cmd == "lint":
        return lint()
    if cmd == "bench":
        return bench()
    if cmd == "student":
        return student(rest)
    if cmd == "lab":
        return lab(rest)
    if cmd in ("assign", "grade"):  # tools/assign.py, tools/grade.py (issue 18: grading a class)
        ensure_env()
        return run([PY, os.path.join("tools", f"{cmd}.py")] + rest, env={"XENT_CALLER_CWD": os.getcwd()})
    if cmd == "pdf":  # tools/pdf.py: singlehtml build printed by Chromium
        ensure_env()
        return run([PY, os.path.join("tools", "pdf.py")] + rest)
    if cmd == "env":
        ensure_env()
        log(f"environment ready: {VENV}")
        return 0
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
