"""Execute chapter notebooks in place so their stored outputs are current.

Usage::

    python tools/nbtool.py execute chapters/01_entropy.ipynb [more.ipynb ...]
    python tools/nbtool.py execute --all
    python tools/nbtool.py normalize --all   # metadata as JupyterLab writes it, outputs untouched

The stored outputs are what readers see on GitHub, Colab and JupyterLab, and
what ``pytest --nbval`` (strict) compares against on re-execution.  Several
people (or agents) may edit notebooks at the same time, so every
read-modify-write goes through :func:`edit`, which holds an exclusive lock
file next to the notebook.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import glob
import os
import sys
import time

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blas_env import pin_blas_kernels  # noqa: E402

pin_blas_kernels(os.environ)  # kernels started from here inherit it


@contextlib.contextmanager
def locked(path: str):
    """Hold an exclusive lock on ``path`` (via ``path + '.lock'``)."""
    with open(path + ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def edit(path: str):
    """Read a notebook under a lock, yield it, write it back (normalised)."""
    with locked(path):
        nb = nbformat.read(path, as_version=4)
        yield nb
        _write(nb, path)


# What JupyterLab stores when it opens a notebook with ipykernel's python3 kernel
# (tests/test_notebook_metadata.py): anything else is rewritten on the next save.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def normalize_metadata(nb) -> None:
    """Kernel metadata as JupyterLab writes it; drop per-cell timing metadata."""
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)


def normalize(path: str) -> bool:
    """Normalise ``path`` in place (outputs untouched); True if the file changed."""
    with locked(path):
        with open(path, encoding="utf-8") as fh:
            before = fh.read()
        nb = nbformat.reads(before, as_version=4)
        normalize_metadata(nb)
        _write(nb, path)
        with open(path, encoding="utf-8") as fh:
            return fh.read() != before


def _write(nb, path: str) -> None:
    normalize_metadata(nb)
    nbformat.validate(nb)
    tmp = path + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, path)


def execute(path: str, timeout: int = 300) -> float:
    """Execute ``path`` top to bottom in a fresh kernel and store the outputs."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    with locked(path):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
            record_timing=False,
            store_widget_state=True,
        )
        client.execute()
        _write(nb, path)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("execute", help="execute notebooks in place")
    ex.add_argument("paths", nargs="*")
    ex.add_argument("--all", action="store_true", help="every notebook under chapters/")
    no = sub.add_parser("normalize", help="metadata as JupyterLab writes it (kernelspec), outputs untouched")
    no.add_argument("paths", nargs="*")
    no.add_argument("--all", action="store_true", help="every notebook under chapters/")
    args = parser.parse_args(argv)
    paths = args.paths
    if args.all:
        paths = sorted(glob.glob(os.path.join(ROOT, "chapters", "*.ipynb")))
    if not paths:
        parser.error("give notebook paths or --all")
    if args.cmd == "normalize":
        for p in paths:
            print(f"{os.path.relpath(p, ROOT)}: {'normalised' if normalize(p) else 'already canonical'}")
        return 0
    for p in paths:
        secs = execute(p)
        print(f"executed {os.path.relpath(p, ROOT)} in {secs:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
