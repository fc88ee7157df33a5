"""Optimal prefix codes: Huffman and Shannon code lengths, codewords, Kraft sums.

A **prefix code** gives every symbol a string of bits (a *codeword*) such that
no codeword begins another one, so a stream of codewords can be read back
without separators. Its cost is the expected length
:math:`\\sum_i p_i \\ell_i` in bits per symbol. Chapter 2 of the course uses
these functions to show that entropy is the average length of the best code
and cross-entropy the average length of a code built for the wrong
distribution.

Conventions (the same in every function):

* one distribution at a time: ``p`` is a 1-d array that sums to 1 (NaN,
  negative entries, an empty array or a wrong sum raise ``ValueError``
  naming ``p``);
* lengths are in **bits** (binary codes) and returned as float64, so that
  a symbol of probability 0, which is **excluded** from the code (it never
  occurs, so it gets no codeword), can have length ``inf`` and codeword
  ``None``; in :func:`expected_length` its term counts as
  :math:`0 \\cdot \\infty = 0`;
* codewords are assigned canonically (:func:`prefix_code`): shorter codewords
  first, ties in symbol order, so the same lengths always give the same code.
"""
from __future__ import annotations

import heapq
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from . import _validate as V

__all__ = ["code_lengths", "huffman_code", "prefix_code", "kraft_sum", "expected_length"]

# -log2(q) is rounded up; values within this distance above an integer count as that integer
# (so that -log2(0.125) computed as 3.0000000000000004 still gives 3).
_ROUND_TOL = 1e-9


def _distribution(p: ArrayLike, name: str = "p") -> np.ndarray:
    arr = V.as_float(p, name, np.dtype(np.float64))
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected a 1-d array (a distribution), got a scalar")
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d array (one distribution), got shape {arr.shape}")
    return V.check_probabilities(arr, name, 0)


def _lengths(lengths: ArrayLike, name: str = "lengths") -> np.ndarray:
    arr = V.as_float(lengths, name, np.dtype(np.float64))
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected a 1-d array (one length per symbol), got a scalar")
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d array (one length per symbol), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name}: empty (a code needs at least one symbol)")
    nan = np.isnan(arr)
    if nan.any():
        raise ValueError(f"{name}: contains NaN at index {V.first_index(nan)}")
    finite = np.isfinite(arr)
    bad = (arr < 0) | (finite & (arr != np.round(arr))) | (arr == -np.inf)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: a length must be a whole number of bits >= 0 (or inf for an "
                         f"excluded symbol); got {arr[i]:g} at index {i}")
    return arr


def code_lengths(p: ArrayLike, *, method: Literal["huffman", "shannon"] = "huffman") -> np.ndarray:
    r"""Codeword lengths, in bits, of an optimal (Huffman) or a Shannon prefix code for ``p``.

    Parameters
    ----------
    p : array_like
        One probability distribution (1-d, sums to 1).
    method : {"huffman", "shannon"}, optional
        ``"huffman"`` (default): Huffman's algorithm, which repeatedly merges
        the two least likely entries; its lengths minimise the expected
        length :math:`\sum_i p_i \ell_i` over all prefix codes, and
        :math:`H(p) \le \sum_i p_i \ell_i < H(p) + 1` bits.
        ``"shannon"``: :math:`\ell_i = \lceil -\log_2 p_i \rceil`, the
        surprise rounded up to whole bits; not always optimal, also within
        1 bit of :math:`H(p)`. Both give :math:`\ell_i = -\log_2 p_i`
        exactly when every :math:`p_i` is a power of 1/2.

    Returns
    -------
    numpy.ndarray
        float64 lengths, one per symbol: whole numbers, and ``inf`` for a
        symbol of probability 0 (excluded: it gets no codeword). A
        distribution with a single possible symbol gets length 0 (nothing
        needs to be sent).

    Raises
    ------
    ValueError
        A 0-d ``p`` ("p: expected a 1-d array (a distribution), got a
        scalar"), a ``p`` with more than one dimension, an empty ``p``, NaN,
        infinity, a negative entry or a sum that is not 1; an unknown
        ``method``.
    TypeError
        Non-numeric ``p``.

    Notes
    -----
    Ties between equal probabilities are broken deterministically: among
    entries of equal weight, the one created first is merged first (symbols
    in index order, then merged groups in order of creation). Different
    tie-breaks can give different lengths with the same, optimal, expected
    length.

    Examples
    --------
    >>> from xentlib.coding import code_lengths
    >>> code_lengths([0.5, 0.25, 0.125, 0.125])
    array([1., 2., 3., 3.])
    >>> code_lengths([0.4, 0.3, 0.2, 0.1], method="shannon")
    array([2., 2., 3., 4.])
    >>> code_lengths([0.4, 0.3, 0.2, 0.1])
    array([1., 2., 3., 3.])
    >>> code_lengths([0.5, 0.5, 0.0])      # the impossible symbol is excluded
    array([ 1.,  1., inf])
    """
    arr = _distribution(p)
    if method not in ("huffman", "shannon"):
        raise ValueError(f"method: must be 'huffman' or 'shannon', got {method!r}")
    out = np.full(arr.shape, np.inf)
    support = np.flatnonzero(arr > 0)
    if method == "shannon":
        with np.errstate(divide="ignore"):
            surprise = -np.log2(arr[support])
        out[support] = np.maximum(np.ceil(surprise - _ROUND_TOL), 0.0)
        return out
    if support.size == 1:
        out[support] = 0.0
        return out
    # Huffman: a heap of (weight, creation order, symbols below this node).
    heap: list[tuple[float, int, list[int]]] = [(float(arr[i]), k, [int(i)]) for k, i in enumerate(support)]
    heapq.heapify(heap)
    depth = dict.fromkeys((int(i) for i in support), 0)
    order = len(heap)
    while len(heap) > 1:
        w1, _, s1 = heapq.heappop(heap)
        w2, _, s2 = heapq.heappop(heap)
        for i in s1 + s2:
            depth[i] += 1
        heapq.heappush(heap, (w1 + w2, order, s1 + s2))
        order += 1
    for i, d in depth.items():
        out[i] = float(d)
    return out


