#!/usr/bin/env python3
"""Build the students' package: the course's library with every exercise's answer code removed.

    python3 tools/student_package.py OUT_DIR      # writes OUT_DIR/xentlib-<version>-py3-none-any.whl

``tools/assign.py`` calls it for ``dist/assignments/student/``.  The wheel is
the repository's ``xentlib`` with one change, made on the syntax tree of each
chapter module (``xentlib/course/chNN_*.py``): in every ``Exercise(...)`` of
the number and choice kinds, ``reference=`` and each ``Mistake(value=...)``
become ``exercises.withheld``, which raises ``AnswerWithheld``.  The checkers
still work in the student's folder: they compare salted hashes
(``xent-answers.json``).  A function exercise keeps its reference: it is
xentlib's own function, the library the course teaches, not an answer.

What this does not hide: the library itself (a student may call ``xl.entropy``
to get a number a warm-up asks for, as the warm-up says to) and the problems'
data.
"""
from __future__ import annotations

import ast
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
STUDENT_README = """# xentlib (students' build)

The helper library of the cross-entropy course, as handed out with the course's
assignments: every exercise's answer is replaced by a stub that raises
`AnswerWithheld`. Check your answers in the notebooks with `grader.check("ID")`
or `exercises.check("ID", answer)`.
"""
WITHHELD = "__import__('xentlib.course.exercises', fromlist=['withheld']).withheld"


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


class _Seal(ast.NodeTransformer):
    """Replace the answers of number and choice exercises by ``exercises.withheld``."""

    def __init__(self) -> None:
        self.sealed = 0

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _name(node.func) != "Exercise" or any(k.arg == "cases" for k in node.keywords):
            return node
        for kw in node.keywords:
            if kw.arg == "reference":
                kw.value = ast.parse(WITHHELD, mode="eval").body
                self.sealed += 1
            elif kw.arg == "mistakes":
                for sub in ast.walk(kw.value):
                    if isinstance(sub, ast.Call) and _name(sub.func) == "Mistake":
                        for mk in sub.keywords:
                            if mk.arg == "value":
                                mk.value = ast.parse(WITHHELD, mode="eval").body
        return node


def seal_source(text: str, filename: str = "<module>") -> tuple[str, int]:
    """``text`` with its exercises' answers withheld, and how many exercises were sealed."""
    tree = ast.parse(text, filename)
    seal = _Seal()
    tree = ast.fix_missing_locations(seal.visit(tree))
    return ast.unparse(tree) + "\n", seal.sealed


def write_student_wheel(out_dir: os.PathLike | str) -> pathlib.Path:
    """Build the sealed wheel into ``out_dir``; returns its path."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp) / "src"
        shutil.copytree(ROOT / "xentlib", src / "xentlib", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copyfile(ROOT / "pyproject.toml", src / "pyproject.toml")
        # The package's description (its METADATA): a short README of its own, not the course's,
        # which describes the teacher's tools.
        (src / "README.md").write_text(STUDENT_README, encoding="utf-8")
        total = 0
        for mod in sorted((src / "xentlib" / "course").glob("ch[0-9][0-9]_*.py")):
            text, n = seal_source(mod.read_text(encoding="utf-8"), str(mod))
            mod.write_text(text, encoding="utf-8")
            total += n
        before = set(out.glob("xentlib-*.whl"))
        for old in before:
            old.unlink()
        run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                              "--quiet", "-w", str(out), str(src)], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"pip wheel failed:\n{run.stderr[-2000:]}")
    wheels = sorted(out.glob("xentlib-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one wheel in {out}, found {[w.name for w in wheels]}")
    print(f"{wheels[0]}: the course's library, {total} exercises' answers withheld")
    return wheels[0]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    write_student_wheel(argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
