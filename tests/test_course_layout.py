"""The layout of the course content: one module per chapter, each item tied to its chapter.

* every claim, exercise and explorer is defined in the module of the chapter it names
  (``chapter="01_entropy"`` lives in ``xentlib/course/ch01_entropy.py``);
* a notebook shows only its own chapter's claims, exercises and explorers, and shows each
  of them;
* the numerical library never imports the course content, and no chapter module imports
  another chapter's module;
* a missing chapter module is an error.
"""
from __future__ import annotations

import ast
import json
import pathlib
import re

import pytest

import xentlib.course as course
from xentlib.course import audit, exercises, explorers

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIB = ROOT / "xentlib"
NOTEBOOKS = {p.stem: p for p in sorted((ROOT / "chapters").glob("*.ipynb"))}

CALLS = {
    "claim": re.compile(r"""audit\.(?:show|figure|box)\(\s*["']([^"']+)["']"""),
    "exercise": re.compile(r"""exercises\.(?:check|data|evaluate|exercise)\(\s*["'](?:ex-)?([^"']+)["']"""),
    "explorer": re.compile(r"""explorers\.(?:show|live|get|compute)\(\s*["']([^"']+)["']"""),
}
REGISTRIES = {"claim": audit.REGISTRY, "exercise": exercises.REGISTRY, "explorer": explorers.REGISTRY}


def defining_module(kind: str, item) -> str:
    """The module whose code computes the item (where its data and checks live)."""
    fn = {"claim": lambda c: c.evidence or c.random_check,
          "exercise": lambda e: e.reference,
          "explorer": lambda x: x.compute}[kind](item)
    return fn.__module__


def used_ids(cells) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {k: set() for k in CALLS}
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        for kind, pattern in CALLS.items():
            found[kind] |= set(pattern.findall(src))
    return found


def chapter_problems(stem: str, cells, registries=REGISTRIES) -> list[str]:
    """Items a notebook uses that belong elsewhere (or nowhere), and its items it never uses."""
    problems = []
    used = used_ids(cells)
    for kind, ids in used.items():
        reg = registries[kind]
        for item_id in sorted(ids):
            item = reg.find(item_id)
            if item is None:
                problems.append(f"{stem}: unknown {kind} {item_id!r}")
            elif item.chapter != stem:
                problems.append(f"{stem}: uses {kind} {item_id!r} of chapter {item.chapter}")
        for item in reg.in_chapter(stem):
            if item.id not in ids:
                problems.append(f"{stem}: never shows its {kind} {item.id!r}")
    return problems


def imports_of(path: pathlib.Path, root: pathlib.Path = ROOT) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
def test_every_item_lives_in_its_chapters_module(kind):
    wrong = [f"{item.id}: chapter {item.chapter} but defined in {defining_module(kind, item)}"
             for item in REGISTRIES[kind]
             if defining_module(kind, item) != course.chapter_module(item.chapter)]
    assert not wrong, "\n".join(wrong)


def test_chapter_modules_match_the_notebooks():
    modules = sorted(p.stem for p in (LIB / "course").glob("ch[0-9][0-9]_*.py"))
    assert list(course.CHAPTER_MODULES) == modules
    for name in modules:
        mod = __import__(f"xentlib.course.{name}", fromlist=["CHAPTER"])
        assert mod.CHAPTER == name.removeprefix("ch"), name
        assert mod.CHAPTER in NOTEBOOKS, f"{name}: no notebook chapters/{mod.CHAPTER}.ipynb"


@pytest.mark.parametrize("stem", [s for s in NOTEBOOKS if s != "07_errata"])
def test_notebook_shows_its_own_content_and_only_that(stem):
    cells = json.loads(NOTEBOOKS[stem].read_text(encoding="utf-8"))["cells"]
    problems = chapter_problems(stem, cells)
    assert not problems, "\n".join(problems)


def test_chapter_check_can_fail():
    def cell(src):
        return {"cell_type": "code", "source": src, "metadata": {}, "outputs": []}
    own = [cell(f'audit.show("{c.id}")') for c in audit.REGISTRY.in_chapter("01_entropy")]
    own += [cell(f'exercises.check("{e.id}", x)') for e in exercises.REGISTRY.in_chapter("01_entropy")]
    own += [cell(f'explorers.show("{x.id}")') for x in explorers.REGISTRY.in_chapter("01_entropy")]
    assert chapter_problems("01_entropy", own) == []
    foreign = own + [cell('explorers.live("pq")')]
    assert chapter_problems("01_entropy", foreign) == ["01_entropy: uses explorer 'pq' of chapter 02_cross_entropy"]
    assert chapter_problems("01_entropy", own[1:])[0].startswith("01_entropy: never shows its claim")
    assert chapter_problems("01_entropy", own + [cell('exercises.check("ex-nope", 1)')]) == [
        "01_entropy: unknown exercise 'nope'"]


def test_the_library_never_imports_the_course():
    offenders = {p.name: sorted(n for n in imports_of(p) if n.startswith("xentlib.course"))
                 for p in sorted(LIB.glob("*.py"))}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders


def cross_chapter_imports(root: pathlib.Path = ROOT) -> dict[str, list[str]]:
    offenders = {}
    for p in sorted((root / "xentlib" / "course").glob("ch[0-9][0-9]_*.py")):
        others = sorted(n for n in imports_of(p, root)
                        if re.match(r"xentlib\.course\.ch\d\d_", n) and not n.startswith(f"xentlib.course.{p.stem}"))
        if others:
            offenders[p.name] = others
    return offenders


def test_no_chapter_module_imports_another_chapter():
    offenders = cross_chapter_imports()
    assert not offenders, offenders


def test_no_notebook_imports_a_chapter_module():
    offenders = []
    for stem, path in NOTEBOOKS.items():
        src = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                        if c["cell_type"] == "code")
        offenders += [f"{stem}: {m}" for m in re.findall(r"xentlib\.course\.ch\d\d_\w+|from xentlib\.course import ch\d\d", src)]
    assert not offenders, offenders


def test_import_checks_can_fail(tmp_path):
    course_dir = tmp_path / "xentlib" / "course"
    course_dir.mkdir(parents=True)
    (course_dir / "ch01_entropy.py").write_text("from .ch02_cross_entropy import CHAPTER\n", encoding="utf-8")
    (course_dir / "ch02_cross_entropy.py").write_text("from .claims import Claim\n", encoding="utf-8")
    assert cross_chapter_imports(tmp_path) == {
        "ch01_entropy.py": ["xentlib.course.ch02_cross_entropy", "xentlib.course.ch02_cross_entropy.CHAPTER"]}
    (tmp_path / "xentlib" / "losses.py").write_text("from .course import audit\n", encoding="utf-8")
    assert "xentlib.course.audit" in imports_of(tmp_path / "xentlib" / "losses.py", tmp_path)


def test_a_missing_chapter_module_is_an_error():
    with pytest.raises(ModuleNotFoundError):
        course.load_chapters(("ch99_no_such_chapter",))


def test_lookups_fail_alike_for_unknown_ids():
    for reg in REGISTRIES.values():
        with pytest.raises(KeyError, match=rf"unknown {reg.kind} id 'no-such-id'"):
            reg.get("no-such-id")
