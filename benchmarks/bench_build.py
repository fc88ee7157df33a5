"""Benchmark the course build and notebook checks; prints figures, asserts nothing.

Run it through ``python3 tools/course.py bench`` (uses the project's .venv).

Measures, in one run on this machine:
* clean build (``_build`` removed, so every notebook executes),
* no-change rebuild (everything cached),
* ``pytest --nbval`` strict over every chapter notebook.
Targets (issue 2, 2 cores): clean build <= 60 s, rebuild <= 10 s.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    secs = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stdout[-3000:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return secs


def main() -> None:
    jb = [os.path.join(BIN, "jupyter-book"), "build", ROOT, "-W", "-n", "--keep-going"]
    shutil.rmtree(os.path.join(ROOT, "_build"), ignore_errors=True)
    clean = timed(jb)
    rebuild = timed(jb)
    chapters = sorted(f for f in os.listdir(os.path.join(ROOT, "chapters")) if f.endswith(".ipynb"))
    nbval = timed([sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
                   "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "chapters"])
    cores = os.cpu_count()
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}, {len(chapters)} chapter notebooks")
    print(f"clean build        {clean:7.1f} s   (target <= 60 s: {'met' if clean <= 60 else 'MISSED'})")
    print(f"no-change rebuild  {rebuild:7.1f} s   (target <= 10 s: {'met' if rebuild <= 10 else 'MISSED'})")
    print(f"nbval strict       {nbval:7.1f} s   (all chapters)")
    print(f"rebuild / clean    {rebuild / clean:7.2f}")


if __name__ == "__main__":
    main()
