#!/usr/bin/env python3
"""The glossary's terms, and the check that no chapter uses a term before it is taught.

    python3 tools/glossary.py            # every early use of a glossary term, chapter by chapter

**One source of truth**: ``chapters/glossary.md``.  Its ``{glossary}`` block gives each term's name
and, in the entry's link ``{ref}`chapter N <gl-SLUG>```, the chapter and the label that teach it;
its table "Other names and symbols" gives the aliases (``KL``, ``σ``, ...).  Nothing here repeats
that list.

**The rule** (issue 17, and CONTRIBUTING.md "Add a glossary term"): a term is defined in its chapter
at the label line ``(gl-SLUG)=``, in **bold** there.  Reading the chapters 00-06 in the order of
``_toc.yml``, a use of the term (or of an alias: whole word, any case, plural -s/-es/-ies too,
outside math, code and link targets; in markdown cells and in the visible text of the claim boxes'
stored outputs) before that label must be a glossary link, ``{term}`entropy``` or
``{term}`text <entropy>```.  A claim box cannot hold a link: there the early use must go (say it in
words).  A chapter's title (a markdown cell's opening ``#`` heading) is exempt: it names what the
chapter teaches.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from teaching_stats import claim_box_html, visible_text  # noqa: E402  (one reader of claim boxes)

PAGE = os.path.join(ROOT, "chapters", "glossary.md")
TOC = os.path.join(ROOT, "_toc.yml")

_ENTRY_LINK = re.compile(r"\{ref\}`chapter (\d+) <gl-([a-z0-9-]+)>`")
_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]*)`")
_TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>\s*$", re.S)
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$|\\\(.*?\\\)|\\\[.*?\\\]|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
_LABEL_LINE = re.compile(r"^\s*\(([^()\s]+)\)=\s*$", re.M)


@dataclasses.dataclass(frozen=True)
class Term:
    name: str               # the glossary name, e.g. "KL divergence"
    slug: str               # its label is gl-SLUG
    chapter: str            # "02": the chapter whose (gl-SLUG)= defines it
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"gl-{self.slug}"


# ------------------------------------------------------------------ the page
def parse_page(text: str) -> list[Term]:
    """The terms of a glossary page: names and links from its ``{glossary}`` block, aliases from its
    table "Other names and symbols" (``| written | means |``)."""
    block = re.search(r"^```\{glossary\}[^\n]*\n(.*?)^```\s*$", text, re.M | re.S)
    if block is None:
        raise ValueError("glossary page: no ```{glossary} block")
    entries: list[tuple[str, str]] = []  # (name, definition)
    for line in block.group(1).splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line[0].isspace():
            if not entries:
                raise ValueError(f"glossary page: a definition line before any term: {line!r}")
            entries[-1] = (entries[-1][0], entries[-1][1] + " " + line.strip())
        else:
            entries.append((line.strip(), ""))
    aliases: dict[str, list[str]] = {}
    table = re.search(r"^## Other names and symbols\s*$(.*)", text, re.M | re.S)
    if table:
        for row in re.findall(r"^\|(.+)\|\s*$", table.group(1), re.M):
            cells = [c.strip() for c in row.split("|")]
            if len(cells) != 2 or cells[0] in ("written", "") or set(cells[0]) <= set("-: "):
                continue
            aliases.setdefault(cells[1].lower(), []).append(cells[0].strip("`"))
    terms = []
    for name, definition in entries:
        links = _ENTRY_LINK.findall(definition)
        if len(links) != 1:
            raise ValueError(f"glossary entry {name!r}: needs exactly one link "
                             f"{{ref}}`chapter N <gl-SLUG>` to its section, found {len(links)}")
        chapter, slug = links[0]
        terms.append(Term(name=name, slug=slug, chapter=f"{int(chapter):02d}",
                          aliases=tuple(aliases.pop(name.lower(), ()))))
    if aliases:
        raise ValueError(f"glossary page: aliases of no glossary term: {sorted(aliases)}")
    return terms


def load_terms(page: str = PAGE) -> list[Term]:
    with open(page, encoding="utf-8") as fh:
        return parse_page(fh.read())


def reading_order(toc: str = TOC) -> list[str]:
    """The chapter notebooks 00-06 (paths relative to the root) in the order of ``_toc.yml``."""
    with open(toc, encoding="utf-8") as fh:
        files = re.findall(r"^\s*(?:root|-\s*file)\s*:\s*(\S+)\s*$", fh.read(), re.M)
    return [f + ".ipynb" for f in files if re.match(r"chapters/0[0-6]_", f)]


# ------------------------------------------------------------------ the text a reader sees
def box_text(html: str) -> str:
    """The visible text of a claim box (outside <details>, outside code), formulas blanked."""
    return _MATH.sub(" ", visible_text(html, code=False))


def _blank(m: re.Match) -> str:
    """Same length, so offsets stay valid; newlines kept."""
    return re.sub(r"[^\n]", " ", m.group(0))


def markdown_text(md: str) -> tuple[str, list[tuple[int, int, str]]]:
    """``md`` with everything a reader does not read as words blanked out (math, code, label and
    directive-option lines, HTML tags, link targets), and the ``{term}`` links: (start, end, target).
    Offsets are those of ``md``."""
    text = md
    # fenced code (not directives: their bodies are read)
    text = re.sub(r"^([ \t]*)(```+|~~~+)(?!\{)[^\n]*\n.*?^[ \t]*\2[ \t]*$", _blank, text, flags=re.M | re.S)
    # roles first (their backticks and <target> would otherwise read as code and HTML): a
    # {term} link is recorded and blanked; another role keeps only its title (if any)
    links: list[tuple[int, int, str]] = []
    out = list(text)
    for m in _ROLE.finditer(text):
        role, content = m.group(1), m.group(2)
        titled = _TITLED.match(content)
        out[m.start():m.end()] = " " * (m.end() - m.start())
        if role == "term":
            target = titled.group(2) if titled else content
            links.append((m.start(), m.end(), target.strip()))
        elif titled:
            shown = titled.group(1)
            at = m.start() + m.group(0).index(content)
            out[at:at + len(shown)] = list(shown)
    text = "".join(out)
    text = re.sub(r"``[^`\n]+``|`[^`\n]+`", _blank, text)                       # inline code
    text = _MATH.sub(_blank, text)
    text = re.sub(r"^[ \t]*\([^()\s]+\)=[ \t]*$", _blank, text, flags=re.M)      # label lines
    text = re.sub(r"^[ \t]*:[\w-]+:.*$", _blank, text, flags=re.M)               # directive options
    text = re.sub(r"^[ \t]*(```+|:::+)\{[^}]*\}", _blank, text, flags=re.M)      # directive names
    text = re.sub(r"^[ \t]*(```+|:::+)[ \t]*$", _blank, text, flags=re.M)
    text = re.sub(r"<[^>\n]+>", _blank, text)                                    # HTML tags
    text = re.sub(r"\]\([^)\s]*\)", _blank, text)                                # link targets
    text = re.sub(r"\A\s*# [^\n]*", _blank, text)                               # a chapter's title
    return text, links


# ------------------------------------------------------------------ the matcher
def term_pattern(words: list[str]) -> re.Pattern:
    """Whole words (a hyphen joins words: "entropy" is not in "cross-entropy"), any case, with a
    plural -s, -es or (for -y) -ies; the longest alternative first."""
    alts = []
    for w in sorted(words, key=len, reverse=True):
        e = re.escape(w)
        if w.endswith("y"):
            e = f"{e}s?|{re.escape(w[:-1])}ies"
        elif w[-1:].isalpha():
            e += "(?:s|es)?"
        alts.append(e)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)


@dataclasses.dataclass
class Unit:
    """One piece of text in reading order: a markdown cell or a claim box's visible text."""
    chapter: str       # "03_loss_and_gradient"
    cell: int          # 0-based, as in nbformat
    kind: str          # "markdown" or "claim box"
    text: str          # with the unread parts blanked
    links: list[tuple[int, int, str]]
    source: str        # the cell's markdown (for labels and bold); "" for a box


