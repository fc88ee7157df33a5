#!/usr/bin/env python3
"""How much of a chapter's core path is teaching, and how much is audit boxes.

    python3 tools/teaching_stats.py            # the table for every chapter
    python3 tools/teaching_stats.py 03         # one chapter

The **core path** is everything before the first heading that ends in
"(optional)" (or the Summary / Exercises heading, whichever comes first).
Words are whitespace-separated tokens after removing formulas (``$...$``,
``$$...$$``, ``\\(...\\)``, ``\\[...\\]``), code blocks, MyST directive and
label lines and HTML tags.

* **prose words**: the markdown cells of the core path;
* **visible box words**: the text of every claim box (the stored HTML output
  of an ``audit.show`` cell) that is not inside a folded ``<details>`` element
  (its ``<summary>`` line counts: the reader sees it);
* **box share** = box words / (prose words + box words).

Reads the notebooks' stored outputs, so re-execute a chapter before measuring it.
"""
from __future__ import annotations

import glob
import json
import os
import re
import sys
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHAPTERS = os.path.join(ROOT, "chapters")
_END = re.compile(r"^#{1,6}\s+(.*\(optional\)\s*|Summary\s*|Exercises\s*)$", re.M | re.I)
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)


def _words(text: str) -> int:
    text = _MATH.sub(" ", text)
    return len(text.split())


#: MyST directives whose body is code or a formula, not prose.
_NOT_PROSE = ("math", "code", "code-block", "code-cell", "literalinclude")
_FENCE = re.compile(r"^(`{3,})\s*(.*)$")


def _markdown_words(md: str) -> int:
    # Open backtick fences, innermost last: (backticks, counts_as_prose).  A code
    # block (```python, or a bare ``` opening one) is skipped whole; a MyST
    # directive's fence and option lines are skipped and its body counts, unless
    # it is math or code.  A bare fence closes the innermost block it can close
    # (as many backticks or more), so the prose after a directive counts again.
    out: list[str] = []
    stack: list[tuple[int, bool]] = []
    for line in md.splitlines():
        s = line.strip()
        m = _FENCE.match(s)
        if m:
            ticks, info = len(m.group(1)), m.group(2).strip()
            if not info and stack and ticks >= stack[-1][0]:
                stack.pop()
            elif info.startswith("{"):
                name = info[1:].split("}", 1)[0]
                stack.append((ticks, name not in _NOT_PROSE))
            else:
                stack.append((ticks, False))
            continue
        if s.startswith(":::"):  # a colon-fenced directive: its body counts
            continue
        if not all(prose for _, prose in stack) or re.match(r"^\(.+\)=$", s) or re.match(r"^:\w[\w-]*:", s):
            continue
        out.append(re.sub(r"<[^>]+>", " ", line))
    return _words("\n".join(out))


class _Visible(HTMLParser):
    """Collects the text a reader sees in a claim box: outside <details> (its <summary> counts);
    with ``code=False``, also outside code, pre, script and style (tools/glossary.py reads words
    that way)."""

    _CODE = ("code", "pre", "script", "style")

    def __init__(self, code: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0          # <details> nesting
        self.in_summary = 0
        self.in_code = 0
        self.keep_code = code
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            self.depth += 1
        elif tag == "summary":
            self.in_summary += 1
        elif tag in self._CODE:
            self.in_code += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag == "details":
            self.depth -= 1
        elif tag == "summary":
            self.in_summary -= 1
        elif tag in self._CODE:
            self.in_code -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if (self.keep_code or not self.in_code) and (self.depth == 0 or (self.depth == 1 and self.in_summary)):
            self.parts.append(data)


def visible_text(html: str, *, code: bool = True) -> str:
    """The text of ``html`` outside folded ``<details>`` (and outside code when ``code=False``)."""
    p = _Visible(code=code)
    p.feed(html)
    return "".join(p.parts)


def claim_box_html(cell: dict) -> list[str]:
    """The stored HTML of every claim box among a code cell's outputs."""
    out = []
    for output in cell.get("outputs", []):
        html = output.get("data", {}).get("text/html")
        if html is not None:
            html = "".join(html) if isinstance(html, list) else html
            if "claim-box" in html:
                out.append(html)
    return out


def visible_box_words(html: str) -> int:
    return _words(visible_text(html))


def core_path_stats(path: str) -> dict:
    nb = json.load(open(path, encoding="utf-8"))
    prose = boxes = box_words = 0
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if _END.search(src):
                head = src[: _END.search(src).start()]
                prose += _markdown_words(head)
                break
            prose += _markdown_words(src)
        elif cell["cell_type"] == "code" and "audit.show(" in src:
            for html in claim_box_html(cell):
                boxes += 1
                box_words += visible_box_words(html)
    total = prose + box_words
    return {"chapter": os.path.basename(path)[:-6], "prose": prose, "boxes": boxes,
            "box_words": box_words, "share": box_words / total if total else 0.0}


def main(argv: list[str]) -> int:
    paths = sorted(glob.glob(os.path.join(CHAPTERS, "0[0-6]_*.ipynb")))
    if argv:
        paths = [p for p in paths if any(os.path.basename(p).startswith(a) for a in argv)]
    print(f"| {'chapter':<22} | prose words | boxes | visible box words | box share |")
    print(f"|{'-' * 24}|-------------|-------|-------------------|-----------|")
    for p in paths:
        s = core_path_stats(p)
        print(f"| {s['chapter']:<22} | {s['prose']:>11} | {s['boxes']:>5} | {s['box_words']:>17} | "
              f"{100 * s['share']:>7.0f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
