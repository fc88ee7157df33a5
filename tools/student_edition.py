#!/usr/bin/env python3
"""Write the student edition of the course: chapter notebooks without solutions.

    python3 tools/course.py student              # writes student/ (git-ignored)
    python3 tools/student_edition.py [OUT_DIR]   # the same, into OUT_DIR

For every notebook in ``chapters/``:

* each worked solution (the markdown cell ```` ```{solution-start} ex-... ````,
  everything up to and including ```` ```{solution-end} ````) is removed.  In
  the chapters an exercise is already laid out for the student: its empty
  **answer cell** (tagged ``answer``), then its check cell
  ``exercises.check("ID", name)``, then the folded solution, which computes
  into names of its own;
* every output and execution count is cleared;
* ``xent-answers.json`` holds, per exercise, salted hashes of the reference
  and of each typical mistake (``exercises.answer_record``), never the numbers.
  A kernel started in this folder finds it and puts the checkers in student
  mode: they compare hashes, and ``reference()`` / ``Mistake.value()`` raise
  ``AnswerWithheld``.  The teacher's notebooks and the site have no such file
  and are unchanged.
"""
from __future__ import annotations

import copy
import json
import os
import pathlib
import re
import shutil
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "student"

START_RE = re.compile(r"^\s*```+\{solution-start\}\s*(\S+)")
END_RE = re.compile(r"^\s*```+\{solution-end\}")
CHECK_RE = re.compile(r"exercises\.check\(\s*[\"']([^\"']+)[\"']\s*,\s*([A-Za-z_]\w*)")
ANSWER_TAG = "answer"


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def answer_var(cells, label: str) -> str | None:
    """The name the check cell ``exercises.check("ID", name)`` of exercise ``label`` reads."""
    eid = label.removeprefix("ex-")
    for cell in cells:
        if cell.cell_type != "code":
            continue
        for m in CHECK_RE.finditer(_source(cell)):
            if m.group(1).removeprefix("ex-") == eid:
                return m.group(2)
    return None


