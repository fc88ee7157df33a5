"""xentlib.course.selfcheck: validation names the field, every check judges its answers (a right one
accepted, each wrong option with its own feedback, numbers within the tolerance), the static HTML
is deterministic, small and accessible, the page script stays tiny, the live widget gives feedback,
and the notebooks and the answers page are what tools/insert_selfchecks.py writes."""
from __future__ import annotations

import copy
import json
import math
import pathlib
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

import xentlib as xl
from xentlib.course import selfcheck
from xentlib.course.selfcheck import MAX_HTML, Mistake, Option, SelfCheck

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import insert_selfchecks  # noqa: E402

ALL = list(selfcheck.ids())
CONTENT = ["01_entropy", "02_cross_entropy", "03_loss_and_gradient", "04_training", "05_trends", "06_faq"]


def _choice(**kw):
    base = dict(id="x-check", chapter="01_entropy", question="Which?",
                options=(Option("a", True, "yes"), Option("b", False, "no: b confuses X with Y")))
    base.update(kw)
    return SelfCheck(**base)


def _number(**kw):
    base = dict(id="x-num", chapter="01_entropy", kind="number", question="How many?", answer=3.0,
                tolerance=0.01, unit="bits", explanation="log2 8", mistakes=(Mistake(2.0794, "in nats"),))
    base.update(kw)
    return SelfCheck(**base)


# -- validation ----------------------------------------------------------------------

@pytest.mark.parametrize("kw, field", [
    (dict(question=""), "question"),
    (dict(kind="essay"), "kind"),
    (dict(options=(Option("a", True, "yes"),)), "options"),
    (dict(options=(Option("a", True, "yes"), Option("b", True, "no"))), "exactly one correct"),
    (dict(options=(Option("a", False, "yes"), Option("b", False, "no"))), "exactly one correct"),
    (dict(options=(Option("a", True, "yes"), Option("b", False, ""))), r"options\[1\]\.feedback"),
    (dict(options=(Option("", True, "yes"), Option("b", False, "no"))), r"options\[0\]\.text"),
    (dict(options=(Option("a", True, "same"), Option("b", False, "same"))), r"feedback must differ"),
    (dict(options=(Option("a", True, "y"), Option("a", False, "n"))), "duplicate texts"),
    (dict(options=(Option("a", 1, "y"), Option("b", False, "n"))), r"options\[0\]\.correct"),
    (dict(options=(Option("a", True, "y"), "b")), r"options\[1\] must be an Option"),
    (dict(answer=1.0), "answer is only for kind='number'"),
])
def test_choice_validation_names_the_field(kw, field):
    with pytest.raises((ValueError, TypeError), match=field):
        _choice(**kw)


@pytest.mark.parametrize("kw, field", [
    (dict(answer=None), "answer must be a finite number"),
    (dict(answer=math.nan), "answer must be a finite number"),
    (dict(tolerance=0.0), "tolerance must be > 0"),
    (dict(tolerance=-1.0), "tolerance must be > 0"),
    (dict(unit=""), "unit must be a non-empty string"),
    (dict(explanation=""), "explanation must be a non-empty string"),
    (dict(options=(Option("a", True, "y"), Option("b", False, "n"))), "options is only for kind='choice'"),
    (dict(mistakes=(Mistake(3.005, "close"),)), r"mistakes\[0\]\.value 3.005 is within twice the tolerance"),
    (dict(mistakes=(Mistake(math.inf, "inf"),)), r"mistakes\[0\]\.value must be a finite number"),
    (dict(mistakes=(Mistake(1.0, ""),)), r"mistakes\[0\]\.feedback"),
    (dict(mistakes=((1.0, "tuple"),)), r"mistakes\[0\] must be a Mistake"),
])
def test_number_validation_names_the_field(kw, field):
    with pytest.raises((ValueError, TypeError), match=field):
        _number(**kw)


def test_registry_rejects_duplicates_bad_ids_and_big_html():
    reg_len = len(selfcheck.REGISTRY)
    with pytest.raises(ValueError, match="duplicate selfcheck id 'surprise-in-bits'"):
        selfcheck.register_selfcheck(_number(id="surprise-in-bits"))
    with pytest.raises(ValueError, match="kebab-case"):
        selfcheck.register_selfcheck(_number(id="Bad_Id"))
    with pytest.raises(ValueError, match=r"static HTML is \d+ bytes"):
        selfcheck.register_selfcheck(_number(id="too-big", question="long " * 1000))
    with pytest.raises(TypeError, match="must be a SelfCheck"):
        selfcheck.register_selfcheck("surprise-in-bits")  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="did you mean 'surprise-in-bits'"):
        selfcheck.get("surprise-in-bit")
    assert len(selfcheck.REGISTRY) == reg_len


# -- every registered check -------------------------------------------------------------

