"""``NegotiationModel``: the Mesa face of a run, for Mesa users and the live page.

The numbers and the rounds are the engine's (``sim.engine.run.Run``); this class gives them the
shape a Mesa user knows: ``step``, ``running``, the actors as agents in ``model.agents``, Mesa's
``rng`` from the run's own named stream, and the run's tables as DataFrames in the shape of
Mesa's DataCollector (``model.datacollector``). Importing it imports Mesa (and pandas, scipy):
``sim.model.simulate`` does not, which keeps the command line and the sweeps quick to start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import mesa

from .agents import Negotiator
from .engine.run import Run
from .frames import RunTables
from .narrator import narrate
from .policy import Choices
from .runlog import Event, RoundOutcome, RunLog
from .scenario import Round, Scenario
from .streams import Seed


@dataclass(frozen=True)
class RoundPreview:
    """What the next step would do, played on a copy: the round, or ``None`` if it slips."""

    round: Round | None
    outcome: RoundOutcome | None
    events: tuple[Event, ...]
    records: tuple


class NegotiationModel(mesa.Model):
    """A multilateral negotiation over a schedule of rounds, for one scenario and one seed."""

    def __init__(self, scenario: Scenario, seed: Seed | None = None, narrate: bool = True):
        """``narrate=False`` keeps every decision in the log but writes no sentence.
        ``seed`` is an integer or an ensemble member's ``SeedSequence``."""
        self.engine = Run(scenario, seed)
        super().__init__(rng=self.engine.streams.mesa)
        # Not ``self.scenario``: Mesa 3.5 reserves that name for its own scenario objects.
        self.spec = scenario
        self.narrate = narrate
        actors = {a.id: a for a in scenario.actors}
        for index, actor_id in enumerate(self.engine.cast.actor_ids):
            Negotiator(self, actors[actor_id], index)
        self.datacollector = RunTables(self.engine.log)
        self.running = self.engine.running

    # --- what a Mesa user and the tests read -------------------------------------------------
    @property
    def log_(self) -> RunLog:
        return self.engine.log

    @property
    def params(self):
        return self.engine.setup.params

    @property
    def date(self):
        return self.engine.date

    def __getattr__(self, name: str):
        # The cast's ids and index maps and the state's arrays, read through (never written).
        engine = self.__dict__.get("engine")
        if engine is not None:
            if name in ("actor_ids", "actor_names", "issue_ids", "actor_index", "issue_index"):
                return getattr(engine.cast, name)
            if name in ("positions", "salience", "capability", "concession", "reservation"):
                return getattr(engine.state, name)
        raise AttributeError(name)

    def negotiator(self, actor_id: str) -> Negotiator:
        return next(a for a in self.agents if a.actor_id == actor_id)

    # --- stepping -------------------------------------------------------------------------------
    def step(self) -> None:
        """Play the next round to meet; played delegations' choices come from the agents told
        to ``play`` (``step`` takes no argument: Mesa 3.5 wraps it with one that takes none)."""
        made = self.engine.step(self._choices(None))
        if self.narrate:
            self.engine.log.events.extend(narrate(self.engine.setup, made))
        for agent in self.agents:
            agent.play(None)
        self.running = self.engine.running

    def play(self, choices: Mapping[str, Choices]) -> None:
        """Step with played delegations' decisions (actor id -> ``Choices``) for this round."""
        self._choices(choices)  # unknown ids are refused before anything changes
        for actor_id, choice in choices.items():
            self.negotiator(actor_id).play(choice)
        self.step()

    def preview(self, choices: Mapping[str, Choices] | None = None) -> RoundPreview:
        """The next step played on a copy of the run: the model itself does not change."""
        copy = self.engine.copy()
        made = copy.step(self._choices(choices))
        rounds = [r for r in made if hasattr(r, "votes")]
        outcome = rounds[0].outcome(copy.cast) if rounds else None
        spec = rounds[0].spec if rounds else None
        return RoundPreview(spec, outcome, tuple(narrate(copy.setup, made)), tuple(made))

    def _choices(self, given: Mapping[str, Choices] | None) -> dict[str, Choices]:
        choices = {a.actor_id: a.choices for a in self.agents if a.choices is not None}
        choices.update(given or {})
        unknown = sorted(set(choices) - set(self.engine.cast.actor_ids))
        if unknown:
            raise KeyError(f"no actor {', '.join(unknown)} in this scenario")
        return choices

    def run(self) -> RunLog:
        """Play every round; return the run log."""
        while self.running:
            self.step()
        return self.log_
