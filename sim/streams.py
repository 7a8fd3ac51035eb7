"""Named random streams: every random phase of a run draws from its own child of one seed.

One ``numpy.random.SeedSequence`` per run; each phase (postponement, attendance, moves, drift)
and Mesa get their own spawned child, so adding a draw to one phase leaves every other phase's
draws as they were. Ensemble members are spawned children of the ensemble's seed (no 32-bit
integers, no ``seed + 1``): a member is named by the root entropy and its spawn key, both written
to ``summary.json`` so that any run can be replayed alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PHASES = ("postponement", "attendance", "moves", "drift", "mesa")

Seed = int | np.random.SeedSequence


def seed_sequence(seed: Seed) -> np.random.SeedSequence:
    """The ``SeedSequence`` of a run: ``seed`` itself, or a fresh one from an integer."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(int(seed))


def root_entropy(seed: Seed) -> int:
    """The integer a run's streams descend from (the scenario's or the ensemble's seed)."""
    entropy = seed_sequence(seed).entropy
    return int(entropy) if not isinstance(entropy, (list, tuple)) else int(entropy[0])


@dataclass(frozen=True)
class Streams:
    """One generator per random phase, all spawned from one ``SeedSequence``."""

    entropy: int
    spawn_key: tuple[int, ...]
    postponement: np.random.Generator
    attendance: np.random.Generator
    moves: np.random.Generator
    drift: np.random.Generator
    mesa: np.random.Generator

    @classmethod
    def from_seed(cls, seed: Seed) -> Streams:
        """Spawn the phases' streams, in the fixed order of ``PHASES``."""
        sequence = seed_sequence(seed)
        key = tuple(int(k) for k in sequence.spawn_key)
        # Children built by key rather than by ``spawn`` (which counts, and so mutates, the
        # parent): the same SeedSequence passed twice gives the same run.
        generators = {
            name: np.random.default_rng(
                np.random.SeedSequence(sequence.entropy, spawn_key=key + (p,))
            )
            for p, name in enumerate(PHASES)
        }
        return cls(root_entropy(sequence), key, **generators)

    def provenance(self) -> dict:
        """What ``summary.json`` records to replay the run: the root entropy and spawn key."""
        return {"entropy": self.entropy, "spawn_key": list(self.spawn_key), "phases": list(PHASES)}


def member_seeds(seed: int, count: int, purpose: int = 0) -> list[np.random.SeedSequence]:
    """``count`` ensemble members spawned from one seed, the same in every process.

    A run's own phases use the spawn keys ``(0,)`` to ``(len(PHASES) - 1,)``; the members of an
    ensemble are ``(len(PHASES) + purpose, k)``, so they never share a stream with the run of
    ``seed`` itself, and distinct uses of one seed (``purpose`` 0: fitting, running, comparing;
    1: the fit's report; 2: the fit's figure) never share a member.
    """
    branch = len(PHASES) + int(purpose)
    return [np.random.SeedSequence(int(seed), spawn_key=(branch, k)) for k in range(count)]
