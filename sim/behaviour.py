"""The negotiation arithmetic, as plain functions over arrays (actors x issues).

Every function here is vectorised over actors and issues: the Mesa agents decide by reading these
results, so the cost of a round does not grow with a Python loop per actor. The equations are
written out in docs/model.md; the names below follow them.

Conventions: ``positions`` are on the 0-100 scale, ``salience`` and ``capability`` in 0-1; index
arrays select actors (``who``) or issues (``agenda``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SCALE = 100.0


def weighted_text(
    positions: np.ndarray,
    weights: np.ndarray,
    fallback: np.ndarray | Callable[[], np.ndarray] | None = None,
) -> np.ndarray:
    """The weighted mean position per issue (columns); ``fallback`` where all weights are zero.

    ``positions`` and ``weights`` are (actors x issues). This is the convener's first draft: the
    point that balances the participants by how much they weigh and how much they care. A
    callable ``fallback`` is called only when some issue needs it (it is rarely needed).
    """
    # Scaled by the largest weight of each issue first: the result is the same, but products
    # of tiny weights (a capability of 1e-300, say) cannot underflow and leave the hull.
    largest = weights.max(axis=0, initial=0.0)
    weights = divide_or(weights, largest, 0.0)
    total = weights.sum(axis=0)
    text = (weights * positions).sum(axis=0)
    if not (total > 0).all():
        fallback = mean_of(positions, axis=0) if fallback is None else fallback
        fallback = fallback() if callable(fallback) else fallback
    return divide_or(text, total, fallback)


def divide_or(numerator: np.ndarray, denominator: np.ndarray, otherwise) -> np.ndarray:
    """``numerator / denominator`` where the denominator is positive, ``otherwise`` elsewhere.

    Written out because the run calls it hundreds of times on small arrays: the common case
    (every denominator positive) is one division, with no ``np.errstate`` context to enter.
    ``denominator`` broadcasts against ``numerator``'s trailing axis.
    """
    positive = denominator > 0
    if positive.all():
        return numerator / denominator
    result = np.empty(np.broadcast_shapes(numerator.shape, denominator.shape))
    result[...] = otherwise
    np.divide(numerator, denominator, out=result, where=positive)
    return result


def mean_of(values: np.ndarray, axis: int) -> np.ndarray:
    """``values.mean(axis)``, bit for bit (numpy sums, then divides by the count), cheaper."""
    return values.sum(axis=axis) / values.shape[axis]


def all_close(a: np.ndarray, b: np.ndarray) -> bool:
    """``np.allclose(a, b)`` for finite arrays (rtol 1e-5, atol 1e-8), without its overhead."""
    return bool((np.abs(a - b) <= 1e-08 + 1e-05 * np.abs(b)).all())


def draft_weights(
    capability: np.ndarray, salience: np.ndarray, is_convener: np.ndarray, convener_weight: float
) -> np.ndarray:
    """w_ij = c_i * s_ij * (1 + convener_weight * [i convenes])."""
    boost = 1.0 + convener_weight * is_convener.astype(float)
    return (capability * boost)[:, None] * salience


def clause_utility(positions: np.ndarray, salience: np.ndarray, text: np.ndarray) -> np.ndarray:
    """u_ij = 1 - s_ij * |x_j - p_ij| / 100: what each clause of the text is worth to each actor."""
    return 1.0 - salience * np.abs(text[None, :] - positions) / SCALE


def accepts(utility: np.ndarray, reservation: np.ndarray) -> np.ndarray:
    """An actor accepts a clause when it is worth at least walking away (u_ij >= r_i)."""
    return utility >= reservation[:, None]


def redraft(
    text: np.ndarray,
    positions: np.ndarray,
    weights: np.ndarray,
    accepted: np.ndarray,
    step: float,
) -> np.ndarray:
    """Move each rejected clause a ``step`` of the way toward the rejecters' weighted position.

    Raiffa's single negotiating text: the mediator does not split the difference with everybody,
    it answers the objections it received.
    """
    rejecting = ~accepted
    target = weighted_text(positions, weights * rejecting, fallback=text)
    any_rejection = rejecting.any(axis=0)
    return np.where(any_rejection, text + step * (target - text), text)


def weighted_distance(positions: np.ndarray, salience: np.ndarray, text: np.ndarray) -> np.ndarray:
    """Salience-weighted mean distance (scale points) from each actor to the text."""
    weight = salience.sum(axis=1)
    gaps = np.abs(text[None, :] - positions)
    gap = (salience * gaps).sum(axis=1)
    return divide_or(gap, weight, mean_of(gaps, axis=1))


def concede(
    positions: np.ndarray, salience: np.ndarray, text: np.ndarray, rate: np.ndarray
) -> np.ndarray:
    """p <- p + k_i (1 - s_ij)(x_j - p_ij): concede toward the text, least where it matters most."""
    step = np.clip(rate[:, None] * (1.0 - salience), 0.0, 1.0)
    return positions + step * (text[None, :] - positions)


def pulled(
    positions: np.ndarray,
    patron_positions: np.ndarray,
    has_patron: np.ndarray,
    pressure_target: np.ndarray,
    under_pressure: np.ndarray,
    patron_pull: float,
    pressure_rate: float,
) -> np.ndarray:
    """p <- p + a (q - p) + b (r - p): a patron's pull and the pressure of stronger actors.

    With a + b <= 1 (checked when the scenario loads) the result is a convex combination of
    positions on the scale, so it stays on the scale.
    """
    a = patron_pull * has_patron.astype(float)[:, None]
    b = pressure_rate * under_pressure
    return positions + a * (patron_positions - positions) + b * (pressure_target - positions)


DIRECT_LIMIT = 64  # actors: up to here the kernels below sum directly, as they always have


def pressure_targets(
    positions: np.ndarray, salience: np.ndarray, capability: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where stronger actors in the room push each actor, and whether anyone does.

    For actor i the target on issue j is the mean of the stronger actors' positions weighted by
    how much stronger they are and how much they care: w_kj = max(0, c_k - c_i) * s_kj.
    Up to ``DIRECT_LIMIT`` actors the sums are taken directly (an actors x actors x issues
    block); above, by ``_stronger_sums`` in O(n log n x issues) time and O(n x issues) memory,
    equal to about 1e-12 of the result (tests/test_kernels.py).
    """
    if len(capability) <= DIRECT_LIMIT:
        edge = np.clip(capability[None, :] - capability[:, None], 0.0, None)  # edge[i, k]
        weight = edge[:, :, None] * salience[None, :, :]  # (i, k, issue)
        total = weight.sum(axis=1)
        weighted = (weight * positions[None, :, :]).sum(axis=1)
    else:
        total, weighted = _stronger_sums(capability, salience, salience * positions)
    pushed = total > 0
    return divide_or(weighted, total, positions), pushed.astype(float)