@pytest.mark.parametrize("chapter", CONTENT)
def test_three_checks_per_content_chapter(chapter):
    assert len(selfcheck.REGISTRY.in_chapter(chapter)) >= 3, chapter


@pytest.mark.parametrize("cid", ALL)
def test_right_answer_accepted_wrong_ones_get_their_own_feedback(cid):
    c = selfcheck.get(cid)
    if c.kind == "choice":
        verdicts = [c.judge(k) for k in range(len(c.options))]
        assert [v.correct for v in verdicts] == [o.correct for o in c.options]
        assert len({v.feedback for v in verdicts}) == len(verdicts)  # one feedback per option
        for o, v in zip(c.options, verdicts, strict=True):
            assert v.feedback == o.feedback
        with pytest.raises(ValueError, match="response must be an option index"):
            c.judge(len(c.options))
    else:
        assert c.answer is not None and c.tolerance is not None
        assert c.judge(c.answer).correct
        assert c.judge(c.answer + 0.9 * c.tolerance).correct
        assert c.judge(str(c.answer - 0.9 * c.tolerance).replace(".", ",")).correct
        assert not c.judge(c.answer + 1.1 * c.tolerance).correct
        assert not c.judge(c.answer - 1.1 * c.tolerance).correct
        for k, m in enumerate(c.mistakes):
            v = c.judge(m.value)
            assert not v.correct and v.key == f"m{k}" and v.feedback == m.feedback
        assert len({m.feedback for m in c.mistakes}) == len(c.mistakes)
        assert c.judge("three").key == "nan"
        assert c.unit in selfcheck.get(cid).static_html()


def test_number_checks_agree_with_xentlib():
    """The numeric answers, computed here directly (not from the modules' constants)."""
    P, Q = np.array([0.5, 0.25, 0.25]), np.array([1 / 8, 1 / 2, 3 / 8])
    expected = {
        "surprise-in-bits": math.log2(32),
        "cross-entropy-three-outcomes": xl.cross_entropy(P, Q, base=2),
        "loss-of-one-example": math.log(4),
        "rare-class-weight": 1000 / (2 * 50),
    }
    for cid, value in expected.items():
        assert selfcheck.judge(cid, float(value)).correct, cid
    assert selfcheck.judge("cross-entropy-three-outcomes", float(xl.cross_entropy(Q, P, base=2))).key == "m0"
    assert selfcheck.judge("loss-of-one-example", 2.0).key == "m0"  # bits
    assert selfcheck.judge("surprise-in-bits", "\u22125").key == "m1"  # a Unicode minus


def test_parse_number():
    assert selfcheck.parse_number(" 1,5 ") == 1.5
    assert selfcheck.parse_number("\u22120.25") == -0.25
    assert selfcheck.parse_number("2e-3") == 0.002
    for bad in ("", "1.2.3", "one", None, True, math.inf, "1 bit"):
        assert selfcheck.parse_number(bad) is None, bad


# -- the static HTML ----------------------------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(text):
    p = _Tags()
    p.feed(text)
    return p.tags


@pytest.mark.parametrize("cid", ALL)
def test_static_html_is_deterministic_small_and_accessible(cid):
    c = selfcheck.get(cid)
    a = c.static_html()
    b = copy.deepcopy(c).static_html()
    assert a == b
    assert len(a.encode()) <= MAX_HTML
    tags = _tags(a)
    names = [t for t, _ in tags]
    assert names[:3] == ["form", "fieldset", "legend"]
    assert "script" not in names and "http" not in a  # nothing inline, nothing fetched
    live = [attrs for t, attrs in tags if attrs.get("class") == "xc-live"]
    assert live and live[0].get("aria-live") == "polite"
    keys = [attrs["data-for"] for _t, attrs in tags if "data-for" in attrs]
    assert keys == list(c.feedbacks())
    if c.kind == "choice":
        radios = [attrs for t, attrs in tags if t == "input"]
        assert [r["type"] for r in radios] == ["radio"] * len(c.options)
        assert {r["name"] for r in radios} == {c.dom_id}
    else:
        inp = next(attrs for t, attrs in tags if t == "input")
        assert any(t == "label" and attrs.get("for") == inp["id"] for t, attrs in tags)
        assert any(t == "button" and attrs.get("type") == "submit" for t, attrs in tags)
        form = tags[0][1]
        assert float(form["data-answer"]) == c.answer and float(form["data-tol"]) == c.tolerance


def test_maths_is_left_for_the_build_time_typesetter():
    html = selfcheck.get("surprise-in-bits").static_html()
    assert "\\(p = 1/32\\)" in html and "$" not in html


def test_page_script_and_stylesheet_are_tiny():
    js = (ROOT / "assets" / "xe-selfcheck.js").read_bytes()
    css = (ROOT / "assets" / "xe-selfcheck.css").read_bytes()
    assert len(js) < 3000 and len(css) < 3000
    assert b"http" not in js and b"http" not in css and b"@import" not in css


