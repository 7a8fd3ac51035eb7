"""The four bargaining rules of sim/protocols, each checked against a result computed elsewhere.

* expected utility: the EC car-emissions data set of Bueno de Mesquita (1994), Table 1 of
  Scholz, Calbert and Smith (2011), against the log of an independent replication
  (tests/data/ec_emissions_1994.yaml);
* compromise: the same data against the weighted mean in that log and against Achen's formula
  in exact fractions;
* alternating offers: two-party Nash bargaining solutions derived by hand
  (tests/data/zeuthen_cases.yaml) and by brute force;
* single text: a two-party draft and redraft worked out by hand.

Tolerances: 1e-9 absolute wherever a number is compared with a published or exact value; 0.5
scale points for the alternating offers rule, which concedes in finite steps.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import yaml
from flat_params import model_params

from sim.protocols import Bargain, Table
from sim.protocols.alternating_offers import (
    AlternatingOffers,
    Lens,
    _close_to,
    concession,
    principals,
    risk,
)
from sim.protocols.compromise import Compromise, compromise_text
from sim.protocols.expected_utility import (
    ExpectedUtility,
    challenge_round,
    weighted_median,
)
from sim.protocols.single_text import SingleText, first_draft

DATA = Path(__file__).resolve().parent / "data"
TOL = 1e-9  # absolute: published or exact values
ZEUTHEN_TOL = 0.5  # scale points: the rule meets in the middle once offers are this close


def make_table(
    positions,
    salience,
    capability,
    *,
    reservation=None,
    drafting=None,
    conveners=None,
    objectors=None,
    names=None,
    issues=None,
    **params,
) -> Table:
    """A table with everyone present; the masks default to all drafting, no conveners."""
    positions = np.asarray(positions, dtype=float)
    n, m = positions.shape
    everyone = np.ones(n, dtype=bool)
    drafting = everyone if drafting is None else np.asarray(drafting, dtype=bool)
    return Table(
        positions=positions,
        salience=np.asarray(salience, dtype=float).reshape(n, m),
        capability=np.asarray(capability, dtype=float),
        reservation=np.zeros(n) if reservation is None else np.asarray(reservation, dtype=float),
        present=everyone,
        drafting=drafting,
        conveners=np.zeros(n, bool) if conveners is None else np.asarray(conveners, bool),
        objectors=drafting if objectors is None else np.asarray(objectors, dtype=bool),
        params=model_params(**params),
        actor_names=tuple(names or (f"actor{i}" for i in range(n))),
        issue_ids=tuple(issues or (f"issue{j}" for j in range(m))),
    )


# --- Expected utility: Bueno de Mesquita (1994) via Scholz, Calbert and Smith (2011) ----------


@cache
def ec() -> dict:
    return yaml.safe_load((DATA / "ec_emissions_1994.yaml").read_text(encoding="utf-8"))


def ec_arrays() -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    actors = ec()["actors"]
    names = [a["name"] for a in actors]
    c = np.array([a["capability"] for a in actors], dtype=float)
    x = np.array([a["position"] for a in actors], dtype=float)
    s = np.array([a["salience"] for a in actors], dtype=float)
    return names, c, x, s


def reference_positions(rounds: int) -> np.ndarray:
    """The positions after ``rounds`` rounds of the reference log: movers take their offers."""
    names, _, x, _ = ec_arrays()
    x = x.copy()
    for entry in ec()["expected"]["rounds"][:rounds]:
        for offer in entry["offers"]:
            x[names.index(offer["receiver"])] = offer["position"]
    return x


def test_ec_data_set_as_published():
    """Bueno de Mesquita (1994) p. 78 = Scholz et al. (2011) Table 1: ten members, 4/7/10 years.

    The normalising range is max - min of the initial positions (Scholz et al.; the replication's
    ``position_range``): 6 years.
    """
    names, c, x, s = ec_arrays()
    assert names == [
        "Netherlands", "Belgium", "Luxembourg", "Germany", "France",
        "Italy", "UK", "Ireland", "Denmark", "Greece",
    ]  # fmt: skip
    assert sorted(set(x)) == [4.0, 7.0, 10.0]
    assert ec()["position_range"] == x.max() - x.min() == 6.0
    assert np.all((c > 0) & (c <= 1)) and np.all((s > 0) & (s <= 1))
    # Totals by hand from the published table: capabilities 1.01, capability x salience 0.677.
    assert c.sum() == pytest.approx(1.01, abs=TOL, rel=0)
    assert (c * s).sum() == pytest.approx(0.677, abs=TOL, rel=0)


def test_weighted_median_of_ec_data():
    """The initial median of Example.log (dmasad/bdm-scholz-expected-utility-model): 7.0.

    By hand, weights c*s: 0.248 at 4, 0.093 at 7, 0.336 at 10 (total 0.677, half 0.3385); the
    cumulative weight first reaches half at 7.
    """
    _, c, x, s = ec_arrays()
    assert weighted_median(x, c * s) == ec()["expected"]["initial_median"] == 7.0


@pytest.mark.parametrize(
    ("x", "w", "median"),
    [
        ([0.0, 10.0, 20.0], [1.0, 1.0, 3.0], 20.0),  # a heavy extreme is the median
        ([0.0, 10.0, 20.0], [2.0, 1.0, 2.0], 10.0),
        ([20.0, 0.0, 10.0], [2.0, 2.0, 1.0], 10.0),  # order of the rows does not matter
        ([0.0, 10.0], [1.0, 1.0], 5.0),  # exactly half: the midpoint, no end favoured
        ([0.0, 10.0], [0.0, 0.0], 5.0),  # no weight: the plain median
        ([0.0, 4.0, 10.0], [1.0, 0.0, 1.0], 5.0),  # a weightless position does not split
        ([0.0, 0.0, 10.0], [1.0, 1.0, 1.0], 0.0),
    ],
)
def test_weighted_median_by_hand(x, w, median):
    """The position at which the cumulative weight reaches half; the midpoint of the two
    positions on either side of an exact split (expected_utility.py)."""
    assert weighted_median(np.array(x), np.array(w)) == median


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_challenge_rounds_reproduce_replication(rounds):
    """Rounds 1-3 of Example.log (dmasad/bdm-scholz-expected-utility-model, q = 1).

    Per round: the set of actors who move, each one's offer (kind, proposer, the receiver's and
    the proposer's expected utility of challenging the other, the new position), the positions
    of everyone after the round, and the capability x salience weighted mean. From round 4 the
    reference picks compromises by another rule (see the data file), so it is not compared.
    """
    names, c, x, s = ec_arrays()
    span = ec()["position_range"]
    for entry in ec()["expected"]["rounds"][:rounds]:
        x, offers = challenge_round(x, c, s, span=span)
        expected = {o["receiver"]: o for o in entry["offers"]}
        assert {names[o.receiver] for o in offers} == set(expected)
        for offer in offers:
            want = expected[names[offer.receiver]]
            assert offer.kind == want["kind"]
            assert names[offer.proposer] == want["proposer"]
            assert offer.own_eu == pytest.approx(want["own_eu"], abs=TOL, rel=0)
            assert offer.their_eu == pytest.approx(want["their_eu"], abs=TOL, rel=0)
            assert offer.position == pytest.approx(want["position"], abs=TOL, rel=0)
        assert np.average(x, weights=c * s) == pytest.approx(entry["mean"], abs=TOL, rel=0)
    np.testing.assert_allclose(x, reference_positions(rounds), rtol=0, atol=TOL)


def test_compromise_offer_is_the_proportional_move():
    """Scholz et al. (2011): a compromise moves i toward j by |E_i(j)| / E_j(i) of the gap.

    Round 1 of Example.log: Belgium (7) toward France (10) by 0.1148.../0.2432... of 3 years.
    """
    names, c, x, s = ec_arrays()
    _, offers = challenge_round(x, c, s, span=6.0)
    (belgium,) = [o for o in offers if names[o.receiver] == "Belgium"]
    share = abs(belgium.own_eu) / belgium.their_eu
    assert belgium.own_eu < 0 < belgium.their_eu and share < 1
    assert belgium.position == pytest.approx(7.0 + 3.0 * share, abs=TOL, rel=0)


def ec_table(rounds: int, scale=lambda x: (x - 4.0) / 6.0 * 100.0, observer=None) -> Table:
    """The EC data on the 0-100 scale; optionally an observer (not drafting) at ``observer``."""
    names, c, x, s = ec_arrays()
    positions, salience, capability = scale(x), s, c
    drafting = np.ones(len(names), dtype=bool)
    if observer is not None:
        names = [*names, "Observer"]
        positions = np.append(positions, observer)
        salience, capability = np.append(s, 1.0), np.append(c, 1.0)
        drafting = np.append(drafting, False)
    return make_table(
        positions[:, None],
        salience[:, None],
        capability,
        drafting=drafting,
        names=names,
        issues=["emissions"],
        protocol="expected_utility",
        challenge_rounds=rounds,
    )


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_expected_utility_rule_is_invariant_to_rescaling(rounds):
    """ExpectedUtility().negotiate on the EC data rescaled to 0-100: Example.log, rounds 1-3.

    The model sees only distances over the range, so the affine map 4..10 -> 0..100 must not
    change any move: mapped back, the positions are the reference ones. The text is the
    weighted median of the new positions; after round 1, by hand (weights c*s): 0.247 at 4
    (Ireland came, Luxembourg left), 0.062 at 7 (Luxembourg and Greece), 0.032 at 8.416
    (Belgium): the cumulative weight 0.341 first reaches half of 0.677 at Belgium's new
    position, 8.415932315426764.
    """
    table = ec_table(rounds)
    bargain = ExpectedUtility().negotiate(table)
    assert isinstance(bargain, Bargain) and bargain.positions is not None
    back = 4.0 + bargain.positions[:, 0] / 100.0 * 6.0
    np.testing.assert_allclose(back, reference_positions(rounds), rtol=0, atol=TOL)
    weights = table.capability * table.salience[:, 0]
    assert bargain.text[0] == weighted_median(bargain.positions[:, 0], weights)
    if rounds == 1:
        assert 4.0 + bargain.text[0] / 100.0 * 6.0 == pytest.approx(
            8.415932315426764, abs=TOL, rel=0
        )
    kinds = [(step.kind, table.actor_names[step.actor]) for step in bargain.steps[:-1]]
    expected = [
        (o["kind"], o["receiver"]) for e in ec()["expected"]["rounds"][:rounds] for o in e["offers"]
    ]
    assert sorted(kinds) == sorted(expected)
    assert bargain.steps[-1].kind == "proposed" and bargain.steps[-1].actor is None


def test_expected_utility_rule_ignores_observers():
    """Example.log round 1 again, on another affine scale (4..10 -> 25..75), with an observer.

    An observer (present, not drafting) at 100 with full capability neither votes, nor widens
    the range, nor moves; the others move as in the reference.
    """
    table = ec_table(1, scale=lambda x: 25.0 + (x - 4.0) / 6.0 * 50.0, observer=100.0)
    bargain = ExpectedUtility().negotiate(table)
    back = 4.0 + (bargain.positions[:-1, 0] - 25.0) / 50.0 * 6.0
    np.testing.assert_allclose(back, reference_positions(1), rtol=0, atol=TOL)
    assert bargain.positions[-1, 0] == 100.0
    assert 4.0 + (bargain.text[0] - 25.0) / 50.0 * 6.0 == pytest.approx(
        8.415932315426764, abs=TOL, rel=0
    )


# --- Compromise: Achen (2006) ----------------------------------------------------------------


def achen_exact(skip: str | None = None) -> Fraction:
    """x = sum c_i s_i x_i / sum c_i s_i over the EC data, in exact decimal fractions."""
    top = bottom = Fraction(0)
    for actor in ec()["actors"]:
        if actor["name"] == skip:
            continue
        weight = Fraction(str(actor["capability"])) * Fraction(str(actor["salience"]))
        top += weight * Fraction(str(actor["position"]))
        bottom += weight
    return top / bottom


def test_compromise_text_matches_replication_mean():
    """The initial "Mean position" of Example.log (7.389955686853767) is Achen's compromise.

    Checked against the log and, independently, against the formula in exact fractions
    (5003/677 years).
    """
    names, c, x, s = ec_arrays()
    table = make_table(x[:, None], s[:, None], c, names=names, issues=["emissions"])
    exact = achen_exact()
    assert exact == Fraction(5003, 677)
    assert float(exact) == pytest.approx(ec()["expected"]["initial_mean"], abs=TOL, rel=0)
    assert compromise_text(table)[0] == pytest.approx(float(exact), abs=TOL, rel=0)
    assert Compromise().negotiate(table).text[0] == pytest.approx(float(exact), abs=TOL, rel=0)


def test_compromise_counts_only_those_drafting():
    """Achen's mean is over the participants: an observer (the UK here) does not pull the text.

    By hand without the UK (c s x = 1.44, c s = 0.144): (5.003 - 1.44) / (0.677 - 0.144) =
    3563/533 years, against 5003/677 with it.
    """
    names, c, x, s = ec_arrays()
    drafting = np.array([name != "UK" for name in names])
    table = make_table(x[:, None], s[:, None], c, drafting=drafting, names=names, issues=["e"])
    exact = achen_exact(skip="UK")
    assert exact == Fraction(3563, 533)
    assert compromise_text(table)[0] == pytest.approx(float(exact), abs=TOL, rel=0)


def test_compromise_weights_each_issue_by_its_own_salience():
    """Achen's formula issue by issue: x_j = sum c_i s_ij p_ij / sum c_i s_ij (by hand).

    Issue 1: (0.5*1*0 + 1*0.25*100) / (0.5 + 0.25) = 100/3; issue 2: (0.5*0.2*60 + 0) / 0.1 = 60.
    """
    table = make_table([[0.0, 60.0], [100.0, 10.0]], [[1.0, 0.2], [0.25, 0.0]], [0.5, 1.0])
    np.testing.assert_allclose(compromise_text(table), [100.0 / 3.0, 60.0], rtol=0, atol=TOL)


# --- Alternating offers: Zeuthen (1930), Harsanyi (1956) ------------------------------------


def zeuthen_cases() -> list[dict]:
    return yaml.safe_load((DATA / "zeuthen_cases.yaml").read_text(encoding="utf-8"))["cases"]


def zeuthen_table(case: dict, swap: bool = False) -> Table:
    sides = ["B", "A"] if swap else ["A", "B"]
    return make_table(
        [case["positions"][k] for k in sides],
        [case["salience"][k] for k in sides],
        [1.0, 1.0],
        reservation=[case["reservation"][k] for k in sides],
        names=sides,
        protocol="alternating_offers",
    )


def nash_on_segment(case: dict, points: int = 100_001) -> np.ndarray:
    """Brute force: the text on the segment between the openings with the largest Nash product.

    Utilities computed here from their definition, u_i = 1 - mean_j s_ij |x_j - p_ij| / 100.
    """
    a, b = (np.array(case["positions"][k], dtype=float) for k in "AB")
    texts = a[None, :] + np.linspace(0.0, 1.0, points)[:, None] * (b - a)[None, :]
    gains = []
    for k in "AB":
        p, s = np.array(case["positions"][k]), np.array(case["salience"][k])
        worth = 1.0 - (s * np.abs(texts - p)).mean(axis=1) / 100.0
        gains.append(worth - case["reservation"][k])
    product = np.where((gains[0] >= 0) & (gains[1] >= 0), gains[0] * gains[1], -np.inf)
    return texts[int(np.argmax(product))]


@pytest.mark.parametrize("case", zeuthen_cases(), ids=lambda case: case["name"])
def test_hand_derivations_agree_with_brute_force(case):
    """The hand-derived Nash solutions of tests/data/zeuthen_cases.yaml, checked on a grid.

    The grid has 100,001 points on the segment, so it finds x* to 0.001 points.
    """
    np.testing.assert_allclose(nash_on_segment(case), case["expected"], rtol=0, atol=1e-3)


@pytest.mark.parametrize("swap", [False, True], ids=["A first", "B first"])
@pytest.mark.parametrize("case", zeuthen_cases(), ids=lambda case: case["name"])
def test_alternating_offers_reach_the_nash_solution(case, swap):
    """Harsanyi (1956): Zeuthen's rule leads to the Nash solution (tests/data/zeuthen_cases.yaml).

    Within 0.5 scale points, whichever party is listed first; the talks settle rather than
    deadlock.
    """
    bargain = AlternatingOffers().negotiate(zeuthen_table(case, swap))
    assert bargain.steps[0].kind == "offered"
    assert bargain.steps[-1].kind == "settled"
    assert {step.kind for step in bargain.steps[1:-1]} == {"conceded"}
    np.testing.assert_allclose(bargain.text, case["expected"], rtol=0, atol=ZEUTHEN_TOL)
    np.testing.assert_allclose(bargain.text, nash_on_segment(case), rtol=0, atol=ZEUTHEN_TOL)


def test_risk_by_hand():
    """Zeuthen's risk z = (U(own) - U(other)) / (U(own) - d); 1 when the other's offer <= d.

    The openings of the "interior_positions" case: A values its own offer at 1, B's (90) at
    1 - 0.8*70/100 = 0.44, walks away at 0.3: z_A = 0.56/0.7 = 0.8. B: 1, 1 - 0.6*70/100 = 0.58,
    0.5: z_B = 0.42/0.5 = 0.84.
    """
    assert risk(1.0, 0.44, 0.3) == pytest.approx(0.8, abs=TOL, rel=0)
    assert risk(1.0, 0.58, 0.5) == pytest.approx(0.84, abs=TOL, rel=0)
    assert risk(0.9, 0.9, 0.5) == 0.0  # the other's offer is as good: nothing to risk
    assert risk(1.0, 0.3, 0.3) == 1.0  # the other's offer is worth no more than walking away
    assert risk(1.0, 0.1, 0.3) == 1.0
    np.testing.assert_allclose(
        risk(np.array([1.0, 0.8, 1.0]), np.array([0.5, 0.6, 0.2]), 0.4),
        [0.5 / 0.6, 0.2 / 0.4, 1.0],
        rtol=0,
        atol=TOL,
    )


@pytest.mark.parametrize("swap", [False, True], ids=["A first", "B first"])
def test_the_side_with_the_smaller_risk_concedes_first(swap):
    """Zeuthen (1930): the side less willing to risk breakdown concedes.

    In the "interior_positions" case z_A = 0.8 < z_B = 0.84 (see test_risk_by_hand), so A
    alone makes the first concession; then B, now the less willing, answers.
    """
    (case,) = [case for case in zeuthen_cases() if case["name"] == "interior_positions"]
    table = zeuthen_table(case, swap)
    steps = AlternatingOffers().negotiate(table).steps
    first, second = steps[1], steps[2]
    assert first.kind == second.kind == "conceded"
    assert table.actor_names[first.actor] == "A"
    assert table.actor_names[second.actor] == "B"


@pytest.mark.parametrize(("floor", "offer"), [(0.001, 24.2), (0.1, 27.0)])
def test_a_concession_is_just_enough_to_shift_the_risk(floor, offer):
    """Zeuthen (1930): the conceding side moves only until the other becomes the less willing.

    "interior_positions" openings, A moving t of the way from 20 to 90: its risk becomes
    0.56 (1 - t) / (0.7 - 0.56 t), B's 0.84 (1 - t); A's exceeds B's once 0.56 > 0.84 (0.7 -
    0.56 t), i.e. t > 0.028 / 0.4704 = 0.0595, so 0.060 on the rule's 0.1% grid: 20 + 4.2.
    With min_concession 0.1 the floor binds instead: 20 + 7.
    """
    (case,) = [case for case in zeuthen_cases() if case["name"] == "interior_positions"]
    table = replace(zeuthen_table(case), params=model_params(min_concession=floor))
    new = concession(table, 0, 1, table.positions[0], table.positions[1])
    np.testing.assert_allclose(new, [offer], rtol=0, atol=TOL)


def test_a_concession_never_goes_below_walking_away():
    """Zeuthen (1930): no side offers what is worth less to it than breakdown.

    A (at 0, s 1) walks away below 0.9, B's offer (100) is worth nothing to it, so A's risk stays
    1 and it cannot make B concede: it goes as far as it can bear, 1 - x/100 = 0.9 at x = 10.
    Once there it cannot move at all.
    """
    table = make_table([[0.0], [100.0]], [[1.0], [1.0]], [1.0, 1.0], reservation=[0.9, 0.0])
    new = concession(table, 0, 1, table.positions[0], table.positions[1])
    np.testing.assert_allclose(new, [10.0], rtol=0, atol=TOL)
    assert concession(table, 0, 1, new, table.positions[1]) is None


def test_principals_are_the_weighted_furthest_pair_not_the_conveners():
    """The two sides are the parties furthest apart weighted by c_i c_k (alternating_offers.py).

    Parties at 0 (c 0.5), 60 (c 0.9), 90 (c 0.2): scores 0.45*60 = 27, 0.1*90 = 9, 0.18*30 =
    5.4, so 0 and 60, not the plain furthest pair (0, 90). A convener at 100 with c 1 (score
    50 with the party at 0) and an observer are not principals.
    """
    table = make_table(
        [[100.0], [0.0], [60.0], [90.0], [100.0]],
        np.ones((5, 1)),
        [1.0, 0.5, 0.9, 0.2, 1.0],
        drafting=[True, True, True, True, False],
        conveners=[True, False, False, False, False],
    )
    assert principals(table) == (1, 2)
    lone = make_table(
        [[100.0], [0.0], [60.0]],
        np.ones((3, 1)),
        [1.0, 0.5, 0.9],
        drafting=[True, True, False],
        conveners=[True, False, False],
    )
    assert principals(lone) == (0, 1)  # one party left: its convener faces it


# --- Single negotiating text: Raiffa (1982) --------------------------------------------------


def raiffa_table(reservation, objectors=(True, True), **params) -> Table:
    """Convener A (c 1, s 1, at 0) and B (c 1, s 1, at 100) on one issue."""
    return make_table(
        [[0.0], [100.0]],
        [[1.0], [1.0]],
        [1.0, 1.0],
        reservation=reservation,
        conveners=[True, False],
        objectors=objectors,
        names=["A", "B"],
        issues=["clause"],
        protocol="single_text",
        **{"convener_weight": 1.0, "redraft_step": 0.5, "max_drafts": 6, **params},
    )


@pytest.mark.parametrize(
    ("gamma", "draft"), [(0.0, 50.0), (1.0, 100.0 / 3.0), (3.0, 20.0)], ids=str
)
def test_first_draft_weights_the_convener(gamma, draft):
    """Raiffa (1982) ch. 14, the convener holds the pen: weights c s (1 + gamma) for A, c s for B.

    gamma = 1: weights 2 and 1, draft 100/3; gamma = 3: weights 4 and 1, draft 20.
    """
    table = raiffa_table([0.0, 0.0], convener_weight=gamma)
    assert first_draft(table)[0] == pytest.approx(draft, abs=TOL, rel=0)
    assert SingleText().forecast(table)[0] == pytest.approx(draft, abs=TOL, rel=0)


def test_single_text_redrafts_toward_the_objector_until_all_accept():
    """Raiffa (1982) ch. 14, by hand: draft 100/3; B (reservation 0.5) values it at 1/3 and
    rejects, A (0.3) values it at 2/3 and accepts; the redraft moves half way to B:
    100/3 + 0.5 (100 - 100/3) = 200/3, worth 2/3 to B and 1/3 to A, so both accept and the
    drafting stops there, well before max_drafts = 6.
    """
    bargain = SingleText().negotiate(raiffa_table([0.3, 0.5]))
    assert [step.kind for step in bargain.steps] == ["proposed", "redrafted"]
    assert bargain.text[0] == pytest.approx(200.0 / 3.0, abs=TOL, rel=0)


def test_single_text_answers_each_new_objection_up_to_max_drafts():
    """Raiffa (1982) ch. 14, by hand: with A's reservation at 0.5 the redraft 200/3 (worth 1/3
    to A) is rejected by A, so draft 3 moves half way back to A's 0: 100/3. max_drafts = 3 ends
    the drafting there.
    """
    bargain = SingleText().negotiate(raiffa_table([0.5, 0.5], max_drafts=3))
    assert [step.kind for step in bargain.steps] == ["proposed", "redrafted", "redrafted"]
    assert bargain.text[0] == pytest.approx(100.0 / 3.0, abs=TOL, rel=0)


def test_single_text_hears_only_required_signatories():
    """Raiffa (1982) ch. 14: the mediator answers the objections of those whose signature it needs.

    B rejects the first draft as before, but is not a required signatory: the draft stands.
    """
    bargain = SingleText().negotiate(raiffa_table([0.3, 0.5], objectors=(True, False)))
    assert [step.kind for step in bargain.steps] == ["proposed"]
    assert bargain.text[0] == pytest.approx(100.0 / 3.0, abs=TOL, rel=0)


def test_single_text_with_one_draft_does_not_redraft():
    """max_drafts = 1: the first draft is final whatever the objections (single_text.py)."""
    bargain = SingleText().negotiate(raiffa_table([0.3, 0.5], max_drafts=1))
    assert [step.kind for step in bargain.steps] == ["proposed"]
    assert bargain.text[0] == pytest.approx(100.0 / 3.0, abs=TOL, rel=0)


def test_the_status_quo_terms_by_hand():
    """Scholz et al.'s expected utility with Q < 1 (untested by the replication, which fixes
    Q = 1): one challenger at distance d = 0.5 of the range, 0.25 from the median, r = 1, so
    U(z) = 2 - 4z and U_s = U(0.25) = 1, U_f = U(0.75) = -1, U_b = U(0.5 - 0.25 * 0.75) = 0.75,
    U_w = U(0.6875) = -0.75, U_sq = U(0.5) = 0. With s_t = 0.5 and P = 0.25:
    0.5 (0.25 - 0.75) + 0.5 - Q 0 - (1 - Q)(T 0.75 - (1 - T) 0.75)."""
    from sim.protocols.expected_utility import challenge_value

    def value(q, t):
        return float(
            challenge_value(np.array(0.5), np.array(0.25), np.array(0.5), np.array(0.25), 1.0, q, t)
        )

    assert value(1.0, 1.0) == pytest.approx(0.25, abs=TOL)
    assert value(0.0, 1.0) == pytest.approx(0.25 - 0.75, abs=TOL)
    assert value(0.0, 0.0) == pytest.approx(0.25 + 0.75, abs=TOL)
    assert value(0.5, 0.5) == pytest.approx(0.25, abs=TOL)


def test_the_three_kinds_of_offer_by_hand():
    """The offer rules of Bueno de Mesquita (1994) as Scholz et al. state them, seen by the
    receiver (row) with a = its expected utility of challenging, b = the proposer's: the
    capitulation branch never fires in the replication's code, so it is checked here alone."""
    from sim.protocols.expected_utility import classify_offers

    x = np.array([0.0, 10.0])
    cases = {  # (a, b) -> (kind, receiver's new position)
        (0.2, 0.5): (0, 10.0),  # confrontation it expects to lose: b > a > 0
        (-0.2, 0.5): (1, 4.0),  # compromise: moves |a/b| = 0.4 of the way
        (-0.5, 0.2): (2, 10.0),  # capitulation: b > 0 > a, b < |a|
        (0.5, 0.2): (3, None),  # it would win: no offer it takes
        (-0.2, -0.1): (3, None),  # neither wants to challenge
    }
    for (a, b), (kind, position) in cases.items():
        own = np.array([[0.0, a], [0.0, 0.0]])
        theirs = np.array([[0.0, b], [0.0, 0.0]])
        kinds, targets = classify_offers(own, theirs, x)
        assert kinds[0, 1] == kind, (a, b)
        assert kinds[0, 0] == 3  # nobody makes an offer to itself
        if position is not None:
            assert targets[0, 1] == pytest.approx(position, abs=TOL)


