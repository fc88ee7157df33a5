"""The audit's presentation: claim boxes in the chapters, the errata table.

In a chapter::

    from xentlib.course import audit
    audit.show("entropy-symmetry")   # the claim's box, then its evidence figure (if any)

A claim whose evidence has a figure is shown in TWO cells, because myst-nb
applies a cell's figure metadata (caption, alt text, name) to every output of
the cell and would wrap the box in the figure too (duplicate target warning)::

    audit.show("xent-symmetry", figure=False)    # cell 1: the box
    audit.figure("xent-symmetry")                # cell 2, with metadata
    # {"mystnb": {"image": {"alt": "..."}, "figure": {"caption": "...", "name": "fig-..."}}}

and on the errata page::

    audit.errata()                   # every claim, grouped by source section

The claim records (:data:`REGISTRY`, :class:`Claim`, :class:`Evidence`,
:func:`register`, :func:`verify`) live in :mod:`xentlib.course.claims`; each
claim is registered by its chapter's module (``xentlib/course/chNN_*.py``),
which :mod:`xentlib.course` imports.
"""
from __future__ import annotations

import html
import re

from .claims import REGISTRY, VERDICTS, Claim, Evidence, register, validate, verify

__all__ = ["REGISTRY", "VERDICTS", "Claim", "Evidence", "register", "validate", "verify",
           "show", "figure", "has_figure", "box", "errata", "ClaimBox", "ErrataTable"]


# --------------------------------------------------------------------------
# Presentation
# --------------------------------------------------------------------------

#: For each verdict: the theme's admonition class, a border colour (Okabe-Ito),
#: an icon and the word shown -- the verdict is never told by colour alone.
#: ``text`` is a darker shade of the same hue for text on white (contrast >= 4.5:1).
STYLE: dict[str, dict[str, str]] = {
    "correct": {"cls": "tip", "colour": "#009E73", "text": "#006B4F", "icon": "\u2714", "word": "Correct"},
    "incorrect": {"cls": "danger", "colour": "#D55E00", "text": "#A33F00", "icon": "\u2718", "word": "Incorrect"},
    "ill-posed": {"cls": "warning", "colour": "#E69F00", "text": "#7A5000", "icon": "\u26A0", "word": "Ill-posed"},
    "code bug": {"cls": "error", "colour": "#CC79A7", "text": "#8E3A72", "icon": "\u2699", "word": "Code bug"},
}


def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": False}).use(dollarmath_plugin, double_inline=True)

    def _inline(self, tokens, idx, options, env):
        return "\\(" + html.escape(tokens[idx].content, quote=False) + "\\)"

    def _block(self, tokens, idx, options, env):
        return '<div class="claim-math">\\[' + html.escape(tokens[idx].content.strip(), quote=False) + "\\]</div>\n"

    def _inline_display(self, tokens, idx, options, env):
        return ('<span class="claim-math" style="display: block;">\\['
                + html.escape(tokens[idx].content.strip(), quote=False) + "\\]</span>")

    md.add_render_rule("math_inline", _inline)
    md.add_render_rule("math_inline_double", _inline_display)
    md.add_render_rule("math_block", _block)
    md.add_render_rule("math_block_label", _block)
    return md


_MD = None


def md_to_html(text: str, *, inline: bool = False) -> str:
    """Render course Markdown (``$math$``, ``$$math$$``) to HTML for MathJax.

    Math becomes ``\\( \\)`` / ``\\[ \\]``, which MathJax typesets both on the
    site and in JupyterLab; raw HTML in ``text`` is escaped.
    """
    global _MD
    if _MD is None:
        _MD = _markdown()
    return (_MD.renderInline(text) if inline else _MD.render(text)).strip()


# --------------------------------------------------------------------------
# Long formulas of verbatim text on a phone
# --------------------------------------------------------------------------
#: Relations a long formula may break before (besides ``=``, ``<``, ``>``).
_RELATIONS = {"le", "ge", "leq", "geq", "approx", "ne", "neq", "equiv", "to", "propto", "sim"}
#: About this many visible characters fit a 360 px phone column at display size in a box.
DISPLAY_CHARS = 22
#: An inline formula longer than this is broken into pieces a table cell can wrap between.
INLINE_CHARS = 18


