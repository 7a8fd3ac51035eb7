"""Warnings for scenario authors: numbers that make talks impossible, and facts left unscored.

These are not errors (a scenario may mean to model an actor who never comes), so ``validate``
prints them and exits 0. Each check reads the scenario's opening numbers only: shocks and the
moves of a run may change the picture, and each warning says what it assumed.

The arithmetic is that of docs/model.md: a clause at ``x`` is worth ``1 - s * |x - p| / 100``
to an actor at ``p`` with salience ``s``, which accepts it when that is at least its walk-away
value ``r``, i.e. when ``|x - p| <= 100 (1 - r) / s``, its *tolerance* on the issue.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .behaviour import clause_utility, draft_weights, weighted_text
from .facts import recorded_facts
from .facts.single_delegation import UNIFICATION
from .history import History
from .scenario import Round, Scenario
from .scenario.schema import ROLE_BEHAVIOUR

MIN_TOLERANCE = 1.0  # scale points: below this an actor accepts practically only its own position


@dataclass(frozen=True)
class Warning_:
    """One piece of advice: what it concerns (a field path or a round) and what to consider."""

    about: str
    message: str

    def __str__(self) -> str:
        return f"warning: {self.about}: {self.message}"


def advise(scenario: Scenario, history: History | None = None) -> list[Warning_]:
    """Every warning, in a stable order: attendance, tolerance, unscored facts."""
    warnings = never_attending(scenario) + tolerances(scenario) + no_common_text(scenario)
    warnings += consent_gaps(scenario)
    if history is not None:
        warnings += inconsistent_dates(scenario, history) + unscored_facts(scenario, history)
        warnings += uncoded_agreements(history)
    return warnings


def tolerance(scenario: Scenario, actor_id: str, issue: str) -> float:
    """How far from its position (scale points) a clause may be for the actor to accept it."""
    actor = scenario.actor(actor_id)
    salience = actor.salience[issue]
    return float("inf") if salience == 0 else 100.0 * (1.0 - actor.reservation) / salience


def _does(scenario: Scenario, actor_id: str):
    return ROLE_BEHAVIOUR[scenario.actor(actor_id).role]


def _invited(spec: Round) -> list[str]:
    return list(dict.fromkeys([*spec.conveners, *spec.invitees]))


def _first_draft_worth(scenario: Scenario, spec: Round) -> dict[str, float]:
    """What the conveners' first draft of a round (at the opening numbers) is worth to each
    actor: the mean over the agenda of its clauses' worth."""
    ids, issues = scenario.actor_ids(), scenario.issue_ids()
    pos = np.array([[a.positions[j] for j in issues] for a in scenario.actors])
    sal = np.array([[a.salience[j] for j in issues] for a in scenario.actors])
    cap = np.array([a.capability for a in scenario.actors])
    drafters = [ids.index(i) for i in _invited(spec) if _does(scenario, i).drafts]
    agenda = [issues.index(j) for j in spec.agenda]
    convener = np.isin(np.arange(len(ids)), [ids.index(c) for c in spec.conveners])
    weights = draft_weights(cap, sal, convener, scenario.model.convener_weight)
    text = weighted_text(pos[drafters][:, agenda], weights[drafters][:, agenda])
    worth = clause_utility(pos[:, agenda], sal[:, agenda], text).mean(axis=1)
    return dict(zip(ids, map(float, worth), strict=True))


def never_attending(scenario: Scenario) -> list[Warning_]:
    """Invitees whom the conveners' first draft of every round they are invited to leaves below
    their walk-away value, even with the largest patron pull and two standard deviations of
    luck: with their opening numbers they stay away from every round."""
    params = scenario.model
    best: dict[str, tuple[float, str]] = {}
    for spec in scenario.schedule:
        worth = _first_draft_worth(scenario, spec)
        for actor_id in _invited(spec):
            if actor_id in spec.conveners:
                continue
            patron = scenario.actor(actor_id).patron
            pull = params.patron_attendance_pull * (
                scenario.actor(patron).capability if patron else 0.0
            )
            value = worth[actor_id] + pull + 2 * params.attendance_noise
            if actor_id not in best or value > best[actor_id][0]:
                best[actor_id] = (value, spec.id)
    warnings = []
    for actor_id, (value, round_id) in best.items():
        r = scenario.actor(actor_id).reservation
        if value < r:
            warnings.append(
                Warning_(
                    f"actors.{actor_id}",
                    f"can never attend at its opening numbers: the best first draft of any round "
                    f"it is invited to ({round_id}) is worth {value:.2f} to it, with the largest "
                    f"patron pull and luck, below its walk-away value {r:.2f}; lower its "
                    "reservation or salience, or move its positions (docs/calibration.md)",
                )
            )
    return warnings


def tolerances(scenario: Scenario) -> list[Warning_]:
    """Issues on which an actor accepts only texts within less than a point of its position."""
    warnings = []
    for actor in scenario.actors:
        if not ROLE_BEHAVIOUR[actor.role].consents:
            continue
        for issue in scenario.issue_ids():
            t = tolerance(scenario, actor.id, issue)
            if t < MIN_TOLERANCE:
                warnings.append(
                    Warning_(
                        f"actors.{actor.id}.salience.{issue}",
                        f"tolerance 100(1 - r)/s = {t:.2f} points: it rejects every text on "
                        f"{issue} not within {t:.2f} of its position {actor.positions[issue]:g}",
                    )
                )
    return warnings


def _signers(scenario: Scenario, spec: Round) -> list[str]:
    """The round's consent set at full attendance (``attendees``: everyone who consents)."""
    if isinstance(spec.signatories, list):
        return list(spec.signatories)
    if spec.signatories == "conveners":
        return list(spec.conveners)
    return [a for a in _invited(spec) if _does(scenario, a).consents]


