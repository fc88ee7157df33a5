"""The contributor's loop (issue 19, item 1): `course.py check NN` and the incremental build.

No build and no notebook execution here: the functions that decide what to
execute again are called on a temporary copy of the sources.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import sys
import time
import types

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import check_select  # noqa: E402
import course  # noqa: E402

from .conftest import stale_site_sources  # noqa: E402

CHAPTERS = [p.name for p in sorted((ROOT / "chapters").glob("*.ipynb"))]


@pytest.fixture
def copy(tmp_path):
    """The chapters and xentlib in a temporary folder, and a function editing one file there."""
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters", ignore=shutil.ignore_patterns("*.lock"))
    shutil.copytree(ROOT / "xentlib", tmp_path / "xentlib", ignore=shutil.ignore_patterns("__pycache__"))

    def state(kin=None):
        return {"format": course.STATE_FORMAT, "env": "pins", "files": course.library_files(str(tmp_path)),
                "kin": kin or {}}

    def edit(rel):
        path = tmp_path / rel
        path.write_text(path.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")

    return types.SimpleNamespace(root=tmp_path, state=state, edit=edit)


def affected(copy, old, new):
    return course.affected_notebooks(old, new, root=str(copy.root))


def test_nothing_changed_affects_nothing(copy):
    assert affected(copy, copy.state(), copy.state()) == set()


def test_a_chapter_module_affects_its_chapter_and_the_errata_page(copy):
    old = copy.state()
    copy.edit("xentlib/course/ch02_cross_entropy.py")
    assert affected(copy, old, copy.state()) == {"chapters/02_cross_entropy.ipynb", "chapters/07_errata.ipynb"}


KIN = {"01_entropy": [["unit-is-bit", "entropy-unit", "incorrect"]],
       "02_cross_entropy": [["unit-is-bit", "xent-unit", "incorrect"], ["formula", "xent-formula", "correct"]],
       "03_loss_and_gradient": [["formula", "loss-formula", "correct"]]}


def test_the_functions_default_to_the_project_root(copy, monkeypatch):
    """What `check` and `build` call: no root argument, the module's ROOT (a scratch copy here)."""
    monkeypatch.setattr(course, "ROOT", str(copy.root))
    old = copy.state()
    copy.edit("xentlib/course/ch02_cross_entropy.py")
    new = {**copy.state(), "files": course.library_files()}
    assert course.affected_notebooks(old, new) == {"chapters/02_cross_entropy.ipynb", "chapters/07_errata.ipynb"}
    assert "chapters/02_cross_entropy.ipynb" in course.notebooks()


def test_a_chapter_whose_kin_changed_is_affected_too(copy):
    """A claim box lists the id and verdict of each claim of its kin in other chapters."""
    old, old_without_kin = copy.state(KIN), copy.state()
    copy.edit("xentlib/course/ch02_cross_entropy.py")
    mine = {"chapters/02_cross_entropy.ipynb", "chapters/07_errata.ipynb"}
    # the kin members of chapter 2 are as they were: chapters 1 and 3 show the same lines
    assert affected(copy, old, copy.state(KIN)) == mine
    # a verdict of chapter 2 changes: chapter 1 (its kin) lists it
    flipped = json.loads(json.dumps(KIN))
    flipped["02_cross_entropy"][0][2] = "correct"
    assert affected(copy, old, copy.state(flipped)) == mine | {"chapters/01_entropy.ipynb"}
    # a kin the edit adds or removes counts
    assert affected(copy, old_without_kin, copy.state(KIN)) == mine | {"chapters/01_entropy.ipynb",
                                                                       "chapters/03_loss_and_gradient.ipynb"}
    assert affected(copy, old, copy.state()) == mine | {"chapters/01_entropy.ipynb",
                                                        "chapters/03_loss_and_gradient.ipynb"}


