"""Claims: one record per audited claim of the source article.

Every sentence of the source that states a mathematical or factual claim is
registered here once, as a :class:`Claim`.  The chapter boxes
(:func:`xentlib.course.audit.show`) and the errata page
(:func:`xentlib.course.audit.errata`)
are rendered from this registry, and the tests check every entry with
:func:`verify`:

* a claim whose verdict is not ``"correct"`` carries a counterexample (its
  :class:`Evidence`, computed by xentlib) and a predicate ``source_holds``
  saying whether the *source's* statement holds on that evidence; the
  predicate must return ``False``;
* a ``"correct"`` claim carries ``random_check(rng) -> bool``, which must hold
  on random instances for every seed.

The verdict rule
----------------
Read each sentence as a competent reader of the source, in its own context,
would.  Where that reading is true, the verdict is correct, with a note on any
ambiguity.  An evidence line refutes only a reading that the source's words
support.  Sentences that make the same kind of statement are judged alike, or
the box says why not.  So every claim gets one of four verdicts (the
introduction states the same rule):

* **correct**: read that way, the sentence is true (a note names any ambiguity or slip of wording);
* **incorrect**: read that way, the sentence is false, shown by a counterexample;
* **ill-posed**: a garbled formula or notation, or wording too loose to be true or false even
  read that way;
* **code bug**: quoted code that fails or does something other than the text says.

A true claim is never refuted by a strawman reading.  A slip of a single term
(增加性 for 可加性) is noted and the sentence judged on what it plainly means.  A
garbled formula that still says something definite (``H(X) = k log k - k log k``,
i.e. ``H(X) = 0``) is judged on what it says.  What the evidence tested is stated,
never implied: a correct claim names what its random check tests (``checks``,
printed "Checked on N random cases: always true. What was checked: <checks>."); any
other claim names the reading its counterexample refutes (``reading``, printed "This
example refutes the reading: <reading>.").  Claims quoting the same source wording
share a ``kin`` name and get the same verdict, or each one that differs says why
(``differs``, printed in its box).

Examples
--------
>>> import numpy as np
>>> from xentlib.course.claims import Claim, Evidence, verify
>>> c = Claim(id="demo-square", section="0", chapter="00_introduction",
...           source_zh="平方非负。", translation="Squares are non-negative.",
...           verdict="correct", correct="Squares of reals are non-negative.",
...           checks="x**2 >= 0 for a random normal x",
...           random_check=lambda rng: float(rng.normal()) ** 2 >= 0)
>>> verify(c, seeds=range(5))
True
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .registry import ID_PATTERN, Registry, check_chapter, check_id

#: The four verdicts, in the order the errata page lists them.
VERDICTS: tuple[str, ...] = ("correct", "incorrect", "ill-posed", "code bug")

#: The verdict rule, one line per verdict, after the charitable reading ("read that way": as a competent
#: reader of the source would, in its own context); the module docstring and the introduction say the same.
RULE: dict[str, str] = {
    "correct": "read that way, the sentence is true (a note names any ambiguity or slip of wording)",
    "incorrect": "read that way, the sentence is false, shown by a counterexample",
    "ill-posed": "a garbled formula or notation, or wording too loose to be true or false even read that way",
    "code bug": "quoted code that fails or does something other than the text says",
}


@dataclass(frozen=True)
class Evidence:
    """What a claim's evidence function computes.

    Parameters
    ----------
    text:
        Printed under the claim (plain text, every number with its unit).
    values:
        The raw numbers behind ``text``, for tests and for ``source_holds``.
    figure:
        ``None`` or a zero-argument callable returning a matplotlib Figure.
    """

    text: str
    values: dict[str, Any] = field(default_factory=dict)
    figure: Callable[[], Any] | None = None


@dataclass(frozen=True)
class Claim:
    """One audited claim of the source article (see the module docstring)."""

    id: str
    section: str
    chapter: str
    source_zh: str
    translation: str
    verdict: str
    correct: str
    evidence: Callable[[], Evidence] | None = None
    source_holds: Callable[[Evidence], bool] | None = None
    random_check: Callable[[np.random.Generator], bool] | None = None
    note: str = ""
    #: correct claims: what the random check tests (the source's sentence, or which elaboration).
    checks: str = ""
    #: other claims: the reading of the source that the counterexample refutes.
    reading: str = ""
    #: the shared source wording (e.g. ``"unit-is-bit"``): claims of one kin get one verdict ...
    kin: str = ""
    #: ... or say why this claim's verdict differs from its kin's.
    differs: str = ""

    @property
    def anchor(self) -> str:
        """The HTML id of the claim's box on the site (``claim-<id>``)."""
        return f"claim-{self.id}"

    @property
    def href(self) -> str:
        """Link to the claim's box, relative to a page in ``chapters/``."""
        return f"{self.chapter}.html#{self.anchor}"


#: Every registered claim, by id, in registration order.
REGISTRY: Registry[Claim] = Registry("claim")


