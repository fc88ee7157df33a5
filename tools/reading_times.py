#!/usr/bin/env python3
"""How long each chapter takes a student: computed from the notebooks, written into teachers.md.

    python3 tools/reading_times.py            # print the table
    python3 tools/reading_times.py --write    # rewrite the table in chapters/teachers.md
    python3 tools/reading_times.py --check    # exit 1 when chapters/teachers.md differs

A chapter (00-06) is cut into its ``##`` sections (a ``###`` belongs to the ``##`` above it):

* **core**: every section that is neither optional nor the exercises (Summary included);
* **optional**: the sections whose heading ends in "(optional)";
* **exercises**: the section "Exercises".

Time of the core and of the optional part (``RATES`` says the rates; teachers.md prints them):

* words a student reads: the markdown's words (counted as ``tools/teaching_stats.py`` counts them:
  no formulas, no code, no label or directive-option lines) and the visible words of the claim
  boxes (the stored output of each ``audit.show`` cell, outside its folded details), at
  ``RATES["words_per_min"]`` words a minute, a rate for technical text that is read to be understood;
* each display formula (``$$ ... $$``, a ``\\begin{...}`` environment) and each inline formula;
* each code cell that is run (not a box, not an explorer): a fixed time plus a time per line of code;
* each figure (a cell with an image output) and each live explorer (``explorers.show``).

Exercises: a fixed time per ``{exercise}`` (try it, check it, read the solution).  Each of the
three times is rounded up to 5 minutes.  Reads the stored outputs: re-execute a chapter first.
"""
from __future__ import annotations

import glob
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from teaching_stats import _markdown_words, visible_box_words  # noqa: E402  (the same counting)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHAPTERS = os.path.join(ROOT, "chapters")
TEACHERS = os.path.join(CHAPTERS, "teachers.md")
START, END = "<!-- reading-times: start (tools/reading_times.py --write) -->", "<!-- reading-times: end -->"

#: The rates, in minutes (stated in teachers.md).
RATES = {
    "words_per_min": 100,       # technical prose and box text, read to be understood
    "display_formula": 1.0,     # a display formula: read it, match its symbols to the text
    "inline_formula": 5 / 60,   # an inline formula
    "code_cell": 0.5,           # a code cell: run it, read its output
    "code_line": 3 / 60,        # and read each line of its code
    "figure": 1.0,              # a figure: read its axes and what it shows
    "explorer": 3.0,            # a live explorer: move its sliders
    "exercise": 10.0,           # an exercise: try it, check it, read the solution
}

