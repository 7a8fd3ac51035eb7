"""``NegotiationModel``: owns the numbers of a run and walks the schedule.

The model holds positions, saliences and capabilities as numpy arrays (actors x issues), in the
order of the actors' ids, so that reordering the scenario file changes nothing. One ``step`` plays
the next round to meet. All randomness comes from ``self.streams``: one named stream per random
phase, spawned from one ``SeedSequence`` (see ``sim.streams``); Mesa's own ``rng`` is one of them.

Tracks (Astana, Geneva, the opposition's meetings...) run in parallel: within a track rounds keep
their order and a round cannot start before the previous one ended; across tracks, rounds are
played in the order of the dates on which they actually meet, so a slipping Geneva round does not
hold up an Astana one.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence

import mesa
import numpy as np

from .agents import Negotiator
from .protocols import protocol
from .rounds import expected_agreement, play_round, postponement_event
from .runlog import Event, RunLog
from .scenario import Actor, Change, Round, Scenario, Shock
from .scenario.schema import ROLE_BEHAVIOUR
from .streams import Seed, Streams, member_seeds


class NegotiationModel(mesa.Model):
    """A multilateral negotiation over a schedule of rounds, for one scenario and one seed."""

    def __init__(self, scenario: Scenario, seed: Seed | None = None, narrate: bool = True):
        """``narrate=False`` keeps the decisions in the log (who came, walked out, postponed,
        what was agreed) but not a sentence per vote and per move: for sweeps and fitting.
        ``seed`` is an integer or an ensemble member's ``SeedSequence``."""
        self.streams = Streams.from_seed(scenario.seed if seed is None else seed)
        super().__init__(rng=self.streams.mesa)
        # Not ``self.scenario``: Mesa 3.5 reserves that name for its own scenario objects.
        self.spec = scenario
        self.narrate = narrate
        self.params = scenario.model
        actors = sorted(scenario.actors, key=lambda a: a.id)
        self.actor_ids: tuple[str, ...] = tuple(a.id for a in actors)
        # Actors and issues in id order: the order of the file changes nothing.
        self.issue_ids: tuple[str, ...] = tuple(sorted(scenario.issue_ids()))
        self.issue_index = {issue: j for j, issue in enumerate(self.issue_ids)}
        self.issue_names = {issue.id: issue.name for issue in scenario.issues}
        self.actor_index = {actor: i for i, actor in enumerate(self.actor_ids)}
        self._load_arrays(actors)
        self.negotiators = [Negotiator(self, a, i) for i, a in enumerate(actors)]
        self.actor_names: tuple[str, ...] = tuple(a.name for a in actors)
        self.protocol = protocol(self.params.protocol)
        self.schedule_rounds = list(scenario.schedule)
        self.pending_shocks: list[Shock] = sorted(scenario.shocks, key=lambda s: s.date)
        self.date = min([scenario.schedule[0].planned_date] + [s.date for s in self.pending_shocks])
        self.log_ = RunLog(
            scenario.name,
            self.streams.entropy,
            self.actor_ids,
            self.issue_ids,
            spawn_key=self.streams.spawn_key,
        )
        # Per track, the schedule indices still to play, in order; the heap holds each track's
        # next round as (date it would meet, schedule index, postponements so far).
        self._track_queue: dict[str, list[int]] = {}
        for index, round_ in enumerate(self.schedule_rounds):
            self._track_queue.setdefault(round_.track, []).append(index)
        self._ready: list[tuple[dt.date, int, int]] = []
        for queue in self._track_queue.values():
            self._enqueue(queue.pop(0), not_before=None)
        self.running = bool(self._ready)

    def _load_arrays(self, actors: Sequence[Actor]) -> None:
        """The actors' numbers as arrays, one row per actor in id order."""
        self.positions = np.array(
            [[a.positions[j] for j in self.issue_ids] for a in actors], dtype=float
        )
        self.salience = np.array([[a.salience[j] for j in self.issue_ids] for a in actors], float)
        self.capability = np.array([a.capability for a in actors], dtype=float)
        self.concession = np.array([a.concession_rate for a in actors], dtype=float)
        self.reservation = np.array([a.reservation for a in actors], dtype=float)
        self.patron = np.array(
            [self.actor_index[a.patron] if a.patron else -1 for a in actors], dtype=int
        )
        # What each actor may do, from its role's row of the one role table (ROLE_BEHAVIOUR).
        roles = [ROLE_BEHAVIOUR[a.role] for a in actors]
        self.drafts = np.array([r.drafts for r in roles], dtype=bool)
        self.consents = np.array([r.consents for r in roles], dtype=bool)
        self.moves = np.array([r.moves for r in roles], dtype=bool)
        self.may_walk_out = np.array([r.may_walk_out for r in roles], dtype=bool)
        self.guarantees = np.array([r.guarantees for r in roles], dtype=bool)

    # --- lookups ------------------------------------------------------------------------------
    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    def indices(self, actor_ids: Iterable[str]) -> np.ndarray:
        return np.array([self.actor_index[a] for a in actor_ids], dtype=int)

    def issue_indices(self, issue_ids: Iterable[str]) -> np.ndarray:
        return np.array([self.issue_index[j] for j in issue_ids], dtype=int)

    def negotiator(self, index: int) -> Negotiator:
        return self.negotiators[int(index)]

    def names(self, indices: Sequence[int] | np.ndarray) -> str:
        """'Russia, Turkey and Iran': for the narrative."""
        names = [self.negotiators[int(i)].name for i in indices]
        if len(names) <= 1:
            return names[0] if names else "nobody"
        return ", ".join(names[:-1]) + " and " + names[-1]

    # --- time and shocks ----------------------------------------------------------------------
    def advance_to(self, date: dt.date) -> None:
        """Move the clock to ``date`` and apply every shock dated on or before it."""
        self.date = max(self.date, date)
        while self.pending_shocks and self.pending_shocks[0].date <= self.date:
            self._apply_shock(self.pending_shocks.pop(0))

    def _apply_shock(self, shock: Shock) -> None:
        changes = []
        for effect in shock.effects:
            i = self.actor_index[effect.actor]
            for name, array in (
                ("capability", self.capability),
                ("concession_rate", self.concession),
                ("reservation", self.reservation),
            ):
                change: Change | None = getattr(effect, name)
                if change is not None:
                    array[i] = np.clip(change.apply(float(array[i])), 0.0, 1.0)
                    changes.append(f"{effect.actor} {name} -> {array[i]:.2f}")
            for issue, change in effect.positions.items():
                j = self.issue_index[issue]
                self.positions[i, j] = np.clip(change.apply(float(self.positions[i, j])), 0, 100)
                changes.append(f"{effect.actor} position on {issue} -> {self.positions[i, j]:.0f}")
            for issue, change in effect.salience.items():
                j = self.issue_index[issue]
                self.salience[i, j] = np.clip(change.apply(float(self.salience[i, j])), 0, 1)
                changes.append(f"{effect.actor} salience of {issue} -> {self.salience[i, j]:.2f}")
        self.log(Event(shock.date, "shock", f"{shock.name}: {'; '.join(changes)}.", value=None))

    # --- the run ------------------------------------------------------------------------------
    def log(self, event: Event) -> None:
        self.log_.events.append(event)

    def record_round_state(self, utility: np.ndarray) -> None:
        """Snapshot the state each actor brought to the round, and the text's worth to it."""
        self.log_.positions.append(self.positions.copy())
        self.log_.salience.append(self.salience.copy())
        self.log_.utility.append(utility.copy())
        self.log_.capability.append(self.capability.copy())
        self.log_.reservation.append(self.reservation.copy())

    def _enqueue(self, index: int, not_before: dt.date | None) -> None:
        """Queue a track's next round: on its planned date, or after the previous one ended."""
        planned = self.schedule_rounds[index].planned_date
        date = planned if not_before is None else max(planned, not_before)
        heapq.heappush(self._ready, (date, index, 0))

    def step(self) -> None:
        """Play the next round to meet (postponing rounds whose conveners are not ready)."""
        while self._ready:
            date, index, postponements = heapq.heappop(self._ready)
            spec = self.schedule_rounds[index]
            self.advance_to(date)
            if postponements < self.params.max_postponements:
                agreeable = expected_agreement(self, spec)
                reading = agreeable + self.streams.postponement.normal(
                    0.0, self.params.attendance_noise
                )
                if reading < self.params.postpone_threshold:
                    self.log(postponement_event(self, spec, date, agreeable))
                    later = date + dt.timedelta(days=self.params.postponement_days)
                    heapq.heappush(self._ready, (later, index, postponements + 1))
                    continue
            self._play(spec, date, postponements)
            return
        self.running = False

    def _play(self, spec: Round, date: dt.date, postponements: int) -> None:
        self.log_.rounds.append(play_round(self, spec, date, postponements))
        queue = self._track_queue[spec.track]
        if queue:
            self._enqueue(queue.pop(0), not_before=date + dt.timedelta(days=spec.days))
        self.running = bool(self._ready)

    def run(self) -> RunLog:
        """Play every round; return the run log."""
        while self.running:
            self.step()
        return self.log_


def ensemble_seeds(seed: int, count: int, purpose: int = 0) -> list[np.random.SeedSequence]:
    """``count`` ensemble members spawned from one seed (``sim.streams.member_seeds``)."""
    return member_seeds(seed, count, purpose)


def simulate(scenario: Scenario, seed: Seed | None = None, narrate: bool = True) -> RunLog:
    """Run a scenario from start to end: the one call most users need."""
    return NegotiationModel(scenario, seed, narrate).run()
