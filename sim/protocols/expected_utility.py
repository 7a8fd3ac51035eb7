"""Bueno de Mesquita's expected utility model, as specified by Scholz, Calbert and Smith (2011).

Bueno de Mesquita (1994), "Political forecasting: an expected utility method", in Bueno de
Mesquita and Stokman (eds.), *European Community Decision Making*, Yale University Press,
ch. 4; Scholz, Calbert and Smith (2011), "Unravelling Bueno de Mesquita's group decision model",
*Journal of Theoretical Politics* 23(4): 510-531, whose reading of the model this module follows.

On each agenda issue, separately, every participant weighs challenging every other: the votes of
third parties give the chance a challenge succeeds, the challenged party's salience the chance
it resists, and each actor's risk attitude (from how exposed its position is) shapes what
winning and losing are worth. Offers follow from the two sides' expected utilities (a
confrontation the receiver expects to lose, a compromise, a capitulation); each actor takes the
offer that moves it least, within the most compelling kind, and all move at once. The forecast,
and the text tabled, is the weighted median of the positions after the challenges.

The equations are in docs/model.md; the functions below are plain array functions, one issue at
a time (a column of positions), so they can be checked against a published data set directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..rule_params import ExpectedUtilityParams
from .base import Bargain, Classifier, Protocol, Step, Table

OFFER_KINDS = ("confrontation", "compromise", "capitulation")  # most compelling first
# Two positions closer than this share of the issue's range stand together: an actor approaches
# another's position geometrically and would otherwise never reach it exactly, so that answers
# on a rescaled scale parted with the rounding of the last bits.
TOGETHER = 1e-6
# Expected utilities (on the model's scale of -4 to 4) closer than this are equal when an
# offer's kind is decided: a kind is not chosen by rounding noise.
EU_TIE = 1e-9


def together(x: np.ndarray, span: float) -> np.ndarray:
    """[i, j]: whether i and j stand within ``TOGETHER`` of the range of each other."""
    return np.abs(x[:, None] - x[None, :]) <= TOGETHER * span


def weighted_median(x: np.ndarray, weights: np.ndarray) -> float:
    """The position at which the cumulative weight reaches half: the median voter.

    With utilities falling linearly in distance this is the position no other beats in a
    weighted pairwise vote (the model's "median voter position"). When the weight splits
    exactly in half between two positions, every point between them ties; the midpoint is
    taken, so that reversing the scale reverses the answer (no end of the scale is favoured).
    """
    if weights.sum() <= 0:
        weights = np.ones_like(x)
    order = np.argsort(x, kind="stable")
    ranked, cumulative = x[order], np.cumsum(weights[order])
    half = cumulative[-1] / 2.0
    tolerance = 1e-12 * cumulative[-1]
    k = int(np.searchsorted(cumulative, half - tolerance))
    heavier = np.flatnonzero(weights[order][k + 1 :] > 0)  # the next position that weighs
    if abs(cumulative[k] - half) <= tolerance and heavier.size:
        return float((ranked[k] + ranked[k + 1 + heavier[0]]) / 2.0)
    return float(ranked[k])


DIRECT_LIMIT = 64  # actors: up to here the votes are summed directly, as they always have


def success_probability(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, r: np.ndarray, span: float
) -> np.ndarray:
    """P[i, j]: the chance i's challenge of j succeeds, from the votes of every actor.

    Actor k's vote for position a over position b is
    v_k(a, b) = c_k s_k ((|x_k - x_b| / span)^r_k - (|x_k - x_a| / span)^r_k), positive when a
    is nearer to k. P[i, j] is the votes for i over j over all the votes cast on every pair, the
    normalisation of Scholz et al.'s code; zero where i and j stand together.
    """
    n = x.size
    weight = c * s
    power = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]  # power[k, a]
    # Sum over ordered pairs of |y_a - y_b| is 2 sum_i (2i - n + 1) y_(i) for sorted y.
    ranks = 2.0 * np.arange(n) - n + 1.0
    total = 2.0 * float(weight @ (np.sort(power, axis=1) @ ranks))
    if n <= DIRECT_LIMIT:
        gain = power[:, None, :] - power[:, :, None]  # [k, a, b]: v_k(a, b) / w_k
        np.maximum(gain, 0.0, out=gain)
        support = np.tensordot(weight, gain, axes=1)
    else:
        support = _support(x, weight, power)
    p = support / total if total > 0 else np.zeros_like(support)
    return np.where(together(x, span), 0.0, p)


def _support(x: np.ndarray, weight: np.ndarray, power: np.ndarray) -> np.ndarray:
    """support[a, b] = sum_k w_k max(0, power[k, b] - power[k, a]) in O(n^2 log n) time and
    O(n^2) memory, equal to the direct sum to rounding (tests/test_kernels.py).

    On a line, k prefers a to b exactly when it stands on a's side of their midpoint, so with
    the voters sorted by position the sum is a difference of two running sums up to the
    midpoint: C[m, b] - C[m, a], C[m, .] = sum of w_k power[k, .] over the m voters furthest
    toward a's side. Voters at the midpoint itself give a and b the same vote: they count zero
    (to rounding) on whichever side they fall.
    """
    order = np.argsort(x, kind="stable")
    ranked = x[order]
    weighted = weight[order, None] * power[np.ix_(order, order)]  # all in sorted order
    below = np.zeros((x.size + 1, x.size))
    np.cumsum(weighted, axis=0, out=below[1:])
    # Rows of midpoints rise along each row: searchsorted walks them in order.
    under = np.searchsorted(ranked, 0.5 * (ranked[:, None] + ranked[None, :]), side="left")
    columns = np.arange(x.size)[None, :]
    rows = np.arange(x.size)[:, None]
    lower = below[under, columns] - below[under, rows]  # a left of b: the voters below
    upper = (below[-1, columns] - below[under, columns]) - (below[-1, rows] - below[under, rows])
    ranked_support = np.clip(np.where(rows < columns, lower, upper), 0.0, None)
    support = np.empty_like(ranked_support)
    support[np.ix_(order, order)] = ranked_support
    return support


def _u(base: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """The model's utility transform: U = 2 - 4 base^r."""
    base = np.clip(base, 0.0, None)
    if np.all(np.asarray(r) == 1.0):  # risk neutral: x ** 1 is x, and the power is dear
        return 2.0 - 4.0 * base
    return 2.0 - 4.0 * base**r


def challenge_value(
    d: np.ndarray,
    to_median: np.ndarray,
    s_target: np.ndarray,
    p: np.ndarray,
    r: np.ndarray | float,
    q: float,
    t: float,
) -> np.ndarray:
    """A challenger's expected utility of challenging a target (element by element):

        E = s_t (P U_s + (1 - P) U_f) + (1 - s_t) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)

    ``d`` is their distance and ``to_median`` the challenger's distance to the median, both over
    the issue's range; ``r`` is the risk exponent of whoever does the reckoning.
    """
    u_success = _u(0.5 - 0.5 * d, r)
    u_failure = _u(0.5 + 0.5 * d, r)
    u_better = _u(0.5 - 0.25 * (to_median + d), r)
    u_worse = _u(0.5 + 0.25 * (to_median + d), r)
    u_status_quo = _u(np.full_like(d, 0.5), r)
    resisted = s_target * (p * u_success + (1.0 - p) * u_failure)
    unresisted = (1.0 - s_target) * u_success
    quiet = q * u_status_quo + (1.0 - q) * (t * u_better + (1.0 - t) * u_worse)
    return resisted + unresisted - quiet


def perceived_challenges(
    x: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    r: np.ndarray,
    span: float,
    median: float,
    q: float,
    t: float,
) -> tuple[np.ndarray, np.ndarray]:
    """As each actor i reckons them, with its own risk exponent r_i (Bueno de Mesquita's
    convention): ``own[i, j]``, i's expected utility of challenging j, and ``theirs[i, j]``,
    j's expected utility of challenging i."""
    d = np.abs(x[:, None] - x[None, :]) / span
    to_median = np.abs(x - median) / span
    reckoner = r[:, None]
    own = challenge_value(d, to_median[:, None], s[None, :], p, reckoner, q, t)
    theirs = challenge_value(d, to_median[None, :], s[:, None], p.T, reckoner, q, t)
    return own, theirs


def risk_exponents(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, span: float, median: float, q: float, t: float
) -> np.ndarray:
    """r_i = (1 - R_i/3) / (1 + R_i/3), R_i from how exposed i's position is to challenges.

    With risk neutrality (r = 1) all round, an actor's danger is the sum of everyone else's
    expected utility of challenging it; R_i rescales it to [-1, 1] between the safest and the
    most exposed actor, so r runs from 1/2 (most exposed) to 2 (safest).
    """
    n = x.size
    neutral = np.ones(n)
    p = success_probability(x, c, s, neutral, span)
    challenges, _ = perceived_challenges(x, s, p, neutral, span, median, q, t)
    danger = (challenges * (1.0 - np.eye(n))).sum(axis=0)  # column k: challenges against k
    low, high = danger.min(), danger.max()
    if high - low <= 0:
        return neutral
    risk = (2.0 * danger - high - low) / (high - low)
    return (1.0 - risk / 3.0) / (1.0 + risk / 3.0)


@dataclass(frozen=True)
class Offer:
    """The offer actor ``receiver`` takes in one round of challenges."""

    receiver: int
    proposer: int
    kind: str
    own_eu: float  # the receiver's expected utility of challenging the proposer
    their_eu: float  # the proposer's expected utility of challenging the receiver
    position: float


def classify_offers(
    own: np.ndarray, theirs: np.ndarray, x: np.ndarray, span: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's offer from the receiver's (row's) view: its kind (0 confrontation, 1
    compromise, 2 capitulation, 3 none) and the position it would move the receiver to.

    With a = own[i, j] and b = theirs[i, j]: a confrontation i expects to lose if b > a > 0;
    a compromise if b > 0 > a and b > |a| (i moves |a/b| of the way to j); a capitulation if
    b > 0 > a and b < |a|. Nothing passes between actors who stand together (within
    ``TOGETHER`` of ``span``, the issue's range; of the positions' own range if not given), and
    every comparison of utilities leaves a margin of ``EU_TIE``.
    """
    a, b = own, theirs
    if span is None:
        span = float(x.max() - x.min()) if x.size else 0.0
    apart = ~together(x, span)
    e = EU_TIE
    weaker = (b > e) & (a < -e)
    kinds = np.select(
        [
            apart & (b > a + e) & (a > e),
            apart & weaker & (b > -a + e),
            apart & weaker & (b < -a - e),
        ],
        [0, 1, 2],
        default=3,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(kinds == 1, np.abs(a / np.where(b == 0, 1.0, b)), 1.0)
    return kinds, x[:, None] + share * (x[None, :] - x[:, None])


def challenge_round(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, span: float, q: float = 1.0, t: float = 1.0
) -> tuple[np.ndarray, list[Offer]]:
    """One round of challenges on one issue: the new positions and the offers taken.

    Each actor takes the most compelling kind of offer it received and, within it, the one
    that moves it least (ties to the first proposer in id order); all move at once.
    """
    median = weighted_median(x, c * s)
    r = risk_exponents(x, c, s, span, median, q, t)
    p = success_probability(x, c, s, r, span)
    own, theirs = perceived_challenges(x, s, p, r, span, median, q, t)
    kinds, targets = classify_offers(own, theirs, x, span)
    best_kind = kinds.min(axis=1)
    move = np.where(kinds == best_kind[:, None], np.abs(targets - x[:, None]), np.inf)
    proposer = np.argmin(move, axis=1)
    new = x.copy()
    taken = []
    for i in np.flatnonzero(best_kind < 3):
        j = int(proposer[i])
        new[i] = targets[i, j]
        taken.append(
            Offer(
                int(i),
                j,
                OFFER_KINDS[int(best_kind[i])],
                float(own[i, j]),
                float(theirs[i, j]),
                float(targets[i, j]),
            )
        )
    return new, taken


def _cycles(history: list[np.ndarray], span: float) -> bool:
    """Whether the last positions are back where they stood two rounds before, having moved."""
    tolerance = TOGETHER * span
    back = np.all(np.abs(history[-1] - history[-3]) <= tolerance)
    moved = np.any(np.abs(history[-1] - history[-2]) > tolerance)
    return bool(back and moved)


class ExpectedUtility(Protocol):
    """Challenges and offers on each issue; the text is the weighted median that results."""

    params = ExpectedUtilityParams
    name = params.rule
    citation = "Bueno de Mesquita (1994); Scholz, Calbert and Smith (2011), JTP 23(4): 510-531"
    classifier = Classifier(
        deterministic=True,
        moves_positions=True,  # the challenges move the positions at the table
        parties="all",
        uses_patrons=False,
        uses_conveners=False,  # every drafter votes and challenges alike
    )

    def forecast(self, table: Table) -> np.ndarray:
        # Before the meeting the conveners foresee the median voter position of the positions
        # as they stand: the challenges happen at the table.
        who = np.flatnonzero(table.drafting)
        if who.size == 0:
            return table.fallback()
        return self._medians(table, table.positions, who)

    @staticmethod
    def _medians(table: Table, positions: np.ndarray, who: np.ndarray) -> np.ndarray:
        weights = table.capability[who, None] * table.salience[who]
        return np.array(
            [weighted_median(positions[who, k], weights[:, k]) for k in range(positions.shape[1])]
        )

    def negotiate(self, table: Table) -> Bargain:
        who = np.flatnonzero(table.drafting)
        positions = table.positions.copy()
        if who.size == 0:
            text = table.fallback()
            return Bargain(text, (Step("proposed", f"Nobody bargained: {table.describe(text)}."),))
        steps = []
        cycles = {}
        for k in range(positions.shape[1]):
            x, issue_steps, previous = self._challenges(table, who, k, positions[who, k])
            positions[who, k] = x
            steps += issue_steps
            if previous is not None:
                cycles[k] = previous
        text = self._medians(table, positions, who)
        weights = table.capability[who, None] * table.salience[who]
        for k, previous in cycles.items():  # a cycling issue: the middle of its two states
            text[k] = 0.5 * (text[k] + weighted_median(previous, weights[:, k]))
        conveners = table.names(np.flatnonzero(table.conveners))
        steps.append(
            Step(
                "proposed",
                f"{conveners} tabled the weighted median of the positions after the challenges: "
                f"{table.describe(text)}.",
            )
        )
        return Bargain(text, tuple(steps), positions)

    @classmethod
    def _challenges(
        cls, table: Table, who: np.ndarray, k: int, start: np.ndarray
    ) -> tuple[np.ndarray, list[Step], np.ndarray | None]:
        """``challenge_rounds`` rounds on issue ``k``: the positions, the steps, and, if the
        positions fell into a two-round cycle (back within ``TOGETHER`` of where they stood two
        rounds before, having moved in between), the positions of the cycle's other state. No
        challenge carries an actor past its own red line: it stops there."""
        params = table.params.expected_utility
        c, s, x = table.capability[who], table.salience[who, k], start.copy()
        lines = None if table.floor is None else (table.floor[who, k], table.ceiling[who, k])
        span = float(x.max() - x.min())
        steps: list[Step] = []
        if span <= 0:
            return x, steps, None  # all agree: nothing to challenge
        history = [x]
        for _ in range(params.challenge_rounds):
            x, offers = challenge_round(history[-1], c, s, span, params.eu_q, params.eu_t)
            if lines is not None:
                x = np.clip(x, *lines)
            steps += [cls._step(table, who, k, offer, history[-1], lines) for offer in offers]
            history.append(x)
            if len(history) >= 3 and _cycles(history, span):
                steps.append(cls._cycle_step(table, k, history, len(history) - 1, c * s))
                return x, steps, history[-2]
        return x, steps, None

    @staticmethod
    def _cycle_step(table: Table, k: int, history: list, rounds: int, w: np.ndarray) -> Step:
        issue = table.issue_ids[k]
        a, b = weighted_median(history[-1], w), weighted_median(history[-2], w)
        words = (
            f"On {issue} the positions fell into a two-round cycle after {rounds} rounds of "
            f"challenges: the weighted median alternated between {b:.0f} and {a:.0f}; the "
            f"challenges stopped and the text is read as the middle, {0.5 * (a + b):.0f}."
        )
        return Step("cycled", words, issue=issue)

    @staticmethod
    def _step(
        table: Table, who: np.ndarray, k: int, offer: Offer, before: np.ndarray, lines=None
    ) -> Step:
        receiver, proposer = int(who[offer.receiver]), int(who[offer.proposer])
        after = offer.position
        if lines is not None:  # it stops at its red line
            after = min(max(after, lines[0][offer.receiver]), lines[1][offer.receiver])
        name, other = table.name(receiver), table.name(proposer)
        verb = {
            "confrontation": f"expected to lose a confrontation with {other} and took its position",
            "compromise": f"compromised with {other}",
            "capitulation": f"capitulated to {other}",
        }[offer.kind]
        issue = table.issue_ids[k]
        words = (
            f"{name} {verb} on {issue}: {before[offer.receiver]:.0f} -> "
            f"{after:.0f} (it valued challenging {other} at {offer.own_eu:+.2f}, "
            f"{other} valued challenging it at {offer.their_eu:+.2f})."
        )
        return Step(offer.kind, words, actor=receiver, issue=issue)
