"""nbval runs in strict mode: a changed stored number in any chapter fails.

Every chapter notebook is copied, one printed number in its stored outputs is
changed, and nbval is run on the copies in a subprocess.  Each copy must fail
(and fail on the mutated cell); the unmodified notebooks pass in the main run.
"""
from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
DIGIT = re.compile(r"\d")


def _checked(cell) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return cell["cell_type"] == "code" and not {"nbval-ignore-output", "nbval-skip"} & set(tags)


def mutate_first_number(nb: dict) -> int | None:
    """Change one digit of the first checked text output; return the cell index."""
    for idx, cell in enumerate(nb["cells"]):
        if not _checked(cell):
            continue
        for out in cell.get("outputs", []):
            fields = []
            if out.get("output_type") == "stream":
                fields.append((out, "text"))
            elif "data" in out and "text/plain" in out["data"]:
                fields.append((out["data"], "text/plain"))
            for holder, key in fields:
                text = "".join(holder[key]) if isinstance(holder[key], list) else holder[key]
                m = DIGIT.search(text)
                if m:
                    new = "1" if m.group() != "1" else "2"
                    holder[key] = text[: m.start()] + new + text[m.end():]
                    return idx
    return None


def test_mutation_changes_a_number():
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": "print(3)",
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": "H = 3 bits\n"}]}]}
    assert mutate_first_number(nb) == 0
    assert nb["cells"][0]["outputs"][0]["text"] == "H = 1 bits\n"


@pytest.mark.slow
def test_every_chapter_fails_when_a_stored_number_changes(tmp_path):
    mutated = {}
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        idx = mutate_first_number(nb)
        assert idx is not None, f"{path.name} has no checked output containing a number"
        (tmp_path / path.name).write_text(json.dumps(nb), encoding="utf-8")
        mutated[path.stem] = idx
    junit = tmp_path / "junit.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         f"--junitxml={junit}", str(tmp_path)],
        cwd=ROOT / "chapters", capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode != 0, "nbval passed although stored numbers were changed:\n" + proc.stdout[-2000:]
    failed = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            m = re.search(r"Cell (\d+)", case.get("name", ""))
            stem = case.get("classname", "").removesuffix(".ipynb")
            failed.setdefault(stem, set()).add(int(m.group(1)) if m else -1)
    missing = [stem for stem in mutated if stem not in failed]
    assert not missing, f"nbval did not catch the changed number in: {missing}\n{proc.stdout[-3000:]}"
