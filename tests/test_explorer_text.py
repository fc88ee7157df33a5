"""One source for every text (issue 19, item 2).

An explorer's title, caption (``hint``) and alt text live only in its
``Explorer(...)`` in the chapter's module: ``explorers.show`` renders them,
on the site (the static HTML) and in Jupyter (the live widget).  A chapter
that also types the caption in a markdown cell keeps two copies that drift:
``python3 tools/nbtool.py drop-explorer-captions --all`` removes them.

And no dataclass field of ``xentlib.course`` goes unread: a field that no code
reads (as ``Explorer.hint`` and ``Explorer.alt`` were) is a text someone edits
in vain.
"""
from __future__ import annotations

import contextlib
import dataclasses
import html
import importlib
import inspect
import io
import pathlib
import pkgutil
import re
import sys

import nbformat
import numpy as np
import pytest

import xentlib.course
from xentlib.course import audit, exercises, explorers, selfcheck

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbtool  # noqa: E402

NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
EXPLORERS = list(explorers.REGISTRY.values())


def repeated_captions(nb) -> list[str]:
    """What a notebook repeats of the registry: caption paragraphs and title headings."""
    found = [f"cell {i} repeats the caption of {ex_id!r}" for i, ex_id in nbtool.explorer_caption_cells(nb, EXPLORERS)]
    titles = {" ".join(ex.title.split()): ex.id for ex in EXPLORERS}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"#+\s+(.*)", line)
            if m and " ".join(m.group(1).split()) in titles:
                found.append(f"cell {i} repeats the title of {titles[' '.join(m.group(1).split())]!r} as a heading")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_markdown_cell_repeats_an_explorer_text(path):
    nb = nbformat.read(path, as_version=4)
    assert repeated_captions(nb) == [], (
        f"{path.name}: explorers.show renders the title and caption from the registry; "
        "remove the copies with `python3 tools/nbtool.py drop-explorer-captions " + f"chapters/{path.name}`")


def test_the_repeat_check_can_fail():
    ex = EXPLORERS[0]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"### {ex.title}\n\n{ex.hint}"),
                nbformat.v4.new_code_cell(f'explorers.show("{ex.id}")')]
    assert len(repeated_captions(nb)) == 2
    # the script removes both copies and leaves the rest of a cell alone
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"Intro.\n\n{ex.hint}"))
    for i, _ in reversed(nbtool.explorer_caption_cells(nb, EXPLORERS)):
        rest = nbtool._without_caption(nb.cells[i].source, ex)
        if rest:
            nb.cells[i].source = rest
        else:
            del nb.cells[i]
    assert [c.source for c in nb.cells if c.cell_type == "markdown"] == ["Intro."]
    assert repeated_captions(nb) == []


@pytest.mark.parametrize("ex", EXPLORERS, ids=lambda e: e.id)
def test_the_static_explorer_shows_the_registry_texts(ex):
    page = ex.static().html
    assert f"<strong>{html.escape(ex.title)}</strong>" in page
    caption = re.search(r'<p class="xe-caption" id="([^"]+)"[^>]*>(.*?)</p>', page)
    assert caption, "no caption paragraph"
    assert html.unescape(re.sub(r"<[^>]+>", "", caption.group(2))) == re.sub(r"`", "", ex.hint)
    assert f'aria-describedby="{caption.group(1)}"' in page
    assert f'role="img" aria-label="{html.escape(ex.alt)}"' in page


@pytest.mark.parametrize("ex", EXPLORERS, ids=lambda e: e.id)
def test_the_live_explorer_shows_the_registry_texts(ex):
    w = explorers.show(ex.id)
    assert html.escape(ex.title) in w.heading.value
    assert w.heading.value.startswith(explorers.heading(ex, compact=True))
    assert ex.hint in html.unescape(w.heading.value)
    # the alt text, visually hidden in the heading (a tooltip on ipywidgets' Image breaks
    # JupyterLab's image view: "Click to show javascript error")
    assert f"Figure: {html.escape(ex.alt)}" in w.heading.value and not w.image.tooltip
    assert w.children[0] is w.heading
    w.close()


@pytest.mark.parametrize("name", ["title", "hint", "alt"])
def test_an_explorer_without_its_texts_is_an_error(name):
    ex = EXPLORERS[0]
    fields = {f.name: getattr(ex, f.name) for f in dataclasses.fields(ex) if f.init and not f.name.startswith("_")}
    with pytest.raises(ValueError, match=name):
        explorers.Explorer(**{**fields, name: "  "})


# -- no field goes unread ----------------------------------------------------------

