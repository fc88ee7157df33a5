"""Execute chapter notebooks in place so their stored outputs are current.

Usage::

    python tools/nbtool.py execute chapters/01_entropy.ipynb [more.ipynb ...]
    python tools/nbtool.py execute --all
    python tools/nbtool.py normalize --all   # metadata as JupyterLab writes it, outputs untouched
    python tools/nbtool.py conventions chapters/01_entropy.ipynb  # collapsed solutions + normalize
    python tools/nbtool.py drop-explorer-captions --all  # explorers.show renders the caption

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
import hashlib
import json
import os
import re
import sys
import time

try:
    import nbformat
except ModuleNotFoundError as err:  # run with the machine's python3: use the course's .venv instead
    _VENV_PY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".venv", "bin", "python")
    if os.path.exists(_VENV_PY) and os.path.realpath(sys.prefix) != os.path.realpath(os.path.dirname(os.path.dirname(_VENV_PY))):
        os.execv(_VENV_PY, [_VENV_PY, *sys.argv])
    raise SystemExit("[nbtool] nbformat is missing: run `python3 tools/course.py env` first "
                     "(it creates .venv), then `python3 tools/nbtool.py ...` again") from err

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


def _rewrite(path: str, change) -> bool:
    """Apply ``change(nb)`` to ``path`` in place, under its lock; True if the file changed."""
    with locked(path):
        with open(path, encoding="utf-8") as fh:
            before = fh.read()
        nb = nbformat.reads(before, as_version=4)
        change(nb)
        _write(nb, path)
        with open(path, encoding="utf-8") as fh:
            return fh.read() != before


def normalize(path: str) -> bool:
    """Normalise ``path`` in place (outputs untouched); True if the file changed."""
    return _rewrite(path, normalize_metadata)


def conventions(path: str) -> bool:
    """Apply the notebook conventions to ``path`` in place: solution cells collapsed in
    Jupyter (``student_edition.hide_solutions``) and metadata as JupyterLab writes it
    (:func:`normalize_metadata`).  True if the file changed."""
    from student_edition import hide_solutions

    return _rewrite(path, hide_solutions)


def _write(nb, path: str) -> None:
    normalize_metadata(nb)
    nbformat.validate(nb)
    tmp = path + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, path)


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def stable_widget_ids(nb) -> int:
    """Give the ipywidgets models of ``nb`` ids that depend only on their place.

    Every kernel run makes fresh random model ids (``uuid4``), so re-executing an
    unchanged notebook rewrote all its stored widget state (a 752-line diff for
    a two-cell change).  The models are numbered in reading order -- each
    widget view of the outputs, cell by cell, then the models it refers to
    (``IPY_MODEL_...``) depth first, then any model no view reaches -- and
    model ``k`` gets the id ``sha256("xent-widget-k")[:32]``.  The state is
    kept (JupyterLab restores the widgets' last image from it before a kernel
    runs).  Returns the number of models."""
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    state = (widgets or {}).get("state") or {}
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in order or model_id not in state:
            return
        order.append(model_id)
        for ref in _MODEL_REF.findall(json.dumps(state[model_id], sort_keys=True)):
            visit(ref)

    views = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and view.get("model_id"):
                views.append(view)
                visit(view["model_id"])
    for model_id in state:
        visit(model_id)
    new = {old: hashlib.sha256(f"xent-widget-{k}".encode()).hexdigest()[:32] for k, old in enumerate(order)}
    for view in views:
        view["model_id"] = new.get(view["model_id"], view["model_id"])
    if widgets is not None and state:
        text = json.dumps({new[m]: state[m] for m in order})
        text = _MODEL_REF.sub(lambda m: "IPY_MODEL_" + new.get(m.group(1), m.group(1)), text)
        widgets["state"] = nbformat.from_dict(json.loads(text))
    return len(order)


def coalesce_streams(nb) -> None:
    """Merge consecutive stream outputs of one name (stdout, stderr) into one, as JupyterLab
    does: how a kernel's prints split into messages depends on timing, and stored
    unmerged they changed from run to run (a 26-line diff in chapter 4)."""
    for cell in nb.cells:
        merged: list = []
        for out in cell.get("outputs", []):
            prev = merged[-1] if merged else None
            if (out.get("output_type") == "stream" and prev is not None
                    and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
                prev["text"] = prev["text"] + out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _varies_by_design(cell) -> bool:
    """A cell whose output nbval ignores (tag ``nbval-ignore-output``): wall-clock timings."""
    return cell.cell_type == "code" and "nbval-ignore-output" in cell.metadata.get("tags", [])


def _masked(outputs) -> str:
    return _NUMBER.sub("#", json.dumps(outputs, sort_keys=True))


def keep_varying_outputs(before, nb) -> int:
    """Put back the stored outputs of cells tagged ``nbval-ignore-output`` (timings) when
    their code is unchanged and the new outputs differ from the stored ones only in their
    numbers: a timing measured again is no change to review.  Returns how many were kept."""
    old = {c.get("id"): c for c in before.cells if _varies_by_design(c)}
    kept = 0
    for cell in nb.cells:
        prev = old.get(cell.get("id"))
        if (prev is not None and _varies_by_design(cell) and prev.source == cell.source
                and _masked(prev.outputs) == _masked(cell.outputs) and prev.outputs != cell.outputs):
            cell.outputs = prev.outputs
            kept += 1
    return kept


def execute(path: str, timeout: int = 300) -> float:
    """Execute ``path`` top to bottom in a fresh kernel and store the outputs."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    with locked(path):
        nb = nbformat.read(path, as_version=4)
        before = nbformat.from_dict(json.loads(json.dumps(nb)))
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
            record_timing=False,
            store_widget_state=True,
        )
        client.execute()
        coalesce_streams(nb)
        keep_varying_outputs(before, nb)
        stable_widget_ids(nb)
        _write(nb, path)
    return time.perf_counter() - start


