"""The errata page keeps the full record (issue 17, item 4) now that the boxes fold their details:
every claim has one row with a link to its box, its verdict in words, the start of its Chinese
quotation, its translation, and what is true -- in the table xentlib renders and in the output
stored in chapters/07_errata.ipynb (what the site and JupyterLab show)."""
from __future__ import annotations

import html as html_lib
import json
import pathlib
import re

from xentlib.course import audit
from xentlib.course.claims import REGISTRY

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLAIMS = list(REGISTRY.values())


def _words(markdown: str) -> list[str]:
    """The plain words of a claim text: formulas, code and markup left out."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", " ", markdown, flags=re.S)
    return re.findall(r"[A-Za-z]{4,}", text)


def _row_text(row: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", row))


def record_problems(table_html: str) -> list[str]:
    rows = {m.group(1): m.group(0) for m in re.finditer(
        r'<tr data-verdict="[^"]+">.*?<a href="[^"#]+#claim-([a-z0-9-]+)">.*?</tr>', table_html, re.S)}
    problems = []
    for c in CLAIMS:
        row = rows.get(c.id)
        if row is None:
            problems.append(f"{c.id}: no row linking to its box")
            continue
        text = _row_text(row)
        if f'href="{c.chapter}.html#claim-{c.id}"' not in row:
            problems.append(f"{c.id}: the row does not link to the box in {c.chapter}")
        if audit.STYLE[c.verdict]["word"] not in text:
            problems.append(f"{c.id}: no verdict word")
        if 'lang="zh"' not in row:
            problems.append(f"{c.id}: no Chinese quotation")
        missing = [w for w in _words(c.translation)[:3] if w not in text]
        if missing:
            problems.append(f"{c.id}: translation missing ({missing})")
        truth = re.search(r'<div class="errata-true">(.*?)</div>\s*</td>', row, re.S)
        missing = [w for w in _words(c.correct) if truth is None or w not in _row_text(truth.group(1))]
        if missing:
            problems.append(f"{c.id}: what is true is missing or cut ({missing[:5]})")
    return problems


def test_the_errata_table_holds_every_claims_record():
    problems = record_problems(audit.errata()._repr_html_())
    assert not problems, "\n".join(problems)


def test_the_stored_errata_page_holds_every_claims_record():
    nb = json.loads((ROOT / "chapters" / "07_errata.ipynb").read_text(encoding="utf-8"))
    stored = ["".join(out["data"]["text/html"]) for cell in nb["cells"] if cell["cell_type"] == "code"
              for out in cell.get("outputs", []) if "text/html" in out.get("data", {})]
    assert stored, "07_errata.ipynb has no stored HTML output: re-execute it"
    problems = record_problems(stored[-1])
    assert not problems, ("chapters/07_errata.ipynb is stale or incomplete (re-execute it):\n"
                          + "\n".join(problems[:10]))


def test_record_check_can_fail():
    table = audit.errata()._repr_html_()
    c = CLAIMS[0]
    no_truth = re.sub(r'(<a href="[^"]+#claim-' + re.escape(c.id) + r'">.*?)<div class="errata-true">.*?</div>(\s*</td>)',
                      r"\1\2", table, count=1, flags=re.S)
    assert no_truth != table and any(c.id in p for p in record_problems(no_truth))
    no_row = re.sub(r'<tr data-verdict="[^"]+"><td>[^<]*</td><td><a href="[^"]+#claim-' + re.escape(c.id)
                    + r'">.*?</tr>', "", table, count=1, flags=re.S)
    assert f"{c.id}: no row linking to its box" in record_problems(no_row)
