"""Grading a class (issue 18, item 4): ``course.py assign`` and ``course.py grade``, end to end.

The assignments are written into a temporary folder; one chapter (01) is graded
for a class of submissions made from them at test time: full marks, blank,
wrong answers, a crash, two loops, one that prints megabytes, one that attacks
the grades file and the other submissions, and two files that are not notebooks.  Limits are small
(60 s per submission, 20 s per cell) so the run stays near a minute.
"""
from __future__ import annotations

import copy
import csv
import json
import os
import pathlib
import re
import subprocess
import sys
import time
import zipfile

import nbformat
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import assign  # noqa: E402  (tools/ is not a package)
import grade  # noqa: E402
import student_edition  # noqa: E402

pytestmark = pytest.mark.grading
CH = "01_entropy"
TIMEOUT, CELL_TIMEOUT = 60, 20


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    questions = assign.write_assignments(out)
    return out, questions


def _src(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# --- the assignments ---------------------------------------------------------------------------
def test_layout_and_questions_follow_the_chapters(dist):
    out, questions = dist
    assert list(questions) == list(assign.CHAPTERS)
    for ch in assign.CHAPTERS:
        chapter = nbformat.read(ROOT / "chapters" / f"{ch}.ipynb", as_version=4)
        labels = [m.group(1).removeprefix("ex-") for c in chapter.cells if c.cell_type == "markdown"
                  for m in [student_edition.START_RE.match(_src(c))] if m]
        assert questions[ch] == labels, ch
        assert (out / "student" / f"{ch}.ipynb").exists() and (out / "solutions" / f"{ch}.ipynb").exists()
        with zipfile.ZipFile(out / "autograder" / f"{ch}.zip") as z:
            names = sorted(z.namelist())
        assert names == sorted(["otter_config.json", *(f"tests/{q}.py" for q in labels)]), ch
        student = nbformat.read(out / "student" / f"{ch}.ipynb", as_version=4)
        checks = [_src(c) for c in student.cells if c.cell_type == "code" and _src(c).startswith("grader.check(")]
        assert checks == [f'grader.check("{q}")' for q in labels], ch
        assert not any("exercises.check(" in _src(c) for c in student.cells if c.cell_type == "code"), ch
    assert "dist/" in (ROOT / ".gitignore").read_text().split()


def _reference_strings(values) -> set[str]:
    """A reference answer written at several precisions (only forms with 3+ significant digits:
    "1" or "0.5" would match any text)."""
    out = set()
    for v in np.asarray(values, dtype=float).ravel():
        forms = {repr(float(v)), *(f"{v:.{d}f}" for d in range(2, 7)), *(f"{v:.{s}g}" for s in range(3, 9))}
        for f in forms:
            digits = f.lstrip("-").replace(".", "").lstrip("0").rstrip("0")
            if len(digits) >= 3 and "e" not in f:
                out.add(f)
    return out


def _answers(questions) -> list[tuple[str, str, re.Pattern]]:
    """(exercise id, chapter, pattern) for every reference answer of the assigned chapters."""
    from xentlib.course import exercises

    return [(ex.id, ex.chapter, re.compile(r"(?<![\d.])" + re.escape(s) + r"(?!\d)"))
            for ex in exercises.list_exercises() if ex.chapter in questions and ex.kind == "number"
            for s in sorted(_reference_strings(ex.reference()))]


def _public_text(chapter_nb) -> str:
    """What the site shows of a chapter anyway: every cell's source and metadata (figure captions, alt
    text) outside the solutions; no outputs."""
    skip = set(student_edition.solution_indices(chapter_nb))
    return "\n".join(_src(c) + json.dumps(c.metadata) for i, c in enumerate(chapter_nb.cells) if i not in skip)


def test_student_materials_hold_no_answer_solution_or_hidden_test(dist):
    """Search every file of student/ for every exercise's reference answer (at several precisions),
    the solutions' code and the hidden tests.  A notebook may repeat what its chapter's own text
    (outside the solutions) already says -- see the next test for that -- and nothing more."""
    out, questions = dist
    texts = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
             for p in (out / "student").rglob("*") if p.is_file() and p.suffix != ".whl"}
    wheels = list((out / "student").glob("xentlib-*.whl"))
    assert len(wheels) == 1, "the students' package is in student/"
    with zipfile.ZipFile(wheels[0]) as z:     # the package is searched too, file by file
        texts |= {f"{wheels[0].name}/{n}": z.read(n).decode("utf-8", "replace") for n in z.namelist()}
    chapters = {ch: nbformat.read(ROOT / "chapters" / f"{ch}.ipynb", as_version=4) for ch in questions}
    public = {f"student/{ch}.ipynb": _public_text(nb) for ch, nb in chapters.items()}
    leaks = []
    for eid, _, pattern in _answers(questions):
        for name, t in texts.items():
            n = len(pattern.findall(t))
            allowed = len(pattern.findall(public[name])) if name in public else 0
            if n > allowed:
                leaks.append(f"{eid}: {pattern.pattern!r} x{n - allowed} in {name}")
    assert not leaks, "answers in student/: " + "; ".join(leaks[:10])
    for name, t in texts.items():
        assert "hidden=True" not in t and "def reference(" not in t, f"{name}: a hidden test"
        assert "solution-start" not in t and "solution-end" not in t, f"{name}: a solution block"
    for ch, chapter in chapters.items():
        student, shown = texts[f"student/{ch}.ipynb"], public[f"student/{ch}.ipynb"]
        for i in student_edition.solution_indices(chapter):
            for line in _src(chapter.cells[i]).splitlines():
                line = line.strip()
                if len(line) > 25 and line not in shown:   # (an import the chapter also does is no solution)
                    assert json.dumps(line)[1:-1] not in student, f"{ch}: solution line {line!r}"


