#!/usr/bin/env python3
"""Repeated code: pylint's duplicate-code check over the project's Python.

    python3 tools/course.py dupes        # or: .venv/bin/python tools/dupes.py

Lists every pair of places that share six or more lines (imports, docstrings
and comments left out) in xentlib/, tools/, _ext/, benchmarks/ and tests/,
and exits non-zero when there is one: move the shared lines into one function
(CONTRIBUTING.md, "Shared helpers live once").  About half a minute.
"""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATHS = ["xentlib", "tools", "_ext", "benchmarks", "tests", "conftest.py"]
MIN_LINES = 6


def main() -> int:
    cmd = [sys.executable, "-m", "pylint", "--disable=all", "--enable=duplicate-code",
           f"--min-similarity-lines={MIN_LINES}", "--ignore-imports=yes",
           "--ignore-docstrings=yes", "--ignore-comments=yes", "--score=no", *PATHS]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    report = (out.stdout + out.stderr).strip()
    if out.returncode == 0:
        print(f"[dupes] no block of {MIN_LINES}+ repeated lines in {', '.join(PATHS)}")
        return 0
    print(report)
    print("[dupes] repeated code above (pylint R0801): share it in one function")
    return 1


if __name__ == "__main__":
    sys.exit(main())