def notebook_units(path: str) -> list[Unit]:
    with open(path, encoding="utf-8") as fh:
        nb = json.load(fh)
    name = os.path.basename(path)[:-6]
    units = []
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            text, links = markdown_text(src)
            units.append(Unit(name, i, "markdown", text, links, src))
        elif cell["cell_type"] == "code":
            for html in claim_box_html(cell):
                units.append(Unit(name, i, "claim box", box_text(html), [], ""))
    return units


@dataclasses.dataclass(frozen=True)
class Offence:
    chapter: str
    cell: int
    kind: str
    term: str
    word: str
    context: str

    def __str__(self) -> str:
        if self.kind == "claim box":  # a box's text cannot hold a link
            fix = "reword the claim's text (say what it means in words) or teach the term before this box"
        else:
            fix = f"write {{term}}`{self.term}` (or {{term}}`{self.word} <{self.term}>`)"
        return (f"{self.chapter} cell {self.cell} ({self.kind}): {self.word!r} is the glossary term "
                f"{self.term!r}, used before its definition: {fix} -- …{self.context}…")


_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_PREVIEW = re.compile(r"\A\s*\*\*What you will learn\*\*")


def section_start(units: list[Unit], k: int, at: int) -> tuple[int, int]:
    """Where the section that teaches a term begins: the last heading at or before the label
    (offset ``at`` of unit ``k``), in the same chapter; the intuition that leads up to a definition
    in its own section uses the word before the bold definition, and that is not an early use."""
    chapter = units[k].chapter
    j, limit = k, at
    while j >= 0 and units[j].chapter == chapter:
        u = units[j]
        if u.kind == "markdown":
            heads = [h.start() for h in _HEADING.finditer(u.source[:limit])]
            if heads:
                return j, heads[-1]
        j -= 1
        limit = None  # type: ignore[assignment]
    return k, at


