"""``simulate``: the one call most users need, and the door to the Mesa face.

``simulate(scenario, seed, narrate=...)`` runs the engine (``sim.engine``) from the first round
to the last and, when asked, has the narrator write the events. It imports no Mesa, so the
command line, fits and sweeps start quickly; ``NegotiationModel`` (``sim.mesa_model``), the
same run as a Mesa model, is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .engine.run import Run
from .narrator import narrate as narrate_records
from .runlog import RunLog
from .scenario import Scenario
from .streams import Seed, member_seeds

if TYPE_CHECKING:
    from .mesa_model import NegotiationModel


def simulate(scenario: Scenario, seed: Seed | None = None, narrate: bool = True) -> RunLog:
    """Run a scenario from start to end; ``narrate=False`` keeps the decisions, no sentences."""
    run = Run(scenario, seed)
    log = run.run()
    if narrate:
        log.events.extend(narrate_records(run.setup, log.records))
    return log


def ensemble_seeds(seed: int, count: int, purpose: int = 0) -> list[np.random.SeedSequence]:
    """``count`` ensemble members spawned from one seed (``sim.streams.member_seeds``)."""
    return member_seeds(seed, count, purpose)


def __getattr__(name: str):
    if name == "NegotiationModel":
        from .mesa_model import NegotiationModel

        return NegotiationModel
    raise AttributeError(f"module 'sim.model' has no attribute {name!r}")


__all__ = ["NegotiationModel", "ensemble_seeds", "simulate"]
