"""How long the contributor's loop takes: `python3 tools/course.py check NN` after an edit.

    .venv/bin/python benchmarks/bench_check.py [NN]      # default: chapter 02

Two edits, each checked once and then undone (the file is restored byte for byte):

* a markdown-only edit (a sentence added to the chapter's first markdown cell):
  target <= 30 s on 2 cores;
* an edit to the chapter's module ``xentlib/course/chNN_*.py`` (a comment
  appended: the module's hash changes, so the chapter, the errata page and the
  chapters sharing a claim kin are executed again): target <= 90 s.

First one untimed check brings the stamps and the site up to date (a cold
build takes minutes).  Prints each timing with the check's per-stage breakdown.
Timings on a machine shared with other jobs are inflated: read the stages.
"""
from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {"markdown-only edit": 30.0, "chapter-module edit": 90.0}


def check(chapter: str) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "course.py"), "check", chapter],
                          cwd=ROOT, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    out = proc.stdout + proc.stderr
    stages = [line for line in out.splitlines() if line.startswith("[course] stages:")]
    last = [line for line in out.splitlines() if line.startswith("[course] check")]
    if proc.returncode != 0:
        print(out[-4000:])
    return secs, proc.returncode, (stages[-1][len("[course] stages: "):] if stages else "") + (
        "\n      " + last[-1] if last else "")


def edit_markdown(path: str) -> None:
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = src + "\n\nA sentence added by benchmarks/bench_check.py."
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(nb, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


def edit_module(path: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n# an edit by benchmarks/bench_check.py\n")


def main(argv: list[str]) -> int:
    number = f"{int(argv[0]):02d}" if argv else "02"
    nb = glob.glob(os.path.join(ROOT, "chapters", f"{number}_*.ipynb"))[0]
    module = glob.glob(os.path.join(ROOT, "xentlib", "course", f"ch{number}_*.py"))[0]
    print(f"bench_check: chapter {number}, {os.cpu_count()} cores visible, load average "
          f"{os.getloadavg()[0]:.1f}")
    secs, rc, stages = check(number)
    print(f"  warm-up check: {secs:.1f} s (exit {rc})\n      {stages}")
    if rc != 0:
        return rc
    results = []
    for name, path, edit in (("markdown-only edit", nb, edit_markdown), ("chapter-module edit", module, edit_module)):
        with open(path, "rb") as fh:
            original = fh.read()
        try:
            edit(path)
            secs, rc, stages = check(number)
        finally:
            with open(path, "wb") as fh:
                fh.write(original)
        target = TARGETS[name]
        verdict = "within" if secs <= target else "OVER"
        print(f"  {name}: {secs:.1f} s ({verdict} the {target:.0f} s target; exit {rc})\n      {stages}")
        results.append(rc)
    # the restored files are edits too: one more check leaves the worktree as it was, checked
    secs, rc, stages = check(number)
    print(f"  check after restoring both files: {secs:.1f} s (exit {rc})\n      {stages}")
    if re.search(r"\S", subprocess.run(["git", "status", "--porcelain", "--", "chapters", "xentlib"], cwd=ROOT,
                                       capture_output=True, text=True).stdout):
        print("  note: git status shows changes under chapters/ or xentlib/ (yours, or a non-reviewable diff)")
    return max(results + [rc])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