def linked_before(units: list[Unit], k: int, at: int, name: str) -> bool:
    """True when a ``{term}`` link to ``name`` comes before offset ``at`` of unit ``k`` in the same
    chapter."""
    chapter = units[k].chapter
    for j in range(k, -1, -1):
        u = units[j]
        if u.chapter != chapter:
            return False
        if any(target.lower() == name.lower() and (j < k or start < at) for start, _, target in u.links):
            return True
    return False


def check_order(terms: list[Term], units: list[Unit]) -> tuple[list[Offence], list[str]]:
    """Offences (unlinked uses before the definition site) and problems (a missing or unbold
    definition, a {term} link to no glossary term), in reading order."""
    problems: list[str] = []
    by_name = {t.name.lower(): t for t in terms}
    # the definition site of each term: (unit index, offset of its label line)
    site: dict[str, tuple[int, int]] = {}
    for t in terms:
        for k, u in enumerate(units):
            if u.kind != "markdown" or not u.chapter.startswith(t.chapter + "_"):
                continue
            m = re.search(rf"^\s*\({re.escape(t.label)}\)=\s*$", u.source, re.M)
            if m is None:
                continue
            site[t.name] = section_start(units, k, m.start())
            pat = term_pattern([t.name, *t.aliases])
            bold = re.findall(r"\*\*(.+?)\*\*", u.source[m.start():], re.S)
            if not any(pat.search(b) for b in bold):
                problems.append(f"{u.chapter} cell {u.cell}: the definition of {t.name!r} at "
                                f"({t.label})= has no **{t.name}** in bold after the label")
            break
        else:
            problems.append(f"{t.name!r}: no label line ({t.label})= in chapter {t.chapter}")
    # linked spans (a use inside a {term} link is fine) and links to unknown terms
    for u in units:
        for _, _, target in u.links:
            if target.lower() not in by_name:
                problems.append(f"{u.chapter} cell {u.cell}: {{term}} link to {target!r}, "
                                "which is no glossary term")
    offences: list[Offence] = []
    pats = {t.name: term_pattern([t.name, *t.aliases]) for t in terms}
    # longest names first, so "cross-entropy loss" is not also read as "cross-entropy"
    order = sorted(terms, key=lambda t: -max(len(w) for w in (t.name, *t.aliases)))
    for k, u in enumerate(units):
        if _PREVIEW.match(u.source):
            continue  # a chapter's goals name the terms it is about to teach
        taken = [False] * len(u.text)
        found: list[tuple[int, Term, str]] = []
        for t in order:
            for m in pats[t.name].finditer(u.text):
                if any(taken[m.start():m.end()]):
                    continue
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                found.append((m.start(), t, m.group(0)))
        for at, t, word in sorted(found, key=lambda f: f[0]):
            k_def, off_def = site.get(t.name, (len(units), 0))
            if (k, at) >= (k_def, off_def):
                continue
            if linked_before(units, k, at, t.name):
                continue  # its first use in this chapter is a link: the reader has been shown the way
            a, b = max(0, at - 40), min(len(u.text), at + len(word) + 40)
            context = re.sub(r"\s+", " ", u.text[a:b]).strip()
            offences.append(Offence(u.chapter, u.cell, u.kind, t.name, word, context))
    return offences, problems


def check_course() -> tuple[list[Offence], list[str]]:
    terms = load_terms()
    units = [u for nb in reading_order() for u in notebook_units(os.path.join(ROOT, nb))]
    return check_order(terms, units)


def main(argv: list[str]) -> int:
    offences, problems = check_course()
    for p in problems:
        print("PROBLEM", p)
    for o in offences:
        print(o)
    print(f"{len(problems)} problems, {len(offences)} uses before the definition without a link")
    return 1 if offences or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
