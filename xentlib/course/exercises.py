"""Exercises: instant feedback for the course's exercises.

Three kinds, one :class:`Exercise` class:

* **number** -- the answer is a number or an array (``asks`` says which, with its unit);
* **function** (``cases=`` given) -- the answer is a function the student writes
  from scratch with NumPy; the check calls it on every :class:`Case` (random
  inputs and edge cases) and compares it with ``reference`` (xentlib) called
  on the same arguments.  The feedback names the first failing input;
* **choice** (``choices=`` given) -- the answer is the key of one option
  (``"a"``, ``"b"``...), e.g. a prediction recorded before running a cell; a
  wrong option's hint names the misconception behind it.

In a chapter an exercise is: the ``{exercise}`` block, an **answer cell**
(tagged ``answer``, where the student writes), the **check cell**
``exercises.check("ID", name)``, then the folded worked solution, which
computes into names of its own (``solution_<name>``): *Run All* never
overwrites the student's answer, and the check judges only that answer.

In a notebook::

    >>> from xentlib.course import exercises
    >>> d = exercises.data("entropy-fair-die")          # the problem's numbers
    >>> exercises.check("entropy-fair-die", 12.0)
    [ex-entropy-fair-die] Not yet: 12 is not right.
    Hint: six equally likely outcomes: add -p·log2(p) over all six faces (or pass `base=2` to xl.entropy).

:func:`check` prints a right/wrong message; a wrong answer that matches a
*typical* mistake (bits instead of nats, the sign of a gradient, the order of
the arguments of KL, sum instead of mean, probabilities passed as logits...)
gets a hint aimed at that mistake.  :func:`evaluate` returns the verdict
(a :class:`Feedback`) without printing.  Reference answers are computed with
xentlib from the problem data, never typed in.

Each exercise is defined, next to its data, in its chapter's module
(``xentlib/course/chNN_*.py``) as ``register(Exercise(id=..., chapter=CHAPTER, ...))``.

**Student mode.**  The student edition (``tools/student_edition.py``) ships
``xent-answers.json`` next to its notebooks: for every exercise, salted SHA-256
hashes of the reference and of each typical mistake, each number rounded to
the exercise's grid (:func:`answer_record`).  When that file is in the
kernel's working directory (or ``$XENT_ANSWERS`` names it), the checkers
compare hashes of the student's rounded answer instead of numbers, and
``reference()`` and every ``Mistake.value()`` raise :class:`AnswerWithheld`:
the package's API no longer hands out the answers.  (A hash of a 4-digit
number can be brute-forced; the aim is that nothing *gives* the answer away.)
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import pathlib
import secrets
from collections.abc import Callable
from typing import Any

import numpy as np

import xentlib as xl

from .registry import Registry

__all__ = ["Exercise", "Mistake", "Case", "Feedback", "STYLES", "REGISTRY", "register", "exercise", "evaluate", "check",
           "data", "list_exercises", "mean_loss", "one_hot_row", "AnswerWithheld", "answer_record",
           "student_mode", "ANSWERS_FILE", "ANSWERS_ENV", "withheld"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Mistake:
    """A typical wrong answer: how to compute it, and the hint aimed at it."""

    name: str                      # short kebab-case name, e.g. "nats-not-bits"
    value: Callable[..., Any]      # computes the wrong answer (with xentlib); for a function
                                   # exercise it takes a case's arguments; for a choice it returns a key
    hint: str                      # what the student most likely did, and how to fix it (never the answer)
    unit: str | None = None        # the unit of this wrong value if not the exercise's ("nats" for bits asked; "" for none)


#: What an exercise trains, and the label its title ends with in the chapter ("... (find the bug)").
STYLES = {
    "warm-up": "warm-up",                 # call a function and store the number: at most one per chapter
    "from-scratch": "from scratch",       # write it with NumPy only (a function exercise)
    "predict": "predict, then run",       # record a prediction before the cell that shows the outcome
    "find-the-bug": "find the bug",       # a buggy snippet aimed at a real misconception
    "problem": "problem",                 # reasoning, derivation or experiment with a checked result
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Case:
    """One input a function exercise's check calls the student's function on."""

    name: str                      # what is special about it, as feedback names it: "a zero probability"
    args: tuple                    # positional arguments (arrays are passed as fresh copies)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Exercise:
    """One exercise: its id, chapter, the quantity asked for and how to check it.

    ``cases`` makes it a function exercise (``reference`` then takes a case's
    arguments), ``choices`` a choice exercise (``reference`` returns the right key).
    """

    id: str                        # e.g. "entropy-fair-die"; the site label is "ex-" + id
    chapter: str                   # notebook stem, e.g. "01_entropy"
    title: str
    asks: str                      # what the answer is, with its unit ("H in bits")
    unit: str                      # "bits", "nats", "" ...
    data: Callable[[], dict]       # the problem's numbers, as the statement gives them (fresh copies)
    reference: Callable[..., Any]  # computes the right answer with xentlib (never typed); takes a case's args for a function
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""                 # generic hint when the answer matches no known mistake
    rtol: float = 2e-3
    atol: float = 1e-6
    cases: Callable[[], list[Case]] | None = None   # function exercise: the inputs it is checked on
    choices: dict[str, str] | None = None           # choice exercise: key -> the option's text
    numpy_only: bool = True                         # function exercise: calling xentlib (or SciPy, torch) fails
    style: str = "problem"                          # one of STYLES: what the exercise trains
    nonfinite_hint: str = ""                        # function exercise: the hint when it returns inf or nan
    refuse: dict[str, str] | None = None            # function exercise: names its code may not use -> why
                                                    # (a "fix" that hides the symptom: abs of a negative KL)


    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"exercise {self.id!r}: style must be one of {sorted(STYLES)}, got {self.style!r}")
        if self.cases is not None and self.choices is not None:
            raise ValueError(f"exercise {self.id!r}: give cases= (a function) or choices= (a choice), not both")
        if self.choices is not None and (not self.choices or not all(isinstance(k, str) for k in self.choices)):
            raise ValueError(f"exercise {self.id!r}: choices must map string keys to the options' text")

    @property
    def label(self) -> str:
        return "ex-" + self.id

    @property
    def kind(self) -> str:
        """``"function"``, ``"choice"`` or ``"number"``."""
        return "function" if self.cases is not None else "choice" if self.choices is not None else "number"


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The verdict on one answer."""

    exercise: str
    correct: bool
    message: str
    mistake: str | None = None     # name of the recognised mistake, if any
    hint: str = ""

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return self.message