def kraft_sum(lengths: ArrayLike) -> np.float64:
    r"""Kraft sum :math:`\sum_i 2^{-\ell_i}` of codeword lengths (in bits).

    Kraft's inequality: a prefix code with these lengths exists if and only
    if the sum is at most 1. A sum of exactly 1 means no codeword could be
    made shorter (the code is complete), as for every Huffman code with at
    least two symbols.

    Parameters
    ----------
    lengths : array_like
        Whole numbers of bits, >= 0, one per symbol; ``inf`` for an excluded
        symbol (it adds :math:`2^{-\infty} = 0`).

    Returns
    -------
    numpy.float64
        The Kraft sum, no unit.

    Raises
    ------
    ValueError
        A 0-d ``lengths`` ("lengths: expected a 1-d array ..., got a
        scalar"), an empty array, NaN, or a length that is negative or not
        a whole number.
    TypeError
        Non-numeric ``lengths``.

    Examples
    --------
    >>> from xentlib.coding import kraft_sum
    >>> float(kraft_sum([1, 2, 3, 3]))       # 1/2 + 1/4 + 1/8 + 1/8
    1.0
    >>> float(kraft_sum([1, 1, 2]))          # too short: no prefix code has these lengths
    1.25
    """
    arr = _lengths(lengths)
    return np.float64(np.sum(np.exp2(-arr)))


def prefix_code(lengths: ArrayLike) -> list[str | None]:
    """The canonical binary prefix code with the given codeword lengths.

    Symbols are taken shortest codeword first (ties in symbol order); each
    gets the previous codeword plus one, padded with zeros to its length.
    This always works when the Kraft sum is at most 1 (Kraft's inequality),
    and the result is prefix-free: no codeword begins another.

    Parameters
    ----------
    lengths : array_like
        Whole numbers of bits, >= 0, one per symbol (e.g. from
        :func:`code_lengths`); ``inf`` for an excluded symbol.

    Returns
    -------
    list of str or None
        One codeword per symbol, a string of ``"0"`` and ``"1"``; ``None``
        for an excluded symbol (length ``inf``).

    Raises
    ------
    ValueError
        A 0-d ``lengths`` ("lengths: expected a 1-d array ..., got a
        scalar"), an empty array, NaN, a length that is negative or not a
        whole number, or a Kraft sum above 1 (no prefix code has these
        lengths; a length 0 beside other symbols is one).
    TypeError
        Non-numeric ``lengths``.

    Examples
    --------
    >>> from xentlib.coding import prefix_code
    >>> prefix_code([1, 2, 3, 3])
    ['0', '10', '110', '111']
    >>> prefix_code([2, 2, 2, 2])
    ['00', '01', '10', '11']
    >>> prefix_code([2, 1, float("inf")])
    ['10', '0', None]
    """
    arr = _lengths(lengths)
    total = float(np.sum(np.exp2(-arr)))
    if total > 1 + 1e-12:
        raise ValueError(f"lengths: Kraft sum is {total:g} > 1, so no prefix code has these lengths")
    used = np.flatnonzero(np.isfinite(arr))
    codes: list[str | None] = [None] * arr.size
    value, prev = -1, 0
    for i in sorted(used.tolist(), key=lambda k: (arr[k], k)):
        n = int(arr[i])
        value = (value + 1) << (n - prev) if value >= 0 else 0
        prev = n
        codes[i] = format(value, f"0{n}b") if n > 0 else ""
    return codes