def test_each_actor_reckons_both_challenges_with_the_right_terms():
    """perceived_challenges wires challenge_value as Scholz et al. state it: in own[i, j] the
    challenger is i (its distance to the median, j's salience, P_ij); in theirs[i, j] it is j
    (j's distance to the median, i's salience, P_ji); both with the reckoner i's risk exponent.
    Checked with Q < 1, where the distance to the median matters."""
    from sim.protocols.expected_utility import challenge_value, perceived_challenges

    x = np.array([0.0, 4.0, 10.0])
    s = np.array([0.9, 0.3, 0.6])
    p = np.array([[0.0, 0.2, 0.7], [0.5, 0.0, 0.1], [0.3, 0.4, 0.0]])
    r = np.array([0.5, 1.0, 2.0])
    median, span, q, t = 4.0, 10.0, 0.3, 0.8
    own, theirs = perceived_challenges(x, s, p, r, span, median, q, t)
    for i in range(3):
        for j in range(3):
            d = abs(x[i] - x[j]) / span
            mine = challenge_value(d, abs(x[i] - median) / span, s[j], p[i, j], r[i], q, t)
            yours = challenge_value(d, abs(x[j] - median) / span, s[i], p[j, i], r[i], q, t)
            assert own[i, j] == pytest.approx(float(mine), abs=TOL)
            assert theirs[i, j] == pytest.approx(float(yours), abs=TOL)