def _as_array(answer: Any) -> np.ndarray | None:
    """The answer as a float array, or None if it is not numeric."""
    if answer is None or answer is Ellipsis or isinstance(answer, (str, bytes)):
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _same_shape(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``a`` and ``b`` in one shape if they hold the same numbers up to axes of length 1.

    The course's functions return one row as shape ``(1, K)`` or ``(K,)`` and a
    scalar as ``()`` or ``(1,)``: every such form of the asked quantity is accepted.
    """
    if a.shape == b.shape:
        return a, b
    if a.size == b.size and np.squeeze(a).shape == np.squeeze(b).shape:
        return np.squeeze(a), np.squeeze(b)
    return None


def _close(a: np.ndarray, b: np.ndarray, ex: Exercise) -> bool:
    same = _same_shape(a, np.asarray(b, dtype=float))
    if same is None:
        return False
    a, b = same
    return bool(np.all(np.isfinite(a)) and np.allclose(a, b, rtol=ex.rtol, atol=ex.atol))


def _fmt(value: Any, unit: str, digits: int = 4) -> str:
    arr = np.asarray(value, dtype=float) + 0.0     # + 0.0: no "-0." in what a student reads
    if arr.ndim == 0:
        text = f"{float(arr):.{digits}g}"
    else:
        text = np.array2string(arr, precision=digits, separator=", ")
    return f"{text} {unit}".rstrip()


# ---------------------------------------------------------------------------
# Student mode: hashed answers (the student edition's xent-answers.json)
# ---------------------------------------------------------------------------
#: The file the student edition writes next to its notebooks.
ANSWERS_FILE = "xent-answers.json"
#: An environment variable naming that file explicitly (overrides the working directory).
ANSWERS_ENV = "XENT_ANSWERS"


class AnswerWithheld(RuntimeError):
    """Raised in student mode by ``reference()`` and ``Mistake.value()``."""


_BOOK: dict | None = None
_BOOK_LOADED = False


def _answer_book() -> dict | None:
    """The student edition's hashed answers, or None (teacher mode); read once."""
    global _BOOK, _BOOK_LOADED
    if not _BOOK_LOADED:
        path = os.environ.get(ANSWERS_ENV) or (ANSWERS_FILE if os.path.exists(ANSWERS_FILE) else "")
        if path:
            _BOOK = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        _BOOK_LOADED = True
    return _BOOK


def student_mode() -> bool:
    """True when the checkers judge by hashes (the student edition): answers are withheld."""
    return _answer_book() is not None


def _digits(ex: Exercise) -> int:
    """Significant digits of the hash grid: 4 for the default ``rtol=2e-3``."""
    return max(2, math.ceil(-math.log10(ex.rtol)) + 1)


def _canon(x: float, digits: int, atol: float, step: int = 0) -> str:
    """``x`` rounded to ``digits`` significant digits (moved by ``step`` in the last digit), as text."""
    if abs(x) <= atol:
        return "0"
    text = f"{x:.{digits - 1}e}"
    mant, exp = text.split("e")
    m = int(mant.replace(".", "").replace("-", "")) * (-1 if mant.startswith("-") else 1)
    return f"{(m + step) * 10.0 ** (int(exp) - digits + 1):.{digits - 1}e}"


def _hash(salt: str, i: int, text: str) -> str:
    return hashlib.sha256(f"{salt}|{i}|{text}".encode()).hexdigest()[:24]


def _value_record(value: Any, ex: Exercise, salt: str) -> dict:
    arr = np.asarray(value, dtype=float)
    d = _digits(ex)
    flat = np.squeeze(arr).ravel()
    return {"shape": list(arr.shape),
            "hashes": [sorted({_hash(salt, i, _canon(float(x), d, ex.atol)),
                               _hash(salt, i, _canon(float(x), d - 1, ex.atol))})
                       for i, x in enumerate(flat)]}


def answer_record(ex: Exercise, salt: str | None = None) -> dict:
    """What the student edition stores for ``ex``: salted hashes, never the numbers.

    Each number of the reference (and of each typical mistake) is rounded to
    ``_digits(ex)`` significant digits and to one digit fewer, and both are hashed.
    A student's number is accepted when, rounded the same way, it matches: at
    ``digits`` also one unit up or down in the last digit (so a value next to a
    rounding boundary passes), at ``digits - 1`` exactly.  Values within ``atol``
    of zero count as zero.  A choice's key is hashed as it is.  A function
    exercise stores nothing: its check compares the student's function with
    xentlib's, which is the course's library, not an answer.
    """
    salt = salt or secrets.token_hex(8)
    if ex.kind == "function":
        return {"salt": salt, "kind": "function"}
    if ex.kind == "choice":
        return {"salt": salt, "kind": "choice", "reference": _hash(salt, 0, _key(ex.reference())),
                "mistakes": {m.name: _hash(salt, 0, _key(m.value())) for m in ex.mistakes}}
    return {"salt": salt, "digits": _digits(ex),
            "reference": _value_record(ex.reference(), ex, salt),
            "mistakes": {m.name: _value_record(m.value(), ex, salt) for m in ex.mistakes}}


def _key(answer: Any) -> str:
    """A choice as the student may type it: ``"B"``, ``" b "``, ``"b)"`` and ``"(b)"`` are ``"b"``."""
    return str(answer).strip().strip("().").strip().lower()


def _shape_ok(shape: tuple[int, ...], ref_shape: tuple[int, ...]) -> bool:
    if shape == ref_shape:
        return True
    return (math.prod(shape) == math.prod(ref_shape)
            and tuple(n for n in shape if n != 1) == tuple(n for n in ref_shape if n != 1))


def _hash_match(arr: np.ndarray, rec: dict, salt: str, ex: Exercise) -> bool:
    if not _shape_ok(arr.shape, tuple(rec["shape"])) or not np.all(np.isfinite(arr)):
        return False
    d = _digits(ex)
    for i, x in enumerate(np.squeeze(arr).ravel()):
        cands = {_canon(float(x), d, ex.atol, step) for step in (-1, 0, 1)}
        cands.add(_canon(float(x), d - 1, ex.atol))
        if not {_hash(salt, i, c) for c in cands} & set(rec["hashes"][i]):
            return False
    return True


def _withheld(exercise_id: str, what: str) -> Callable[[], Any]:
    def withheld() -> Any:
        raise AnswerWithheld(f"[ex-{exercise_id}] the student edition does not hand out the {what}: "
                             f"check your own answer with exercises.check({exercise_id!r}, answer)")
    return withheld


def _sealed(ex: Exercise) -> Exercise:
    """``ex`` with its reference and mistakes' values replaced by :class:`AnswerWithheld`.

    A function exercise is left as it is: its reference is a xentlib function.
    """
    if ex.kind == "function":
        return ex
    return dataclasses.replace(
        ex, reference=_withheld(ex.id, "reference answer"),
        mistakes=tuple(dataclasses.replace(m, value=_withheld(ex.id, f"value of the mistake {m.name!r}"))
                       for m in ex.mistakes))


def _matchers(ex: Exercise) -> tuple[tuple[int, ...], Callable[[np.ndarray], bool],
                                     list[tuple[Mistake, Callable[[np.ndarray], bool]]]]:
    """The reference's shape, a test for the reference and one per mistake (numbers or hashes)."""
    book = _answer_book()
    if book is None:
        ref = np.asarray(ex.reference(), dtype=float)

        def near(value: Callable[[], Any]) -> Callable[[np.ndarray], bool]:
            return lambda a: _close(a, value(), ex)
        return ref.shape, (lambda a: _close(a, ref, ex)), [(m, near(m.value)) for m in ex.mistakes]
    if ex.id not in book.get("exercises", {}):
        raise KeyError(f"{ANSWERS_FILE} has no entry for exercise {ex.id!r}: write the student edition again")
    entry = book["exercises"][ex.id]
    salt = entry["salt"]

    def hashed(rec: dict) -> Callable[[np.ndarray], bool]:
        return lambda a: _hash_match(a, rec, salt, ex)
    return (tuple(entry["reference"]["shape"]), hashed(entry["reference"]),
            [(m, hashed(entry["mistakes"][m.name])) for m in ex.mistakes if m.name in entry["mistakes"]])


def _evaluate(ex: Exercise, answer: Any) -> Feedback:
    """Judge ``answer`` for exercise ``ex`` (no printing)."""
    if ex.kind == "function":
        return _evaluate_function(ex, answer)
    if ex.kind == "choice":
        return _evaluate_choice(ex, answer)
    arr = _as_array(answer)
    if arr is None:
        if answer is None or answer is Ellipsis:
            return Feedback(ex.id, False,
                            f"[{ex.label}] No answer yet: write {ex.asks} in the answer cell above "
                            f"(to {_digits(ex)} significant digits), run that cell, then this one.",
                            mistake="no-answer")
        return Feedback(ex.id, False,
                        f"[{ex.label}] Not yet: expected a number ({ex.asks}), got a {type(answer).__name__}.",
                        mistake="not-a-number")
    ref_shape, is_reference, mistakes = _matchers(ex)
    if is_reference(arr):
        # The value is not echoed: the check's output must not give the answer away.
        return Feedback(ex.id, True, f"[{ex.label}] Correct: that is {ex.asks}. Well done.")
    if not _shape_ok(arr.shape, ref_shape):
        return Feedback(ex.id, False,
                        f"[{ex.label}] Not yet: expected {_count(ref_shape)}, got {_count(arr.shape)}. "
                        f"Expected: {ex.asks}.",
                        mistake="wrong-shape")
    if not np.all(np.isfinite(arr)):
        return Feedback(ex.id, False,
                        f"[{ex.label}] Not yet: your answer contains inf or nan "
                        "(a log of 0, or an overflow in exp?).",
                        mistake="not-finite")
    for m, is_mistake in mistakes:
        if is_mistake(arr):
            # Name the value in the unit it is in (a nats value is "1.792 nats", not "1.792 bits").
            unit = ex.unit if m.unit is None else m.unit   # a value of a known mistake, in its unit
            return Feedback(ex.id, False,
                            f"[{ex.label}] Not yet: {_fmt(arr, unit)} is not right.\n"
                            f"Hint: {m.hint}",
                            mistake=m.name, hint=m.hint)
    if _answer_book() is None and _close(arr, ex.reference(), dataclasses.replace(ex, rtol=10 * ex.rtol)):
        # Near the answer: rounded too early or too coarsely (only where the reference is known:
        # the student edition compares hashes, which cannot tell near from far).
        return Feedback(ex.id, False,
                        f"[{ex.label}] Close, but not precise enough: give {_digits(ex)} significant digits. "
                        "Do not round the numbers you compute with; a value found by trial needs narrowing "
                        "down further.", mistake="not-precise")
    hint = ex.hint or f"Re-read what is asked: {ex.asks}."
    # No unit on an unrecognised value: it may not be in the exercise's unit at all (a probability).
    return Feedback(ex.id, False,
                    f"[{ex.label}] Not yet: {_fmt(arr, '')} is not right.\nHint: {hint}",
                    hint=hint)


def _count(shape: tuple[int, ...]) -> str:
    """A shape in words: "a single number", "3 numbers (shape (3,))"."""
    n = math.prod(shape)
    if shape == ():
        return "a plain number (shape ())"
    if n == 1:
        return f"an array holding 1 number (shape {shape})"
    return f"{n} numbers (shape {shape})"


# ---------------------------------------------------------------------------
# Choice exercises (a prediction, a diagnosis)
# ---------------------------------------------------------------------------
def _evaluate_choice(ex: Exercise, answer: Any) -> Feedback:
    choices = ex.choices
    assert choices is not None
    keys = ", ".join(f'"{k}"' for k in choices)
    if answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip()):
        return Feedback(ex.id, False, f"[{ex.label}] No answer yet: set it to one of {keys} in the answer cell "
                        "above, run that cell, then this one.", mistake="no-answer")
    key = _key(answer)
    if not isinstance(answer, str) or key not in choices:
        return Feedback(ex.id, False, f"[{ex.label}] Not yet: {answer!r} is not one of the options {keys}.",
                        mistake="not-an-option")
    book = _answer_book()
    if book is None:
        def chose(value: Callable[..., Any]) -> bool:
            return key == _key(value())
    else:
        if ex.id not in book.get("exercises", {}):
            raise KeyError(f"{ANSWERS_FILE} has no entry for exercise {ex.id!r}: write the student edition again")
        entry = book["exercises"][ex.id]
        mine = _hash(entry["salt"], 0, key)

        def chose(value: Callable[..., Any]) -> bool:   # value is the record's hash here
            return mine == value()
        ex = dataclasses.replace(ex, reference=lambda: entry["reference"],
                                 mistakes=tuple(dataclasses.replace(m, value=(lambda h=entry["mistakes"][m.name]: h))
                                                for m in ex.mistakes if m.name in entry["mistakes"]))
    if chose(ex.reference):
        return Feedback(ex.id, True, f"[{ex.label}] Correct: ({key}) {choices[key].rstrip('.')}. Well done.")
    for m in ex.mistakes:
        if chose(m.value):
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: ({key}) is not right.\nHint: {m.hint}",
                            mistake=m.name, hint=m.hint)
    hint = ex.hint or f"Re-read what is asked: {ex.asks}."
    return Feedback(ex.id, False, f"[{ex.label}] Not yet: ({key}) is not right.\nHint: {hint}", hint=hint)