_DISPLAY = re.compile(r"\$\$.*?\$\$|^[ \t]*\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S | re.M)
_INLINE = re.compile(r"\$[^$\n]+\$")
_FENCE = re.compile(r"^```(?!\{)[^\n]*\n.*?^```[ \t]*$", re.S | re.M)
_EXERCISE = re.compile(r"^[ \t]*(?:```+|:::+)\{exercise\}", re.M)
_H2 = re.compile(r"^##[ \t]+(.*?)\s*$", re.M)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _kind(heading: str) -> str:
    if re.search(r"\(optional\)$", heading, re.I):
        return "optional"
    if re.fullmatch(r"Exercises", heading, re.I):
        return "exercises"
    return "core"


def _box_html(cell) -> list[str]:
    out = []
    for o in cell.get("outputs", []):
        html = o.get("data", {}).get("text/html")
        if html is not None:
            html = "".join(html) if isinstance(html, list) else html
            if "claim-box" in html:
                out.append(html)
    return out


def _has_image(cell) -> bool:
    return any(k.startswith("image/") for o in cell.get("outputs", []) for k in o.get("data", {}))


def chapter_counts(path: str) -> dict[str, dict[str, float]]:
    """What a student meets in each part ("core", "optional", "exercises") of one notebook."""
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    parts = {k: dict(words=0, display=0, inline=0, code_cells=0, code_lines=0, figures=0,
                     explorers=0, exercises=0) for k in ("core", "optional", "exercises")}
    kind = "core"
    for cell in nb["cells"]:
        src = _source(cell)
        if cell["cell_type"] == "markdown":
            # a cell may hold several sections: split it at its ## headings
            pieces, last = [], 0
            for m in _H2.finditer(src):
                pieces.append((kind, src[last:m.start()]))
                kind, last = _kind(m.group(1)), m.start()
            pieces.append((kind, src[last:]))
            for k, text in pieces:
                c = parts[k]
                c["words"] += _markdown_words(text)
                prose = _FENCE.sub(" ", text)
                c["display"] += len(_DISPLAY.findall(prose))
                c["inline"] += len(_INLINE.findall(_DISPLAY.sub(" ", prose)))
                c["exercises"] += len(_EXERCISE.findall(text))
        elif cell["cell_type"] == "code":
            c = parts[kind]
            boxes = _box_html(cell)
            if "audit.show(" in src or boxes:
                c["words"] += sum(visible_box_words(h) for h in boxes)
            elif re.search(r"explorers\.(show|live)\(", src):
                c["explorers"] += 1
            else:
                c["code_cells"] += 1
                c["code_lines"] += sum(1 for line in src.splitlines()
                                       if line.strip() and not line.strip().startswith("#"))
                c["figures"] += _has_image(cell)
    return parts


def minutes(c: dict[str, float], part: str) -> int:
    """Minutes for one part, rounded up to 5."""
    r = RATES
    if part == "exercises":
        t = c["exercises"] * r["exercise"]
    else:
        t = (c["words"] / r["words_per_min"] + c["display"] * r["display_formula"]
             + c["inline"] * r["inline_formula"] + c["code_cells"] * r["code_cell"]
             + c["code_lines"] * r["code_line"] + c["figures"] * r["figure"]
             + c["explorers"] * r["explorer"])
    return int(5 * math.ceil(round(t, 6) / 5))


def notebooks() -> list[str]:
    return sorted(glob.glob(os.path.join(CHAPTERS, "0[0-6]_*.ipynb")))


def times() -> list[dict]:
    rows = []
    for path in notebooks():
        counts = chapter_counts(path)
        rows.append({"chapter": os.path.basename(path)[:-6], "counts": counts,
                     **{p: minutes(counts[p], p) for p in ("core", "optional", "exercises")}})
    return rows


def _hm(m: int) -> str:
    return f"{m} min" if m < 60 else f"{m // 60} h {m % 60:02d} min"


def table(rows: list[dict]) -> str:
    r = RATES
    lines = [
        START,
        "| Chapter | core path | optional sections | exercises | total |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        n = int(row["counts"]["exercises"]["exercises"])
        opt = f"{row['optional']} min" if row["optional"] else "none"
        ex = f"{row['exercises']} min ({n})" if n else "none"
        total = row["core"] + row["optional"] + row["exercises"]
        lines.append(f"| {{doc}}`{row['chapter']}` | {row['core']} min | {opt} | {ex} | {total} min |")
    core = sum(x["core"] for x in rows)
    opt = sum(x["optional"] for x in rows)
    ex = sum(x["exercises"] for x in rows)
    lines.append(f"| **all** | **{_hm(core)}** | **{_hm(opt)}** | **{_hm(ex)}** | "
                 f"**{_hm(core + opt + ex)}** |")
    lines += [
        "",
        f"How these times are computed (`python3 tools/reading_times.py`, from the notebooks): "
        f"{r['words_per_min']} words a minute for the text and for the visible text of the audit boxes "
        f"(a rate for technical text read to be understood; the folded details are not counted), plus "
        f"{r['display_formula']:g} min per display formula, {r['inline_formula'] * 60:g} s per inline "
        f"formula, {r['code_cell'] * 60:g} s per code cell run and {r['code_line'] * 60:g} s per line "
        f"of its code, {r['figure']:g} min per figure, {r['explorer']:g} min per live explorer, and "
        f"{r['exercise']:g} min per exercise (try it, check it, read the solution). Each time is "
        "rounded up to 5 minutes. Chapter 7 (the errata) is a reference list, not timed.",
        END,
    ]
    return "\n".join(lines)


def rewrite(text: str, new_table: str) -> str:
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"teachers.md: needs one {START!r} and one {END!r}")
    a, b = text.index(START), text.index(END) + len(END)
    return text[:a] + new_table + text[b:]


def main(argv: list[str]) -> int:
    new = table(times())
    if "--write" in argv or "--check" in argv:
        with open(TEACHERS, encoding="utf-8") as fh:
            old = fh.read()
        updated = rewrite(old, new)
        if "--check" in argv:
            if updated != old:
                print("chapters/teachers.md: the times differ from the notebooks; "
                      "run python3 tools/reading_times.py --write")
                return 1
            return 0
        if updated != old:
            with open(TEACHERS, "w", encoding="utf-8") as fh:
                fh.write(updated)
        print(f"wrote {os.path.relpath(TEACHERS, ROOT)}")
        return 0
    print(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