def validate(claim: Claim) -> None:
    """Raise ``ValueError`` (naming the field) if ``claim`` is malformed."""
    if not isinstance(claim, Claim):
        raise TypeError(f"claim must be a Claim, got {type(claim).__name__}")
    check_id("claim", claim.id)
    if claim.verdict not in VERDICTS:
        raise ValueError(f"claim {claim.id!r}: verdict must be one of {VERDICTS}, got {claim.verdict!r}")
    check_chapter("claim", claim.id, claim.chapter)
    for name in ("section", "source_zh", "translation", "correct"):
        value = getattr(claim, name)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"claim {claim.id!r}: {name} must be a non-empty string")
    for name in ("evidence", "source_holds", "random_check"):
        value = getattr(claim, name)
        if value is not None and not callable(value):
            raise ValueError(f"claim {claim.id!r}: {name} must be callable or None")
    for name in ("note", "checks", "reading", "kin", "differs"):
        if not isinstance(getattr(claim, name), str):
            raise ValueError(f"claim {claim.id!r}: {name} must be a string")
    if claim.kin and not ID_PATTERN.match(claim.kin):
        raise ValueError(f"claim {claim.id!r}: kin must be kebab-case (a-z, 0-9, '-'), got {claim.kin!r}")
    if claim.differs.strip() and not claim.kin.strip():
        raise ValueError(f"claim {claim.id!r}: differs names a difference from its kin, so it needs kin")
    if claim.verdict == "correct":
        if claim.random_check is None:
            raise ValueError(f"claim {claim.id!r}: a 'correct' claim needs random_check(rng) -> bool")
        if not claim.checks.strip():
            raise ValueError(f"claim {claim.id!r}: a 'correct' claim needs checks (what its random check tests)")
        if claim.reading.strip():
            raise ValueError(f"claim {claim.id!r}: reading is for claims with a counterexample, not 'correct' ones")
    else:
        if not claim.reading.strip():
            raise ValueError(f"claim {claim.id!r}: a {claim.verdict!r} claim needs reading "
                             "(the reading of the source its counterexample refutes)")
        if claim.checks.strip():
            raise ValueError(f"claim {claim.id!r}: checks is for 'correct' claims; a {claim.verdict!r} claim has reading")
        if claim.evidence is None:
            raise ValueError(f"claim {claim.id!r}: a {claim.verdict!r} claim needs evidence() "
                             "(a counterexample computed by xentlib)")
        if claim.source_holds is None:
            raise ValueError(f"claim {claim.id!r}: a {claim.verdict!r} claim needs source_holds(evidence)")


def _same_definition(a: Claim, b: Claim) -> bool:
    """True when ``b`` re-registers ``a`` (a re-import of the same module)."""
    fa, fb = a.evidence or a.random_check, b.evidence or b.random_check
    return (getattr(fa, "__module__", None), getattr(fa, "__qualname__", None)) == (
        getattr(fb, "__module__", None), getattr(fb, "__qualname__", None))


def register(claim: Claim) -> Claim:
    """Validate ``claim`` and add it to :data:`REGISTRY`; return it.

    Raises ``ValueError`` for a duplicate id (unless the same module is
    re-imported, e.g. by ``importlib.reload``), a verdict outside
    :data:`VERDICTS`, a non-correct claim without ``evidence`` and
    ``source_holds``, or a correct claim without ``random_check``.
    """
    validate(claim)
    old = REGISTRY.find(claim.id)
    REGISTRY.add(claim, replace_same=old is not None and _same_definition(old, claim))
    return claim


def verify(claim: Claim, *, seeds: Iterable[int] = range(50)) -> bool:
    """Check a claim against its verdict; return True if the audit stands.

    * non-correct claim: the source's statement must FAIL on the evidence,
      i.e. ``source_holds(evidence())`` is False;
    * correct claim: ``random_check(np.random.default_rng(s))`` is True for
      every seed ``s`` (and, if the claim has evidence, ``source_holds`` --
      when given -- is True on it).
    """
    if claim.verdict != "correct":
        assert claim.evidence is not None and claim.source_holds is not None  # validate() ensures it
        ev = claim.evidence()
        if not isinstance(ev, Evidence):
            raise TypeError(f"claim {claim.id!r}: evidence() must return an Evidence")
        return not bool(claim.source_holds(ev))
    assert claim.random_check is not None  # validate() ensures it
    for s in seeds:
        if not bool(claim.random_check(np.random.default_rng(s))):
            return False
    if claim.evidence is not None and claim.source_holds is not None:
        return bool(claim.source_holds(claim.evidence()))
    return True


# --------------------------------------------------------------------------
# Helpers the chapters' claims share
# --------------------------------------------------------------------------
def random_distribution(rng: np.random.Generator, n: int | None = None, *, sparse: bool = True) -> np.ndarray:
    """A random distribution on ``n`` outcomes (2-8 if ``None``; some exact zeros if ``sparse``)."""
    n = int(rng.integers(2, 9)) if n is None else n
    w = rng.dirichlet(np.full(n, rng.uniform(0.2, 3.0)))
    if sparse and n > 2 and rng.random() < 0.5:
        w[rng.integers(0, n)] = 0.0
        w = w / w.sum()
    return w


def tuple_text(p: Any) -> str:
    """A distribution as ``(0.5, 0.25, 0.25)`` (shortest exact-looking form of each entry)."""
    return "(" + ", ".join(f"{x:g}" for x in np.asarray(p, dtype=float)) + ")"