# ---------------------------------------------------------------------------
# Function exercises (written from scratch with NumPy)
# ---------------------------------------------------------------------------
#: Modules a from-scratch function must not call (NumPy only).
FORBIDDEN_MODULES = ("xentlib", "scipy", "torch", "tensorflow", "sklearn", "jax")


def _forbidden_calls(fn: Callable[..., Any]) -> list[str]:
    """The names ``fn`` (and functions nested in it) reads that belong to a forbidden module.

    Three ways in: a global (``xl.entropy`` with ``import xentlib as xl`` at the top of the
    notebook), a module held by a closure, and an ``import`` inside the function.  A function
    held by a closure is not flagged: the course's own tests pass the reference that way.
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        return []
    glb = getattr(fn, "__globals__", {})

    def top(obj: Any) -> str:
        mod = obj.__name__ if isinstance(obj, type(np)) else getattr(obj, "__module__", "") or ""
        return str(mod).split(".")[0]

    found: list[str] = []
    for name, cell in zip(code.co_freevars, getattr(fn, "__closure__", None) or (), strict=False):
        try:
            obj = cell.cell_contents
        except ValueError:      # an empty cell
            continue
        if isinstance(obj, type(np)) and top(obj) in FORBIDDEN_MODULES:
            found.append(name)
    for name in _code_names(fn):
        obj = glb.get(name)
        if name in FORBIDDEN_MODULES or (obj is not None and top(obj) in FORBIDDEN_MODULES):
            found.append(name)
    return sorted(set(found))


def _same_elsewhere(fn: Callable[..., Any], m: Mistake, cases: list[Case], seen: Case, ex: Exercise) -> bool:
    """Whether ``fn`` also gives the mistake's result on the other inputs: a mistake is named only
    when the student's function behaves like it throughout, not by a coincidence on one input."""
    for case in cases:
        if case is seen:
            continue
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(fn(*_copy_args(case.args)), dtype=float)
                wrong = np.asarray(m.value(*_copy_args(case.args)), dtype=float)
        except Exception:  # noqa: BLE001  (either may not apply to this input)
            continue
        if np.all(np.isfinite(wrong)) and not _close(got, wrong, ex):
            return False
    return True