def _stronger_sums(capability: np.ndarray, *weights: np.ndarray) -> tuple[np.ndarray, ...]:
    """For each actor i and each (actors x issues) array w: sum_k max(0, c_k - c_i) w_kj.

    With the actors sorted strongest first (c_(1) >= c_(2) >= ...), the sum for the m-th is
    N_m = sum_{l<m} (c_(l) - c_(m)) w_(l) and N_(m+1) = N_m + (c_(m) - c_(m+1)) W_m, W_m the
    running sum of w over the first m: a running sum of non-negative terms, so no difference
    of large sums loses the small edges of actors of nearly equal strength.
    """
    order = np.argsort(-capability, kind="stable")
    ranked = capability[order]
    step = np.clip(ranked[:-1] - ranked[1:], 0.0, None)[:, None]  # c_(m) - c_(m+1)
    results = []
    for w in weights:
        running = np.cumsum(w[order], axis=0)[:-1]
        sums = np.zeros_like(w)
        sums[1:] = np.cumsum(step * running, axis=0)
        unsorted = np.empty_like(sums)
        unsorted[order] = sums
        results.append(unsorted)
    return tuple(results)


def distance_to_guarantors(
    positions: np.ndarray, salience: np.ndarray, guarantors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """How far each actor stands from the furthest guarantor of the deal, and which one.

    D_ig = sum_j s_ij |p_gj - p_ij| / (100 sum_j s_ij), over all issues (a guarantor polices the
    whole settlement, not one clause), by the actor's own saliences; the furthest guarantor other
    than the actor itself counts. 0 with no other guarantor, or for an actor that cares about
    nothing.
    """
    n = len(guarantors)
    weight = salience.sum(axis=1)
    columns = np.flatnonzero(guarantors)  # few: one actors x issues block each
    distance = np.full((n, columns.size), -1.0)
    for g, column in enumerate(columns):
        gaps = np.abs(positions[column][None, :] - positions)
        with np.errstate(invalid="ignore", divide="ignore"):
            d = (salience * gaps).sum(axis=1) / (SCALE * weight)
        distance[:, g] = np.where(weight > 0, d, 0.0)
    distance[columns, np.arange(columns.size)] = -1.0  # not one's own guarantor
    if columns.size == 0:
        return np.zeros(n), np.zeros(n, dtype=int)
    best = np.argmax(distance, axis=1)
    largest = distance[np.arange(n), best]
    # Nobody else guarantees: index 0, as the first of the all-ineligible row always was.
    furthest = np.where(largest >= 0, columns[best], 0)
    return np.clip(largest, 0.0, None), furthest
