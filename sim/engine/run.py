"""A run: the explicit state, the schedule and the shocks still to come, walked round by round.

``Run.step`` plays the next round to meet (after the postponements the conveners decide) and
returns what happened as records; the run log keeps the records and the decisions. The run
knows no Mesa and writes no sentence: ``sim.model`` is the Mesa face and ``sim.narrator`` the
words. ``Run.copy`` gives an independent run in the same state with the same random streams, so
a page can preview the next round without changing the run.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping

from ..policy import NO_CHOICES, Choices
from ..protocols import protocol
from ..runlog import RunLog
from ..scenario import Scenario
from ..streams import Seed, Streams
from .cast import Cast
from .forecast import expected_agreement
from .ratify import keep_for_ratification, wait_days
from .record import DeadlineRecord, PostponementRecord, RoundRecord, Setup, merge_sessions
from .round import play_round
from .schedule import Schedule
from .seats import Seats
from .state import ShockRecord, State, apply_shock

Record = ShockRecord | PostponementRecord | RoundRecord | DeadlineRecord


class Run:
    """One scenario under one seed, from its first round to its last."""

    def __init__(self, scenario: Scenario, seed: Seed | None = None):
        self.streams = Streams.from_seed(scenario.seed if seed is None else seed)
        cast = Cast.from_scenario(scenario)
        tracks = {track.id: track.name for track in scenario.tracks}
        rounds = {r.id: r.name for r in scenario.schedule}
        self.setup = Setup(cast, scenario.model, protocol(scenario.model.protocol), tracks, rounds)
        self.state = State.initial(scenario, cast)
        self.schedule = Schedule.of(tuple(scenario.schedule))
        self.ratified = {r.ratifies for r in scenario.schedule if r.ratifies}
        self.pending_shocks = sorted(scenario.shocks, key=lambda s: s.date)
        self.date = min([scenario.schedule[0].planned_date] + [s.date for s in self.pending_shocks])
        self.log = RunLog(
            scenario.name,
            self.streams.entropy,
            cast.actor_ids,
            cast.issue_ids,
            spawn_key=self.streams.spawn_key,
        )

    @property
    def cast(self) -> Cast:
        return self.setup.cast

    @property
    def running(self) -> bool:
        return bool(self.schedule)

    def copy(self) -> Run:
        """An independent run in the same state, streams included (for previews)."""
        return copy.deepcopy(self)

    def step(self, choices: Mapping[str, Choices] | None = None) -> list[Record]:
        """Play the next round to meet; ``choices`` are played delegations' decisions, by id.

        Returns the records of the step in order: shocks applied, postponements, the round.
        """
        by_index = {self.cast.actor_index[a]: c for a, c in (choices or NO_CHOICES).items()}
        made: list[Record] = []
        while self.schedule:
            slot = self.schedule.pop()
            spec = self.schedule.rounds[slot.index]
            made += self._advance_to(slot.date)
            if self._waits(slot, spec, made) or self._postpones(slot, spec, made):
                continue
            sessions, collapsed = self._sessions(
                spec, slot.date, slot.postponements, by_index, made
            )
            outcome = merge_sessions(self.cast, sessions, collapsed)
            if spec.id in self.ratified:
                self.state = keep_for_ratification(self.state, self.cast, outcome)
            first = sessions[0]
            self.log.add_round(outcome, first.before, first.votes.utility)
            self.schedule.played(slot, outcome.end_date)
            break
        self.log.records.extend(made)
        return made

    def _waits(self, slot, spec, made: list) -> bool:
        """A ratification waits until the text it ratifies is final (no postponement counted)."""
        days = wait_days(self.state, spec.ratifies, slot.date, self._unmet_wait(spec, slot.date))
        if days:
            made.append(PostponementRecord(spec, slot.date, 0.0, days, spec.ratifies))
            self.schedule.wait(slot, days)
        return bool(days)

    def _unmet_wait(self, spec, date: dt.date) -> int:
        """How long to wait for a ratified round that has not met: until the last day it is
        planned for, or, once that has passed (it slipped), a postponement's length."""
        if spec.ratifies is None:
            return 0
        ratified = next(r for r in self.schedule.rounds if r.id == spec.ratifies)
        planned_end = ratified.planned_date + dt.timedelta(days=ratified.days)
        ahead = (planned_end - date).days
        return ahead if ahead > 0 else self.setup.params.postponement_days

    def _postpones(self, slot, spec, made: list) -> bool:
        """The conveners put the round off when they expect too little of it to be agreed."""
        params = self.setup.params
        if slot.postponements >= params.max_postponements:
            return False
        agreeable = expected_agreement(self.setup, self.state, Seats.of(self.cast, spec))
        noise = self.streams.postponement.normal(0.0, params.attendance_noise)
        if agreeable + noise >= params.postpone_threshold:
            return False
        made.append(PostponementRecord(spec, slot.date, agreeable, params.postponement_days))
        self.schedule.postpone(slot, params.postponement_days)
        return True

    def _sessions(
        self, spec, date, postponements, choices, made: list
    ) -> tuple[list[RoundRecord], bool]:
        """The round, and its extensions while its deadline passes with clauses open.

        Each extension is a further session on the open clauses only, starting the day after
        the previous one ended and lasting ``extension_days``; shocks due by then apply first.
        After the last extension allowed, a round with clauses still open collapses.
        """
        sessions: list[RoundRecord] = []
        session = spec
        while True:
            self.state, record = play_round(
                self.setup, self.state, session, date, postponements, self.streams, choices
            )
            sessions.append(record)
            made.append(record)
            offered = record.votes.offered  # a ratification cannot agree what is not on offer
            open_ = ~record.votes.agreed if offered is None else ~record.votes.agreed & offered
            left = tuple(i for i, o in zip(session.agenda, open_, strict=True) if o)
            if spec.deadline is None or not left:
                return sessions, False
            date = date + dt.timedelta(days=session.days)
            if len(sessions) > spec.deadline.extensions:
                made.append(DeadlineRecord(spec, date, "collapsed", left, len(sessions) - 1, 0))
                return sessions, True
            days = spec.deadline.extension_days
            made.append(DeadlineRecord(spec, date, "extended", left, len(sessions), days))
            made += self._advance_to(date)
            session = spec.model_copy(update={"agenda": list(left), "days": days})

    def _advance_to(self, date: dt.date) -> list[ShockRecord]:
        """Move the clock to ``date`` and apply every shock dated on or before it."""
        self.date = max(self.date, date)
        applied = []
        while self.pending_shocks and self.pending_shocks[0].date <= self.date:
            self.state, record = apply_shock(self.state, self.cast, self.pending_shocks.pop(0))
            applied.append(record)
        return applied

    def run(self) -> RunLog:
        while self.running:
            self.step()
        return self.log
