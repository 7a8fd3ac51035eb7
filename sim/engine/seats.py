"""Who sits at a round's table, who must consent, and the table a bargaining rule sees."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import behaviour as b
from ..protocols import Table
from ..scenario import ModelParams, Round
from .cast import Cast, Forums, read_only
from .state import State


@dataclass(frozen=True, eq=False)
class Seats:
    """One round's seating, as index arrays into the cast's actors (read-only: shared)."""

    conveners: np.ndarray
    invited: np.ndarray
    agenda: np.ndarray
    consent: str | np.ndarray  # a rule of CONSENT_RULES, or the named signatories
    package: bool
    forum: Forums  # what this round's track is worth to each actor
    invited_mask: np.ndarray  # bool over all actors: conveners and invitees
    convener_mask: np.ndarray  # bool over all actors
    invited_consenting: np.ndarray  # the invited whose role consents (``invitees``' set)
    ratifies: str | None = None  # the round whose text this one ratifies (``ratify``)

    @classmethod
    def of(cls, cast: Cast, spec: Round) -> Seats:
        """The seating of ``spec``, made once per run and kept by the cast: a round reads it
        several times (the postponement forecast, attendance, talks, votes)."""
        signatories = spec.signatories
        key = (
            spec.id,
            tuple(spec.conveners),
            tuple(spec.invitees),
            signatories if isinstance(signatories, str) else tuple(signatories),
            tuple(spec.agenda),
            spec.package,
            spec.track,
            spec.ratifies,
        )
        seats = cast.seat_cache.get(key)
        if seats is None:
            seats = cast.seat_cache[key] = cls._seat(cast, spec)
        return seats

    @classmethod
    def _seat(cls, cast: Cast, spec: Round) -> Seats:
        conveners = cast.indices(spec.conveners)
        invitees = [a for a in spec.invitees if a not in spec.conveners]
        signatories = spec.signatories
        consent = (
            signatories if isinstance(signatories, str) else read_only(cast.indices(signatories))
        )
        invited = np.concatenate([conveners, cast.indices(invitees)]).astype(int)
        invited_mask = cast.mask(invited)
        return cls(
            conveners=read_only(conveners),
            invited=read_only(invited),
            agenda=read_only(cast.issue_indices(spec.agenda)),
            consent=consent,
            package=spec.package,
            forum=cast.forum(spec.track),
            invited_mask=read_only(invited_mask),
            convener_mask=read_only(cast.mask(conveners)),
            invited_consenting=read_only(np.flatnonzero(invited_mask & cast.consents)),
            ratifies=spec.ratifies,
        )

    def required(self, cast: Cast, at_table: np.ndarray) -> np.ndarray:
        """Whose consent a clause needs (``at_table`` matters only under ``attendees``)."""
        if not isinstance(self.consent, str):
            return self.consent
        if self.consent == "conveners":
            return self.conveners
        if self.consent == "attendees":
            return np.flatnonzero(at_table & cast.consents)
        return self.invited_consenting

    def voters(self, cast: Cast, present: np.ndarray, required: np.ndarray) -> np.ndarray:
        """Who votes on the text: those present whose role consents, and any required one."""
        return present & (cast.consents | cast.mask(required))

    def full_text(self, cast: Cast, text: np.ndarray) -> np.ndarray:
        """The text as a vector over all issues (off-agenda issues hold no clause: NaN)."""
        full = np.full(cast.n_issues, np.nan)
        full[self.agenda] = text
        return full


def table(
    cast: Cast,
    state: State,
    params: ModelParams,
    seats: Seats,
    at_table: np.ndarray,
    objectors: np.ndarray | None = None,
) -> Table:
    """The agenda columns of the state, and who is where: what the rule sees.

    An actor that refuses substance at this forum sits at the table without drafting or
    objecting. A side drafts through one speaker (``_speak_for_sides``).
    """
    agenda = seats.agenda
    positions, salience = state.positions[:, agenda], state.salience[:, agenda]
    capability = state.capability
    drafting = at_table & cast.drafts & seats.forum.substance
    objectors = np.zeros_like(at_table) if objectors is None else objectors & drafting
    floor, ceiling = _table_lines(cast, agenda)
    if cast.sides:
        positions, salience, capability = positions.copy(), salience.copy(), capability.copy()
        drafting, objectors = drafting.copy(), objectors.copy()
        lines = None if floor is None else (floor, ceiling)
        _speak_for_sides(cast, positions, salience, capability, drafting, objectors, lines)
    return Table(
        positions=positions,
        salience=salience,
        capability=capability,
        reservation=state.reservation,
        present=at_table,
        drafting=drafting,
        conveners=seats.convener_mask,
        objectors=objectors,
        params=params,
        actor_names=cast.actor_names,
        issue_ids=tuple(cast.issue_ids[j] for j in agenda),
        patron=cast.patron,
        floor=floor,
        ceiling=ceiling,
    )


def _table_lines(cast: Cast, agenda: np.ndarray) -> tuple:
    """The red lines on the agenda's issues (None, None when nobody declares one).

    Each row keeps its own actor's lines: a member of a side heard on its own objects by them,
    and a side's speaker under ``lead`` is its lead (or strongest member), by its own.
    """
    if cast.red_lines is None:
        return None, None
    return cast.red_lines.floor[:, agenda], cast.red_lines.ceiling[:, agenda]


def _speak_for_sides(
    cast, positions, salience, capability, drafting, objectors, lines=None
) -> None:
    """One speaker per side at the table, in place: the side bargains as one.

    The speaker is the side's lead when it drafts here, else its strongest drafting member. It
    carries the side's clout (its strongest member's capability), the side's position (its
    lead's under ``lead``; otherwise the members' capability- and salience-weighted mean, and
    their mean salience) and the objections of any member; the other members stop drafting.
    Under ``lead`` only the speaker is heard (the side accepts by its lead alone); under
    ``majority`` and ``unanimity`` the speaker is heard by the side's position, held within the
    speaker's own red lines (``lines``: floor and ceiling), and each other member still objects
    for itself, by its own numbers and lines, since each member's acceptance counts toward the
    side's.
    """
    for side in cast.sides:
        here = side.members[drafting[side.members]]
        if not here.size:
            continue
        speaker = side.lead if side.lead in here else int(here[np.argmax(capability[here])])
        if side.rule != "lead":
            weights = capability[here][:, None] * salience[here]
            positions[speaker] = b.weighted_text(positions[here], weights)
            salience[speaker] = salience[here].mean(axis=0)
            if lines is not None:
                positions[speaker] = np.clip(
                    positions[speaker], lines[0][speaker], lines[1][speaker]
                )
        capability[speaker] = capability[here].max()
        heard = objectors[here].any()
        if side.rule == "lead":
            objectors[here] = False
        objectors[speaker] = heard
        drafting[here] = False
        drafting[speaker] = True
