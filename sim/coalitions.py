"""Whether the opposition's blocs came out of a unification meeting as one delegation, and why.

A joint delegation needs a joint platform: every bloc that must sign has to be in the room and
accept every clause (the same test as any agreement, so nothing here is scripted). What this
module adds is the reason a student can read when it fails: which bloc's red line the joint text
crossed, on which issue, and how far apart the blocs stood there. A red line is where an actor
tolerates little: actor i accepts a clause within 100 (1 - r_i) / s_ij points of its position.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .context import RunContext
from .runlog import Event


def coalition_event(
    model: RunContext,
    round_id: str,
    date: dt.date,
    agenda: np.ndarray,
    text: np.ndarray,
    required: np.ndarray,
    present: np.ndarray,
    agreed: np.ndarray,
    walked_out: np.ndarray,
) -> Event:
    """``coalition_formed`` or ``coalition_failed``, with the reason in words."""
    if required.size and bool(np.all(agreed)) and bool(np.all(present[required])):
        return Event(
            date,
            "coalition_formed",
            f"{model.names(required)} formed a single delegation on a joint platform: "
            + ", ".join(f"{model.issue_ids[j]} {x:.0f}" for j, x in zip(agenda, text, strict=True))
            + ".",
            round=round_id,
        )
    if not required.size:
        words = "No single delegation: no bloc came that could have joined it."
        return Event(date, "coalition_failed", words, round=round_id)
    left = [i for i in required if walked_out[i]]
    away = [i for i in required if not present[i] and not walked_out[i]]
    if left or away:
        reasons = []
        if away:
            reasons.append(f"{model.names(away)} not at the table")
        if left:
            reasons.append(f"{model.names(left)} walked out")
        words = f"No single delegation: {' and '.join(reasons)}."
        return Event(date, "coalition_failed", words, round=round_id)
    return _red_line_failure(model, round_id, date, agenda, text, required)


def _red_line_failure(model, round_id, date, agenda, text, required) -> Event:
    """Name the clause furthest beyond a bloc's tolerance, and the bloc furthest from it."""
    positions = model.positions[np.ix_(required, agenda)]
    salience = model.salience[np.ix_(required, agenda)]
    reservation = model.reservation[required]
    gaps = np.abs(positions - text[None, :])
    with np.errstate(divide="ignore"):
        limits = np.where(salience > 0, 100.0 * (1.0 - reservation[:, None]) / salience, np.inf)
    excess = gaps - limits
    row, col = np.unravel_index(int(np.argmax(excess)), excess.shape)
    blocker, issue = int(required[row]), int(agenda[col])
    other = int(required[int(np.argmax(np.abs(positions[:, col] - positions[row, col])))])
    name = model.issue_names[model.issue_ids[issue]]
    apart = abs(model.positions[other, issue] - model.positions[blocker, issue])
    words = (
        f"No single delegation: the joint text on {name} ({text[col]:.0f}) sits "
        f"{gaps[row, col]:.0f} points from {model.negotiator(blocker).name}'s position "
        f"({positions[row, col]:.0f}), beyond the {limits[row, col]:.0f} it can bear on this "
        "red line"
    )
    if other != blocker:
        words += (
            f"; {model.negotiator(blocker).name} and {model.negotiator(other).name} stand "
            f"{apart:.0f} points apart on it"
        )
    words += "."
    return Event(
        date,
        "coalition_failed",
        words,
        round=round_id,
        actor=model.actor_ids[blocker],
        issue=model.issue_ids[issue],
    )
