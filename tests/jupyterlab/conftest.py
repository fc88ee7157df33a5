"""A real JupyterLab for the tests: started once per session, driven in Chromium.

The ``jupyterlab`` fixture starts ``jupyter lab`` from the course's ``.venv``
on 127.0.0.1 (a free port, a random token, ``--no-browser``; ``--allow-root``
only when running as root) with every Jupyter config, data, runtime, settings
and workspace folder in a temporary directory, so neither the user's settings
leak in nor the tests' leak out.  It serves a temporary COPY of ``chapters/``
(and of a freshly written student edition), so "Run All" never rewrites the
repository's notebooks.  At teardown the server is asked to shut down (which
stops its kernels) and then stopped by its PID.

Every test below this folder is marked ``jupyterlab`` (see pyproject.toml):
``pytest -m jupyterlab tests/jupyterlab`` runs only them, ``-m "not jupyterlab"``
leaves them out.
"""
from __future__ import annotations

import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from ..conftest import ARTIFACTS, CHROMIUM_ARGS, ROOT, chromium_path

HERE = pathlib.Path(__file__).resolve().parent
CHAPTERS = ROOT / "chapters"
VIEWPORT = {"width": 1366, "height": 768}  # the laptop screen of issue 11
READY_TIMEOUT_S = 90
SHOTS = ARTIFACTS / "jupyterlab"

# User settings written into the temporary JUPYTERLAB_SETTINGS_DIR.
LAB_SETTINGS = {
    # Render every cell, also those scrolled out of view, so the DOM checks see
    # the whole notebook (JupyterLab's default windowing drops off-screen cells).
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # No news feed and no update check: the tests never leave the machine, and
    # the "receive news?" toast would cover part of the notebook.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in pathlib.Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.jupyterlab)


def _venv_bin() -> pathlib.Path:
    return pathlib.Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.read()


class Lab:
    """A running JupyterLab: its URL, token, the served folder and its log."""

    def __init__(self, base: str, token: str, root: pathlib.Path, proc: subprocess.Popen, log: pathlib.Path):
        self.base, self.token, self.root, self.proc, self.log = base, token, root, proc, log

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:]


def _write_student_edition(dest: pathlib.Path) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"), str(dest)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        pytest.fail(f"tools/student_edition.py failed:\n{out.stdout}\n{out.stderr}")


@pytest.fixture(scope="session")
def jupyterlab():
    jupyter = _venv_bin() / "jupyter"
    if not jupyter.exists():
        pytest.fail(f"{jupyter} not found: run the tests with the course's .venv "
                    "(python3 tools/course.py env installs JupyterLab there)")
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="xent-jupyterlab-"))
    serve = tmp / "serve"
    shutil.copytree(CHAPTERS, serve / "chapters", ignore=shutil.ignore_patterns("*.lock", ".ipynb_checkpoints"))
    _write_student_edition(serve / "student")
    dirs = {name: tmp / name for name in ("config", "data", "runtime", "settings", "workspaces", "ipython")}
    for d in dirs.values():
        d.mkdir()
    # The course's font CSS, as `tools/course.py lab` writes it (tools/lab_css.py).
    sys.path.insert(0, str(ROOT / "tools"))
    import lab_css

    lab_css.write_custom_css(dirs["config"])
    for rel, value in LAB_SETTINGS.items():
        path = dirs["settings"] / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = dict(os.environ)
    env.update({
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PATH": str(_venv_bin()) + os.pathsep + env.get("PATH", ""),
        "PYTHONHASHSEED": "0",
    })
    env.pop("MPLBACKEND", None)  # the kernels need matplotlib's inline backend (see tools/course.py)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [str(jupyter), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={serve}", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           # window.jupyterapp: the tests run JupyterLab's own commands (Run All, Save).
           "--LabApp.expose_app_in_browser=True", "--LabApp.custom_css=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = tmp / "jupyterlab.log"
    logfh = open(log, "w")
    proc = subprocess.Popen(cmd, cwd=serve, env=env, stdout=logfh, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}/", token, serve, proc, log)
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode} before it was ready:\n{lab.log_tail()}")
            try:
                status, _ = _get(lab.url("api/status"), timeout=2)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab not ready after {READY_TIMEOUT_S} s:\n{lab.log_tail()}")
            time.sleep(0.3)
        yield lab
    finally:
        _stop(lab)
        logfh.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _stop(lab: Lab) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure by its PID."""
    if lab.proc.poll() is None:
        try:
            req = urllib.request.Request(lab.url("api/shutdown"), method="POST",
                                         headers={"Authorization": f"token {lab.token}"})
            urllib.request.urlopen(req, timeout=5).close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        if sig is not None and lab.proc.poll() is None:
            os.kill(lab.proc.pid, sig)
        try:
            lab.proc.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def lab_browser(playwright_session):
    """Headless Debian Chromium at 1366x768, a fresh profile (the run's one Playwright driver)."""
    pw = playwright_session
    with tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, viewport=VIEWPORT,
        )
        yield ctx
        ctx.close()


@pytest.fixture(scope="session")
def shots() -> pathlib.Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
