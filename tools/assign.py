#!/usr/bin/env python3
"""Make a class's assignments from the chapters, in Otter-Grader's format (issue 18, item 4).

    python3 tools/course.py assign                 # writes dist/assignments/ (git-ignored)
    python3 tools/assign.py [OUT_DIR] [--chapters 01_entropy,02_cross_entropy]

For each content chapter (01-06) it reads whatever exercises the notebook
holds -- ``{exercise}`` blocks labelled ``ex-ID``, the answer cell (tagged
``answer``), the check cell ``exercises.check("ID", name)`` and the worked
solution between ``{solution-start} ex-ID`` and ``{solution-end}``, which
computes ``solution_<name>`` -- and writes:

``student/``
    ``NN_name.ipynb`` with every solution removed (``tools/student_edition.py``),
    outputs and widget state cleared, and each check cell replaced by
    ``grader.check("ID")``: Otter runs
    the exercise's **public test**, which is the course's own checker
    (``exercises.evaluate``) and fails with its mistake-aimed hint.  ``tests/``
    holds the public tests only; ``xent-answers.json`` the salted hashes the
    checkers compare in student mode (no number, see ``xentlib.course.exercises``);
    ``xentlib-*.whl`` the course's library with every answer's code removed
    (``tools/student_package.py``).
``autograder/``
    ``NN_name.zip``: Otter's autograder (``otter_config.json`` and ``tests/``,
    where each question adds a **hidden test** comparing the answer with the
    reference computed by xentlib at assign time) and ``questions.json``, the
    points per question that ``tools/grade.py`` reports.
``solutions/``
    ``NN_name.ipynb``: the student notebook with the worked solutions in the
    answer cells (``name = solution_<name>``), for the teacher (it scores full marks).

Otter's own ``otter assign`` expects a master notebook in its format (``# BEGIN
QUESTION`` raw cells, solutions marked inside code); the chapters are
MyST notebooks with sphinx-exercise blocks, so this script writes Otter's output
format directly and leaves grading to Otter (``otter.api.grade_submission``,
through ``tools/grade.py``).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import pathlib
import re
import shutil
import sys
import zipfile

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import student_edition as se  # noqa: E402  (tools/ is not a package)
import student_package  # noqa: E402

DEFAULT_OUT = ROOT / "dist" / "assignments"
CHAPTERS = ("01_entropy", "02_cross_entropy", "03_loss_and_gradient", "04_training", "05_trends", "06_faq")
POINTS = 1          # per question, all of it on the hidden test
CHECK_LINE_RE = re.compile(r"^(\s*)exercises\.check\(\s*[\"']([^\"']+)[\"']\s*,\s*([A-Za-z_]\w*).*$", re.M)
GRADER_MARK = "xent-otter-init"


def _src(cell) -> str:
    return se._source(cell)


def split_exercises(nb) -> list[dict]:
    """Every exercise of ``nb``: its label, id, answer name, answer cell and solution cell indices."""
    out = []
    for label, i, j in se.solution_blocks(nb.cells):
        var = se.answer_var(nb.cells, label)
        if var is None:
            raise ValueError(f"exercise {label}: no check cell exercises.check({label.removeprefix('ex-')!r}, name)")
        answer = [k for k, c in enumerate(nb.cells) if c.cell_type == "code" and k < i
                  and se.ANSWER_TAG in c.metadata.get("tags", []) and _defines(_src(c), var)]
        if not answer:
            raise ValueError(f"exercise {label}: no answer cell (a code cell tagged {se.ANSWER_TAG!r} "
                             f"that defines {var}) before its solution")
        solution = "\n".join(_src(c) for c in nb.cells[i + 1:j] if c.cell_type == "code")
        if not _defines(solution, f"solution_{var}"):
            raise ValueError(f"exercise {label}: its worked solution must compute solution_{var} "
                             f"(a name of its own: Run All must not overwrite the student's {var})")
        if _defines(solution, var):
            raise ValueError(f"exercise {label}: its worked solution assigns {var}, the student's answer")
        out.append({"label": label, "id": label.removeprefix("ex-"), "var": var, "start": i, "end": j,
                    "answer": answer[-1]})
    return out


def _defines(code: str, name: str) -> bool:
    """Whether ``code`` binds ``name`` at top level (an assignment or a def)."""
    return re.search(rf"^(?:{re.escape(name)}\s*(?::[^=]*)?=(?!=)|def\s+{re.escape(name)}\s*\()", code, re.M) is not None


def _clean(cell):
    cell = copy.deepcopy(cell)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    for key in ("execution", "jupyter", "collapsed"):
        cell.metadata.pop(key, None)
    return cell


def _grader_cell(chapter: str):
    cell = nbformat.v4.new_code_cell(
        "# Otter-Grader: grader.check(\"ID\") runs an exercise's public checks (tests/ next to this notebook).\n"
        "import otter\n\n"
        f"grader = otter.Notebook(\"{chapter}.ipynb\")")
    cell.metadata["tags"] = [GRADER_MARK]
    return cell


def make_notebooks(nb, chapter: str) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, list[dict]]:
    """The student notebook and its solved copy, and the exercises found."""
    exs = split_exercises(nb)
    by_answer = {e["answer"]: e for e in exs}
    inside = {k for e in exs for k in range(e["start"], e["end"] + 1)}
    student, solved = [], []
    for i, cell in enumerate(nb.cells):
        if i in inside:
            continue
        cell = _clean(cell)
        if cell.cell_type == "code":
            cell.source = CHECK_LINE_RE.sub(lambda m: f'{m.group(1)}grader.check("{m.group(2)}")', _src(cell))
        student.append(cell)
        if i in by_answer:
            e = by_answer[i]
            for c in nb.cells[e["start"] + 1:e["end"]]:
                c = _clean(c)
                c.metadata.pop("tags", None)
                solved.append(c)
            done = copy.deepcopy(cell)
            done.source = f"{e['var']} = solution_{e['var']}  # the worked solution, for the teacher"
            solved.append(done)
        else:
            solved.append(copy.deepcopy(cell))
    out = []
    for cells in (student, solved):
        # the grader's cell goes after the chapter's title
        cells.insert(1, _grader_cell(chapter))
        book = copy.deepcopy(nb)
        book.metadata.pop("widgets", None)     # stored widget state holds computed numbers
        book.metadata["otter"] = {"assignment_name": chapter}
        book.cells = cells
        seen: set[str] = set()
        for k, c in enumerate(book.cells):
            if c.get("id") in seen or "id" not in c:
                c["id"] = f"xent-{k}"
            seen.add(c["id"])
        nbformat.validate(book)
        out.append(book)
    return out[0], out[1], exs


# --- Otter test files ------------------------------------------------------------------------
PUBLIC_TEST = '''\
@test_case(points=0, hidden=False)
def self_check({var}):
    """The course's checker (the same verdict and hint as exercises.check)."""
    from xentlib.course import exercises

    feedback = exercises.evaluate({eid!r}, {var})
    assert feedback.correct, feedback.message
