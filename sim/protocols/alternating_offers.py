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
from dataclasses import dataclass, field

import numpy as np

from ..rule_params import AlternatingOffersParams
from .base import Bargain, Classifier, Protocol, Step, Table
from .compromise import compromise_text
from .memo import Memo

GRID = np.linspace(0.0, 1.0, 1001)[1:]  # concession sizes tried: 0.1% of the gap and up
EPS = 1e-12
CLOSE = 0.5  # scale points: offers this close on every issue meet in the middle
BLOCKS = ((0, 16), (16, None))  # the concession sizes tried together, in turn


def principals(table: Table) -> tuple[int, int] | None:
    """The two parties furthest apart, weighted by capability; ``None`` if fewer than two."""
    parties = np.flatnonzero(table.drafting & ~table.conveners)
    if parties.size < 2:
        parties = np.flatnonzero(table.drafting)
    if parties.size < 2:
        return None
    positions = table.positions[parties]
    gaps = np.abs(positions[:, None, :] - positions[None, :, :])
    distance = np.add.reduce(gaps, axis=2) / gaps.shape[2]  # numpy's mean, without its cost
    weight = table.capability[parties]
    # The distance alone breaks ties among capability-less parties; the first pair wins ties.
    score = weight[:, None] * weight[None, :] * distance + 1e-9 * distance
    score = np.where(_not_above_diagonal(parties.size), 0.0, score)  # np.triu(score, k=1)
    i, k = divmod(int(np.argmax(score)), parties.size)
    return int(parties[i]), int(parties[k])


@functools.lru_cache(maxsize=64)
def _not_above_diagonal(n: int) -> np.ndarray:
    """The mask ``np.triu(score, k=1)`` clears: the diagonal and below (n x n)."""
    mask = np.tri(n, n, 0, dtype=bool)
    mask.flags.writeable = False
    return mask


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
    block of offers weighed is one pass of array arithmetic over all the eyes at once."""

    positions: np.ndarray  # (eyes, agenda issues)
    salience: np.ndarray
    rows: dict[int, tuple[int, ...]]  # side -> its own row, then its patron's if at the table
    share: float  # model.patron_pull
    walk_away: tuple[float, ...]  # (actors,): the table's reservation values
    by_issue: tuple = field(init=False, repr=False)  # positions, salience: (issues, eyes, 1)
    numbers: tuple = field(init=False, repr=False)  # each eye's (position, salience), as lists

    def __post_init__(self) -> None:
        by_issue = (self.positions.T[:, :, None].copy(), self.salience.T[:, :, None].copy())
        object.__setattr__(self, "by_issue", by_issue)
        numbers = tuple(zip(self.positions.tolist(), self.salience.tolist(), strict=True))
        object.__setattr__(self, "numbers", numbers)

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
        walk_away = tuple(table.reservation.tolist())
        return cls(table.positions[eyes], table.salience[eyes], rows, share, walk_away)

    def own_worths(self, texts: np.ndarray) -> np.ndarray:
        """The mean clause worth of each text (columns) to each eye (rows), by its own lights."""
        return self.clause_worths(texts.T)

    def clause_worths(self, clauses: np.ndarray) -> np.ndarray:
        """``own_worths`` of the texts given clause by clause (issues x texts, the transpose).

        The mean as numpy's ``mean`` takes it (the sum, then the division by the count), without
        its cost per call in Python. On fewer than 8 issues the sum runs issue by issue over
        arrays of eyes x texts, adding left to right as numpy's ``add.reduce`` adds fewer than 8
        terms (bit for bit: tests/test_protocols.py), without its slow pass per text."""
        issues = clauses.shape[0]
        if issues >= 8:  # numpy sums 8 or more terms pairwise: its own reduction, as it was
            texts = np.ascontiguousarray(clauses.T)
            gaps = np.abs(texts[None, :, :] - self.positions[:, None, :])
            total = np.add.reduce(self.salience[:, None, :] * gaps, axis=2)
        else:
            positions, salience = self.by_issue
            terms = clauses[:, None, :] - positions  # (issues, eyes, texts)
            np.abs(terms, out=terms)
            terms *= salience
            total = np.add.reduce(terms, axis=0)  # left to right: one pass per issue
        return 1.0 - total / issues / 100.0

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

    def key(self, pair: tuple[int, int]) -> tuple:
        """Every number a bargain between ``pair`` reads through this lens (with the rule's
        parameters): two tables with equal keys strike the same bargain."""
        a, b = pair
        arrays = tuple((x.dtype.str, x.shape, x.tobytes()) for x in (self.positions, self.salience))
        walk_away = (self.walk_away[a], self.walk_away[b])
        return pair, arrays, tuple(self.rows.items()), self.share, walk_away

    def at(self, column: list[float], side: int) -> float:
        """``worth`` of one text from its own worth to each eye (plain numbers), the same
        arithmetic without numpy's cost per call."""
        rows = self.rows[side]
        if len(rows) == 1:
            return column[rows[0]]
        return (1.0 - self.share) * column[rows[0]] + self.share * column[rows[1]]

    def values(self, offers: dict[int, np.ndarray]) -> dict[tuple[int, int], float]:
        """``(who, whose)`` -> what ``whose``'s offer is worth to side ``who``, for each side
        of the lens and each offer of ``offers``."""
        columns = self.own_worths(np.stack(list(offers.values()))).T.tolist()
        return self.valued(dict(zip(offers, columns, strict=True)))

    def valued(self, columns: dict[int, list[float]]) -> dict[tuple[int, int], float]:
        """``values`` from each offer's own worth to each eye (``whose`` -> its column)."""
        return {
            (who, k): self.at(column, who) for who in self.rows for k, column in columns.items()
        }


