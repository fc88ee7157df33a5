"""Self-checks: quick questions with immediate feedback, on the site and in Jupyter.

In a chapter, one cell per check::

    from xentlib.course import selfcheck
    selfcheck.show("entropy-which-larger")

Each check is defined in its chapter's module (``xentlib/course/chNN_*.py``)::

    register_selfcheck(SelfCheck(
        id="entropy-which-larger", chapter=CHAPTER,
        question="Which coin has the larger entropy?",
        options=(Option("A fair coin", True, "Right: ..."),
                 Option("A coin with P(heads) = 0.9", False, "That is the most *predictable* ...")),
    ))
    register_selfcheck(SelfCheck(
        id="..", chapter=CHAPTER, kind="number", question="...",
        answer=1.5, tolerance=0.01, unit="bits", explanation="Right: ...",
        mistakes=(Mistake(1.04, "That is in nats: ..."),),
    ))

Like an explorer's cell, the cell's output carries two representations of one
check: a live ipywidgets view (radio buttons or a text field, feedback computed
in the kernel) that Jupyter shows, and static HTML (``text/html``) that the web
site shows (``nb_mime_priority_overrides`` in ``_config.yml`` ranks it first
there).  The static HTML is a native form -- a ``fieldset`` whose ``legend`` is
the question, radio buttons or a text input with a *Check* button -- and holds
every feedback text, typeset at build time like the rest of the page; the
site's ``assets/xe-selfcheck.js`` (under 3 KB, added by ``_ext/xent_selfcheck.py``
only to pages with a check) copies the feedback for an answer into an
``aria-live`` region.  :meth:`SelfCheck.judge` is the same rule in Python.
On the site the question's maths is typeset at build time (``mathjax_process``:
_ext/xent_math.py); the maths of options and feedback is shown as Unicode text
with ``<sub>``/``<sup>`` (:func:`light_math`), because each typeset formula
costs about 700 bytes of a page that is near its weight budget.

In print (the PDF) the controls and feedback are hidden; the answers are listed
on the appendix page ``chapters/selfcheck_answers.md``, written by
``tools/insert_selfchecks.py`` from :func:`answers_markdown`.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import Any

from .registry import Registry

__all__ = ["Option", "Mistake", "SelfCheck", "Verdict", "REGISTRY", "register_selfcheck", "get", "ids",
           "show", "judge", "parse_number", "answers_markdown", "light_math", "KINDS", "NO_UNIT"]

KINDS = ("choice", "number")
#: The ``unit`` of a numeric check whose answer is a pure number (a ratio, a count).
NO_UNIT = "no unit"
#: Upper bound for one check's static HTML (bytes): the page-weight budget has little room.
MAX_HTML = 4000

_RIGHT = "\u2714 Right."
_WRONG = "\u2718 Not quite."


@dataclass(frozen=True)
class Option:
    """One answer of a multiple-choice check: its ``text``, whether it is ``correct``, and the
    ``feedback`` shown when it is chosen (for a wrong option: the misconception behind it)."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Mistake:
    """A typical wrong number for a numeric check and the feedback naming the mistake behind it."""

    value: float
    feedback: str


@dataclass(frozen=True)
class Verdict:
    """What a check says about one answer: right or not, the key of the feedback, its text."""

    correct: bool
    key: str
    feedback: str