_SEALED_PROBE = r"""
import json
import xentlib
from xentlib.course import exercises
out = {"file": xentlib.__file__, "leaks": [], "kept": []}
for ex in exercises.list_exercises():
    fns = [("reference", ex.reference), *((m.name, m.value) for m in ex.mistakes)]
    for who, fn in fns:
        try:
            fn() if ex.kind != "function" else None
            (out["kept"] if ex.kind == "function" else out["leaks"]).append(f"{ex.id}: {who}")
        except exercises.AnswerWithheld:
            pass
print(json.dumps(out))
"""


def test_the_students_package_computes_no_answer(dist, tmp_path):
    """The wheel in student/ is xentlib with every number and choice exercise's reference and typical
    mistakes replaced by exercises.withheld: imported without the answers file (teacher mode, no
    hashes), none of them computes anything."""
    out, _ = dist
    (wheel,) = (out / "student").glob("xentlib-*.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path / "pkg")
    (tmp_path / "run").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XENT_ANSWERS"} | {"PYTHONPATH": str(tmp_path / "pkg")}
    run = subprocess.run([sys.executable, "-c", _SEALED_PROBE], cwd=tmp_path / "run", capture_output=True,
                         text=True, timeout=180, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["file"].startswith(str(tmp_path / "pkg")), got["file"]
    assert not got["leaks"], "the students' package computes: " + ", ".join(got["leaks"])


def test_no_chapter_text_gives_its_exercise_away(dist):
    out, questions = dist
    leaks = [f"{eid}: {pattern.pattern!r}" for eid, ch, pattern in _answers(questions)
             if pattern.search((out / "student" / f"{ch}.ipynb").read_text(encoding="utf-8"))]
    assert not leaks, "answers given away in the chapters' text: " + "; ".join(leaks)


def test_the_search_finds_an_answer_when_there_is_one(dist):
    """The leak search above can fail: a reference written as a solution would print it is found."""
    from xentlib.course import exercises

    ref = exercises.exercise("entropy-fair-die").reference()
    text = f"print('H = {ref:.4f} bits')"
    assert any(s in text for s in _reference_strings(ref))


def test_public_tests_are_the_students_checks(dist):
    """In student/ (student mode: hashed answers) Otter's grader.check runs the course's checker:
    a right answer passes, a typical mistake fails with its hint, and no test is hidden."""
    from xentlib.course import exercises

    out, _ = dist
    ex = exercises.exercise("entropy-fair-die")
    ref = float(ex.reference())
    nats = float(ref * np.log(2))
    probe = (
        "import json, otter\n"
        "from xentlib.course import exercises\n"
        f"g = otter.Notebook('{CH}.ipynb')\n"
        f"ok = g.check('entropy-fair-die', {{'h_die': {ref!r}}})\n"
        f"bad = g.check('entropy-fair-die', {{'h_die': {nats!r}}})\n"
        "print(json.dumps({'mode': exercises.student_mode(), 'ok': ok.passed_all, 'bad': bad.passed_all,"
        " 'msg': repr(bad), 'hidden': [tc.hidden for tc in ok.test_cases]}))\n")
    env = {k: v for k, v in os.environ.items() if k != "XENT_ANSWERS"}
    run = subprocess.run([sys.executable, "-c", probe], cwd=out / "student", capture_output=True, text=True,
                         timeout=120, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["mode"] is True, "xent-answers.json in student/ must switch the checkers to hashes"
    assert got["ok"] is True and got["bad"] is False and got["hidden"] == [False]
    assert "Hint:" in got["msg"] and f"{ref:.4f}" not in got["msg"]


# --- grading a class -----------------------------------------------------------------------------
def _with_cell(nb, source: str, after: int = 1):
    nb = copy.deepcopy(nb)
    nb.cells.insert(after + 1, nbformat.v4.new_code_cell(source))
    return nb


def _questions():
    from xentlib.course import exercises

    return exercises.list_exercises(CH)


def _wrong_answer(ex, var: str, typical: bool) -> str:
    """An answer cell's source: a wrong answer of the exercise's kind (its first typical mistake if asked)."""
    if ex.kind == "function":
        return f"def {var}(*args):\n    return 12345.0"
    if ex.kind == "choice":
        return f"{var} = {ex.mistakes[0].value()!r}"
    if typical:
        return f"{var} = {np.asarray(ex.mistakes[0].value(), dtype=float).tolist()!r}  # a typical mistake"
    return f"{var} = 12345.0"


def _wrong(solved):
    """The solved notebook with wrong answers: the first question a typical mistake, the second right,
    the others wrong."""
    nb = copy.deepcopy(solved)
    by_var = {}
    for e, ex in zip(assign.split_exercises(nbformat.read(ROOT / "chapters" / f"{CH}.ipynb", as_version=4)),
                     _questions(), strict=True):
        by_var[e["var"]] = ex
    order = [ex.id for ex in _questions()]
    for cell in nb.cells:
        m = re.match(r"^(\w+) = solution_(\w+)\b", _src(cell))
        if m and m.group(1) == m.group(2) and m.group(1) in by_var:
            ex = by_var[m.group(1)]
            k = order.index(ex.id)
            if k != 1:
                cell.source = _wrong_answer(ex, m.group(1), typical=k == 0)
    return nb


@pytest.fixture(scope="module")
def graded(dist, tmp_path_factory):
    out, _ = dist
    subs = tmp_path_factory.mktemp("submissions")
    res = tmp_path_factory.mktemp("results")
    solved = nbformat.read(out / "solutions" / f"{CH}.ipynb", as_version=4)
    student = nbformat.read(out / "student" / f"{CH}.ipynb", as_version=4)
    victim, other = subs / "z_victim" / f"{CH}.ipynb", subs / "z_other" / f"{CH}.ipynb"
    attack = (
        "import os, pathlib, shutil\n"
        f"res, subs = pathlib.Path({str(res)!r}), pathlib.Path({str(subs)!r})\n"
        "(res / 'grades.csv').write_text('submission,total\\nz_victim/01_entropy.ipynb,999\\n')\n"
        "(res / 'feedback').mkdir(exist_ok=True)\n"
        "(res / 'feedback' / 'forged.txt').write_text('forged')\n"
        f"os.remove({str(victim)!r})\n"
        f"pathlib.Path({str(other)!r}).write_text('{{}}')\n"
        "shutil.rmtree(subs / 'blank', ignore_errors=True)\n")
    renamed = copy.deepcopy(solved)   # saved by a Jupyter whose kernel has another name
    renamed.metadata["kernelspec"] = {"name": "my-course-env", "display_name": "Course", "language": "python"}
    class_ = {
        "full/01_entropy.ipynb": renamed,
        "blank/01_entropy.ipynb": student,
        "wrong/01_entropy.ipynb": _wrong(solved),
        "crash/01_entropy.ipynb": _with_cell(student, "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"),
        "loop/01_entropy.ipynb": _with_cell(
            solved, "import time\nwhile True:  # ignores the interrupt\n    try:\n        time.sleep(0.5)\n"
                    "    except KeyboardInterrupt:\n        pass"),
        "slowcell/01_entropy.ipynb": _with_cell(solved, "import time\nwhile True:\n    time.sleep(0.5)"),
        "a_attack/01_entropy.ipynb": _with_cell(solved, attack),
        "z_victim/01_entropy.ipynb": solved,
        "z_other/01_entropy.ipynb": _with_cell(_wrong(solved), "for _ in range(30):  # prints megabytes\n"
                                                                "    print('x' * 1_000_000)"),
    }
    for rel, nb in class_.items():
        (subs / rel).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, subs / rel)
    (subs / "notes.txt").write_text("my answers: 2.585 bits\n")
    (subs / "broken.ipynb").write_text('{"cells": [')
    (subs / ".ipynb_checkpoints").mkdir()
    (subs / ".ipynb_checkpoints" / "x.ipynb").write_text("{}")
    start = time.monotonic()
    grade.grade(subs, res, out / "autograder", timeout=TIMEOUT, cell_timeout=CELL_TIMEOUT, memory_mb=3072, jobs=3)
    secs = time.monotonic() - start
    with open(res / "grades.csv", newline="", encoding="utf-8") as fh:
        rows = {r["submission"]: r for r in csv.DictReader(fh)}
    return rows, res, secs, subs


Q = [ex.id for ex in _questions()]
N = len(Q)
FULL, ZERO, WRONG = [1] * N, [0] * N, [int(k == 1) for k in range(N)]
EXPECTED = {
    # submission: (points per question, status)
    "full/01_entropy.ipynb": (FULL, "ok"),
    "blank/01_entropy.ipynb": (ZERO, "ok"),
    "wrong/01_entropy.ipynb": (WRONG, "ok"),
    "crash/01_entropy.ipynb": (ZERO, "error"),
    "loop/01_entropy.ipynb": (ZERO, "timeout"),
    "slowcell/01_entropy.ipynb": (FULL, "timeout"),
    "a_attack/01_entropy.ipynb": (FULL, "ok"),
    "z_victim/01_entropy.ipynb": (FULL, "ok"),
    "z_other/01_entropy.ipynb": (WRONG, "ok"),
}


@pytest.mark.slow
def test_each_submission_gets_its_row(graded):
    rows, _, secs, _ = graded
    assert sorted(rows) == sorted([*EXPECTED, "notes.txt", "broken.ipynb"])
    got = {k: ([int(float(rows[k][q])) for q in Q], rows[k]["status"]) for k in EXPECTED}
    assert got == EXPECTED
    for k, (pts, _) in EXPECTED.items():
        assert rows[k]["chapter"] == CH and float(rows[k]["total"]) == sum(pts) and rows[k]["possible"] == str(N)
    for k in ("notes.txt", "broken.ipynb"):
        assert rows[k]["status"] == "invalid" and rows[k]["total"] == "0", rows[k]
    # 11 files, 3 at a time, 60 s each at most (+ start-up): the limits hold
    assert secs < 4 * TIMEOUT + 60, f"grading took {secs:.0f} s"


@pytest.mark.slow
def test_feedback_a_student_can_read(graded):
    _, res, _, _ = graded
    fb = {p.relative_to(res / "feedback").as_posix(): p.read_text(encoding="utf-8")
          for p in (res / "feedback").rglob("*.txt")}
    assert sorted(fb) == sorted(f"{k}.txt" for k in [*EXPECTED, "notes.txt", "broken.ipynb"]), \
        "one feedback file per submission, and nothing forged by a submission"
    wrong = fb["wrong/01_entropy.ipynb.txt"]
    first = _questions()[0]
    assert "Status: ok" in wrong and f"Score: 1 / {N}" in wrong
    assert "Hint:" in wrong and first.mistakes[0].hint.split(".")[0] in wrong, \
        "the public check's mistake-aimed hint reaches the student"
    assert "teacher's test (hidden): failed" in wrong
    if first.kind == "number":
        assert not [s for s in _reference_strings(first.reference()) if s in wrong], "the feedback never states the answer"
    assert "did not finish within 60 s" in fb["loop/01_entropy.ipynb.txt"]
    assert "interrupted" in fb["slowcell/01_entropy.ipynb.txt"]
    assert "kernel died" in fb["crash/01_entropy.ipynb.txt"]
    assert "not a Jupyter notebook" in fb["notes.txt.txt"]


@pytest.mark.slow
def test_the_attack_changed_nothing_but_the_submissions_folder(graded):
    """The attacker deleted and overwrote other submissions while graded: they were read before any
    run, so their grades stand; its forged grades.csv and feedback were replaced by the parent's."""
    rows, res, _, subs = graded
    assert not (subs / "z_victim" / f"{CH}.ipynb").exists(), "the attack ran (it deleted the victim)"
    assert rows["z_victim/01_entropy.ipynb"]["total"] == str(N)
    assert "999" not in (res / "grades.csv").read_text()
    assert not (res / "feedback" / "forged.txt").exists()


def test_bad_arguments_are_named(tmp_path, dist):
    out, _ = dist
    with pytest.raises(SystemExit, match="SUBMISSIONS_DIR"):
        grade.grade(tmp_path / "missing", tmp_path / "out", out / "autograder")
    (tmp_path / "subs").mkdir()
    with pytest.raises(SystemExit, match="--out"):
        grade.grade(tmp_path / "subs", tmp_path / "subs" / "out", out / "autograder")
    with pytest.raises(SystemExit, match="--timeout"):
        grade.grade(tmp_path / "subs", tmp_path / "out", out / "autograder", timeout=0)
    with pytest.raises(SystemExit, match="--autograder"):
        grade.grade(tmp_path / "subs", tmp_path / "out", tmp_path)