def consent_gaps(scenario: Scenario) -> list[Warning_]:
    """Rounds that can agree without the consent of an invited party (or side) whose role
    consents: a declaration by some over the heads of others. Sometimes that is the record (a
    guarantors' memorandum); the author should know it is what the scenario says."""
    side_of = {m: side for side in scenario.sides for m in side.members}
    warnings = []
    for spec in scenario.schedule:
        signers = set(_signers(scenario, spec))
        consenting = [a for a in _invited(spec) if _does(scenario, a).consents]
        signing_sides = {side_of[a].id for a in signers if a in side_of}
        left_out = []
        for actor_id in consenting:
            side = side_of.get(actor_id)
            if actor_id in signers or (side is not None and side.id in signing_sides):
                continue
            label = side.name if side is not None else scenario.actor(actor_id).name
            if label not in left_out:
                left_out.append(label)
        if left_out:
            named = spec.signatories
            how = "signatories: " + (named if isinstance(named, str) else ", ".join(named))
            warnings.append(
                Warning_(
                    f"schedule.{spec.id}.signatories",
                    f"{spec.name} can agree without the consent of {', '.join(left_out)} "
                    f"(invited, and their role consents; {how}): say in the round's sources "
                    "why their consent is not needed, or drop `signatories` so that every "
                    "invited party must consent",
                )
            )
    return warnings


def no_common_text(scenario: Scenario) -> list[Warning_]:
    """Agenda issues on which no text is acceptable to every required signatory at once (each
    tolerates its span around its position, cut at any red line it declares)."""
    warnings = []
    for spec in scenario.schedule:
        signers = _signers(scenario, spec)
        for issue in spec.agenda:
            spans = {}
            for a in signers:
                actor = scenario.actor(a)
                p, t = actor.positions[issue], tolerance(scenario, a, issue)
                spans[a] = _within_line(actor.red_lines.get(issue), p - t, p + t)
            highest_low = max(spans, key=lambda a: spans[a][0])
            lowest_high = min(spans, key=lambda a: spans[a][1])
            if spans[highest_low][0] > spans[lowest_high][1] + 1e-9:
                low, high = spans[lowest_high], spans[highest_low]
                warnings.append(
                    Warning_(
                        f"schedule.{spec.id}.agenda.{issue}",
                        f"no text on {issue} is acceptable to every required signatory at the "
                        f"opening numbers: {lowest_high} accepts at most {low[1]:.1f}, "
                        f"{highest_low} at least {high[0]:.1f}",
                    )
                )
    return warnings


def _within_line(line, low: float, high: float) -> tuple[float, float]:
    """The span an actor tolerates, cut at its red line on the issue (if it declares one)."""
    if line is None:
        return low, high
    if line.at_least is not None:
        low = max(low, line.at_least)
    if line.at_most is not None:
        high = min(high, line.at_most)
    return low, high


def inconsistent_dates(scenario: Scenario, history: History) -> list[Warning_]:
    """Recorded delays that disagree with the recorded date and the scenario's planned date."""
    planned = {spec.id: spec.planned_date for spec in scenario.schedule}
    warnings = []
    for event in history.events:
        if event.actual_date is None or event.delay_days is None:
            continue
        slip = (event.actual_date - planned[event.round]).days
        if slip != event.delay_days:
            warnings.append(
                Warning_(
                    f"history: {event.round}",
                    f"delay_days is {event.delay_days}, but actual_date {event.actual_date} is "
                    f"{slip} days after the planned {planned[event.round]}; the loss scores "
                    "delay_days",
                )
            )
    return warnings


def uncoded_agreements(history: History) -> list[Warning_]:
    """Agreed issues the record does not code as substantive or reaffirmation.

    The strict coding leaves such an issue out of the score (sim/facts/agreed_strict.py), so a
    record that codes none of its agreements scores the strict backtest on disagreements only;
    the author should know which ones are missing.
    """
    warnings = []
    for event in history.events:
        missing = [i for i, ok in event.agreed.items() if ok and i not in event.agreed_text]
        if missing:
            warnings.append(
                Warning_(
                    f"history: {event.round}: agreed_text",
                    f"expected a coding (substantive or reaffirmation) for every issue agreed; "
                    f"found none for {', '.join(missing)}: the strict coding will not score "
                    f"{'it' if len(missing) == 1 else 'them'}",
                )
            )
    return warnings


def unscored_facts(scenario: Scenario, history: History) -> list[Warning_]:
    """Recorded facts the loss and summary.json will not count, grouped by why."""
    reasons: Counter[tuple[str, str]] = Counter()
    for fact in recorded_facts(scenario, history):
        if fact.unscored is not None:
            reasons[(fact.fact.name, fact.unscored)] += 1
    rounds = {spec.id: spec for spec in scenario.schedule}
    for event in history.events:
        spec = rounds[event.round]
        invited = set(_invited(spec))
        if event.signed_by:
            reasons[
                ("signed_by", "no registered fact reads it (only the model's signatories)")
            ] += 1
        for field in ("attended", "stayed_away", "walked_out"):
            strangers = [a for a in getattr(event, field) or () if a not in invited]
            if strangers:
                reasons[(field, "the actor is not invited to the round in the scenario")] += len(
                    strangers
                )
        if event.single_delegation is not None and spec.format != UNIFICATION:
            reasons[("single_delegation", f"the round's format is not {UNIFICATION}")] += 1
    return [
        Warning_(
            f"history: {name}",
            f"{count} recorded {'fact' if count == 1 else 'facts'} will not be scored: {why}",
        )
        for (name, why), count in sorted(reasons.items())
    ]