def solution_blocks(cells) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` of every ``{solution-start}`` .. ``{solution-end}`` pair (cell indices)."""
    out, i = [], 0
    while i < len(cells):
        m = START_RE.match(_source(cells[i])) if cells[i].cell_type == "markdown" else None
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(cells) and not (cells[j].cell_type == "markdown" and END_RE.match(_source(cells[j]))):
            j += 1
        if j == len(cells):
            raise ValueError(f"solution-start {m.group(1)} has no solution-end")
        out.append((m.group(1), i, j))
        i = j + 1
    return out


def strip_solutions(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[str]]:
    """A copy of ``nb`` without its worked solutions, outputs cleared; and the exercises' labels."""
    nb = copy.deepcopy(nb)
    blocks = solution_blocks(nb.cells)
    drop = {k for _, i, j in blocks for k in range(i, j + 1)}
    nb.cells = [c for k, c in enumerate(nb.cells) if k not in drop]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return nb, [label for label, _, _ in blocks]


HIDDEN = {"source_hidden": True, "outputs_hidden": True}


def solution_indices(nb) -> list[int]:
    """Indices of the cells strictly between a ``{solution-start}`` and its ``{solution-end}``."""
    out, inside = [], False
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and START_RE.match(_source(cell)):
            inside = True
        elif cell.cell_type == "markdown" and END_RE.match(_source(cell)):
            inside = False
        elif inside:
            out.append(i)
    return out


def hide_solutions(nb) -> list[int]:
    """Collapse every solution cell in Jupyter (notebook-format metadata ``jupyter.source_hidden``
    and ``outputs_hidden``: JupyterLab opens them collapsed, one click shows them); the site
    folds them through sphinx-exercise's ``{solution-start}`` dropdown.  Returns the indices."""
    idx = solution_indices(nb)
    for i in idx:
        nb.cells[i].metadata["jupyter"] = dict(HIDDEN)
        # JupyterLab also writes the older flag on save: store it, so open + save leaves no diff.
        nb.cells[i].metadata["collapsed"] = True
    return idx


ANSWERS_FILE = "xent-answers.json"  # = xentlib.course.exercises.ANSWERS_FILE


def write_answer_book(path: pathlib.Path) -> None:
    """The hashed answers of every exercise (computed in teacher mode, from the references)."""
    os.environ.pop("XENT_ANSWERS", None)  # never read a book while writing one
    sys.path.insert(0, str(ROOT))
    from xentlib.course import exercises

    if exercises.student_mode():
        raise RuntimeError(f"run tools/student_edition.py from the course repository, not from a folder "
                           f"holding {ANSWERS_FILE}")
    assert exercises.ANSWERS_FILE == ANSWERS_FILE
    book = {"format": 1, "note": "salted hashes of the rounded answers; see student README",
            "exercises": {ex.id: exercises.answer_record(ex) for ex in exercises.list_exercises()}}
    path.write_text(json.dumps(book, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def write_student_edition(out_dir: os.PathLike | str = DEFAULT_OUT,
                          chapters_dir: os.PathLike | str = ROOT / "chapters") -> list[pathlib.Path]:
    """Write every chapter notebook's student version into ``out_dir``; returns the paths."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(pathlib.Path(chapters_dir).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        student, labels = strip_solutions(nb)
        nbformat.validate(student)
        target = out_dir / path.name
        nbformat.write(student, target)
        written.append(target)
        print(f"{target}: {len(labels)} solution(s) removed")
    (out_dir / "README.md").write_text(STUDENT_README, encoding="utf-8")
    write_answer_book(out_dir / ANSWERS_FILE)
    # The chapters link to the teachers' page (which exercises suit a class; no answers):
    # ship it, so the link works inside the folder.
    teachers = pathlib.Path(chapters_dir) / "teachers.md"
    if teachers.exists():
        shutil.copyfile(teachers, out_dir / "teachers.md")
    return written


STUDENT_README = """# Cross-entropy course: student notebooks

These are the course's chapter notebooks with the outputs cleared and the
exercise solutions removed.  Open them in JupyterLab and run them from the top.

## Install (once)

```bash
python3 -m venv .venv && . .venv/bin/activate      # Windows: .venv\\Scripts\\activate
# the course's library, from the wheel your teacher hands out ...
pip install xentlib-*.whl
# ... or from a copy of the course repository: pip install /path/to/the/course
pip install "jupyterlab==4.6.6" "jupyterlab-myst==2.7.0" ipywidgets matplotlib plotly
jupyter lab          # as root (a container, a classroom VM): jupyter lab --allow-root
```

`jupyterlab-myst` renders the exercise boxes, maths and links; `ipywidgets`
draws the live sliders.  Worked solutions are collapsed cells in the
teacher's edition; here they are left out.

Each exercise has an answer cell: write your answer there (a number, a
function, or the letter of an option, as the exercise says), run it, then run
the check cell below it: `exercises.check(...)` tells you whether your answer
is right and, if not, gives a hint aimed at the usual mistake, or names the
input on which your function went wrong.

## How your answers are checked

`xent-answers.json` (keep it in this folder, next to the notebooks) holds, for
each exercise, salted SHA-256 hashes of the right answer and of each typical
wrong answer, every number rounded to 4 significant digits (and to 3); it
holds no numbers.  A notebook's kernel starts in this folder, finds the file
and puts the checkers in *student mode*: your answer is rounded the same way
(also one unit up or down in the 4th digit, so an answer next to a rounding
boundary passes) and its hash compared, and `exercises.exercise(id).reference()`
and the typical mistakes' `value()` raise `AnswerWithheld` instead of handing
out the answers.  Give at least 3 significant digits (`2.585`, not `2.6`).
If you run a notebook from another folder, point the checkers at the file:
`XENT_ANSWERS=/path/to/xent-answers.json jupyter lab`.

## Chinese text

The chapters quote the source article in Chinese.  On a machine without a
Chinese font those characters show as empty boxes in JupyterLab; install one
(e.g. Debian/Ubuntu `sudo apt install fonts-noto-cjk`; Windows and macOS ship
one).  From a copy of the course repository, `python3 tools/course.py lab
student/` is an alternative: it serves the course's own Chinese font subset
to JupyterLab without installing anything system-wide.
"""


def main(argv: list[str]) -> int:
    out = pathlib.Path(argv[0]) if argv else DEFAULT_OUT
    paths = write_student_edition(out)
    print(f"student edition: {len(paths)} notebooks in {out} (outputs cleared, solutions removed)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
