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

from .base import Bargain, Protocol, Step, Table

OFFER_KINDS = ("confrontation", "compromise", "capitulation")  # most compelling first


def weighted_median(x: np.ndarray, weights: np.ndarray) -> float:
    """The lowest position at which the cumulative weight reaches half: the median voter.

    With utilities falling linearly in distance this is the position no other beats in a
    weighted pairwise vote (the model's "median voter position").
    """
    if weights.sum() <= 0:
        weights = np.ones_like(x)
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(weights[order])
    k = int(np.searchsorted(cumulative, cumulative[-1] / 2.0 - 1e-12))
    return float(x[order][k])


def votes(x: np.ndarray, c: np.ndarray, s: np.ndarray, r: np.ndarray, span: float) -> np.ndarray:
    """v[k, a, b] = c_k s_k ((|x_k - x_b| / span)^r_k - (|x_k - x_a| / span)^r_k).

    Actor k's vote for position a over position b: positive when a is nearer to k.
    """
    d = np.abs(x[:, None] - x[None, :]) / span  # d[k, a]
    power = d ** r[:, None]
    return (c * s)[:, None, None] * (power[:, None, :] - power[:, :, None])


def success_probability(votes_: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P[i, j]: the votes for i over j, over all the votes cast on every pair (Scholz et al.).

    Zero where the two hold the same position: there is nothing to challenge.
    """
    total = np.abs(votes_).sum()
    support = np.clip(votes_, 0.0, None).sum(axis=0)
    p = support / total if total > 0 else np.zeros_like(support)
    return np.where(x[:, None] == x[None, :], 0.0, p)


def _u(base: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """The model's utility transform: U = 2 - 4 base^r."""
    return 2.0 - 4.0 * np.clip(base, 0.0, None) ** r


def challenge_utility(
    x: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    r: np.ndarray,
    span: float,
    median: float,
    q: float,
    t: float,
) -> np.ndarray:
    """E[o, i, j]: actor i's expected utility of challenging j, as actor o perceives it.

    The perceiver's risk exponent r_o is used throughout (Bueno de Mesquita's convention):

        E = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq - (1 - Q)(T U_b + (1 - T) U_w)
    """
    d = np.abs(x[:, None] - x[None, :]) / span  # d[i, j]
    to_median = np.abs(x - median)[:, None] / span
    rr = r[:, None, None]
    u_success = _u(0.5 - 0.5 * d[None], rr)
    u_failure = _u(0.5 + 0.5 * d[None], rr)
    u_better = _u(0.5 - 0.25 * (to_median + d)[None], rr)
    u_worse = _u(0.5 + 0.25 * (to_median + d)[None], rr)
    u_status_quo = _u(np.full_like(r, 0.5), r)[:, None, None]
    resisted = s[None, None, :] * (p[None] * u_success + (1.0 - p[None]) * u_failure)
    unresisted = (1.0 - s[None, None, :]) * u_success
    quiet = q * u_status_quo + (1.0 - q) * (t * u_better + (1.0 - t) * u_worse)
    return resisted + unresisted - quiet


def risk_exponents(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, span: float, median: float, q: float, t: float
) -> np.ndarray:
    """r_i = (1 - R_i/3) / (1 + R_i/3), R_i from how exposed i's position is to challenges.

    With risk neutrality (r = 1) all round, an actor's danger is the sum of everyone else's
    expected utility of challenging it; R_i rescales it to [-1, 1] between the safest and the
    most exposed actor, so r runs from 2 (most exposed: risk averse) to 1/2.
    """
    n = x.size
    neutral = np.ones(n)
    p = success_probability(votes(x, c, s, neutral, span), x)
    eu = challenge_utility(x, s, p, neutral, span, median, q, t)[0]  # all perceivers alike
    danger = (eu * (1.0 - np.eye(n))).sum(axis=0)  # column k: challenges against k
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


def challenge_round(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, span: float, q: float = 1.0, t: float = 1.0
) -> tuple[np.ndarray, list[Offer]]:
    """One round of challenges on one issue: the new positions and the offers taken."""
    median = weighted_median(x, c * s)
    r = risk_exponents(x, c, s, span, median, q, t)
    p = success_probability(votes(x, c, s, r, span), x)
    eu = challenge_utility(x, s, p, r, span, median, q, t)
    n = x.size
    new = x.copy()
    taken = []
    for i in range(n):
        own, theirs = eu[i, i, :], eu[i, :, i]  # as i sees it: i on j, and j on i
        best: tuple | None = None
        for j in range(n):
            if x[j] == x[i]:
                continue
            a, b = float(own[j]), float(theirs[j])
            if b > a > 0:
                kind, position = 0, float(x[j])
            elif b > 0 > a and b > abs(a):
                kind, position = 1, float(x[i] + (x[j] - x[i]) * abs(a / b))
            elif b > 0 > a and b < abs(a):
                kind, position = 2, float(x[j])
            else:
                continue
            key = (kind, abs(position - x[i]), j)
            if best is None or key < best[0]:
                best = (key, Offer(i, j, OFFER_KINDS[kind], a, b, position))
        if best is not None:
            new[i] = best[1].position
            taken.append(best[1])
    return new, taken


class ExpectedUtility(Protocol):
    """Challenges and offers on each issue; the text is the weighted median that results."""

    name = "expected_utility"
    citation = "Bueno de Mesquita (1994); Scholz, Calbert and Smith (2011), JTP 23(4): 510-531"

    def negotiate(self, table: Table) -> Bargain:
        params = table.params
        who = np.flatnonzero(table.drafting)
        positions = table.positions.copy()
        if who.size == 0:
            text = table.fallback()
            return Bargain(text, (Step("proposed", f"Nobody bargained: {table.describe(text)}."),))
        steps = []
        c = table.capability[who]
        for k in range(positions.shape[1]):
            s = table.salience[who, k]
            x = positions[who, k].copy()
            span = float(x.max() - x.min())
            if span <= 0:
                continue  # all agree: nothing to challenge
            for _ in range(params.challenge_rounds):
                x, offers = challenge_round(x, c, s, span, params.eu_q, params.eu_t)
                steps += [self._step(table, who, k, offer) for offer in offers]
            positions[who, k] = x
        text = np.array(
            [
                weighted_median(positions[who, k], c * table.salience[who, k])
                for k in range(positions.shape[1])
            ]
        )
        conveners = table.names(np.flatnonzero(table.conveners))
        steps.append(
            Step(
                "proposed",
                f"{conveners} tabled the weighted median of the positions after the challenges: "
                f"{table.describe(text)}.",
            )
        )
        return Bargain(text, tuple(steps), positions)

    @staticmethod
    def _step(table: Table, who: np.ndarray, k: int, offer: Offer) -> Step:
        receiver, proposer = int(who[offer.receiver]), int(who[offer.proposer])
        name, other = table.actor_names[receiver], table.actor_names[proposer]
        verb = {
            "confrontation": f"expected to lose a confrontation with {other} and took its position",
            "compromise": f"compromised with {other}",
            "capitulation": f"capitulated to {other}",
        }[offer.kind]
        issue = table.issue_ids[k]
        words = (
            f"{name} {verb} on {issue}: {table.positions[receiver, k]:.0f} -> "
            f"{offer.position:.0f} (it valued challenging {other} at {offer.own_eu:+.2f}, "
            f"{other} valued challenging it at {offer.their_eu:+.2f})."
        )
        return Step(offer.kind, words, actor=receiver)
