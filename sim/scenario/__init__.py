"""Scenario files: read YAML safely, resolve ``extends``, validate into frozen objects."""

from .checks import unsourced_numbers
from .errors import Problem, ScenarioError
from .loader import LoadedScenario, load_scenario, resolved_yaml, scenario_hash
from .schema import Actor, Change, Effect, Evidence, Issue, ModelParams, Round, Scenario, Shock

__all__ = [
    "Actor",
    "Change",
    "Effect",
    "Evidence",
    "Issue",
    "LoadedScenario",
    "ModelParams",
    "Problem",
    "Round",
    "Scenario",
    "ScenarioError",
    "Shock",
    "load_scenario",
    "resolved_yaml",
    "scenario_hash",
    "unsourced_numbers",
]
