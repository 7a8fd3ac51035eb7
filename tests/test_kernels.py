"""The fast kernels agree with straightforward reference computations on random inputs.

The references are the direct sums the kernels replace above ``DIRECT_LIMIT`` actors."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import behaviour as b
from sim.protocols import expected_utility as eu

SEEDS = settings(max_examples=25, deadline=None)


def reference_pressure(positions, salience, capability):
    edge = np.clip(capability[None, :] - capability[:, None], 0.0, None)
    weight = edge[:, :, None] * salience[None, :, :]
    total = weight.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        target = (weight * positions[None, :, :]).sum(axis=1) / total
    return np.where(total > 0, target, positions), (total > 0).astype(float)


def reference_support(x, weight, power):
    gain = power[:, None, :] - power[:, :, None]
    return np.tensordot(weight, np.maximum(gain, 0.0), axes=1)


@SEEDS
@given(st.integers(0, 2**32 - 1), st.integers(65, 140), st.integers(1, 4), st.booleans())
def test_pressure_targets_equal_the_direct_sum(seed, n, issues, ties):
    rng = np.random.default_rng(seed)
    positions = rng.uniform(0, 100, (n, issues))
    salience = rng.random((n, issues)) * (rng.random((n, issues)) > 0.2)
    capability = np.round(rng.random(n), 1) if ties else rng.random(n)
    target, pushed = b.pressure_targets(positions, salience, capability)
    want_target, want_pushed = reference_pressure(positions, salience, capability)
    np.testing.assert_array_equal(pushed, want_pushed)
    np.testing.assert_allclose(target, want_target, rtol=0, atol=1e-9)


@SEEDS
@given(st.integers(0, 2**32 - 1), st.integers(2, 90), st.booleans())
def test_guarantor_distance_equals_the_full_block(seed, n, few):
    rng = np.random.default_rng(seed)
    positions = rng.uniform(0, 100, (n, 3))
    salience = rng.random((n, 3)) * (rng.random((n, 3)) > 0.2)
    guarantors = rng.random(n) < (0.05 if few else 0.5)
    weight = salience.sum(axis=1)
    gaps = np.abs(positions[None, :, :] - positions[:, None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        full = (salience[:, None, :] * gaps).sum(axis=2) / (100.0 * weight[:, None])
    full = np.where(weight[:, None] > 0, full, 0.0)
    full = np.where(guarantors[None, :] & ~np.eye(n, dtype=bool), full, -1.0)
    furthest = np.argmax(full, axis=1)
    distance, got = b.distance_to_guarantors(positions, salience, guarantors)
    np.testing.assert_array_equal(got, furthest)
    np.testing.assert_array_equal(distance, np.clip(full[np.arange(n), furthest], 0.0, None))


@SEEDS
@given(st.integers(0, 2**32 - 1), st.integers(2, 160), st.booleans())
def test_the_votes_equal_the_direct_sum(seed, n, ties):
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(0, 100, n)) if ties else rng.uniform(0, 100, n)
    weight, r = rng.random(n), rng.uniform(0.5, 2.0, n)
    span = max(float(x.max() - x.min()), 1.0)
    power = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]
    want = reference_support(x, weight, power)
    np.testing.assert_allclose(eu._support(x, weight, power), want, rtol=0, atol=1e-12 * n)
