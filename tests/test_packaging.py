"""Packaging: everything xentlib imports is declared, and every declared package is pinned.

``pip install .`` must be enough to run every chapter notebook (with a kernel), so each
third-party module that any file of ``xentlib`` imports must be a dependency in
``pyproject.toml``; ``requirements.txt`` pins every package that pyproject names.
"""
from __future__ import annotations

import ast
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
#: Import names whose distribution is called differently.
DIST = {"PIL": "pillow", "IPython": "ipython", "markdown_it": "markdown-it-py",
        "mdit_py_plugins": "mdit-py-plugins", "sklearn": "scikit-learn"}


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def third_party_imports(folder: pathlib.Path) -> dict[str, set[str]]:
    """``{distribution: {files}}`` for every non-stdlib, non-xentlib module imported under folder."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module]
            for m in mods:
                top = m.split(".")[0]
                if top in sys.stdlib_module_names or top in ("xentlib", "__future__"):
                    continue
                found.setdefault(DIST.get(top, top).lower().replace("_", "-"), set()).add(
                    str(path.relative_to(ROOT)))
    return found


def undeclared(imports: dict[str, set[str]], declared: set[str]) -> dict[str, set[str]]:
    return {dist: files for dist, files in imports.items() if dist not in declared}


PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DECLARED = {_name(r) for r in PYPROJECT["project"]["dependencies"]}


def test_every_import_of_xentlib_is_a_declared_dependency():
    missing = undeclared(third_party_imports(ROOT / "xentlib"), DECLARED)
    assert not missing, f"imported by xentlib but not in pyproject's dependencies: {missing}"


def test_the_check_can_fail(tmp_path):
    (tmp_path / "m.py").write_text("import numpy\nfrom markdown_it import MarkdownIt\nimport json\n")
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        found = third_party_imports(tmp_path)
    finally:
        ROOT = old
    assert set(found) == {"numpy", "markdown-it-py"}
    assert undeclared(found, {"numpy"}) == {"markdown-it-py": {"m.py"}}


def test_every_declared_package_is_pinned():
    pins = {_name(line) for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}
    groups = PYPROJECT["project"]["optional-dependencies"]
    named = DECLARED | {_name(r) for reqs in groups.values() for r in reqs if not r.startswith("xentlib")}
    assert not named - pins, f"named in pyproject.toml but not pinned in requirements.txt: {sorted(named - pins)}"