def test_the_rule_passes_q_and_t_where_they_belong():
    """With Q = 1 the T term vanishes (E has (1 - Q) T U_b), so T cannot change the result;
    with Q = 0 it does."""
    _, c, x, s = ec_arrays()
    positions = ((x - 4.0) / 6.0 * 100.0)[:, None]

    def text(q, t):
        table = make_table(positions, s[:, None], c, eu_q=q, eu_t=t, challenge_rounds=2)
        return ExpectedUtility().negotiate(table).positions[:, 0]

    assert np.array_equal(text(1.0, 1.0), text(1.0, 0.0))
    assert not np.array_equal(text(0.0, 1.0), text(0.0, 0.0))


def test_conveners_hold_no_extra_weight_in_the_compromise():
    """Achen's compromise weighs capability x salience only; convener_weight is single_text's."""
    positions, salience, capability = [[0.0], [100.0]], [[1.0], [1.0]], [1.0, 1.0]
    plain = make_table(positions, salience, capability, convener_weight=5.0)
    convened = make_table(
        positions, salience, capability, conveners=[True, False], convener_weight=5.0
    )
    assert compromise_text(plain)[0] == compromise_text(convened)[0] == pytest.approx(50.0)


def test_principals_weigh_capabilities_by_their_product():
    """c_a c_b times the distance: A (1.0) at 0 and C (0.5) at 60 score 30, against A and B
    (0.01) at 100, who score 1 (a sum of capabilities would pick A and B: 101 against 90)."""
    table = make_table([[0.0], [100.0], [60.0], [0.0]], np.ones((4, 1)), [1.0, 0.01, 0.5, 0.5])
    assert principals(table) == (0, 2)