def test_js_rule_matches_python_rule():
    """The page script's number rule is the Python one: same regex, same order of tests."""
    js = (ROOT / "assets" / "xe-selfcheck.js").read_text()
    assert selfcheck._NUMBER.pattern.strip("^$") in js.replace("\\\\", "\\")
    order = [js.index(s) for s in ('return "nan"', 'return "ok"', 'return "m" + i', '"high" : "low"')]
    assert order == sorted(order)


# -- the widget (no kernel needed to drive it) ------------------------------------------------

def test_live_widget_gives_feedback():
    w = selfcheck.show("entropy-which-largest")
    assert w.feedback.value == ""
    v = w.answer(0)
    assert not v.correct and selfcheck.get("entropy-which-largest").options[0].feedback[:20] in \
        w.feedback.value.replace("&#x27;", "'")
    assert w.answer(1).correct and "\u2714" in w.feedback.value
    n = selfcheck.show("surprise-in-bits")
    assert n.answer("5").correct
    assert n.answer(3.4657).key == "m0" and "nats" in n.feedback.value
    bundle = n._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"] == selfcheck.get("surprise-in-bits").static_html()
    assert "Check yourself (surprise-in-bits)" in repr(n)


# -- the notebooks and the answers page ------------------------------------------------------

def test_notebooks_and_answers_page_are_up_to_date():
    assert insert_selfchecks.main(["--check"]) == 0, (
        "run `.venv/bin/python tools/insert_selfchecks.py` (then re-execute the changed chapters)")


def test_insertion_is_idempotent_and_before_summary():
    nb = json.loads((ROOT / "chapters" / "01_entropy.ipynb").read_text(encoding="utf-8"))
    stripped = copy.deepcopy(nb)
    stripped["cells"] = [c for c in stripped["cells"] if not str(c["id"]).startswith("selfcheck-")]
    once = insert_selfchecks.insert(copy.deepcopy(stripped), "01_entropy")
    twice = insert_selfchecks.insert(copy.deepcopy(once), "01_entropy")
    assert insert_selfchecks.dump(once) == insert_selfchecks.dump(twice)
    src = ["".join(c["source"]) for c in once["cells"]]
    h = src.index(insert_selfchecks.HEADING)
    checks = [f'selfcheck.show("{c.id}")' for c in selfcheck.REGISTRY.in_chapter("01_entropy")]
    assert src[h + 1:h + 1 + len(checks)] == checks
    assert src[h + 1 + len(checks)].startswith("## Summary")
    assert sum("from xentlib.course import audit, selfcheck" in s for s in src) == 1


def test_answers_page_lists_every_answer():
    text = (ROOT / "chapters" / "selfcheck_answers.md").read_text(encoding="utf-8")
    for cid in ALL:
        c = selfcheck.get(cid)
        assert c.question in text
        assert f"**Answer:** {c.answer_text()}" in text
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert toc.index("chapters/07_errata") < toc.index("chapters/selfcheck_answers")


def test_options_and_feedback_carry_light_maths_questions_typeset_maths():
    """On the site only the question's maths is typeset (about 700 bytes a formula); options and
    feedback show it as Unicode text with <sub>/<sup>, never as raw TeX."""
    for cid in ALL:
        legend, rest = selfcheck.get(cid).static_html().split("</legend>", 1)
        assert "\\(" not in rest and "\\)" not in rest and "$" not in rest, cid
    assert selfcheck.light_math(r"x \(e^{z_k} / \sum_j e^{z_j}\) y") == \
        "x e<sup>z<sub>k</sub></sup> / \u2211<sub>j</sub> e<sup>z<sub>j</sub></sup> y"
    assert selfcheck.light_math(r"\(H^\top \Delta\), \(-\ln Q_c \ge 0\)") == \
        "H<sup>\u22a4</sup> \u0394, \u2212ln Q<sub>c</sub> \u2265 0"
    with pytest.raises(ValueError, match=r"no plain form for \\frac"):
        selfcheck.light_math(r"\(\frac{a}{b}\)")
    with pytest.raises(ValueError, match="no plain form"):
        selfcheck.light_math(r"\(x^{y^{z}}_{\alpha}\)")


def test_answer_text_with_and_without_unit():
    assert _number().answer_text() == "3 bits (accepted within ±0.01 bits)"
    assert _number(unit=selfcheck.NO_UNIT).answer_text() == "3 (no unit; accepted within ±0.01)"
    assert _choice().answer_text() == "A. a"


def test_plain_text_has_no_tex():
    """The widget's radio labels and the text repr show maths as plain text, never as TeX."""
    for cid in ALL:
        text = selfcheck.get(cid).plain()
        assert "\\" not in text and "$" not in text and "{" not in text, text
    assert selfcheck.get("gradient-wrt-logits").plain().splitlines()[1] == "  A. Q \u2212 P"
