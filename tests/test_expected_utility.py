"""Expected utility's numerics: tolerance for actors who stand together, and cycles."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_protocols import ec, ec_arrays, make_table

from sim.protocols.expected_utility import ExpectedUtility, challenge_round

ROUNDS = 12
SCALE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def trajectory(x, c, s, span):
    """The positions after each of ``ROUNDS`` challenge rounds."""
    out = []
    for _ in range(ROUNDS):
        x, _ = challenge_round(x, c, s, span)
        out.append(x)
    return np.array(out)


@SCALE
@given(
    st.floats(0.001, 1000.0),
    st.sampled_from([1.0, -1.0]),
    st.floats(-1000.0, 1000.0),
)
def test_challenges_on_the_ec_data_do_not_care_about_the_scale_over_twelve_rounds(
    scale, sign, shift
):
    """An affine change of the scale (a reversal included) changes no answer over 12 rounds.

    Without a tolerance for actors who stand together, the rescaled answers part by most of
    the range after round 5: an actor approaches another's position geometrically."""
    _, c, x, s = ec_arrays()
    span = float(ec()["position_range"])
    factor = scale * sign
    plain = trajectory(x, c, s, span)
    scaled = trajectory(x * factor + shift, c, s, span * scale)
    np.testing.assert_allclose((scaled - shift) / factor, plain, atol=1e-6 * span)


CYCLING = dict(x=[81.0, 67.0, 96.0, 93.0], c=[0.77, 0.87, 0.32, 0.23], s=[0.7, 0.74, 0.25, 0.46])


def cycling_table(rounds: int):
    x, c, s = (np.array(v) for v in CYCLING.values())
    return make_table(x[:, None], s[:, None], c, challenge_rounds=rounds)


def test_a_two_round_cycle_is_detected_and_told():
    x, c, s = (np.array(v) for v in CYCLING.values())
    states = trajectory(x, c, s, float(x.max() - x.min()))
    np.testing.assert_allclose(states[-1], states[-3])  # the data set does cycle
    assert np.abs(states[-1] - states[-2]).max() > 1.0
    bargain = ExpectedUtility().negotiate(cycling_table(10))
    cycled = [step for step in bargain.steps if step.kind == "cycled"]
    assert len(cycled) == 1 and "two-round cycle" in cycled[0].words


def test_a_cycling_issue_reads_the_same_text_for_odd_and_even_rounds():
    texts = {float(ExpectedUtility().negotiate(cycling_table(n)).text[0]) for n in (9, 10, 11, 20)}
    assert len(texts) == 1


def test_a_cycling_issue_beside_a_settled_one_leaves_the_other_alone():
    x, c, s = (np.array(v) for v in CYCLING.values())
    calm = np.array([10.0, 10.0, 12.0, 10.0])
    table = make_table(np.c_[x, calm], np.c_[s, s], c, challenge_rounds=10)
    both = ExpectedUtility().negotiate(table).text
    alone = ExpectedUtility().negotiate(cycling_table(10)).text
    assert both[0] == alone[0]
    assert 10.0 <= both[1] <= 12.0