def test_a_patron_at_the_table_draws_its_client_s_bargain_toward_it():
    """Sides A (0) and B (100), symmetric, settle at 50; with B's patron P at 0 in the room and
    a = patron_pull = 0.5, B values a text as (1 - a) U_B + a U_P: hand-derived, the Nash
    product (1 - x/100)(0.5 x/100 + 0.5 (1 - x/100)) = (1 - x/100) 0.5 is largest at x = 0,
    so B's side gives way completely; with the patron away, the split is even again."""
    positions, salience = [[0.0], [100.0], [0.0]], np.ones((3, 1))
    patron = np.array([-1, 2, -1])

    def settle(present_patron: bool, pull: float) -> float:
        table = make_table(
            positions, salience, [1.0, 1.0, 1.0], conveners=[False, False, True], patron_pull=pull
        )
        here = np.array([True, True, present_patron])
        table = replace(table, patron=patron, present=here, drafting=here)
        return AlternatingOffers().negotiate(table).text[0]

    assert settle(False, 0.5) == pytest.approx(50.0, abs=ZEUTHEN_TOL)
    assert settle(True, 0.5) == pytest.approx(0.0, abs=ZEUTHEN_TOL)
    assert 0.0 < settle(True, 0.1) < 50.0 - ZEUTHEN_TOL