@functools.lru_cache(maxsize=64)  # a sweep over min_concession must not grow it unbounded
def _blocks(smallest: float, limit: float) -> tuple[np.ndarray, ...]:
    """The concession sizes tried between ``smallest`` and ``limit`` (shares of the gap), block
    by block (``BLOCKS``), each a row (1 x sizes)."""
    sizes = GRID[(smallest - EPS <= GRID) & (limit + EPS >= GRID)]
    sizes.flags.writeable = False
    return tuple(sizes[None, start:stop] for start, stop in BLOCKS if start < len(sizes))


def blocks(table: Table, limit: float) -> tuple[np.ndarray, ...]:
    """``_blocks`` for a concession of at most ``limit`` at ``table``."""
    return _blocks(min(table.params.alternating_offers.min_concession, limit), limit)


def _scan(lens: Lens, pair: tuple[int, int], own_worths: np.ndarray, values: tuple):
    """The first block of sizes in plain floats, stopping at the first size large enough (the
    first block usually holds it): that size's column, and the last column the conceder can
    bear. The same arithmetic as ``_sweep``, element by element (``scalar_risk`` written out:
    this loop is the bargain's innermost)."""
    (who, rival), (mine_of_other, theirs_of_own) = pair, values
    r_who, r_rival = lens.walk_away[who], lens.walk_away[rival]
    rows = own_worths.tolist()
    mine, theirs = _worths(lens, rows, who), _worths(lens, rows, rival)
    last, bar = None, r_who - EPS
    for n, worth in enumerate(rows[lens.rows[who][0]]):
        if not worth >= bar:  # below its walk-away value by its own lights
            continue
        last, ours, other = n, mine[n], theirs[n]
        if mine_of_other <= r_who or ours <= r_who:
            our_risk = 1.0
        else:
            our_risk = (ours - mine_of_other) / (ours - r_who)
        if other <= r_rival or theirs_of_own <= r_rival:
            their_risk = 1.0
        else:
            their_risk = (theirs_of_own - other) / (theirs_of_own - r_rival)
        if our_risk > their_risk + EPS:
            return n, last
    return None, last


def _worths(lens: Lens, rows: list[list[float]], side: int) -> list[float]:
    """``Lens.worth`` on plain numbers (rows of own worths by eye)."""
    eyes = lens.rows[side]
    if len(eyes) == 1:
        return rows[eyes[0]]
    share = lens.share
    return [
        (1.0 - share) * x + share * y for x, y in zip(rows[eyes[0]], rows[eyes[1]], strict=True)
    ]


