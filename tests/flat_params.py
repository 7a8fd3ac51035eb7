"""Tests build ``ModelParams`` with each rule's parameters named bare, as in the equations."""

from __future__ import annotations

from sim.rule_params import MOVED_KEYS
from sim.scenario import ModelParams


def model_params(**keys: object) -> ModelParams:
    """``ModelParams`` from keys named as in ``model:`` or, for a rule's own parameter, bare
    (``redraft_step=0.5`` goes to ``model.single_text``): a test reads better without blocks."""
    blocks: dict[str, dict] = {}
    shared = {}
    for key, value in keys.items():
        if key in MOVED_KEYS:
            blocks.setdefault(MOVED_KEYS[key], {})[key] = value
        else:
            shared[key] = value
    return ModelParams(**shared, **blocks)
