"""The actors, as Mesa agents: each a view onto its row of the model's arrays.

An agent holds no numbers of its own. Its position, salience and capability live in the model's
arrays (so a round is a few numpy expressions over all actors at once); the agent is the face that
makes a decision readable: it states, in words, why it came, stayed away, walked out, accepted or
rejected.
"""

from __future__ import annotations

import mesa
import numpy as np

from .context import RunContext
from .scenario import Actor


class Negotiator(mesa.Agent):
    """One party to the talks: a state, a delegation, a grouping or the UN envoy."""

    def __init__(self, model: RunContext, spec: Actor, index: int):
        super().__init__(model)
        self.actor_id = spec.id
        self.name = spec.name
        self.role = spec.role
        self.index = index

    # --- views onto the model's arrays ---------------------------------------------------------
    @property
    def position(self) -> np.ndarray:
        return self.model.positions[self.index]

    @property
    def salience(self) -> np.ndarray:
        return self.model.salience[self.index]

    @property
    def capability(self) -> float:
        return float(self.model.capability[self.index])

    @property
    def reservation(self) -> float:
        return float(self.model.reservation[self.index])

    @property
    def is_observer(self) -> bool:
        return self.role == "observer"

    # --- decisions in words --------------------------------------------------------------------
    def explain_attendance(
        self,
        came: bool,
        expected: float,
        pull: float,
        mood: float,
        patron: str | None,
        distrust: float = 0.0,
        guarantor: str = "",
    ) -> str:
        """Why it came or stayed away: the expected text, its patron's pull, its distrust of the
        guarantors, the day's doubts."""
        parts = [f"the text it expected was worth {expected:.2f} to it"]
        if patron and pull:
            parts.append(f"its patron {patron} at the table added {pull:.2f}")
        if round(distrust, 2):
            parts.append(f"a deal under {guarantor}'s guarantee cost it {distrust:.2f}")
        if round(mood, 2):
            parts.append(f"{'hopes' if mood > 0 else 'doubts'} of the day {mood:+.2f}")
        weighed = expected + pull - distrust + mood
        verdict = "attended" if came else "stayed away"
        compare = "at least" if came else "less than"
        return (
            f"{self.name} {verdict}: {', '.join(parts)}; coming was worth {weighed:.2f}, "
            f"{compare} the {self.reservation:.2f} it keeps by not taking part."
        )

    def explain_walkout(
        self, worth: float, margin: float, distrust: float = 0.0, guarantor: str = ""
    ) -> str:
        if round(distrust, 2):
            value = (
                f"the draft on the table was worth {worth:.2f} to it, less {distrust:.2f} for "
                f"putting its name to a deal {guarantor} guarantees: {worth - distrust:.2f}"
            )
        else:
            value = f"the draft on the table was worth only {worth:.2f} to it"
        return (
            f"{self.name} walked out: {value}, short of the {self.reservation - margin:.2f} it "
            f"needs to stay in the room (its walk-away value {self.reservation:.2f} less a "
            f"margin of {margin:.2f})."
        )

    def explain_vote(self, issue_name: str, text: float, utility: float, accepted: bool) -> str:
        gap = abs(text - float(self.position[self.model.issue_index[issue_name]]))
        verdict = "accepted" if accepted else "rejected"
        compare = "at least" if accepted else "below"
        return (
            f"{self.name} {verdict} the clause on {self.model.issue_names[issue_name]}: it sits "
            f"{gap:.0f} points from its position, worth {utility:.2f}, {compare} its "
            f"walk-away value {self.reservation:.2f}."
        )

    def explain_move(self, issue_id: str, before: float, after: float, text: float) -> str:
        return (
            f"{self.name} shifted on {self.model.issue_names[issue_id]} from {before:.0f} to "
            f"{after:.0f} (the text stood at {text:.0f})."
        )