def _sweep(lens: Lens, pair: tuple[int, int], own_worths: np.ndarray, values: tuple):
    """``_scan`` as array arithmetic, for the larger blocks of sizes: ``risk``, with the worths
    of the offer on the table kept as the numbers they are (a risk of 1 wherever either worth
    is no better than walking away)."""
    (who, rival), (mine_of_other, theirs_of_own) = pair, values
    r_who, r_rival = lens.walk_away[who], lens.walk_away[rival]
    allowed = own_worths[lens.rows[who][0]] >= r_who - EPS  # by its own lights
    if mine_of_other <= r_who:
        risk_who = 1.0
    else:
        mine = lens.worth(own_worths, who)
        hopeless = mine <= r_who  # never a division by zero: elsewhere mine > r_who
        risk_who = np.where(
            hopeless, 1.0, (mine - mine_of_other) / np.where(hopeless, 1.0, mine - r_who)
        )
    if theirs_of_own <= r_rival:
        risk_rival = 1.0
    else:
        theirs = lens.worth(own_worths, rival)
        gain = (theirs_of_own - theirs) / (theirs_of_own - r_rival)
        risk_rival = np.where(theirs <= r_rival, 1.0, gain)
    enough = allowed & (risk_who > risk_rival + EPS)
    found = int(np.argmax(enough)) if enough.any() else None
    return found, int(np.flatnonzero(allowed)[-1]) if allowed.any() else None


def concession(
    table: Table, who: int, rival: int, own: np.ndarray, other: np.ndarray, limit: float = 1.0
):
    """The smallest move of ``who``'s offer toward ``other`` after which ``rival`` must concede.

    ``limit`` caps the move as a share of the gap (one half when both sides concede at once, so
    that their offers cannot cross). Returns the new offer, or ``None`` when ``who`` cannot move
    without going below its walk-away value.
    """
    lens = Lens.of(table, (who, rival))
    values = lens.values({rival: other})
    moved = _concede(lens, (who, rival), (own, other), blocks(table, limit), values)
    return None if moved is None else moved[0]


def _concede(lens, pair, offers, sizes, values, smallest=None):
    """``concession`` with the sides' eyes gathered, the sizes to try in blocks (``blocks``)
    and what the rival's offer is worth to each side (``values``, as ``Lens.values``) known;
    the new offer comes with its own worth to each eye (a list), which the next turns read,
    and whether it was the smallest size. The trying stops at the first block holding a size
    large enough: the rival's risk rarely needs more than a few of the smallest, which
    ``_scan`` tries in plain floats. ``smallest``: the two offers as plain numbers, to try the
    smallest size alone first (``_smallest``), when it is likely to be enough."""
    (who, rival), (own, other) = pair, offers
    odds = (values[who, rival], values[rival, rival])
    if smallest is not None and sizes:
        found = _smallest(lens, pair, smallest, float(sizes[0][0, 0]), odds)
        if found is not None:
            return (*found, True)
    own_clauses, gap = own[:, None], (other - own)[:, None]
    last = None
    for n, block in enumerate(sizes):
        clauses = own_clauses + gap * block  # the candidates, as columns
        own_worths = lens.clause_worths(clauses)
        found, bearable = (_scan if n == 0 else _sweep)(lens, pair, own_worths, odds)
        if found is not None:
            return clauses[:, found].copy(), own_worths[:, found].tolist(), n == found == 0
        if bearable is not None:
            last = clauses[:, bearable].copy(), own_worths[:, bearable]
    if last is None or _close_to(last[0], own):  # cannot make the rival concede:
        return None  # go as far as it can bear, if that is anywhere
    return last[0], last[1].tolist(), False


