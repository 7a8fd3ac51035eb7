"""Zeuthen's monotonic concession between the two main sides.

Zeuthen (1930), *Problems of Monopoly and Economic Warfare*, Routledge, ch. IV; Harsanyi (1956),
"Approaches to the bargaining problem before and after the theory of games", *Econometrica*
24(2): 144-157, who showed that Zeuthen's rule leads to Nash's (1950) bargaining solution; the
monotonic concession protocol in the form of Rosenschein and Zlotkin (1994), *Rules of
Encounter*, MIT Press.

Each side opens with its own position. Each round, each side weighs the other's offer: its
*risk* is the largest probability of breakdown it would accept rather than take that offer,

    z_i = (U_i(own) - U_i(other)) / (U_i(own) - d_i)     (1 if the other's offer is worth <= d_i)

where U_i is the mean worth of the text's clauses to side i and d_i its walk-away value. The
side less willing to risk a breakdown concedes (both, on a tie, each at most half the gap so
that the offers cannot cross), and only just enough that the other side becomes the one less
willing to risk it. An offer is never worth less than walking
away to the side making it. Talks end when one side's offer is worth at least as much to the
other as its own offer.

The two sides are the pair of parties (present, not observers, not conveners) furthest apart,
distance weighted by the product of their capabilities. The guarantors stand behind them as
patrons: a side whose patron is at the table values each offer partly as its patron would (see
``worth``), and the shared pull on attendance and positions applies before and after.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..rule_params import AlternatingOffersParams
from .base import Bargain, Classifier, Protocol, Step, Table
from .compromise import compromise_text
from .memo import Memo

GRID = np.linspace(0.0, 1.0, 1001)[1:]  # concession sizes tried: 0.1% of the gap and up
EPS = 1e-12
CLOSE = 0.5  # scale points: offers this close on every issue meet in the middle
BLOCKS = ((0, 16), (16, 128), (128, None))  # the concession sizes tried together, in turn


def principals(table: Table) -> tuple[int, int] | None:
    """The two parties furthest apart, weighted by capability; ``None`` if fewer than two."""
    parties = np.flatnonzero(table.drafting & ~table.conveners)
    if parties.size < 2:
        parties = np.flatnonzero(table.drafting)
    if parties.size < 2:
        return None
    positions = table.positions[parties]
    distance = np.abs(positions[:, None, :] - positions[None, :, :]).mean(axis=2)
    weight = table.capability[parties]
    # The distance alone breaks ties among capability-less parties; the first pair wins ties.
    score = np.triu(weight[:, None] * weight[None, :] * distance + 1e-9 * distance, k=1)
    i, k = np.unravel_index(int(np.argmax(score)), score.shape)
    return int(parties[i]), int(parties[k])


def risk(own, other, walk_away):
    """Zeuthen's risk willingness: the breakdown chance a side would bear rather than give in.

    Works on numbers or arrays; 1 where the other's offer is no better than walking away.
    """
    hopeless = (other <= walk_away) | (own <= walk_away)
    # Never a division by zero: where not hopeless, own > walk_away.
    return np.where(hopeless, 1.0, (own - other) / np.where(hopeless, 1.0, own - walk_away))


def scalar_risk(own: float, other: float, walk_away: float) -> float:
    """``risk`` on plain numbers, the same arithmetic without numpy's cost per call (a bargain
    weighs two risks a turn)."""
    if other <= walk_away or own <= walk_away:
        return 1.0
    return (own - other) / (own - walk_away)


@dataclass(frozen=True, eq=False)
class Lens:
    """Through whose eyes the two sides value texts: each side's own and, when its patron is at
    the table, its patron's (``worth``). The rows are gathered once per bargain, so that every
    offer weighed is one pass of array arithmetic over all the eyes at once."""

    positions: np.ndarray  # (eyes, agenda issues)
    salience: np.ndarray
    rows: dict[int, tuple[int, ...]]  # side -> its own row, then its patron's if at the table
    share: float  # model.patron_pull
    walk_away: np.ndarray  # (actors,): the table's reservation values

    @classmethod
    def of(cls, table: Table, sides: tuple[int, ...]) -> Lens:
        eyes: list[int] = []
        rows = {}
        for side in sides:
            patron = table.patron_at_table(side)
            mine = [side] if patron is None else [side, patron]
            rows[side] = tuple(range(len(eyes), len(eyes) + len(mine)))
            eyes += mine
        share = table.params.patron_pull
        return cls(table.positions[eyes], table.salience[eyes], rows, share, table.reservation)

    def own_worths(self, texts: np.ndarray) -> np.ndarray:
        """The mean clause worth of each text (columns) to each eye (rows), by its own lights."""
        gaps = np.abs(texts[None, :, :] - self.positions[:, None, :])
        # The mean as numpy's ``mean`` takes it (the sum, then the division by the count),
        # without its cost per call in Python.
        total = np.add.reduce(self.salience[:, None, :] * gaps, axis=2)
        return 1.0 - total / texts.shape[1] / 100.0

    def worth(self, own_worths: np.ndarray, side: int) -> np.ndarray:
        """What each text is worth to ``side`` as it bargains, from ``own_worths``.

        A side whose patron is at the table weighs each text partly through its patron's eyes:
        (1 - a) U_side + a U_patron, with a = ``model.patron_pull``, the same share by which
        the patron draws its client's positions between rounds.
        """
        rows = self.rows[side]
        if len(rows) == 1:
            return own_worths[rows[0]]
        return (1.0 - self.share) * own_worths[rows[0]] + self.share * own_worths[rows[1]]

    def values(self, offers: dict[int, np.ndarray]) -> dict[tuple[int, int], float]:
        """``(who, whose)`` -> what ``whose``'s offer is worth to side ``who``, for each side
        of the lens and each offer of ``offers``."""
        return self._values(self.own_worths(np.stack(list(offers.values()))), tuple(offers))

    def _values(self, own_worths: np.ndarray, whose: tuple[int, ...]) -> dict:
        """``values`` from the own worths of the offers of ``whose`` (the first columns)."""
        worths = {who: self.worth(own_worths, who).tolist() for who in self.rows}
        return {(who, k): worths[who][n] for who in self.rows for n, k in enumerate(whose)}

    def weigh(self, offers: dict[int, np.ndarray], head: np.ndarray) -> tuple[dict, dict]:
        """``values`` of the two sides' offers, and each side's first concessions toward the
        other's offer (sizes ``head``) with their own worths, in one pass: a side that must
        concede usually finds its move among these (``_concede``). A lone side (both
        principals one actor, on a table of equals) has no one to concede to."""
        if len(offers) < 2:
            return self.values(offers), {}
        a, b = offers
        moves = {
            i: offers[i][None, :] + head[:, None] * (offers[k] - offers[i])[None, :]
            for i, k in ((a, b), (b, a))
        }
        own = self.own_worths(
            np.concatenate([offers[a][None, :], offers[b][None, :], *moves.values()])
        )
        n = len(head)
        firsts = {a: (moves[a], own[:, 2 : 2 + n]), b: (moves[b], own[:, 2 + n :])}
        return self._values(own[:, :2], (a, b)), firsts


def head(table: Table) -> np.ndarray:
    """The first block of concession sizes a lone conceder tries (``_concede``)."""
    mc = table.params.alternating_offers.min_concession
    start, stop = BLOCKS[0]
    return _sizes(min(mc, 1.0), 1.0)[start:stop]


@functools.lru_cache(maxsize=64)  # a sweep over min_concession must not grow it unbounded
def _sizes(smallest: float, limit: float) -> np.ndarray:
    """The concession sizes tried between ``smallest`` and ``limit`` (shares of the gap)."""
    sizes = GRID[(smallest - EPS <= GRID) & (limit + EPS >= GRID)]
    sizes.flags.writeable = False
    return sizes


def _scan(lens: Lens, pair: tuple[int, int], own_worths: np.ndarray, values: tuple):
    """The block loop of ``_concede`` in plain floats, stopping at the first size large enough
    (the first block usually holds it within a few sizes): that size's row, and the last row
    the conceder can bear. The same arithmetic as the array form, element by element."""
    (who, rival), (mine_of_other, theirs_of_own) = pair, values
    r_who, r_rival = float(lens.walk_away[who]), float(lens.walk_away[rival])
    mine, theirs = lens.worth(own_worths, who).tolist(), lens.worth(own_worths, rival).tolist()
    last = None
    for n, bearable in enumerate((own_worths[lens.rows[who][0]] >= r_who - EPS).tolist()):
        if not bearable:
            continue
        last = n
        ours = scalar_risk(mine[n], mine_of_other, r_who)
        if ours > scalar_risk(theirs_of_own, theirs[n], r_rival) + EPS:
            return n, last
    return None, last


def concession(
    table: Table, who: int, rival: int, own: np.ndarray, other: np.ndarray, limit: float = 1.0
):
    """The smallest move of ``who``'s offer toward ``other`` after which ``rival`` must concede.

    ``limit`` caps the move as a share of the gap (one half when both sides concede at once, so
    that their offers cannot cross). Returns the new offer, or ``None`` when ``who`` cannot move
    without going below its walk-away value.
    """
    lens = Lens.of(table, (who, rival))
    return _concede(table, lens, (who, rival), (own, other), limit, lens.values({rival: other}))


def _concede(table, lens, pair, offers, limit, values, first=None):
    """``concession`` with the sides' eyes gathered and what the rival's offer is worth to each
    side (``values``, as ``Lens.values``) known. The sizes are tried a few at a time, smallest
    first, and the trying stops at the first block holding one large enough: the rival's risk
    rarely needs more than a few of the smallest. ``first``: the first block, already weighed
    (``Lens.weigh``, with the sizes of ``head``), scanned in plain floats (``_scan``)."""
    (who, rival), (own, other) = pair, offers
    sizes = _sizes(min(table.params.alternating_offers.min_concession, limit), limit)
    r_who, r_rival = table.reservation[who], table.reservation[rival]
    mine_of_other, theirs_of_own = values[who, rival], values[rival, rival]
    last = None
    for start, stop in BLOCKS:
        if start >= len(sizes):
            break
        if start == 0 and first is not None:
            candidates, own_worths = first
            found, last = _scan(lens, pair, own_worths, (mine_of_other, theirs_of_own))
            if found is not None:
                return candidates[found]
            last = None if last is None else candidates[last]
            continue
        candidates = own[None, :] + sizes[start:stop, None] * (other - own)[None, :]
        own_worths = lens.own_worths(candidates)
        allowed = own_worths[lens.rows[who][0]] >= r_who - EPS  # by its own lights
        risk_who = risk(lens.worth(own_worths, who), mine_of_other, r_who)
        risk_rival = risk(theirs_of_own, lens.worth(own_worths, rival), r_rival)
        enough = allowed & (risk_who > risk_rival + EPS)
        if enough.any():
            return candidates[int(np.argmax(enough))]
        if allowed.any():
            last = candidates[int(np.flatnonzero(allowed)[-1])]
    if last is not None:  # cannot make the rival concede: go as far as it can bear
        return last if not np.allclose(last, own) else None
    return None


class AlternatingOffers(Protocol):
    """Offers and counter-offers between two principals; the less risk-willing side concedes."""

    params = AlternatingOffersParams
    name = params.rule
    citation = "Zeuthen (1930); Harsanyi (1956), Econometrica 24(2): 144-157"
    classifier = Classifier(
        deterministic=True,
        moves_positions=False,
        parties="two_sides",  # the two principals furthest apart
        uses_patrons=True,  # a side values offers partly as its patron at the table would
        uses_conveners=True,  # the conveners are not among the principals
    )

    def __init__(self) -> None:
        self.memo = Memo()  # the forecasts and the talks of a round often see one table

    def negotiate(self, table: Table) -> Bargain:
        """Opening offers, then Zeuthen's turns until one side's offer suits the other or the
        offers run out (played once per distinct table: ``sim.protocols.memo``)."""
        return self.memo.bargain(table, self._bargain)

    def _bargain(self, table: Table) -> Bargain:
        """The bargain itself. Over 40 lines because it reads best as one story: the opening,
        the turns and the two endings (settled, deadlocked), each told as a step."""
        pair = principals(table)
        if pair is None:
            text = compromise_text(table)
            words = f"With fewer than two parties at the table, {table.describe(text)} stood."
            return Bargain(text, (Step("proposed", words),))
        a, b = pair
        lens, sizes = Lens.of(table, pair), head(table)
        offers = {a: table.positions[a].copy(), b: table.positions[b].copy()}
        steps = [
            Step(
                "offered",
                f"{table.name(a)} and {table.name(b)} opened with their own positions: "
                f"{table.describe(offers[a])} against {table.describe(offers[b])}.",
            )
        ]
        for _ in range(table.params.alternating_offers.max_offers):
            values, firsts = lens.weigh(offers, sizes)
            settled = self._settled(table, a, b, offers, values)
            if settled is not None:
                steps.append(Step("settled", settled[1]))
                return Bargain(settled[0], tuple(steps))
            risks, moved = self._concessions(table, lens, offers, values, firsts)
            if not moved:
                ending = "the side whose turn it was to concede could not without walking away"
                break
            for i, new in moved.items():
                k = b if i == a else a
                offers[i] = new
                steps.append(
                    Step(
                        "conceded",
                        f"{table.name(i)} conceded (its risk {risks[i]:.2f}, "
                        f"{table.name(k)}'s {risks[k]:.2f}): {table.describe(new)}.",
                        actor=i,
                    )
                )
        else:
            turns = table.params.alternating_offers.max_offers
            ending = f"after {turns} rounds of offers the sides had not met"
        text = (offers[a] + offers[b]) / 2.0
        words = (
            f"Deadlock: {ending}; the conveners tabled the midpoint of the last offers: "
            f"{table.describe(text)}."
        )
        steps.append(Step("deadlocked", words))
        return Bargain(text, tuple(steps))

    @staticmethod
    def _concessions(
        table: Table, lens: Lens, offers: dict, values: dict, firsts: dict
    ) -> tuple[dict, dict]:
        """Zeuthen's turn: each side's risk, and the new offer of each side whose turn it is to
        concede (the side with the smaller risk, or both when the risks are equal; then each
        moves at most half the gap, and the first concessions weighed in ``firsts``, for a
        lone conceder, do not apply)."""
        (a, b) = offers
        turns = ((a, b), (b, a))
        walk_away = table.reservation.tolist()
        risks = {i: scalar_risk(values[i, i], values[i, k], walk_away[i]) for i, k in turns}
        conceding = [i for i, k in turns if risks[i] <= risks[k] + EPS]
        moved = {}
        limit = 0.5 if len(conceding) == 2 else 1.0
        for i in conceding:
            k = b if i == a else a
            first = firsts[i] if limit == 1.0 else None
            new = _concede(table, lens, (i, k), (offers[i], offers[k]), limit, values, first)
            if new is not None:
                moved[i] = new
        return risks, moved

    @staticmethod
    def _settled(
        table: Table, a: int, b: int, offers: dict, values: dict
    ) -> tuple[np.ndarray, str] | None:
        """An offer the other side values at least as much as its own ends the talks.

        So do offers within half a scale point of each other on every issue: they meet in the
        middle (the minimal concessions would otherwise close the last gap only in the limit).
        """
        takers = [k for i, k in ((a, b), (b, a)) if values[k, i] >= values[k, k] - EPS]
        if len(takers) == 2 or np.all(np.abs(offers[a] - offers[b]) < CLOSE):
            text = (offers[a] + offers[b]) / 2.0  # either would take the other's: no favourite
            return text, f"The offers met: {table.describe(text)}."
        if takers:
            k = takers[0]
            i = b if k == a else a
            return offers[i], f"{table.name(k)} took the offer: {table.describe(offers[i])}."
        return None