def _need_text(check_id: str, name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"selfcheck {check_id!r}: {name} must be a non-empty string, got {value!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class SelfCheck:
    """A quick check: multiple choice (``options``) or a number (``answer``, ``tolerance``,
    ``unit``, optional ``mistakes``).  ``explanation`` is a numeric check's feedback for a right
    answer (a choice's right option has its own feedback)."""

    id: str
    chapter: str
    question: str
    kind: str = "choice"
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    unit: str = ""
    mistakes: tuple[Mistake, ...] = ()
    explanation: str = ""

    def __post_init__(self) -> None:
        i = self.id
        _need_text(i, "question", self.question)
        if self.kind not in KINDS:
            raise ValueError(f"selfcheck {i!r}: kind must be one of {KINDS}, got {self.kind!r}")
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
        if self.kind == "choice":
            self._validate_choice()
        else:
            self._validate_number()

    def _validate_choice(self) -> None:
        i = self.id
        if len(self.options) < 2:
            raise ValueError(f"selfcheck {i!r}: options needs at least two Option(...) entries, "
                             f"got {len(self.options)}")
        for k, o in enumerate(self.options):
            if not isinstance(o, Option):
                raise TypeError(f"selfcheck {i!r}: options[{k}] must be an Option, got {type(o).__name__}")
            _need_text(i, f"options[{k}].text", o.text)
            _need_text(i, f"options[{k}].feedback", o.feedback)
            if not isinstance(o.correct, bool):
                raise TypeError(f"selfcheck {i!r}: options[{k}].correct must be True or False, got {o.correct!r}")
        n = sum(o.correct for o in self.options)
        if n != 1:
            raise ValueError(f"selfcheck {i!r}: options must have exactly one correct option, got {n}")
        texts = [o.text for o in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError(f"selfcheck {i!r}: options have duplicate texts")
        feedbacks = [o.feedback for o in self.options]
        if len(set(feedbacks)) != len(feedbacks):
            raise ValueError(f"selfcheck {i!r}: options[].feedback must differ per option "
                             "(a wrong option names its own misconception)")
        for name in ("answer", "tolerance", "mistakes"):
            if getattr(self, name) not in (None, ()):
                raise ValueError(f"selfcheck {i!r}: {name} is only for kind='number'")

    def _validate_number(self) -> None:
        i = self.id
        if self.options:
            raise ValueError(f"selfcheck {i!r}: options is only for kind='choice'")
        for name in ("answer", "tolerance"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"selfcheck {i!r}: {name} must be a finite number, got {v!r}")
        if not self.tolerance or self.tolerance <= 0:
            raise ValueError(f"selfcheck {i!r}: tolerance must be > 0, got {self.tolerance!r}")
        _need_text(i, "unit", self.unit)
        _need_text(i, "explanation", self.explanation)
        assert self.answer is not None and self.tolerance is not None
        for k, m in enumerate(self.mistakes):
            if not isinstance(m, Mistake):
                raise TypeError(f"selfcheck {i!r}: mistakes[{k}] must be a Mistake, got {type(m).__name__}")
            if isinstance(m.value, bool) or not isinstance(m.value, (int, float)) or not math.isfinite(m.value):
                raise ValueError(f"selfcheck {i!r}: mistakes[{k}].value must be a finite number, got {m.value!r}")
            _need_text(i, f"mistakes[{k}].feedback", m.feedback)
            if abs(m.value - self.answer) <= 2 * self.tolerance:
                raise ValueError(f"selfcheck {i!r}: mistakes[{k}].value {m.value} is within twice the "
                                 f"tolerance of the answer {self.answer}")

    # -- judging ----------------------------------------------------------------
    def judge(self, response: Any) -> Verdict:
        """The feedback for one answer: an option's index (``choice``) or a number or its
        text (``number``: a comma or a Unicode minus is accepted)."""
        if self.kind == "choice":
            if isinstance(response, bool) or not isinstance(response, int) \
                    or not 0 <= response < len(self.options):
                raise ValueError(f"selfcheck {self.id!r}: response must be an option index "
                                 f"0..{len(self.options) - 1}, got {response!r}")
            o = self.options[response]
            return Verdict(o.correct, str(response), o.feedback)
        x = parse_number(response)
        assert self.answer is not None and self.tolerance is not None
        if x is None:
            return Verdict(False, "nan", f"Type a number ({self.unit}), e.g. 0.5.")
        if abs(x - self.answer) <= self.tolerance:
            return Verdict(True, "ok", self.explanation)
        for k, m in enumerate(self.mistakes):
            if abs(x - m.value) <= self.tolerance:
                return Verdict(False, f"m{k}", m.feedback)
        if x > self.answer:
            return Verdict(False, "high", "Too high. Check each step of your computation and its unit.")
        return Verdict(False, "low", "Too low. Check each step of your computation and its unit.")

    def feedbacks(self) -> dict[str, Verdict]:
        """Every feedback the check can give, by key (what the static HTML holds)."""
        if self.kind == "choice":
            return {str(k): self.judge(k) for k in range(len(self.options))}
        assert self.answer is not None and self.tolerance is not None
        out = {"ok": self.judge(self.answer)}
        for k, m in enumerate(self.mistakes):
            out[f"m{k}"] = self.judge(m.value)
        big = 10 * (abs(self.answer) + 10 * self.tolerance + max([abs(m.value) for m in self.mistakes] + [0]))
        out["high"] = self.judge(big)
        out["low"] = self.judge(-big)
        out["nan"] = self.judge("?")
        return out

    # -- rendering --------------------------------------------------------------
    @property
    def dom_id(self) -> str:
        return f"xc-{self.id}"

    def static_html(self) -> str:
        """The check for the site: a native form, every feedback in it, deterministic."""
        from .audit import md_to_html

        d = self.dom_id
        q = md_to_html(self.question, inline=True)
        attrs = f'class="xe-check mathjax_process" id="{d}" data-kind="{self.kind}"'
        rows = []
        if self.kind == "choice":
            rows.append('<ol class="xc-options">')
            for k, o in enumerate(self.options):
                rows.append(f'<li><label><input type="radio" name="{d}" value="{k}"> '
                            f'<span>{light_math(md_to_html(o.text, inline=True))}</span></label></li>')
            rows.append("</ol>")
        else:
            attrs += (f' data-answer="{self.answer!r}" data-tol="{self.tolerance!r}"'
                      f' data-mistakes="{" ".join(repr(float(m.value)) for m in self.mistakes)}"')
            unit = html.escape(self.unit)
            rows.append(f'<p class="xc-number"><label for="{d}-in">Your answer ({unit}):</label> '
                        f'<input id="{d}-in" type="text" inputmode="decimal" autocomplete="off" size="8"> '
                        f'<button type="submit">Check</button></p>')
        rows.append('<p class="xc-live" aria-live="polite"></p>')
        store = []
        for key, v in self.feedbacks().items():
            mark = _RIGHT if v.correct else _WRONG
            store.append(f'<span data-for="{key}" data-ok="{int(v.correct)}"><strong>{mark}</strong> '
                         f'{light_math(md_to_html(v.feedback, inline=True))}</span>')
        rows.append('<div class="xc-store" hidden>' + "".join(store) + "</div>")
        return (f'<form {attrs}><fieldset><legend><span class="xc-tag">Check yourself:</span> {q}</legend>'
                + "".join(rows) + "</fieldset></form>")

    def plain(self) -> str:
        """Plain text: the question and its options (what a terminal shows)."""
        lines = [f"Check yourself ({self.id}): {_plain(self.question)}"]
        if self.kind == "choice":
            lines += [f"  {chr(65 + k)}. {_plain(o.text)}" for k, o in enumerate(self.options)]
        else:
            lines.append(f"  Your answer ({self.unit}): ...")
        return "\n".join(lines)

    def answer_text(self) -> str:
        """The right answer in words (Markdown), for the appendix."""
        if self.kind == "choice":
            k = next(k for k, o in enumerate(self.options) if o.correct)
            return f"{chr(65 + k)}. {self.options[k].text}"
        if self.unit == NO_UNIT:
            return f"{_num(self.answer)} ({NO_UNIT}; accepted within ±{_num(self.tolerance)})"
        return f"{_num(self.answer)} {self.unit} (accepted within ±{_num(self.tolerance)} {self.unit})"

    def live(self) -> Any:
        """The check as ipywidgets (feedback computed in the kernel)."""
        return LiveCheck(self)


#: TeX commands of the options and feedback, as Unicode (see :func:`light_math`).
_TEX_WORDS = {"ln": "ln", "log": "log", "exp": "exp", "times": "\u00d7", "cdot": "\u00b7", "approx": "\u2248",
              "ge": "\u2265", "le": "\u2264", "infty": "\u221e", "sum": "\u2211", "top": "\u22a4",
              "odot": "\u2299", "Delta": "\u0394", "delta": "\u03b4", "sigma": "\u03c3", "kappa": "\u03ba",
              "eta": "\u03b7", "theta": "\u03b8", "nabla": "\u2207", "|": "\u2016", ",": "\u2009"}
_TEX_CMD = re.compile(r"\\(\||,|[A-Za-z]+)")
_TEX_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")
_TEX_SCRIPT1 = re.compile(r"([_^])([^\s<{}])")
_INLINE = re.compile(r"\\\((.*?)\\\)", re.S)


def _tex_to_html(tex: str) -> str:
    """A small TeX subset as HTML text (Unicode symbols, ``<sub>``/``<sup>``); ``ValueError`` on
    anything else, so a check never shows raw TeX."""
    t = re.sub(r"\\tfrac\s*\{?(\w)\}?\s*\{?(\w)\}?", r"\1/\2", tex)
    t = re.sub(r"\\mathrm\{(\w+)\}", r"\1", t)
    t = re.sub(r"\\hat\s*\{?y\}?", "\u0177", t)

    def cmd(m: re.Match) -> str:
        if m.group(1) not in _TEX_WORDS:
            raise ValueError(f"no plain form for \\{m.group(1)} in {tex!r}")
        return _TEX_WORDS[m.group(1)]

    t = _TEX_CMD.sub(cmd, t)
    prev = None
    while prev != t:
        prev = t
        t = _TEX_SCRIPT.sub(lambda m: f"<{'sub' if m.group(1) == '_' else 'sup'}>{m.group(2)}</"
                            f"{'sub' if m.group(1) == '_' else 'sup'}>", t)
    t = _TEX_SCRIPT1.sub(lambda m: f"<{'sub' if m.group(1) == '_' else 'sup'}>{m.group(2)}</"
                         f"{'sub' if m.group(1) == '_' else 'sup'}>", t)
    if re.search(r"[{}\\^_]", t):
        raise ValueError(f"no plain form for {tex!r}")
    return t.replace("-", "\u2212")


def light_math(html_text: str) -> str:
    """Inline maths ``\\(...\\)`` of rendered HTML as plain HTML text: the options and feedback
    of a check on the site (each typeset formula would cost about 700 bytes of the page)."""
    return _INLINE.sub(lambda m: _tex_to_html(m.group(1)), html_text)


def _num(x: float | None) -> str:
    return format(float(x or 0.0), ".4g")


def _plain(text: str) -> str:
    """Course Markdown as plain text (a widget's radio label shows no HTML): ``$Q - P$`` -> ``Q \u2212 P``,
    ``$e^{z}$`` -> ``e^z``, ``$W_2$`` -> ``W_2``."""
    def one(m: re.Match) -> str:
        t = _tex_to_html(html.escape(m.group(1), quote=False))
        t = re.sub(r"<(sub|sup)>([^<]*)</\1>",
                   lambda g: ("_" if g.group(1) == "sub" else "^") + (g.group(2) if len(g.group(2)) == 1
                                                                      else f"({g.group(2)})"), t)
        t = re.sub(r"<(sub|sup)>(.*?)</\1>", lambda g: ("_" if g.group(1) == "sub" else "^") + f"({g.group(2)})", t)
        return html.unescape(t)
    return re.sub(r"\$\$?(.+?)\$?\$", one, text).replace("`", "")


_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$", re.IGNORECASE)


def parse_number(response: Any) -> float | None:
    """A number typed by a reader (``"1,5"``, ``"\u22120.3"``, ``" 2 "``), or ``None`` if it is none."""
    if isinstance(response, bool):
        return None
    if isinstance(response, (int, float)):
        return float(response) if math.isfinite(response) else None
    if not isinstance(response, str):
        return None
    s = response.strip().replace("\u2212", "-").replace(",", ".")
    return float(s) if _NUMBER.match(s) else None


def LiveCheck(check: SelfCheck) -> Any:
    """Build the widget (a function, so that ipywidgets is imported lazily)."""
    import ipywidgets as w

    from .audit import md_to_html

    class _Live(w.VBox):
        def __init__(self, c: SelfCheck):
            self.check = c
            self.question = w.HTMLMath(value=f"<b>Check yourself:</b> {md_to_html(c.question, inline=True)}")
            self.feedback = w.HTMLMath(value="")
            self.verdict: Verdict | None = None
            if c.kind == "choice":
                self.control = w.RadioButtons(options=[(_plain(o.text), k) for k, o in enumerate(c.options)],
                                              value=None, layout=w.Layout(width="max-content", max_width="100%"))
                self.control.observe(lambda ch: self._show(ch["new"]), names="value")
                body: list[Any] = [self.control]
            else:
                self.control = w.Text(description=f"Your answer ({c.unit}):", continuous_update=False,
                                      style={"description_width": "initial"})
                self.button = w.Button(description="Check")
                self.button.on_click(lambda _b: self._show(self.control.value))
                self.control.observe(lambda ch: self._show(ch["new"]), names="value")
                body = [w.HBox([self.control, self.button])]
            super().__init__(children=[self.question, *body, self.feedback])

        def _show(self, response: Any) -> None:
            if response is None or (isinstance(response, str) and not response.strip()):
                return
            v = self.check.judge(response)
            self.verdict = v
            mark = _RIGHT if v.correct else _WRONG
            self.feedback.value = f"<b>{mark}</b> {md_to_html(v.feedback, inline=True)}"

        def answer(self, response: Any) -> Verdict:
            """Answer from code, as a reader would with the mouse: an option's index or a number."""
            if self.check.kind == "choice":
                self.control.value = response
            else:
                self.control.value = str(response)
                self._show(self.control.value)
            assert self.verdict is not None
            return self.verdict

        @property
        def html(self) -> str:
            return self.check.static_html()

        def _repr_mimebundle_(self, **kwargs):
            data = super()._repr_mimebundle_(**kwargs)
            if data is None:
                return None
            return {**data, "text/html": self.html}

        def __repr__(self) -> str:
            return self.check.plain()

    return _Live(check)


# -- the registry -----------------------------------------------------------------

#: Every self-check, by id, in the order the chapters define them.
REGISTRY: Registry[SelfCheck] = Registry("selfcheck")


def register_selfcheck(check: SelfCheck) -> SelfCheck:
    """Add a check to :data:`REGISTRY` (done by its chapter's module); return it."""
    if not isinstance(check, SelfCheck):
        raise TypeError(f"check must be a SelfCheck, got {type(check).__name__}")
    size = len(check.static_html().encode("utf-8"))
    if size > MAX_HTML:
        raise ValueError(f"selfcheck {check.id!r}: static HTML is {size} bytes > {MAX_HTML}; "
                         "shorten the question, options or feedback")
    return REGISTRY.add(check)


def ids() -> tuple[str, ...]:
    return REGISTRY.ids()


def get(check_id: str) -> SelfCheck:
    """The check with this id (``KeyError`` naming the closest ids if unknown)."""
    return REGISTRY.get(check_id)


def judge(check_id: str, response: Any) -> Verdict:
    """The feedback of check ``check_id`` for one answer."""
    return get(check_id).judge(response)


def show(check_id: str) -> Any:
    """The check, for a chapter cell's result: widgets in Jupyter, the static form on the site."""
    return get(check_id).live()


def answers_markdown(chapter_titles: dict[str, str]) -> str:
    """The appendix page (MyST Markdown): every check's question and right answer, by chapter."""
    lines = ["# Self-check answers", "",
             "The answers to the *Check yourself* questions at the end of each chapter, with the reason.",
             "Try a question before you read its answer here.",
             "",
             "<!-- Written by tools/insert_selfchecks.py from xentlib/course/selfcheck.py; do not edit. -->", ""]
    for chapter, title in chapter_titles.items():
        checks = REGISTRY.in_chapter(chapter)
        if not checks:
            continue
        lines += [f"## {title}", ""]
        for n, c in enumerate(checks, 1):
            why = c.explanation if c.kind == "number" else next(o.feedback for o in c.options if o.correct)
            lines += [f"{n}. {c.question}", "", f"   **Answer:** {c.answer_text()}. {why}", ""]
    return "\n".join(lines).rstrip() + "\n"