def _smallest(lens: Lens, pair: tuple[int, int], texts: tuple, size: float, odds: tuple):
    """The concession of ``size`` (the smallest), valued in plain floats with the arithmetic of
    ``clause_worths`` and ``_scan``, number by number (on fewer than 8 issues, whose sums
    ``clause_worths`` takes left to right): the offer and its worths to each eye if it is
    enough to make the rival concede, else ``None``."""
    (who, rival), (own, other), (mine_of_other, theirs_of_own) = pair, texts, odds
    issues = len(own)
    if issues >= 8:
        return None
    clauses = [x + (y - x) * size for x, y in zip(own, other, strict=True)]
    column = []
    for position, salience in lens.numbers:
        terms = [abs(x - p) * s for x, p, s in zip(clauses, position, salience, strict=True)]
        total = terms[0]
        for term in terms[1:]:
            total += term
        column.append(1.0 - total / issues / 100.0)
    r_who, r_rival = lens.walk_away[who], lens.walk_away[rival]
    if not column[lens.rows[who][0]] >= r_who - EPS:  # below its walk-away value
        return None
    our_risk = scalar_risk(lens.at(column, who), mine_of_other, r_who)
    if our_risk > scalar_risk(theirs_of_own, lens.at(column, rival), r_rival) + EPS:
        return np.array(clauses), column
    return None


def _close_to(text: np.ndarray, other: np.ndarray) -> bool:
    """``np.allclose(text, other)`` for finite texts, in plain floats (the same arithmetic)."""
    pairs = zip(text.tolist(), other.tolist(), strict=True)
    return all(abs(x - y) <= 1e-08 + 1e-05 * abs(y) for x, y in pairs)


