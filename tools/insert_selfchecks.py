"""Insert the self-checks into the chapter notebooks, and write their answers page.

For each chapter with registered checks (``register_selfcheck`` in
``xentlib/course/chNN_*.py``) this puts, right before the chapter's
``## Summary`` heading cell:

* a markdown cell ``## Check yourself`` (cell id ``selfcheck-heading``);
* one code cell ``selfcheck.show("ID")`` per check (cell id ``selfcheck-ID``),
  in registration order;

and adds ``selfcheck`` to the chapter's first ``from xentlib.course import ...``
line.  Cells it inserted before are replaced (a check removed from the module
loses its cell), so running it twice changes nothing.  New code cells have no
outputs: re-execute the chapter afterwards (``tools/nbtool.py execute``).

It also writes ``chapters/selfcheck_answers.md`` (the appendix the PDF prints
after the errata) from :func:`xentlib.course.selfcheck.answers_markdown`.

Usage::

    .venv/bin/python tools/insert_selfchecks.py            # every chapter + the answers page
    .venv/bin/python tools/insert_selfchecks.py --check    # exit 1 if anything would change
"""
from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xentlib.course import selfcheck  # noqa: E402

CHAPTERS = ROOT / "chapters"
ANSWERS = CHAPTERS / "selfcheck_answers.md"
HEADING_ID = "selfcheck-heading"
HEADING = ("## Check yourself\n\n"
           "Quick questions on this chapter. Choose or type an answer: the feedback appears at once, "
           "and a wrong answer's feedback names the mistake behind it. On the web site they work "
           "without Python; in Jupyter, run each cell. The answers are listed in the appendix "
           "*Self-check answers*, after the errata.")
IMPORT = re.compile(r"^from xentlib\.course import ([\w, ]+)$", re.M)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _ours(cell: dict) -> bool:
    return str(cell.get("id", "")).startswith("selfcheck-")


def _add_import(cells: list[dict]) -> None:
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        m = IMPORT.search(src)
        if m is None:
            continue
        names = [n.strip() for n in m.group(1).split(",") if n.strip()]
        if "selfcheck" not in names:
            names = sorted({*names, "selfcheck"})
            src = src[:m.start()] + "from xentlib.course import " + ", ".join(names) + src[m.end():]
            cell["source"] = _lines(src)
        return
    raise SystemExit("no 'from xentlib.course import ...' line in any code cell")


def insert(nb: dict, chapter: str) -> dict:
    """``nb`` with the chapter's check cells (replacing earlier ones) before ``## Summary``."""
    checks = selfcheck.REGISTRY.in_chapter(chapter)
    cells = [c for c in nb["cells"] if not _ours(c)]
    if not checks:
        nb["cells"] = cells
        return nb
    at = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
               and re.match(r"^## Summary\s*$", "".join(c["source"]).splitlines()[0] if c["source"] else "")),
              None)
    if at is None:
        raise SystemExit(f"{chapter}: no markdown cell starting with '## Summary'")
    new = [{"cell_type": "markdown", "id": HEADING_ID, "metadata": {}, "source": _lines(HEADING)}]
    for c in checks:
        new.append({"cell_type": "code", "execution_count": None, "id": f"selfcheck-{c.id}", "metadata": {},
                    "outputs": [], "source": [f'selfcheck.show("{c.id}")']})
    old = {c["id"]: c for c in nb["cells"] if _ours(c)}
    for i, cell in enumerate(new):  # an unchanged cell keeps its stored outputs
        prev = old.get(cell["id"])
        if prev is not None and prev["source"] == cell["source"]:
            new[i] = prev
    cells[at:at] = new
    _add_import(cells)
    nb["cells"] = cells
    return nb


def chapter_titles() -> dict[str, str]:
    out = {}
    for path in sorted(CHAPTERS.glob("0[0-6]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        first = "".join(nb["cells"][0]["source"]).splitlines()[0]
        out[path.stem] = first.lstrip("# ").strip()
    return out


def dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file would change")
    args = ap.parse_args(argv)
    changed = []
    for path in sorted(CHAPTERS.glob("0[0-6]_*.ipynb")):
        text = path.read_text(encoding="utf-8")
        out = dump(insert(json.loads(text), path.stem))
        if out != text:
            changed.append(path)
            if not args.check:
                path.write_text(out, encoding="utf-8")
    answers = selfcheck.answers_markdown(chapter_titles())
    if not ANSWERS.exists() or ANSWERS.read_text(encoding="utf-8") != answers:
        changed.append(ANSWERS)
        if not args.check:
            ANSWERS.write_text(answers, encoding="utf-8")
    for p in changed:
        print(("would change " if args.check else "wrote ") + str(p.relative_to(ROOT)))
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