'''

HIDDEN_TEST = '''\
@test_case(points={points}, hidden=True)
def reference({var}):
    """The reference answer, computed by xentlib when the assignment was made."""
    import numpy as np

    expected = np.asarray({expected!r}, dtype=float)
    try:
        got = np.asarray({var}, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError("the answer is not a number") from None
    if got.size != expected.size:
        raise AssertionError("the answer has the wrong number of values")
    got, expected = np.reshape(got, expected.shape), expected
    assert np.all(np.isfinite(got)), "the answer contains inf or nan"
    assert np.allclose(got, expected, rtol={rtol!r}, atol={atol!r}), "the answer differs from the reference"
'''


HIDDEN_FUNCTION_TEST = '''\
@test_case(points={points}, hidden=True)
def reference({var}):
    """The function against xentlib's results on fixed inputs, computed when the assignment was made."""
    import numpy as np

    cases = {cases!r}
    for name, args, expected in cases:
        args = [np.asarray(a) if isinstance(a, list) else a for a in args]
        got = np.asarray({var}(*args), dtype=float)
        expected = np.asarray(expected, dtype=float)
        assert got.size == expected.size, f"{{name}}: the result has the wrong number of values"
        got = np.reshape(got, expected.shape)
        assert np.all(np.isfinite(got)), f"{{name}}: the result contains inf or nan"
        assert np.allclose(got, expected, rtol={rtol!r}, atol={atol!r}), f"{{name}}: wrong result"
'''

HIDDEN_CHOICE_TEST = '''\
@test_case(points={points}, hidden=True)
def reference({var}):
    """The option chosen, against the right one."""
    assert str({var}).strip().strip("().").strip().lower() == {expected!r}, "not the right option"
'''


def test_file(eid: str, var: str, hidden: dict | None) -> str:
    """An Otter exception-based test file for exercise ``eid`` (public only when ``hidden`` is None)."""
    parts = ["from otter.test_files import test_case\n\nOK_FORMAT = False\n\n"
             f"name = {eid!r}\n\n\n", PUBLIC_TEST.format(var=var, eid=eid)]
    if hidden is not None:
        template = {"function": HIDDEN_FUNCTION_TEST, "choice": HIDDEN_CHOICE_TEST}.get(hidden.pop("kind"), HIDDEN_TEST)
        parts += ["\n\n", template.format(var=var, **hidden)]
    return "".join(parts)


def _reference(eid: str) -> dict:
    from xentlib.course import exercises

    if exercises.student_mode():
        raise RuntimeError(f"run the assignment maker from the course repository, not from a folder holding "
                           f"{exercises.ANSWERS_FILE}")
    ex = exercises.exercise(eid)
    import numpy as np

    common = {"kind": ex.kind, "rtol": ex.rtol, "atol": ex.atol, "points": POINTS}
    if ex.kind == "choice":
        return {**common, "expected": exercises._key(ex.reference())}
    if ex.kind == "function":
        assert ex.cases is not None
        cases = [(c.name, [np.asarray(a).tolist() if isinstance(a, np.ndarray) else a for a in c.args],
                  np.asarray(ex.reference(*c.args), dtype=float).tolist()) for c in ex.cases()]
        return {**common, "cases": cases}
    ref = np.asarray(ex.reference(), dtype=float)
    return {**common, "expected": ref.tolist()}


STUDENT_README = """# Cross-entropy course: assignments

One notebook per chapter (01-06).  Each exercise has an answer cell: write
your answer there (a number, a function, or the letter of an option, as the
exercise says), run it, then run the cell below it, `grader.check("ID")`.  That runs the exercise's public
check (Otter-Grader): it says whether your answer is right and, if not, gives
a hint aimed at the usual mistakes.  Your teacher grades the notebook with
further (hidden) tests, so a passing check is a good sign, not a promise.

## Install (once)

```bash
python3 -m venv .venv && . .venv/bin/activate      # Windows: .venv\\Scripts\\activate
pip install xentlib-*.whl            # the course's library, from this folder (it holds no answers)
pip install "otter-grader==7.0.0" "jupyterlab==4.6.6" "jupyterlab-myst==2.7.0" ipywidgets matplotlib plotly
jupyter lab          # as root (a container, a classroom VM): jupyter lab --allow-root
```

Keep `tests/` and `xent-answers.json` next to the notebooks: the checks read
them.  `xent-answers.json` holds salted hashes of the answers, never the
numbers; give at least 3 significant digits (`3.142`, not `3.1`).

## Hand in

Save the notebook (keep its file name, e.g. `01_entropy.ipynb`) and hand in
the `.ipynb` file.  Before you do, run it from the top (*Run > Run All Cells*):
the teacher's grader runs it that way, with a time limit.
"""


def write_assignments(out_dir: os.PathLike | str = DEFAULT_OUT, chapters: tuple[str, ...] = CHAPTERS,
                      chapters_dir: os.PathLike | str = ROOT / "chapters") -> dict[str, list[str]]:
    """Write student/, autograder/ and solutions/ into ``out_dir``; returns {chapter: question ids}."""
    out = pathlib.Path(out_dir)
    for sub in ("student", "autograder", "solutions"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    (out / "student" / "tests").mkdir()
    manifest: dict[str, dict[str, int]] = {}
    for chapter in chapters:
        src = pathlib.Path(chapters_dir) / f"{chapter}.ipynb"
        if not src.exists():
            raise FileNotFoundError(f"chapters: no notebook {src}")
        nb = nbformat.read(src, as_version=4)
        student, solved, exs = make_notebooks(nb, chapter)
        nbformat.write(student, out / "student" / src.name)
        nbformat.write(solved, out / "solutions" / src.name)
        zpath = out / "autograder" / f"{chapter}.zip"
        config = {"lang": "python", "assignment_name": chapter, "pdf": False, "print_summary": False,
                  "print_score": False, "zips": False}
        with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("otter_config.json", json.dumps(config, indent=1) + "\n")
            for e in exs:
                z.writestr(f"tests/{e['id']}.py", test_file(e["id"], e["var"], _reference(e["id"])))
        for e in exs:
            (out / "student" / "tests" / f"{e['id']}.py").write_text(test_file(e["id"], e["var"], None),
                                                                     encoding="utf-8")
        manifest[chapter] = {e["id"]: POINTS for e in exs}
        print(f"{chapter}: {len(exs)} question(s)")
    (out / "autograder" / "questions.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (out / "student" / "README.md").write_text(STUDENT_README, encoding="utf-8")
    se.write_answer_book(out / "student" / se.ANSWERS_FILE)
    student_package.write_student_wheel(out / "student")
    teachers = pathlib.Path(chapters_dir) / "teachers.md"
    if teachers.exists():
        shutil.copyfile(teachers, out / "student" / "teachers.md")
    return {ch: list(q) for ch, q in manifest.items()}


def main(argv: list[str]) -> int:
    os.chdir(os.environ.pop("XENT_CALLER_CWD", os.getcwd()))  # course.py runs us from the repository root
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", nargs="?", default=str(DEFAULT_OUT))
    ap.add_argument("--chapters", default=",".join(CHAPTERS),
                    help="comma-separated chapter notebooks' stems (default: 01-06)")
    args = ap.parse_args(argv)
    chapters = tuple(c.strip() for c in args.chapters.split(",") if c.strip())
    unknown = [c for c in chapters if not (pathlib.Path(ROOT / "chapters") / f"{c}.ipynb").exists()]
    if unknown:
        ap.error(f"--chapters: no chapter notebook named {', '.join(unknown)}")
    qs = write_assignments(args.out_dir, chapters)
    print(f"assignments: {len(qs)} chapter(s), {sum(map(len, qs.values()))} question(s) in {args.out_dir} "
          "(student/, autograder/, solutions/)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