def _code_names(fn: Callable[..., Any]) -> list[str]:
    """Every global or attribute name the code of ``fn`` (and of functions nested in it) reads."""
    code = getattr(fn, "__code__", None)
    stack, names = ([code] if code is not None else []), []
    while stack:
        c = stack.pop()
        names += list(c.co_names)
        stack.extend(k for k in c.co_consts if hasattr(k, "co_names"))
    return names


def _show_args(args: tuple) -> str:
    def one(a: Any) -> str:
        if isinstance(a, np.ndarray):     # as code a student can paste to try it
            return "np.array(" + np.array2string(a, precision=4, separator=", ", threshold=12) + ")"
        return repr(a)
    return ", ".join(one(a) for a in args)


def _copy_args(args: tuple) -> tuple:
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def _evaluate_function(ex: Exercise, fn: Any) -> Feedback:
    assert ex.cases is not None
    if fn is None or fn is Ellipsis:
        return Feedback(ex.id, False, f"[{ex.label}] No answer yet: write the function in the answer cell "
                        f"above ({ex.asks}), run that cell, then this one.", mistake="no-answer")
    if not callable(fn):
        return Feedback(ex.id, False, f"[{ex.label}] Not yet: expected a function ({ex.asks}), "
                        f"got a {type(fn).__name__}.", mistake="not-a-function")
    name = getattr(fn, "__name__", "your function")
    if ex.numpy_only:
        bad = _forbidden_calls(fn)
        if bad:
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: `{name}` calls {', '.join(f'`{b}`' for b in bad)}. "
                            "Write it from scratch with NumPy only: that is the exercise.", mistake="not-numpy-only")
    if ex.refuse:
        used = set(_code_names(fn)) & set(ex.refuse)
        if used:
            why = ex.refuse[sorted(used)[0]]
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: `{name}` uses `{sorted(used)[0]}`.\nHint: {why}",
                            mistake="refused-name", hint=why)
    cases = ex.cases()
    for case in cases:
        call = f"{name}({_show_args(case.args)})"
        args = _copy_args(case.args)
        try:
            got = fn(*args)
        except Exception as err:  # noqa: BLE001  (the student's code may raise anything)
            hint = "paste the call above into a cell and run it to see the line that fails"
            if isinstance(err, TypeError):
                hint += " (the `math` module's functions take one number; NumPy's, such as `np.exp`, take arrays)"
            elif isinstance(err, IndexError):
                hint += (" (an index went past the end of an array: build sizes from the inputs' shapes, "
                         "not from the values they happen to hold)")
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: on {case.name}, {call} raised "
                            f"{type(err).__name__}: {err}\nHint: {hint}.", mistake="raised")
        if got is None:
            return Feedback(ex.id, False, f"[{ex.label}] No answer yet: {call} returns None. Write its body "
                            "(ending with `return ...`) in the answer cell above, run that cell, then this one.",
                            mistake="no-answer")
        if any(isinstance(a, np.ndarray) and not np.array_equal(a, b, equal_nan=True)
               for a, b in zip(args, case.args, strict=True)):
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: on {case.name}, {call} changed its input "
                            "array. Work on a copy (or on new arrays): the caller still needs its data.",
                            mistake="changed-input")
        ref = np.asarray(ex.reference(*_copy_args(case.args)), dtype=float)
        arr = _as_array(got)
        if arr is None:
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: {call} returned a {type(got).__name__}, "
                            f"not a number ({ex.asks}).", mistake="not-a-number")
        if arr.shape != ref.shape:
            # Strict: "one number per row" is shape (rows,), not (rows, 1); a scalar is ().
            same = (" The numbers may be right: drop `keepdims=True`, or `np.squeeze` the result."
                    if arr.size == ref.size else "")
            return Feedback(ex.id, False, f"[{ex.label}] Not yet: on {case.name}, {call} returned "
                            f"{_count(arr.shape)}, expected {_count(ref.shape)} ({ex.asks}).{same}",
                            mistake="wrong-shape")
        if _close(arr, ref, ex):
            continue
        head = (f"[{ex.label}] Not yet: on {case.name}, {call} returned {_fmt(arr, '', 6)}; "
                f"expected {_fmt(ref, ex.unit, 6)}.")
        if not np.all(np.isfinite(arr)):
            hint = ex.nonfinite_hint or ("inf or nan on this input: look for a log of 0, or an exp of a "
                                         "large number (print the intermediate arrays for this input).")
            return Feedback(ex.id, False, f"{head}\nHint: {hint}", mistake="not-finite", hint=hint)
        for m in ex.mistakes:
            try:
                wrong = m.value(*_copy_args(case.args))
            except Exception:  # noqa: BLE001  (a mistake may not apply to this input)
                continue
            if _close(arr, np.asarray(wrong, dtype=float), ex) and _same_elsewhere(fn, m, cases, case, ex):
                return Feedback(ex.id, False, f"{head}\nHint: {m.hint}", mistake=m.name, hint=m.hint)
        hint = ex.hint or f"Re-read what is asked: {ex.asks}."
        return Feedback(ex.id, False, f"{head}\nHint: {hint}", hint=hint)
    kinds = ", ".join(dict.fromkeys(c.name for c in cases))
    return Feedback(ex.id, True, f"[{ex.label}] Correct: `{name}` agrees with xentlib on all {len(cases)} inputs "
                    f"({kinds}). Well done.")


