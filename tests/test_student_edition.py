"""The student edition (``python3 tools/course.py student``).

It is generated into a temporary folder; every student notebook must run top
to bottom with nbclient (``allow_errors`` off), with no error: the empty answer
cells run, and their checks say "No answer yet".
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import sys

import nbformat
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import student_edition  # noqa: E402  (tools/ is not a package)

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    paths = student_edition.write_student_edition(out)
    return out, {p.name: p for p in paths}


def _src(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _starts(nb) -> list[str]:
    return [m.group(1) for c in nb.cells if c.cell_type == "markdown"
            for m in [student_edition.START_RE.match(_src(c))] if m]


def test_strip_solutions_on_a_small_notebook():
    v4 = nbformat.v4
    answer = v4.new_code_cell("kl_pq = ...  # your answer")
    answer.metadata["tags"] = ["answer"]
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("```{exercise} T\n:label: ex-kl-order\n\nDo it.\n```"),
        answer,
        v4.new_code_cell('exercises.check("kl-order", kl_pq)', execution_count=3,
                         outputs=[v4.new_output("stream", text="[ex-kl-order] No answer yet\n")]),
        v4.new_markdown_cell("```{solution-start} ex-kl-order\n:class: dropdown\n```"),
        v4.new_code_cell("solution_kl_pq = 0.737", outputs=[v4.new_output("stream", text="x\n")]),
        v4.new_markdown_cell("Because."),
        v4.new_markdown_cell("```{solution-end}\n```"),
        v4.new_markdown_cell("After."),
    ])
    student, labels = student_edition.strip_solutions(nb)
    assert labels == ["ex-kl-order"]
    assert [_src(c) for c in student.cells] == [_src(nb.cells[i]) for i in (0, 1, 2, 7)]
    assert student.cells[1].metadata["tags"] == ["answer"]
    assert student.cells[2].outputs == [] and student.cells[2].execution_count is None
    assert len(nb.cells) == 8, "the original notebook is not modified"
    nb.cells.pop(6)   # no solution-end
    with pytest.raises(ValueError, match="solution-end"):
        student_edition.strip_solutions(nb)


def test_edition_has_every_chapter_no_solution_and_no_output(edition):
    out, paths = edition
    assert sorted(paths) == [p.name for p in CHAPTERS]
    assert "answer cell" in (out / "README.md").read_text()
    for src in CHAPTERS:
        original = nbformat.read(src, as_version=4)
        student = nbformat.read(paths[src.name], as_version=4)
        assert not _starts(student), f"{src.name}: a solution is left"
        text = json.dumps(student.cells)
        assert "solution-end" not in text, f"{src.name}: a solution block is left"
        code = "\n".join(_src(c) for c in student.cells if c.cell_type == "code")
        assert not re.search(r"^\s*(?:def\s+)?solution_\w+", code, re.M), f"{src.name}: a solution's code is left"
        for cell in student.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, src.name
        answers = [c for c in student.cells if "answer" in c.metadata.get("tags", [])]
        assert len(answers) == len(_starts(original)), f"{src.name}: one answer cell per exercise"


def test_student_folder_is_not_committed():
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "student/" in ignored


@pytest.fixture(scope="module")
def executed(edition):
    """Every student notebook executed by nbclient (allow_errors off), concurrently:
    the kernels start and run side by side, which keeps the wall time close to
    that of the slowest chapter.  Maps name -> (executed notebook, exception or None)."""
    import asyncio
    import concurrent.futures

    from nbclient import NotebookClient

    out, paths = edition

    async def run_one(name, sem):
        nb = nbformat.read(paths[name], as_version=4)
        client = NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=False,
                                resources={"metadata": {"path": str(out)}})
        async with sem:
            try:
                await client.async_execute()
            except Exception as exc:  # CellExecutionError: reported by the test
                return name, nb, exc
        return name, nb, None

    async def run_all():
        sem = asyncio.Semaphore(4)
        return await asyncio.gather(*(run_one(name, sem) for name in sorted(paths)))

    # In a thread of its own: the session-wide Playwright browser of the
    # browser tests keeps an event loop running in the main thread, where
    # asyncio.run() refuses to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(asyncio.run, run_all()).result()
    return {name: (nb, exc) for name, nb, exc in results}


@pytest.mark.slow
@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_student_notebook_runs_top_to_bottom(executed, name):
    nb, exc = executed[name]
    assert exc is None, f"{name}: a cell failed:\n{exc}"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{name}: {_src(cell)[:80]!r} raised {errors[0].ename}"
        if "exercises.check(" in _src(cell):
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "No answer yet" in text, text


def _unhidden_solutions(nb) -> list[int]:
    return [i for i in student_edition.solution_indices(nb)
            if nb.cells[i].metadata.get("jupyter") != student_edition.HIDDEN
            or nb.cells[i].metadata.get("collapsed") is not True]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_solutions_start_collapsed_in_jupyter(path):
    """Issue 11, item 2: JupyterLab opens solution cells collapsed (notebook-format metadata)."""
    nb = nbformat.read(path, as_version=4)
    bad = _unhidden_solutions(nb)
    assert not bad, (f"{path.name}: solution cells {bad} open in Jupyter "
                     "(fix: student_edition.hide_solutions(nb), then save the notebook)")


def test_unhidden_solution_check_can_fail():
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("```{solution-start} ex-kl-order\n:class: dropdown\n```"),
        v4.new_code_cell("kl_pq = 0.737"),
        v4.new_markdown_cell("```{solution-end}\n```"),
        v4.new_code_cell('exercises.check("kl-order", kl_pq)'),
    ])
    assert _unhidden_solutions(nb) == [1]
    assert student_edition.hide_solutions(nb) == [1]
    assert _unhidden_solutions(nb) == []


def test_student_checks_are_the_chapters_checks(edition):
    """The check cells are the same in the chapters and the student edition: each judges the
    student's own answer (no example mode anywhere)."""
    out, paths = edition
    def checks(path):
        return [_src(c) for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "code" and "exercises.check(" in _src(c)]

    for src in CHAPTERS:
        original, student = checks(src), checks(paths[src.name])
        assert student == original and not any("example" in c for c in student), src.name


