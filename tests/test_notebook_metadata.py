"""The chapter notebooks are stored in the form JupyterLab writes (issue 11, item 8).

Opening a notebook in JupyterLab starts its kernel, which rewrites the
notebook's ``kernelspec`` and ``language_info`` with what the kernel reports;
saving then writes the file with nbformat's serialiser.  If the stored
metadata differ from that, every open-and-save leaves diff noise.  This test
checks the stored form; ``tests/jupyterlab/test_chapters.py`` checks the real
open-and-save.  ``python tools/nbtool.py normalize --all`` fixes what it finds.
"""
from __future__ import annotations

import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))

# What ipykernel's python3 kernel reports and JupyterLab stores.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def _versions() -> set[str]:
    return {nbformat.read(p, as_version=4).metadata.get("language_info", {}).get("version") for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_metadata_is_canonical(path):
    raw = path.read_text(encoding="utf-8")
    nb = nbformat.reads(raw, as_version=4)
    problems = []
    if nb.metadata.get("kernelspec") != KERNELSPEC:
        problems.append(f"kernelspec is {dict(nb.metadata.get('kernelspec', {}))}, JupyterLab writes {KERNELSPEC}")
    info = dict(nb.metadata.get("language_info", {}))
    version = info.pop("version", None)
    if info != LANGUAGE_INFO:
        problems.append(f"language_info is {info}, the python3 kernel reports {LANGUAGE_INFO} (+ version)")
    if not (isinstance(version, str) and re.fullmatch(r"3\.\d+\.\d+", version)):
        problems.append(f"language_info.version {version!r} is not a Python version")
    if (nb.nbformat, nb.nbformat_minor) != (4, 5):
        problems.append(f"nbformat {nb.nbformat}.{nb.nbformat_minor}, JupyterLab 4 writes 4.5")
    missing_ids = [i for i, c in enumerate(nb.cells) if "id" not in c]
    if missing_ids:
        problems.append(f"cells without an id (JupyterLab adds them): {missing_ids[:10]}")
    extra = [i for i, c in enumerate(nb.cells) if "execution" in c.metadata]
    if extra:
        problems.append(f"cells with timing metadata 'execution': {extra[:10]}")
    if raw != nbformat.writes(nb) + "\n":
        problems.append("not in nbformat's serialised form (indent 1, sorted keys, final newline)")
    assert not problems, f"{path.name}: " + "; ".join(problems) + " (fix: python tools/nbtool.py normalize --all)"


def test_one_python_version_for_all_notebooks():
    """Notebooks executed with different Pythons each get rewritten by the other's kernel."""
    assert len(_versions()) == 1, f"language_info.version differs between notebooks: {sorted(map(str, _versions()))}"