def course_dataclasses() -> list[type]:
    out = []
    for info in pkgutil.iter_modules(xentlib.course.__path__, "xentlib.course."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__:
                out.append(obj)
    return out


@contextlib.contextmanager
def field_reads(classes: list[type]):
    """Record ``(class name, field)`` for every read of a dataclass field of ``classes``."""
    reads: set[tuple[str, str]] = set()
    saved = {}
    for cls in classes:
        names = {f.name for f in dataclasses.fields(cls)}
        base = cls.__getattribute__

        def getattribute(self, name, _names=names, _cls=cls, _base=base):
            if name in _names:
                reads.add((_cls.__name__, name))
            return _base(self, name)

        saved[cls] = cls.__dict__.get("__getattribute__")
        cls.__getattribute__ = getattribute
    try:
        yield reads
    finally:
        for cls, old in saved.items():
            if old is None:
                del cls.__getattribute__
            else:
                cls.__getattribute__ = old


def render_everything() -> None:
    """What the chapters, the site and tools/student_edition.py do with the registries."""
    with contextlib.redirect_stdout(io.StringIO()):
        for claim in audit.REGISTRY.values():
            box = audit.box(claim.id, seeds=2)
            box._repr_html_()
            repr(box)
            audit.has_figure(claim.id)
        table = audit.errata()
        table._repr_html_()
        repr(table)
        for ex in exercises.list_exercises():
            exercises.data(ex.id)
            exercises.answer_record(ex, salt="test")
            if ex.kind == "function":
                def as_student(fn):
                    return lambda *args: fn(*args)
                ref = ex.reference
                answers = [as_student(ref), as_student(lambda *a, ref=ref: np.full(np.shape(ref(*a)), np.nan))]
                answers += [as_student(m.value) for m in ex.mistakes]
            elif ex.kind == "choice":
                answers = [ex.reference(), *(m.value() for m in ex.mistakes)]
            else:
                reference = ex.reference()
                answers = [reference, np.asarray(reference) * 1.37 + 0.5] + [m.value() for m in ex.mistakes]
            for answer in answers:
                with np.errstate(all="ignore"):
                    feedback = exercises.evaluate(ex.id, answer)
                str(feedback)
                bool(feedback)
        for cid in selfcheck.ids():
            check = selfcheck.get(cid)
            w = selfcheck.show(cid)
            w._repr_mimebundle_()
            repr(w)
            check.answer_text()
            for v in check.feedbacks().values():   # every option's and mistake's verdict
                str((v.key, v.correct, v.feedback))
            selfcheck.judge(cid, check.answer if check.kind == "number" else 0)
        for explorer in explorers.REGISTRY.values():
            explorer._cache.clear()  # render the static explorer again, not a copy made earlier
            w = explorers.show(explorer.id)
            w._repr_mimebundle_()
            p = explorer.params[0]
            w.set(**{p.name: p.values[-1]})  # a slider moves: mpl_update
            repr(w)
            w.close()


#: Fields that rendering does not read, and who reads them.
READ_ELSEWHERE = {
    # the registries' placement rule: an item lives in its chapter's module
    # (registry.check_chapter at registration, tests/test_course_layout.py)
    ("Exercise", "chapter"), ("Explorer", "chapter"), ("SelfCheck", "chapter"),
    # what exercises.evaluate returns: its caller reads it (tests/test_exercises.py,
    # tests/test_student_edition.py compare verdicts by these fields)
    ("Feedback", "exercise"), ("Feedback", "mistake"), ("Feedback", "hint"),
    # the notebook's {exercise} block shows "title (style label)": tests/test_exercise_design.py
    # checks it against the registry, tests/test_teachers_table.py the table's kind
    ("Exercise", "title"), ("Exercise", "style"),
}


def test_every_dataclass_field_of_the_course_is_read():
    classes = course_dataclasses()
    assert {c.__name__ for c in classes} >= {"Claim", "Evidence", "Exercise", "Mistake", "Explorer", "Param"}
    with field_reads(classes) as reads:
        render_everything()
    unread = sorted((c.__name__, f.name) for c in classes for f in dataclasses.fields(c)
                    if (c.__name__, f.name) not in reads | READ_ELSEWHERE)
    assert unread == [], f"dataclass fields that nothing reads (read them or drop them): {unread}"


def test_the_unread_field_check_can_fail():
    @dataclasses.dataclass
    class Box:
        shown: str
        forgotten: str = ""

    with field_reads([Box]) as reads:
        print(Box("x").shown, file=io.StringIO())
    assert reads == {("Box", "shown")}