def test_a_notebook_naming_a_chapter_module_is_affected(copy):
    nb = nbformat.read(copy.root / "chapters" / "05_trends.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("from xentlib.course import ch03_loss_and_gradient"))
    nbformat.write(nb, copy.root / "chapters" / "05_trends.ipynb")
    old = copy.state()
    copy.edit("xentlib/course/ch03_loss_and_gradient.py")
    assert "chapters/05_trends.ipynb" in affected(copy, old, copy.state())


@pytest.mark.parametrize("rel", [
    "xentlib/entropy.py",            # the numerical library
    "xentlib/course/claims.py",      # the course machinery
    "xentlib/course/audit.py",
    "xentlib/course/explorers.py",
    "xentlib/course/__init__.py",
])
def test_the_library_and_the_course_machinery_affect_every_notebook(copy, rel):
    old = copy.state()
    copy.edit(rel)
    assert affected(copy, old, copy.state()) == course.ALL


def test_new_pins_or_no_earlier_state_affect_every_notebook(copy):
    assert affected(copy, {}, copy.state()) == course.ALL
    assert affected(copy, {**copy.state(), "env": "other pins"}, copy.state()) == course.ALL
    assert affected(copy, {**copy.state(), "format": 1}, copy.state()) == course.ALL


def test_a_new_file_in_the_library_affects_every_notebook(copy):
    old = copy.state()
    (copy.root / "xentlib" / "extra.py").write_text("X = 1\n")
    assert affected(copy, old, copy.state()) == course.ALL


def test_forgetting_an_execution_drops_its_cache_record_and_marks_the_file(tmp_path):
    from jupyter_cache import get_cache

    folder = tmp_path / "chapters"
    folder.mkdir()
    paths = []
    for name in ("01_a.ipynb", "02_b.ipynb"):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(f"print({name[:2]!r})", execution_count=1, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=name[:2] + "\n")])]
        nbformat.write(nb, folder / name)
        os.utime(folder / name, (1, 1))
        paths.append(folder / name)
    cache = get_cache(str(tmp_path / "_build" / ".jupyter_cache"))
    for p in paths:
        cache.cache_notebook_file(str(p), uri=str(p), check_validity=False, overwrite=True)
    course.forget_executions({"chapters/01_a.ipynb"}, root=str(tmp_path))
    assert [r.uri for r in get_cache(str(tmp_path / "_build" / ".jupyter_cache")).list_cache_records()] == [str(paths[1])]
    assert paths[0].stat().st_mtime > time.time() - 60 and paths[1].stat().st_mtime == 1


# -- course.py check ---------------------------------------------------------------

def test_the_chapter_argument():
    assert course.chapter_path("3") == course.chapter_path("03") == "chapters/03_loss_and_gradient.ipynb"
    assert course.chapter_path("chapters/01_entropy.ipynb") == "chapters/01_entropy.ipynb"
    with pytest.raises(SystemExit, match="'42'"):
        course.chapter_path("42")
    with pytest.raises(SystemExit, match="'entropy'"):
        course.chapter_path("entropy")


def test_a_markdown_edit_keeps_the_code_key(tmp_path):
    nb = nbformat.read(ROOT / "chapters" / "00_introduction.ipynb", as_version=4)
    path = tmp_path / "chapters" / "00_introduction.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    rel = os.path.relpath(path, course.ROOT)
    key = course._code_key(rel)
    nb.cells[0].source += "\n\nOne more sentence."
    nbformat.write(nb, path)
    assert course._code_key(rel) == key
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source += "\nx = 1"
    nbformat.write(nb, path)
    assert course._code_key(rel) != key


def test_the_check_keeps_only_the_chapters_tests():
    owners = check_select._owners()
    item = lambda **params: types.SimpleNamespace(callspec=types.SimpleNamespace(params=params))  # noqa: E731
    chapter = "02_cross_entropy"
    assert check_select.keep(types.SimpleNamespace(), chapter, owners)        # not parametrized
    assert check_select.keep(item(seed=3), chapter, owners)                   # neutral parameter
    assert check_select.keep(item(path=ROOT / "chapters" / "02_cross_entropy.ipynb"), chapter, owners)
    assert not check_select.keep(item(path=ROOT / "chapters" / "03_loss_and_gradient.ipynb"), chapter, owners)
    assert check_select.keep(item(eid="kl-order"), chapter, owners)           # an exercise of chapter 2
    assert not check_select.keep(item(eid="entropy-fair-die"), chapter, owners)
    assert check_select.keep(item(name="pq"), chapter, owners)                # an explorer of chapter 2
    assert not check_select.keep(item(eid=("entropy-fair-die", "nats")), chapter, owners)


def test_a_site_older_than_its_sources_is_stale(tmp_path):
    site = tmp_path / "_build" / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "_config.yml").write_text("")
    (tmp_path / "_toc.yml").write_text("")
    (tmp_path / "xentlib").mkdir()
    for p in (tmp_path / "chapters" / "01_a.ipynb", tmp_path / "_config.yml", tmp_path / "_toc.yml"):
        p.write_text("{}") if p.suffix == ".ipynb" else None
        os.utime(p, (1, 1))
    assert stale_site_sources(site, tmp_path) == []
    os.utime(tmp_path / "chapters" / "01_a.ipynb", None)
    os.utime(site / "index.html", (2, 2))
    assert stale_site_sources(site, tmp_path) == ["chapters/01_a.ipynb"]


def test_the_stale_site_message_names_the_rebuild_command():
    text = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    assert "the site is stale: rebuild with python3 tools/course.py build" in text


def test_the_check_runs_the_nbval_command_of_the_test_command():
    """`check` and `test` run nbval strict alike (the same sanitizer file)."""
    text = (ROOT / "tools" / "course.py").read_text(encoding="utf-8")
    assert text.count('"--nbval", "--nbval-sanitize-with", os.path.join("tests", "nbval_sanitize.cfg")') == 2
    assert json.dumps(course.CHECK_TESTS)  # every listed test file exists
    for entry in course.CHECK_TESTS:
        assert (ROOT / entry.split("::")[0]).exists(), entry