#: Every exercise, by id (without the ``ex-`` prefix of its site label).
REGISTRY: Registry[Exercise] = Registry("exercise")


def register(ex: Exercise) -> Exercise:
    """Add an exercise to :data:`REGISTRY` (done by its chapter's module); return it."""
    if not isinstance(ex, Exercise):
        raise TypeError(f"ex must be an Exercise, got {type(ex).__name__}")
    # Student mode (the student edition's xent-answers.json is present): the registry holds
    # only sealed exercises, whose reference and mistakes' values raise AnswerWithheld.
    return REGISTRY.add(_sealed(ex) if student_mode() else ex)


def exercise(exercise_id: str) -> Exercise:
    """The :class:`Exercise` with this id (``"ex-"`` prefix optional)."""
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string, got {type(exercise_id).__name__}")
    return REGISTRY.get(exercise_id.removeprefix("ex-"))


def evaluate(exercise_id: str, answer: Any) -> Feedback:
    """Judge ``answer`` without printing; returns a :class:`Feedback` (truthy if right)."""
    return _evaluate(exercise(exercise_id), answer)


def check(exercise_id: str, answer: Any) -> None:
    """Print whether ``answer`` is right, with a hint aimed at the typical mistake.

    ``answer`` is a number (or array), a function (a from-scratch exercise) or
    an option's key (a choice), as the exercise asks.
    """
    print(evaluate(exercise_id, answer).message)