def visible_chars(tex: str) -> int:
    r"""A rough count of the characters a TeX formula shows (one per command, none for markup).

    >>> visible_chars(r"H(X) = -\sum_{i=1}^{n} P(x_i) \log P(x_i)")
    22
    """
    t = re.sub(r"\\(?:[dt]?frac|left|right|[bB]igg?[lr]?|mathrm|text|operatorname|mathbf|mathit|"
               r"boldsymbol|displaystyle)\b", "", tex)
    t = re.sub(r"\\[,;:! ]|\\q?quad\b", " ", t)
    t = re.sub(r"\\[a-zA-Z]+", "x", t)
    t = re.sub(r"\\.", "x", t)
    return len(re.sub(r"[{}^_&\s]", "", t))


def tex_pieces(tex: str, signs: str = "+-") -> list[str]:
    r"""``tex`` cut before each top-level relation and binary ``+``/``-`` (outside braces,
    parentheses and ``\left ... \right``, but inside square brackets, which often hold a long
    sum; a sign that starts a term is kept; ``signs`` are the operators cut before); joined,
    the pieces give ``tex`` back.

    >>> tex_pieces(r"L = -\sum_i [y_i \log q_i + (1 - y_i) \log(1 - q_i)]")
    ['L ', '= -\\sum_i [y_i \\log q_i ', '+ (1 - y_i) \\log(1 - q_i)]']
    >>> tex_pieces(r"\frac{a + b}{2} \le \left(c + d\right)")
    ['\\frac{a + b}{2} ', '\\le \\left(c + d\\right)']
    """
    cuts, depth, lr, i, n = [], 0, 0, 0, len(tex)
    while i < n:
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([a-zA-Z]+|.)", tex[i:])
            name = m.group(1) if m else ""
            if name == "left":
                lr += 1
            elif name == "right":
                lr -= 1
            elif name in _RELATIONS and depth == 0 and lr == 0:
                cuts.append(i)
            i += 1 + len(name)
            continue
        if ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        elif (ch in "=<>" or ch in signs) and depth == 0 and lr == 0:
            before = tex[cuts[-1] if cuts else 0:i].rstrip()
            starts_term = ch in "+-" and (not before or before[-1] in "=<>([{,&+-^_"
                                          or re.search(r"\\(?:" + "|".join(_RELATIONS) + r"|left.)$", before))
            if not starts_term and i > 0:
                cuts.append(i)
        i += 1
    bounds = [0, *[c for c in cuts if c > 0], n]
    return [tex[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if tex[a:b].strip()]


def _is_relation(piece: str) -> bool:
    return piece[:1] in "=<>" or bool(re.match(r"\\(?:" + "|".join(_RELATIONS) + r")\b", piece))


def break_display(tex: str, chars: int = DISPLAY_CHARS) -> str:
    r"""A one-line display formula longer than ``chars`` visible characters, on aligned lines
    (a line break before a relation or a ``+``/``-``); anything else is returned unchanged.

    For verbatim quotations, whose formulas the course may not rewrite: the TeX is the same,
    only laid out on lines (a box's quotation on a 360 px phone holds about 22 characters).

    >>> print(break_display(r"L(P, Q) = -\sum_{i=1}^{n} [y_i \log Q(y_i) + (1 - y_i) \log (1 - Q(y_i))]"))
    \begin{aligned}&L(P, Q) = -\sum_{i=1}^{n} [y_i \log Q(y_i) \\ &\qquad + (1 - y_i) \log (1 - Q(y_i))]\end{aligned}
    >>> print(break_display(r"\nabla_Q L(P, Q) = -\sum_{i=1}^{n} P(y_i) \frac{\partial \log Q(y_i)}{\partial Q(y_i)}"))
    \begin{aligned}&\nabla_Q L(P, Q) \\ &\quad = -\sum_{i=1}^{n} P(y_i) \frac{\partial \log Q(y_i)}{\partial Q(y_i)}\end{aligned}
    >>> print(break_display(r"H(X) = -\sum_{i=1}^{n} P(x_i) \log P(x_i)"))
    H(X) = -\sum_{i=1}^{n} P(x_i) \log P(x_i)
    """
    if "\\begin" in tex or "\\\\" in tex or visible_chars(tex) <= chars:
        return tex
    pieces = [p.strip() for p in tex_pieces(tex)]
    # lines flush left; a line after the first is indented (\quad before a relation, \qquad
    # before a sign), so it has about 3 characters less
    lines: list[list[str]] = [[pieces[0]]]
    for p in pieces[1:]:
        room = chars if len(lines) == 1 else chars - 3
        if visible_chars(" ".join(lines[-1] + [p])) <= room:
            lines[-1].append(p)
        else:
            lines.append([p])
    if len(lines) == 1:
        return tex
    rows = ["&" + " ".join(lines[0])]
    rows += [(r"&\quad " if _is_relation(line[0]) else r"&\qquad ") + " ".join(line) for line in lines[1:]]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def break_inline(text: str, chars: int = INLINE_CHARS) -> str:
    r"""Each inline ``$...$`` formula of ``text`` longer than ``chars`` visible characters, as
    several inline formulas cut at top-level relations, signs and slashes, so a narrow cell wraps
    between them (a formula cannot wrap inside itself).

    >>> break_inline(r"so $H(P, Q) = H(P) + D(P \| Q)$ here", chars=10)
    'so $H(P, Q)$ $= H(P)$ $+ D(P \\| Q)$ here'
    """
    def cut(m: re.Match) -> str:
        tex = m.group(1)
        if visible_chars(tex) <= chars or "\\begin" in tex:
            return m.group(0)
        pieces = [p.strip() for p in tex_pieces(tex, signs="+-/")]
        # a space before a relation or a sign (as TeX spaces them); an invisible break before a slash
        return "".join(("\u200b" if p.startswith("/") else " ") * bool(k) + f"${p}$" for k, p in enumerate(pieces))
    return re.sub(r"(?<![\\$])\$([^$]+)\$(?!\$)", cut, text)


def _verbatim_md(text: str) -> str:
    """Markdown of a quotation or its translation: display formulas broken into lines
    (the words stay verbatim; only the layout changes)."""
    return re.sub(r"\$\$(.+?)\$\$", lambda m: "$$" + break_display(m.group(1).strip()) + "$$", text, flags=re.S)


def _text_block(text: str) -> str:
    return "<pre class=\"claim-evidence\">" + html.escape(text, quote=False) + "</pre>"


def _plain_wrap(label: str, text: str, width: int = 88) -> list[str]:
    import textwrap

    lines = [f"{label}:"]
    for para in text.strip().splitlines() or [""]:
        lines.extend(textwrap.wrap(para, width, initial_indent="    ", subsequent_indent="    ",
                                   break_on_hyphens=False) or ["    "])
    return lines


class ClaimBox:
    """A claim's box: HTML for notebooks and the site, deterministic plain text."""

    def __init__(self, claim: Claim, evidence: Evidence | None, check_text: str):
        self.claim = claim
        self.evidence = evidence
        self.check_text = check_text

    def _evidence_text(self) -> str:
        parts = []
        if self.evidence is not None and self.evidence.text.strip():
            parts.append(self.evidence.text.rstrip())
        if self.check_text:
            parts.append(self.check_text)
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        c, st = self.claim, STYLE[self.claim.verdict]
        rows = [
            f'<div class="admonition {st["cls"]} claim-box mathjax_process" id="{c.anchor}" '
            f'data-verdict="{html.escape(c.verdict)}" '
            f'style="border-left: 0.3rem solid {st["colour"]}; padding-bottom: 0.4rem;">',
            f'<p class="admonition-title"><span aria-hidden="true">{st["icon"]}</span> '
            f'<strong>{st["word"]}</strong> &mdash; source &sect;{html.escape(c.section)} '
            f'<a class="claim-link" href="#{c.anchor}" title="Link to this claim" style="color: inherit;">#{html.escape(c.id)}</a></p>',
            f'<div class="claim-correct">{md_to_html(c.correct)}</div>',
            '<details class="claim-details">',
            f'<summary>{html.escape(self.summary)}</summary>',
            '<p><strong>Source (Chinese, verbatim):</strong></p>',
            f'<blockquote lang="zh" class="claim-source">{md_to_html(_verbatim_md(c.source_zh))}</blockquote>',
            f'<p><strong>Translation:</strong></p><blockquote class="claim-translation">'
            f'{md_to_html(_verbatim_md(c.translation))}</blockquote>',
        ]
        if c.note.strip():
            rows.append(f'<p><strong>Limits:</strong></p><div class="claim-note">{md_to_html(c.note)}</div>')
        kin = kin_line(c)
        if kin:
            rows.append(f'<p class="claim-kin"><strong>{KIN_LABEL}:</strong> {md_to_html(kin, inline=True)}</p>')
        if self.evidence is not None and self.evidence.text.strip() or self.check_text:
            rows.append(f"<p><strong>{self.evidence_label}:</strong></p>")
        if self.evidence is not None and self.evidence.text.strip():
            rows.append(_text_block(self.evidence.text.rstrip()))
        if self.check_text:
            rows.append(f'<p class="claim-check">{html.escape(self.check_text, quote=False)}</p>')
        rows.append("</details>")
        rows.append("</div>")
        return "\n".join(rows)

    @property
    def summary(self) -> str:
        """The line a reader clicks to unfold the box (the only folded-box text visible)."""
        return "Source (Chinese), translation and " + ("check" if self.claim.verdict == "correct"
                                                         else "counterexample")

    @property
    def evidence_label(self) -> str:
        return ("Check (computed by xentlib)" if self.claim.verdict == "correct"
                else "Counterexample (computed by xentlib)")

    def __repr__(self) -> str:
        """Plain text in the order the box shows: title, the truth, then what the fold holds."""
        c, st = self.claim, STYLE[self.claim.verdict]
        lines = [f"[{st['word'].upper()}] claim-{c.id} (source §{c.section})"]
        lines += _plain_wrap("What is true", c.correct)
        lines.append(f"[{self.summary}]")
        lines += _plain_wrap("Source (zh)", c.source_zh)
        lines += _plain_wrap("Translation", c.translation)
        if c.note.strip():
            lines += _plain_wrap("Limits", c.note)
        kin = kin_line(c)
        if kin:
            lines += _plain_wrap(KIN_LABEL, kin)
        ev = self._evidence_text()
        if ev:
            lines.append(f"{self.evidence_label}:")
            lines.extend("    " + ln for ln in ev.splitlines())
        return "\n".join(lines)


def _get(claim_id: str) -> Claim:
    return REGISTRY.get(claim_id)


def box(claim_id: str, *, seeds: int = 200) -> ClaimBox:
    """The :class:`ClaimBox` of a claim (evidence computed, checks run)."""
    c = _get(claim_id)
    ev = c.evidence() if c.evidence is not None else None
    check = ""
    if c.verdict == "correct":
        ok = verify(c, seeds=range(seeds))
        check = (f"Checked on {seeds} random cases: always true. What was checked: {c.checks}."
                 if ok else f"Checked on {seeds} random cases: FAILED on at least one. "
                            f"What was checked: {c.checks}.")
    else:
        assert c.source_holds is not None and ev is not None  # a non-correct claim has both
        held = bool(c.source_holds(ev))
        check = (f"This example refutes the reading: {c.reading}." if not held
                 else f"WARNING: this example does not refute the reading: {c.reading} "
                      "(it is not a counterexample).")
    return ClaimBox(c, ev, check)


def kin_line(claim: Claim) -> str:
    """The line a box prints about the claim's kin (claims quoting the same wording), or ``""``.

    Kin with the same verdict are listed as such; kin with another verdict are
    named with theirs and with the reason, which the claim whose verdict differs
    states (its own ``differs``, or the other claim's).
    """
    if not claim.kin:
        return ""
    others = [o for o in REGISTRY.values() if o.kin == claim.kin and o.id != claim.id]
    if not others:
        return ""
    same = [o for o in others if o.verdict == claim.verdict]
    other = [o for o in others if o.verdict != claim.verdict]
    parts = []
    if same:
        parts.append(f"the source says the same in {_and(o.id for o in same)}: same verdict.")
    if other:
        names = _and(f"{o.id} ({o.verdict})" for o in other)
        says = "it also says it in" if same else "the source says the same in"
        if claim.differs.strip():
            parts.append(f"{says} {names}; the verdict here differs because {claim.differs.strip().rstrip('.')}.")
        else:
            parts.append(f"{says} {names}; that box says why its verdict differs.")
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


#: The label of a box's line about claims quoting the same words (:func:`kin_line`).
KIN_LABEL = "Same words elsewhere"


def _and(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def show(claim_id: str, *, figure: bool = True, seeds: int = 200) -> None:
    """Display a claim's box and then (``figure=True``) its evidence figure, in a notebook.

    The box is an admonition with the anchor ``claim-<id>``: its title line
    (verdict as icon, word and colour; source section; id) and the claim's
    ``correct`` text are shown; the Chinese source verbatim, the translation,
    the limits (``note``), the claims quoting the same words and the evidence
    computed by xentlib are folded in a ``<details>`` (open in the PDF and in
    print).

    On the site a figure gets its caption and alt text from the cell's
    ``mystnb`` metadata, which myst-nb applies to *every* output of the cell.
    So in a chapter, a claim with a figure is shown in two cells::

        audit.show("xent-symmetry", figure=False)   # the box
        audit.figure("xent-symmetry")               # cell with mystnb image/figure metadata
    """
    from IPython.display import display

    b = box(claim_id, seeds=seeds)
    display(b)
    if figure and b.evidence is not None and b.evidence.figure is not None:
        _display_figure(b.evidence.figure)


def _display_figure(make) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    fig = make()
    display(fig)
    plt.close(fig)


def has_figure(claim_id: str) -> bool:
    """True if the claim's evidence comes with a figure."""
    c = _get(claim_id)
    return c.evidence is not None and c.evidence().figure is not None


def figure(claim_id: str) -> None:
    """Display only the evidence figure of a claim (see :func:`show`)."""
    c = _get(claim_id)
    ev = c.evidence() if c.evidence is not None else None
    if ev is None or ev.figure is None:
        raise ValueError(f"claim {claim_id!r} has no evidence figure")
    _display_figure(ev.figure)


def counts() -> dict[str, dict[str, int]]:
    """``{section: {verdict: n}}`` plus a ``"total"`` row, over the registry."""
    out: dict[str, dict[str, int]] = {}
    for c in REGISTRY.values():
        for key in (c.section.split(".")[0], "total"):
            row = out.setdefault(key, {v: 0 for v in VERDICTS})
            row[c.verdict] += 1
    return out


def _section_key(s: str):
    return tuple(int(x) if x.isdigit() else x for x in re.split(r"[.]", s))


class ErrataTable:
    """The errata: every claim grouped by section, with counts per verdict.

    Each row is the claim's full record in short: section, id (a link to its
    box), verdict, the Chinese quotation above its translation (shortened, long
    formulas cut into pieces a phone can wrap; the box quotes them whole) and
    what is true (the claim's ``correct`` text, whole)
    """

    def __init__(self, claims: list[Claim]):
        self.claims = sorted(claims, key=lambda c: _section_key(c.section))

    def _groups(self):
        groups: dict[str, list[Claim]] = {}
        for c in self.claims:
            groups.setdefault(c.section.split(".")[0], []).append(c)
        return sorted(groups.items(), key=lambda kv: _section_key(kv[0]))

    def _counts(self) -> dict[str, int]:
        n = {v: 0 for v in VERDICTS}
        for c in self.claims:
            n[c.verdict] += 1
        return n

    def _repr_html_(self) -> str:
        n = self._counts()
        head = "".join(f"<th scope=\"col\">{STYLE[v]['icon']} {STYLE[v]['word']}</th>" for v in VERDICTS)
        cells = "".join(f"<td>{n[v]}</td>" for v in VERDICTS)
        out = ['<div class="errata mathjax_process">',
               '<table class="table errata-counts"><caption>Claims audited, by verdict</caption>',
               f'<thead><tr>{head}<th scope="col">Total</th></tr></thead>',
               f'<tbody><tr>{cells}<td>{len(self.claims)}</td></tr></tbody></table>']
        for sec, claims in self._groups():
            out.append(f'<table class="table errata-section" id="errata-section-{html.escape(sec)}">'
                       f'<caption>Source &sect;{html.escape(sec)} ({len(claims)} claims)</caption>')
            out.append('<thead><tr><th scope="col">&sect;</th><th scope="col">Claim</th>'
                       '<th scope="col">Verdict</th>'
                       '<th scope="col">Source says (Chinese, then translated), and what is true</th>'
                       '</tr></thead><tbody>')
            for c in claims:
                st = STYLE[c.verdict]
                out.append(
                    f'<tr data-verdict="{html.escape(c.verdict)}"><td>{html.escape(c.section)}</td>'
                    f'<td><a href="{html.escape(c.href)}">{html.escape(c.id)}</a></td>'
                    f'<td style="color: {st["text"]}; font-weight: bold; white-space: nowrap;">'
                    f'<span aria-hidden="true">{st["icon"]}</span> {st["word"]}</td>'
                    f'<td><span lang="zh" class="errata-zh">'
                    f'{md_to_html(break_inline(_short_zh(c.source_zh)), inline=True)}</span><br>'
                    f'<span class="errata-en">{md_to_html(break_inline(_short(c.translation)), inline=True)}</span>'
                    f'<div class="errata-true"><strong>What is true:</strong> {md_to_html(break_inline(c.correct))}</div>'
                    '</td></tr>')
            out.append("</tbody></table>")
        out.append("</div>")
        return "\n".join(out)

    def __repr__(self) -> str:
        n = self._counts()
        lines = ["Claims audited: " + ", ".join(f"{n[v]} {v}" for v in VERDICTS) + f" ({len(self.claims)} in all)"]
        for sec, claims in self._groups():
            lines.append(f"§{sec}:")
            for c in claims:
                lines.append(f"  {c.section:<5} {STYLE[c.verdict]['word']:<10} {c.id}")
        return "\n".join(lines)


def _short(text: str, limit: int = 140) -> str:
    """An excerpt of at most ``limit`` characters that never ends inside a formula.

    >>> _short("The loss simplifies to $$ L = -(y log q + (1 - y) log(1 - q)) $$ " + "x" * 200, 40)
    'The loss simplifies to \u2026'
    >>> _short("With $p = 1/2$ and $q$ " + "word " * 40, 30)
    'With $p = 1/2$ and $q$ word \u2026'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    # never cut inside a formula: drop an unclosed $...$ or $$...$$ (display maths has no place in
    # a table cell's excerpt, so the excerpt stops before it)
    if "$$" in cut and cut.index("$$") > 0:
        cut = cut[: cut.index("$$")].rstrip()
    rest = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", "", cut)
    if "$" in rest:
        cut = cut[: cut.rfind("$")].rstrip()
    return cut + " \u2026"


_FENCE = re.compile(r"```[a-z]*\n(.*?)(?:```|$)", re.S)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)


def _first_code_line(match: re.Match) -> str:
    lines = [ln.strip() for ln in match.group(1).splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(("import ", "from "))] or ["..."]
    return f" `{lines[0]}` "


def _short_zh(text: str, limit: int = 48) -> str:
    """A short excerpt of a Chinese quotation for the errata table: a code
    block becomes its first line (imports skipped), display math becomes
    inline, and the cut never falls inside a formula or a code span (it
    stops before one, unless the quotation opens with it).

    >>> _short_zh("我们使用。\\n\\n```python\\nimport numpy as np\\nX = 1\\n```")
    '我们使用。 `X = 1`'
    >>> _short_zh("定义为：$$\\nH(p)\\n$$其中" + "很长" * 40, limit=8)
    '定义为： …'
    >>> _short_zh("$$\\nH(p)\\n$$其中" + "很长" * 40, limit=3)
    '$H(p)$ …'
    >>> _short_zh("简短：$x$")
    '简短：$x$'
    """
    text = _FENCE.sub(_first_code_line, text)
    text = _DISPLAY_MATH.sub(lambda m: f"${m.group(1).strip()}$", text)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for mark in ("$", "`"):
        if cut.count(mark) % 2:  # inside a formula or code span
            start = cut.rfind(mark)
            if cut[:start].strip():  # stop before it (the box shows it whole) ...
                cut = cut[:start]
            else:  # ... unless the quotation opens with it: keep it whole
                end = text.find(mark, limit)
                cut = text[: end + 1] if end >= 0 else cut
    return text if len(cut) >= len(text) else cut.rstrip() + " \u2026"


def errata() -> ErrataTable:
    """The errata table of every registered claim (display it in a notebook)."""
    return ErrataTable(list(REGISTRY.values()))