def test_links_inside_the_student_folder_resolve(edition):
    """Issue 11, item 6: the student folder works on its own (no 404 for the teachers' page)."""
    out, paths = edition
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    dead = []
    for p in [*paths.values(), out / "README.md"]:
        text = p.read_text(encoding="utf-8")
        texts = ([_src(c) for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown"]
                 if p.suffix == ".ipynb" else [text])
        for t in texts:
            for target in link.findall(t):
                if "://" not in target and not (out / target).exists():
                    dead.append(f"{p.name}: {target}")
    assert not dead, "dead links in the student folder: " + ", ".join(sorted(set(dead)))
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "pip install" in readme and "xentlib" in readme and "--allow-root" in readme


# --- Issue 11, item 6: the student's package does not hand out the answers -----------------
_STUDENT_PROBE = r"""
import json, sys
from xentlib.course import exercises
cases = json.loads(sys.stdin.read())
out = {"student_mode": exercises.student_mode(), "leaks": [], "verdicts": []}
for ex in exercises.list_exercises():
    if ex.kind == "function":
        continue
    for who, fn in [("reference", ex.reference), ("REGISTRY", exercises.REGISTRY.get(ex.id).reference),
                    *((m.name, m.value) for m in exercises.exercise(ex.id).mistakes)]:
        try:
            fn()
            out["leaks"].append(f"{ex.id}: {who}")
        except exercises.AnswerWithheld:
            pass
for eid, answer in cases:
    fb = exercises.evaluate(eid, answer)
    out["verdicts"].append([fb.correct, fb.mistake])
print(json.dumps(out))
"""


def _sig(values, digits: int):
    arr = np.asarray(values, dtype=float)
    return np.array([float(f"{v:.{digits}g}") for v in arr.ravel()]).reshape(arr.shape).tolist()


def test_student_mode_withholds_answers_and_still_judges(edition):
    """In the student edition (xent-answers.json next to the notebooks) reference() and every
    mistake's value() raise, the book holds no answer, and the hashed checkers give the same
    verdicts as the teacher's: the reference at full precision and rounded to 4 and 3
    significant digits is accepted, each typical mistake gets its own hint, a wrong value none."""
    import subprocess

    from xentlib.course import exercises

    out, _ = edition
    book_text = (out / student_edition.ANSWERS_FILE).read_text()
    cases, expected = [], []
    for ex in exercises.list_exercises():
        if ex.kind == "choice":
            ref = exercises._key(ex.reference())
            cases += [(ex.id, ref), (ex.id, ref.upper())] + [(ex.id, m.value()) for m in ex.mistakes]
            expected += [[True, None], [True, None]] + [[False, m.name] for m in ex.mistakes]
            continue
        if ex.kind == "function":
            continue
        ref = np.asarray(ex.reference(), dtype=float)
        d = exercises._digits(ex)   # 4 for the default rtol, 5 for a tighter one
        for answer in (ref.tolist(), _sig(ref, d), _sig(ref, d - 1), np.squeeze(ref).tolist()):
            cases.append((ex.id, answer))
            expected.append([True, None])
        cases.append((ex.id, (ref * 1.05 + 0.37).tolist()))
        expected.append([False, exercises.evaluate(ex.id, ref * 1.05 + 0.37).mistake])
        for m in ex.mistakes:
            cases.append((ex.id, np.asarray(m.value(), dtype=float).tolist()))
            expected.append([False, m.name])
    # the stored book holds hex digests and shapes, no decimal number
    assert not re.search(r"\d\.\d|\d[eE][-+]\d", book_text), "xent-answers.json holds a number"
    env = {k: v for k, v in os.environ.items() if k != "XENT_ANSWERS"}
    run = subprocess.run([sys.executable, "-c", _STUDENT_PROBE], input=json.dumps(cases), cwd=out,
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["student_mode"], "xent-answers.json in the working directory must switch student mode on"
    assert not got["leaks"], "the student's package hands out: " + ", ".join(got["leaks"])
    wrong = [(c[0], c[1], e, g) for c, e, g in zip(cases, expected, got["verdicts"], strict=True) if e != g]
    assert not wrong, f"{len(wrong)} verdict(s) differ from the teacher's, e.g. {wrong[:3]}"


def test_teacher_mode_outside_the_student_folder():
    from xentlib.course import exercises

    assert not exercises.student_mode()
    assert np.isfinite(exercises.exercise("entropy-fair-die").reference())