def _squash(text: str) -> str:
    return " ".join(text.split())


def explorer_caption_cells(nb, explorers) -> list[tuple[int, str]]:
    """(index, explorer id) of each markdown cell of ``nb`` that repeats an explorer's
    caption (its ``hint``, whitespace aside): the text :func:`explorers.show` renders."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = _squash(cell.source)
        for ex in explorers:
            if ex.hint.strip() and _squash(ex.hint) in text:
                found.append((i, ex.id))
    return found


def drop_explorer_captions(path: str) -> list[str]:
    """Remove from ``path`` the markdown cells that repeat an explorer's title and caption
    (``explorers.show`` renders both from the registry).  A cell holding more than the
    title heading and the caption keeps the rest.  Returns what was done, one line each;
    running it again changes nothing."""
    from xentlib.course import explorers

    done = []
    with edit(path) as nb:
        for i, ex_id in reversed(explorer_caption_cells(nb, list(explorers.REGISTRY.values()))):
            rest = _without_caption(nb.cells[i].source, explorers.get(ex_id))
            if rest:
                nb.cells[i].source = rest
                done.append(f"cell {i}: removed the title and caption of {ex_id!r}, kept the rest")
            else:
                del nb.cells[i]
                done.append(f"cell {i}: dropped the title and caption of {ex_id!r}")
    return done[::-1]


def _without_caption(source: str, ex) -> str:
    """A cell's text without the explorer's title heading and its caption."""
    keep = []
    for para in re.split(r"\n[ \t]*\n", source):
        flat = _squash(para)
        if re.fullmatch(r"#+ " + re.escape(_squash(ex.title)), flat):
            continue
        if _squash(ex.hint) in flat:
            para = flat.replace(_squash(ex.hint), "").strip()
        if para.strip():
            keep.append(para)
    return "\n\n".join(keep)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("execute", help="execute notebooks in place")
    ex.add_argument("paths", nargs="*")
    ex.add_argument("--all", action="store_true", help="every notebook under chapters/")
    no = sub.add_parser("normalize", help="metadata as JupyterLab writes it (kernelspec), outputs untouched")
    no.add_argument("paths", nargs="*")
    no.add_argument("--all", action="store_true", help="every notebook under chapters/")
    co = sub.add_parser("conventions", help="collapsed solutions and canonical metadata (outputs untouched)")
    co.add_argument("paths", nargs="*")
    co.add_argument("--all", action="store_true", help="every notebook under chapters/")
    dr = sub.add_parser("drop-explorer-captions",
                        help="remove markdown cells repeating an explorer's caption (explorers.show renders it)")
    dr.add_argument("paths", nargs="*")
    dr.add_argument("--all", action="store_true", help="every notebook under chapters/")
    args = parser.parse_args(argv)
    paths = args.paths
    if args.all:
        paths = sorted(glob.glob(os.path.join(ROOT, "chapters", "*.ipynb")))
    if not paths:
        parser.error("give notebook paths or --all")
    if args.cmd == "drop-explorer-captions":
        sys.path.insert(0, ROOT)
        for p in paths:
            for line in drop_explorer_captions(p) or ["no explorer caption to drop"]:
                print(f"{os.path.relpath(p, ROOT)}: {line}")
        return 0
    if args.cmd == "conventions":
        for p in paths:
            print(f"{os.path.relpath(p, ROOT)}: {'conventions applied' if conventions(p) else 'already follows the conventions'}")
        return 0
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