@pytest.mark.parametrize(
    ("x", "w"),
    [
        ([0.0, 50.0, 100.0], [1.0, 0.0, 1.0]),
        ([0.0, 10.0, 100.0], [1.0, 0.0, 1.0]),
        ([0.0, 10.0, 20.0, 100.0], [2.0, 0.0, 1.0, 1.0]),
        ([5.0, 5.0, 60.0], [1.0, 1.0, 2.0]),
    ],
)
def test_weighted_median_mirrors_with_the_scale(x, w):
    """Reversing the scale reverses the median: no end is favoured, and a weightless position
    next to an exact split does not drag the midpoint."""
    x, w = np.array(x), np.array(w)
    assert weighted_median(100.0 - x, w) == pytest.approx(100.0 - weighted_median(x, w))


def test_an_observer_patron_does_not_sway_its_client():
    """Observers watch (docs/model.md): a patron present only as an observer is not heard."""
    table = make_table([[0.0], [100.0], [0.0]], np.ones((3, 1)), [1.0, 1.0, 1.0], patron_pull=0.5)
    table = replace(table, patron=np.array([-1, 2, -1]), drafting=np.array([True, True, False]))
    assert AlternatingOffers().negotiate(table).text[0] == pytest.approx(50.0, abs=ZEUTHEN_TOL)


