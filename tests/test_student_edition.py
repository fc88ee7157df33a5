"""The student edition (``python3 tools/course.py student``).

It is generated into a temporary folder; every student notebook must run top
to bottom with nbclient (``allow_errors`` off).  The only errors allowed are the
``NotImplementedError`` raised by the cells that replace the solutions.
"""
from __future__ import annotations

import json
import pathlib
import re
import sys

import nbformat
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
    nb = v4.new_notebook(cells=[
        v4.new_markdown_cell("```{exercise} T\n:label: ex-kl-order\n\nDo it.\n```"),
        v4.new_markdown_cell("```{solution-start} ex-kl-order\n:class: dropdown\n```"),
        v4.new_code_cell("kl_pq = 0.737", outputs=[v4.new_output("stream", text="x\n")]),
        v4.new_markdown_cell("Because."),
        v4.new_markdown_cell("```{solution-end}\n```"),
        v4.new_code_cell('exercises.check("kl-order", kl_pq)', execution_count=3),
    ])
    student, labels = student_edition.strip_solutions(nb)
    assert labels == ["ex-kl-order"]
    assert [c.cell_type for c in student.cells] == ["markdown", "code", "code"]
    placeholder = _src(student.cells[1])
    assert "kl_pq = ..." in placeholder
    assert 'NotImplementedError("Exercise ex-kl-order: write your solution here")' in placeholder
    assert "raises-exception" in student.cells[1].metadata["tags"]
    assert student.cells[2].outputs == [] and student.cells[2].execution_count is None
    assert len(nb.cells) == 6, "the original notebook is not modified"
    nb.cells.pop(4)   # no solution-end
    with pytest.raises(ValueError, match="solution-end"):
        student_edition.strip_solutions(nb)


def test_edition_has_every_chapter_no_solution_and_no_output(edition):
    out, paths = edition
    assert sorted(paths) == [p.name for p in CHAPTERS]
    assert "NotImplementedError" in (out / "README.md").read_text()
    for src in CHAPTERS:
        original = nbformat.read(src, as_version=4)
        student = nbformat.read(paths[src.name], as_version=4)
        assert not _starts(student), f"{src.name}: a solution is left"
        text = json.dumps(student.cells)
        assert "solution-end" not in text
        for cell in student.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, src.name
        n_placeholders = sum(student_edition.STUDENT_MARK in c.metadata.get("tags", []) for c in student.cells)
        assert n_placeholders == len(_starts(original)), src.name


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
    assert exc is None, f"{name}: a cell failed outside the exercise placeholders:\n{exc}"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if student_edition.STUDENT_MARK in cell.metadata.get("tags", []):
            assert [e.ename for e in errors] == ["NotImplementedError"], _src(cell)
            assert "write your solution here" in errors[0].evalue
        else:
            assert not errors, f"{name}: {_src(cell)[:80]!r} raised {errors[0].ename}"
        if "exercises.check(" in _src(cell):
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "No numeric answer yet" in text, text


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


def test_student_checks_judge_the_students_answer(edition):
    """The chapters' check cells say they show an example (they run on the worked solution);
    the student's check cells drop that flag."""
    out, paths = edition
    def checks(path):
        return [_src(c) for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "code" and "exercises.check(" in _src(c)]

    for src in CHAPTERS:
        original, student = checks(src), checks(paths[src.name])
        assert all("example=True" in c for c in original), f"{src.name}: a check cell without example=True"
        assert len(student) == len(original) and not any("example=True" in c for c in student), src.name


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