class _Talks:
    """One bargain's running state: each side's offer as an array, as plain numbers (for the
    steps and the test of closeness) and with its worth to each side, kept as offers move, so
    that the offer a turn leaves unchanged is not valued again."""

    def __init__(self, table: Table, pair: tuple[int, int], lens: Lens) -> None:
        self.pair, self.lens = pair, lens
        a, b = pair
        own = lens.positions[[lens.rows[a][0], lens.rows[b][0]]]  # each side's own position
        self.offers = {a: own[0].copy(), b: own[1].copy()}
        openings = np.stack(list(self.offers.values()))
        self.clauses = {
            k: tuple(row) for k, row in zip(self.offers, openings.tolist(), strict=True)
        }
        columns = self.lens.own_worths(openings).T.tolist()
        # (who, whose) -> whose offer's worth to side who
        self.values = self.lens.valued(dict(zip(self.offers, columns, strict=True)))
        self.sizes = {limit: blocks(table, limit) for limit in (0.5, 1.0)}
        self.smallest = dict.fromkeys(pair, False)  # each side's last concession was smallest
        self.lines = None if table.floor is None else (table.floor, table.ceiling)

    def toward(self, side: int, other: np.ndarray) -> np.ndarray:
        """Where ``side`` concedes toward: the other's offer, held within ``side``'s own red
        lines, so that no concession carries it past a line it declared."""
        if self.lines is None:
            return other
        return np.clip(other, self.lines[0][side], self.lines[1][side])

    def settled(self) -> tuple[np.ndarray, Step] | None:
        """An offer the other side values at least as much as its own ends the talks.

        So do offers within half a scale point of each other on every issue: they meet in the
        middle (the minimal concessions would otherwise close the last gap only in the limit).
        """
        (a, b), values = self.pair, self.values
        takers = [k for i, k in ((a, b), (b, a)) if values[k, i] >= values[k, k] - EPS]
        if len(takers) == 2 or self.close(a, b):
            text = (self.offers[a] + self.offers[b]) / 2.0  # either would take the other's
            return text, Step("settled", numbers=("met", _clauses(text)))
        if takers:
            k = takers[0]
            i = b if k == a else a
            return self.offers[i], Step("settled", numbers=("took", k, self.clauses[i]))
        return None

    def turn(self) -> list[Step]:
        """Zeuthen's turn: each side's risk, and a new offer (``_concede``) from each side
        whose turn it is to concede: the side with the smaller risk, or both when the risks
        are equal; then each moves at most half the gap. The concessions made, as steps."""
        (a, b), values, walk_away, offers = self.pair, self.values, self.lens.walk_away, self.offers
        risk_a = scalar_risk(values[a, a], values[a, b], walk_away[a])
        risk_b = scalar_risk(values[b, b], values[b, a], walk_away[b])
        turns = ((a, b, risk_a, risk_b), (b, a, risk_b, risk_a))
        conceding = [turn for turn in turns if turn[2] <= turn[3] + EPS]
        sizes = self.sizes[0.5 if len(conceding) == 2 else 1.0]
        moves = []
        for i, k, risk_i, risk_k in conceding:
            target = self.toward(i, offers[k])
            clauses = self.clauses[k] if target is offers[k] else tuple(target.tolist())
            # a side whose last concession was the smallest size usually makes it again
            smallest = (self.clauses[i], clauses) if self.smallest[i] else None
            new = _concede(self.lens, (i, k), (offers[i], target), sizes, values, smallest)
            moves.append(((i, k, risk_i, risk_k), new))
        steps = []
        for (i, k, risk_i, risk_k), new in moves:
            if new is not None:
                self.move(i, new[0], new[1])
                self.smallest[i] = new[2]
                told = ("conceded", i, k, risk_i, risk_k, self.clauses[i])
                steps.append(Step("conceded", actor=i, numbers=told))
        return steps

    def move(self, side: int, offer: np.ndarray, column: list[float]) -> None:
        """``side`` now offers ``offer``, worth ``column`` to the eyes of the lens."""
        self.offers[side], self.clauses[side] = offer, tuple(offer.tolist())
        for who in self.lens.rows:
            self.values[who, side] = self.lens.at(column, who)

    def close(self, a: int, b: int) -> bool:
        """Offers within half a scale point of each other on every issue."""
        for x, y in zip(self.clauses[a], self.clauses[b], strict=True):
            if not abs(x - y) < CLOSE:
                return False
        return True


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
        self.sides_memo = Memo()  # ... or tables alike but for those who do not bargain

    def negotiate(self, table: Table) -> Bargain:
        """Opening offers, then Zeuthen's turns until one side's offer suits the other or the
        offers run out (played once per distinct table: ``sim.protocols.memo``)."""
        return self.memo.bargain(table, self._bargain)

    def _bargain(self, table: Table) -> Bargain:
        """The bargain itself: the opening, the turns and the two endings (settled,
        deadlocked), each recorded as a step with its numbers (``sim.narrator.bargains`` tells
        them in words), played once per distinct lens (``Lens.key``)."""
        pair = principals(table)
        if pair is None:
            text = compromise_text(table)
            return Bargain(text, (Step("proposed", numbers=("alone", _clauses(text))),))
        lens = Lens.of(table, pair)
        # Tables that differ away from the two sides and their patrons strike the same bargain
        # (an invitee who stayed away): it reads only the numbers of the lens and the params.
        talk = functools.partial(self._talk, table, pair, lens)
        return self.sides_memo.recall((lens.key(pair), _lines_of(table, pair)), table.params, talk)

    def _talk(self, table: Table, pair: tuple[int, int], lens: Lens) -> Bargain:
        """The exchange of offers between ``pair``, seen through ``lens``."""
        a, b = pair
        talks = _Talks(table, pair, lens)
        steps = [Step("offered", numbers=("opened", a, b, talks.clauses[a], talks.clauses[b]))]
        turns = table.params.alternating_offers.max_offers
        ending: tuple = ("out_of_turns", turns)
        for _ in range(turns):
            settled = talks.settled()
            if settled is not None:
                return Bargain(settled[0], (*steps, settled[1]))
            conceded = talks.turn()
            if not conceded:
                ending = ("stuck",)  # the side whose turn it was could not concede
                break
            steps += conceded
        text = (talks.offers[a] + talks.offers[b]) / 2.0
        steps.append(Step("deadlocked", numbers=(*ending, _clauses(text))))
        return Bargain(text, tuple(steps))


def _lines_of(table: Table, pair: tuple[int, int]) -> tuple | None:
    """The two sides' red lines, as the bargain reads them (for its memo's key)."""
    if table.floor is None:
        return None
    rows = list(pair)
    return table.floor[rows].tobytes(), table.ceiling[rows].tobytes()


def _clauses(text: np.ndarray) -> tuple[float, ...]:
    """A text as plain numbers, for a step's record (``Step.numbers``)."""
    return tuple(np.asarray(text, dtype=float).tolist())