def huffman_code(p: ArrayLike) -> list[str | None]:
    r"""An optimal binary prefix code (Huffman code) for the distribution ``p``.

    No prefix code has a smaller expected length :math:`\sum_i p_i \ell_i`,
    and :math:`H(p) \le \sum_i p_i \ell_i < H(p) + 1` bits, with equality on
    the left when every :math:`p_i` is a power of 1/2. The lengths are
    :func:`code_lengths`\ ``(p)``, the codewords :func:`prefix_code` of them.

    Parameters
    ----------
    p : array_like
        One probability distribution (1-d, sums to 1).

    Returns
    -------
    list of str or None
        One codeword per symbol; ``None`` for a symbol of probability 0
        (excluded: it never occurs). A single possible symbol gets the empty
        codeword ``""``.

    Raises
    ------
    ValueError
        A 0-d ``p`` ("p: expected a 1-d array (a distribution), got a
        scalar"), a ``p`` with more than one dimension, an empty ``p``, NaN,
        infinity, a negative entry or a sum that is not 1.
    TypeError
        Non-numeric ``p``.

    Examples
    --------
    >>> from xentlib.coding import huffman_code
    >>> huffman_code([0.5, 0.25, 0.125, 0.125])
    ['0', '10', '110', '111']
    >>> huffman_code([0.25, 0.25, 0.25, 0.25])
    ['00', '01', '10', '11']
    >>> huffman_code([0.0, 0.6, 0.4])
    [None, '0', '1']
    """
    return prefix_code(code_lengths(p))


def expected_length(lengths: ArrayLike, p: ArrayLike) -> np.float64:
    r"""Expected codeword length :math:`\sum_i p_i \ell_i`, in bits per symbol.

    With the lengths of a code built for a distribution ``q`` and symbols
    drawn from ``p``, this is the average cost of the code on that data:
    about :math:`H(p)` bits when ``q = p``, about the cross-entropy
    :math:`H(p, q)` when not (exactly, when every :math:`q_i` is a power of
    1/2 and the code is a Huffman or Shannon code for ``q``).

    Parameters
    ----------
    lengths : array_like
        Whole numbers of bits, >= 0, one per symbol; ``inf`` for a symbol
        the code excludes.
    p : array_like
        The distribution the symbols are drawn from (1-d, sums to 1, same
        length as ``lengths``).

    Returns
    -------
    numpy.float64
        Bits per symbol; ``inf`` if a symbol with :math:`p_i > 0` has no
        codeword (a term :math:`0 \cdot \infty` counts as 0).

    Raises
    ------
    ValueError
        A 0-d ``lengths`` or ``p`` ("...: expected a 1-d array ..., got a
        scalar"), an empty array, NaN, a negative or fractional length, a
        ``p`` that is not a distribution, or different lengths of
        ``lengths`` and ``p``.
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> from xentlib.coding import code_lengths, expected_length
    >>> p = [0.5, 0.25, 0.125, 0.125]
    >>> float(expected_length(code_lengths(p), p))          # = H(p)
    1.75
    >>> float(expected_length([2, 2, 2, 2], p))             # fixed-length code
    2.0
    >>> float(expected_length(code_lengths([0.25] * 4), p))  # code built for the uniform q: H(p, q)
    2.0
    """
    ell = _lengths(lengths)
    pa = _distribution(p)
    if ell.shape != pa.shape:
        raise ValueError(f"p: shape mismatch: lengths has shape {ell.shape} but p has shape {pa.shape}")
    used = pa > 0
    return np.float64(np.sum(pa[used] * ell[used]))
