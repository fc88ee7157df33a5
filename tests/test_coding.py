"""xentlib.coding: Huffman and Shannon prefix codes against definitions checked here.

Every expected value is derived in this file, never taken from xentlib.coding: prefix-freeness
and Kraft sums are computed from the codeword strings, entropies with ``math.log2``, and the
optimal expected length by brute force over every length vector that Kraft's inequality
allows (which, by Kraft-McMillan, are exactly the length vectors of prefix codes), and, for
n <= 4, over every prefix code made of actual bit strings.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from xentlib import coding
from xentlib.coding import code_lengths, expected_length, huffman_code, kraft_sum, prefix_code

# --------------------------------------------------------------------- checks written out here


def is_prefix_free(words: list[str]) -> bool:
    """No codeword begins another (and no two are equal)."""
    return all(not b.startswith(a) for a, b in itertools.permutations(words, 2))


def kraft(words: list[str]) -> float:
    return sum(2.0 ** -len(w) for w in words)


def entropy_bits(p) -> float:
    return -sum(x * math.log2(x) for x in p if x > 0)


def mean_length(words, p) -> float:
    return sum(x * len(w) for w, x in zip(words, p, strict=True) if x > 0)


def brute_force_best(p) -> float:
    """Smallest sum p_i l_i over all length vectors with Kraft sum <= 1 (lengths 1..n-1)."""
    n = len(p)
    best = math.inf
    for ell in itertools.product(range(1, n), repeat=n):
        if sum(2.0 ** -k for k in ell) <= 1:
            best = min(best, sum(x * k for x, k in zip(p, ell, strict=True)))
    return best


def brute_force_codes(p) -> float:
    """Smallest expected length over every prefix code of bit strings of length <= n - 1."""
    n = len(p)
    words = ["".join(b) for k in range(1, n) for b in itertools.product("01", repeat=k)]
    best = math.inf
    for code in itertools.permutations(words, n):
        if is_prefix_free(list(code)):
            best = min(best, mean_length(code, p))
    return best


def random_p(rng: np.random.Generator, n: int) -> np.ndarray:
    p = rng.dirichlet(np.full(n, 0.7))
    return p / p.sum()


# --------------------------------------------------------------------- the known example

def test_known_example_and_fixed_length_code():
    p = [0.5, 0.25, 0.125, 0.125]
    assert huffman_code(p) == ["0", "10", "110", "111"]
    assert code_lengths(p).tolist() == [1.0, 2.0, 3.0, 3.0]
    assert float(expected_length(code_lengths(p), p)) == 1.75            # 1/2 + 2/4 + 3/8 + 3/8
    assert float(expected_length([2, 2, 2, 2], p)) == 2.0                 # 00/01/10/11
    assert prefix_code([2, 2, 2, 2]) == ["00", "01", "10", "11"]
    assert huffman_code([0.25] * 4) == ["00", "01", "10", "11"]


def test_shannon_lengths_round_the_surprise_up():
    p = [0.4, 0.3, 0.2, 0.1]
    # -log2: 1.32, 1.74, 2.32, 3.32 bits, rounded up by hand
    assert code_lengths(p, method="shannon").tolist() == [2.0, 2.0, 3.0, 4.0]
    # an exact power of 1/2 is not rounded up by floating-point noise
    assert code_lengths([0.125] * 8, method="shannon").tolist() == [3.0] * 8
    assert code_lengths([1.0], method="shannon").tolist() == [0.0]


# --------------------------------------------------------------------- properties on random P

@pytest.mark.parametrize("seed", range(40))
def test_huffman_is_prefix_free_complete_and_within_one_bit(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    p = random_p(rng, n)
    words = huffman_code(p)
    assert all(w is not None and set(w) <= {"0", "1"} for w in words)
    assert is_prefix_free(words)
    assert kraft(words) == pytest.approx(1.0, abs=1e-12)             # Huffman: Kraft sum = 1
    assert float(kraft_sum(code_lengths(p))) == pytest.approx(kraft(words), abs=1e-12)
    assert [len(w) for w in words] == code_lengths(p).tolist()
    L, H = float(expected_length(code_lengths(p), p)), entropy_bits(p)
    assert L == pytest.approx(mean_length(words, p), abs=1e-12)
    assert H - 1e-12 <= L < H + 1


@pytest.mark.parametrize("seed", range(40))
def test_shannon_code_is_prefix_free_and_within_one_bit(seed):
    rng = np.random.default_rng(100 + seed)
    p = random_p(rng, int(rng.integers(2, 12)))
    ell = code_lengths(p, method="shannon")
    assert ell.tolist() == [math.ceil(-math.log2(x) - 1e-9) for x in p]
    words = prefix_code(ell)
    assert is_prefix_free(words) and [len(w) for w in words] == ell.tolist()
    assert kraft(words) <= 1 + 1e-12
    H = entropy_bits(p)
    assert H - 1e-12 <= float(expected_length(ell, p)) < H + 1
    # Huffman is never worse than Shannon
    assert float(expected_length(code_lengths(p), p)) <= float(expected_length(ell, p)) + 1e-12


@pytest.mark.parametrize("seed", range(60))
def test_huffman_is_optimal_against_every_length_vector(seed):
    rng = np.random.default_rng(200 + seed)
    p = random_p(rng, int(rng.integers(2, 7)))
    assert float(expected_length(code_lengths(p), p)) == pytest.approx(brute_force_best(p), abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_huffman_is_optimal_against_every_prefix_code(seed):
    rng = np.random.default_rng(300 + seed)
    p = random_p(rng, int(rng.integers(2, 5)))
    assert float(expected_length(code_lengths(p), p)) == pytest.approx(brute_force_codes(p), abs=1e-12)


def test_ties_give_one_deterministic_optimal_code():
    # two optimal length vectors exist: (1, 2, 3, 4, 4) and (2, 2, 2, 3, 3), both 2.2 bits
    p = [0.4, 0.2, 0.2, 0.1, 0.1]
    first = huffman_code(p)
    assert all(huffman_code(p) == first for _ in range(5))
    # the documented rule, by hand: merge 0.1+0.1 (node 5), then the symbols 0.2, 0.2 (created
    # before node 5), then node 5 with 0.4, then the last two: lengths (2, 2, 2, 3, 3)
    assert first == ["00", "01", "10", "110", "111"]
    # thirds: symbols 0 and 1 are merged first, so symbol 2 gets the short codeword
    assert huffman_code([1 / 3, 1 / 3, 1 / 3]) == ["10", "11", "0"]
    assert huffman_code(np.array(p)) == first
    assert mean_length(first, p) == pytest.approx(2.2, abs=1e-12)
    assert is_prefix_free(first)


@pytest.mark.parametrize("k", range(1, 9))
def test_dyadic_p_gives_exactly_the_entropy(k):
    # P = (1/2, 1/4, ..., 1/2^k, 1/2^k): every probability a power of 1/2
    p = [2.0 ** -i for i in range(1, k + 1)] + [2.0 ** -k]
    ell = code_lengths(p)
    assert ell.tolist() == [-math.log2(x) for x in p]
    assert float(expected_length(ell, p)) == pytest.approx(entropy_bits(p), abs=1e-12)
    assert code_lengths(p, method="shannon").tolist() == ell.tolist()


def test_code_for_q_used_on_p_costs_the_cross_entropy_when_q_is_dyadic():
    p = [0.5, 0.25, 0.125, 0.125]
    q = [0.125, 0.125, 0.25, 0.5]
    h_pq = -sum(a * math.log2(b) for a, b in zip(p, q, strict=True))
    assert float(expected_length(code_lengths(q), p)) == pytest.approx(h_pq, abs=1e-12)   # 2.625 bits
    assert h_pq == 2.625


# --------------------------------------------------------------------- edge cases

def test_zero_probability_is_excluded():
    assert huffman_code([0.0, 0.6, 0.4]) == [None, "0", "1"]
    assert code_lengths([0.5, 0.0, 0.5]).tolist() == [1.0, math.inf, 1.0]
    assert code_lengths([0.5, 0.0, 0.5], method="shannon").tolist() == [1.0, math.inf, 1.0]
    # excluding a zero keeps the code optimal for the symbols that occur
    assert float(expected_length(code_lengths([0.5, 0.5, 0.0]), [0.5, 0.5, 0.0])) == 1.0
    # a symbol the code excludes but the data produces costs infinitely many bits
    assert float(expected_length([math.inf, 1, 1], [0.5, 0.25, 0.25])) == math.inf
    assert float(kraft_sum([1, 1, math.inf])) == 1.0


def test_a_single_possible_symbol_needs_no_bits():
    assert huffman_code([1.0]) == [""]
    assert huffman_code([0.0, 1.0]) == [None, ""]
    assert float(expected_length(code_lengths([0.0, 1.0]), [0.0, 1.0])) == 0.0


def test_kraft_sum_and_prefix_code_of_impossible_lengths():
    assert float(kraft_sum([1, 1, 2])) == 1.25
    with pytest.raises(ValueError, match=r"^lengths: Kraft sum is 1.25 > 1"):
        prefix_code([1, 1, 2])
    with pytest.raises(ValueError, match=r"^lengths: Kraft sum is 1.5 > 1"):   # the empty codeword beside another
        prefix_code([0, 1])


@pytest.mark.parametrize("bad, message", [
    ([0.5, -0.1, 0.6], r"^p: negative probability -0.1 at index 1"),
    ([0.5, 0.4], r"^p: does not sum to 1"),
    ([], r"^p: empty distribution"),
    ([0.5, float("nan"), 0.5], r"^p: contains NaN at index 1"),
    ([[0.5, 0.5]], r"^p: expected a 1-d array \(one distribution\), got shape \(1, 2\)"),
    (0.5, r"^p: expected a 1-d array \(a distribution\), got a scalar"),
])
def test_bad_p_is_named(bad, message):
    for fn in (huffman_code, code_lengths, lambda p: expected_length([1] * max(np.size(p), 1), p)):
        with pytest.raises(ValueError, match=message):
            fn(bad)


@pytest.mark.parametrize("bad, message", [
    ([1, -1], r"^lengths: a length must be a whole number of bits >= 0 .* got -1 at index 1"),
    ([1, 1.5], r"^lengths: a length must be a whole number .* got 1.5 at index 1"),
    ([1, float("nan")], r"^lengths: contains NaN at index 1"),
    ([], r"^lengths: empty"),
    (2, r"^lengths: expected a 1-d array .*got a scalar"),
])
def test_bad_lengths_are_named(bad, message):
    for fn in (kraft_sum, prefix_code, lambda ell: expected_length(ell, [1.0])):
        with pytest.raises(ValueError, match=message):
            fn(bad)


def test_other_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"^method: must be 'huffman' or 'shannon'"):
        code_lengths([0.5, 0.5], method="fano")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^p: shape mismatch: lengths has shape \(3,\) but p has shape \(2,\)"):
        expected_length([1, 2, 2], [0.5, 0.5])
    with pytest.raises(TypeError, match=r"^p: expected an array of real numbers"):
        huffman_code(["a", "b"])


# --------------------------------------------------------------------- the checks above can fail

def test_the_checks_of_this_file_can_fail():
    assert not is_prefix_free(["0", "01", "11"])           # "0" begins "01"
    assert not is_prefix_free(["10", "10"])
    assert kraft(["0", "10", "11", "111"]) > 1
    p = [0.5, 0.25, 0.125, 0.125]
    assert mean_length(["00", "01", "10", "11"], p) > brute_force_best(p)   # fixed length is not optimal
    assert brute_force_best(p) == brute_force_codes(p) == 1.75


def test_module_lists_its_functions():
    assert set(coding.__all__) == {"code_lengths", "huffman_code", "prefix_code", "kraft_sum", "expected_length"}
