"""xentlib.units and xentlib.memory: conversions and byte counts worked out by hand."""
from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

from xentlib import memory, units


def test_nats_and_bits_by_hand():
    assert float(units.to_bits(math.log(2))) == pytest.approx(1.0, rel=1e-15)
    assert float(units.to_bits(1.0)) == pytest.approx(1.4426950408889634, rel=1e-15)   # log2(e)
    assert float(units.to_nats(1.0)) == pytest.approx(0.6931471805599453, rel=1e-15)   # ln 2
    assert float(units.to_nats(8.0)) == pytest.approx(math.log(256), rel=1e-15)        # 8 bits = ln 256 nats
    np.testing.assert_allclose(units.to_nats(units.to_bits([0.1, 2.0, 7.5])), [0.1, 2.0, 7.5], rtol=1e-15)
    assert units.NATS_PER_BIT == pytest.approx(0.6931471805599453, rel=1e-15)


def test_target_memory_by_hand():
    # 1000 targets, 50000 classes: 8 kB of int64 indices vs 200 MB of float32 one-hot
    assert memory.target_nbytes(1000, 50_000) == {"index": 8_000, "one_hot": 200_000_000}
    # int32 indices (4 B), float64 one-hot (8 B): 3 targets x 5 classes
    assert memory.target_nbytes(3, 5, index_dtype=np.int32, onehot_dtype=np.float64) == {"index": 12, "one_hot": 120}
    assert memory.target_nbytes(0, 7) == {"index": 0, "one_hot": 0}


def test_target_memory_bad_counts_are_named():
    with pytest.raises(ValueError, match="^n: must be >= 0"):
        memory.target_nbytes(-1, 5)
    with pytest.raises(TypeError, match="^n_classes"):
        memory.target_nbytes(5, 2.5)


def test_peak_memory_sees_numpy_buffers():
    def alloc():
        a = np.ones(1_000_000)            # 8 MB
        return float(a.sum())
    result, peak = memory.peak_memory(alloc)
    assert result == 1_000_000.0
    assert 8_000_000 <= peak < 8_500_000
    _, small = memory.peak_memory(lambda: np.ones(10).sum())
    assert small < 100_000
    assert not tracemalloc.is_tracing()          # stopped again


def test_peak_memory_passes_arguments_and_keeps_outer_tracing():
    tracemalloc.start()
    try:
        out, peak = memory.peak_memory(np.zeros, 250_000, dtype=np.float32)   # 1 MB
        assert out.shape == (250_000,) and out.dtype == np.float32
        assert 1_000_000 <= peak < 1_100_000
        assert tracemalloc.is_tracing()          # the caller's tracing is left on
    finally:
        tracemalloc.stop()