@pytest.mark.parametrize("issues", range(1, 11))
def test_the_offers_worths_are_numpys_mean_bit_for_bit(issues):
    """Alternating offers values its candidate offers issue by issue (below 8 issues), for
    speed; each worth must equal the rule's definition as numpy computes it, 1 - the mean over
    issues of s |x - p| / 100, bit for bit: the runs' outputs rest on it."""
    rng = np.random.default_rng(issues)
    for eyes, texts in ((1, 1), (2, 16), (3, 885), (4, 2)):
        positions, salience = rng.uniform(0, 100, (eyes, issues)), rng.random((eyes, issues))
        lens = Lens(positions, salience, {0: (0,)}, 0.05, (0.0,))
        candidates = rng.uniform(0, 100, (texts, issues))
        terms = salience[:, None, :] * np.abs(candidates[None, :, :] - positions[:, None, :])
        plain = 1.0 - np.add.reduce(terms, axis=2) / issues / 100.0
        assert lens.own_worths(candidates).tobytes() == plain.tobytes()
        by_issue = np.ascontiguousarray(candidates.T)
        assert lens.clause_worths(by_issue).tobytes() == plain.tobytes()
        near = candidates[0] + rng.choice([0.0, 1e-9, 1e-6, 1e-3], issues)
        assert _close_to(near, candidates[0]) == np.allclose(near, candidates[0])


def test_alternating_offers_replays_a_bargain_only_its_sides_could_tell_apart():
    """A table that differs away from the two sides and their patrons (an invitee who stayed
    away) strikes the bargain from the rule's memory, the same as a fresh rule strikes it."""
    table = make_table(
        [[10.0, 20.0], [90.0, 70.0], [50.0, 50.0]],
        [[0.6, 0.4], [0.5, 0.7], [0.5, 0.5]],
        [1.0, 0.9, 0.2],
        reservation=[0.3, 0.4, 0.2],
        protocol="alternating_offers",
    )
    away = np.array([True, True, False])
    absent = replace(table, present=away, drafting=away, objectors=away)
    rule = AlternatingOffers()
    first, second = rule.negotiate(table), rule.negotiate(absent)
    fresh = AlternatingOffers().negotiate(absent)
    assert principals(table) == principals(absent) == (0, 1)
    assert len(rule.sides_memo._stored) == 1  # one bargain struck, replayed for the second
    assert second.steps == fresh.steps == first.steps
    assert second.text.tobytes() == fresh.text.tobytes()
