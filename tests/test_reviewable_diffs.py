"""Re-executing a notebook whose code did not change leaves `git diff` empty (issue 19, item 3).

Every kernel run gives the ipywidgets models fresh random ids (uuid4), and the
notebook stores the widgets' state under those ids: re-executing chapter 1
used to rewrite 1,230 lines.  ``tools/nbtool.py execute`` now numbers the
models by their place (``nbtool.stable_widget_ids``).
"""
from __future__ import annotations

import copy
import pathlib
import shutil
import subprocess
import sys
import uuid

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbtool  # noqa: E402

#: A small chapter with an explorer (ipywidgets state) and figures: 6 s to execute.
CHAPTER = ROOT / "chapters" / "02_cross_entropy.ipynb"


def _execute(path: pathlib.Path) -> bytes:
    subprocess.run([sys.executable, str(ROOT / "tools" / "nbtool.py"), "execute", str(path)], check=True,
                   capture_output=True)
    return path.read_bytes()


def test_executing_a_chapter_twice_gives_the_same_bytes(tmp_path):
    nb = tmp_path / CHAPTER.name
    shutil.copy(CHAPTER, nb)
    first = _execute(nb)
    second = _execute(nb)
    assert nbformat.reads(first.decode(), as_version=4).metadata.get("widgets"), \
        "the chapter stores no widget state: pick a chapter with an explorer"
    if first != second:
        diff = [f"{i}: {a!r} != {b!r}" for i, (a, b) in
                enumerate(zip(first.decode().splitlines(), second.decode().splitlines(), strict=False)) if a != b]
        raise AssertionError(f"{len(diff)} lines differ after re-executing an unchanged notebook:\n"
                             + "\n".join(diff[:10]))


def _widget_notebook(ids: list[str]):
    """A notebook with one widget view (a box of two sliders) under the model ids ``ids``."""
    box, s1, s2 = ids
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("w", id="widget-cell", outputs=[nbformat.v4.new_output(
        "display_data", data={nbtool.WIDGET_VIEW: {"model_id": box, "version_major": 2, "version_minor": 0},
                              "text/plain": "VBox()"})])]
    state = {
        s2: {"model_name": "IntSliderModel", "state": {"value": 2}},
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{s1}", f"IPY_MODEL_{s2}"]}},
        s1: {"model_name": "IntSliderModel", "state": {"value": 1}},
    }
    nb.metadata["widgets"] = {nbtool.WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


def test_widget_ids_depend_only_on_the_place_of_the_models():
    runs = []
    for _ in range(2):
        nb = _widget_notebook([uuid.uuid4().hex for _ in range(3)])
        before = copy.deepcopy(nb)
        assert nbtool.stable_widget_ids(nb) == 3
        runs.append(nbformat.writes(nb))
        assert runs[-1] != nbformat.writes(before)
    assert runs[0] == runs[1], "two runs with different random ids stored different notebooks"
    nb = nbformat.reads(runs[0], as_version=4)
    state = nb.metadata["widgets"][nbtool.WIDGET_STATE]["state"]
    view = nb.cells[0].outputs[0].data[nbtool.WIDGET_VIEW]["model_id"]
    # the references still hold: the view names the box, the box its two sliders, in order
    assert state[view]["model_name"] == "VBoxModel"
    children = [ref.removeprefix("IPY_MODEL_") for ref in state[view]["state"]["children"]]
    assert [state[c]["state"]["value"] for c in children] == [1, 2]


def test_prints_split_into_several_messages_are_stored_as_one_output():
    nb = nbformat.v4.new_notebook()
    parts = ["a\n", "b\n", "c\n"]
    nb.cells = [nbformat.v4.new_code_cell("print()", id="prints", outputs=[
        *(nbformat.v4.new_output("stream", name="stdout", text=t) for t in parts[:2]),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text=parts[2])])]
    nbtool.coalesce_streams(nb)
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stdout", "a\nb\n"), ("stderr", "warning\n"), ("stdout", "c\n")]


def _timing_notebook(text: str, source: str = "print(timing())"):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source, id="timing", outputs=[nbformat.v4.new_output("stream", name="stdout",
                                                                                          text=text)])
    cell.metadata["tags"] = ["nbval-ignore-output"]
    nb.cells = [cell]
    return nb


def test_a_timing_measured_again_keeps_the_stored_output():
    before = _timing_notebook("time ratio: 2.3\n")
    after = _timing_notebook("time ratio: 2.8\n")
    assert nbtool.keep_varying_outputs(before, after) == 1
    assert after.cells[0].outputs[0].text == "time ratio: 2.3\n"
    # new words, new code, or an untagged cell: the new output is stored
    for after in (_timing_notebook("time ratio (fused): 2.8\n"), _timing_notebook("ratio 2.8\n", "print(other())")):
        new = copy.deepcopy(after.cells[0].outputs)
        nbtool.keep_varying_outputs(before, after)
        assert after.cells[0].outputs == new
    untagged = _timing_notebook("time ratio: 2.8\n")
    untagged.cells[0].metadata["tags"] = []
    assert nbtool.keep_varying_outputs(before, untagged) == 0