def data(exercise_id: str) -> dict:
    """The problem's numbers (fresh copies), as stated in the exercise."""
    return exercise(exercise_id).data()


def list_exercises(chapter: str | None = None) -> list[Exercise]:
    """Every exercise, or those of one chapter (notebook stem, e.g. ``"01_entropy"``)."""
    return REGISTRY.values() if chapter is None else REGISTRY.in_chapter(chapter)


# ---------------------------------------------------------------------------
# Small helpers the chapters' checkers share
# ---------------------------------------------------------------------------
def mean_loss(logits: Any, target: Any, **kw: Any) -> float:
    """Mean softmax cross-entropy in nats of one row (or a batch) of logits."""
    return float(xl.softmax_cross_entropy(np.atleast_2d(logits), np.atleast_1d(target), **kw))


def one_hot_row(k: int, n: int) -> np.ndarray:
    """The float64 one-hot vector of length ``n`` with a 1 at index ``k``."""
    v = np.zeros(n)
    v[k] = 1.0
    return v


def withheld(*args: Any, **kwargs: Any) -> Any:
    """What stands for every answer in the students' package (``tools/student_package.py``).

    Raises :class:`AnswerWithheld`: that package holds no code that computes an answer.
    """
    raise AnswerWithheld("the students' package does not hold the answers: check your own answer with "
                         "exercises.check(id, answer)")
