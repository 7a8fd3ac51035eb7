"""The same scenario under every bargaining rule, scored against the same record.

A run answers "what does this rule produce?"; this module answers "which rule reproduces the
record best?", with the loss of ``scoring`` over one ensemble of seeds per rule (the same seeds
for every rule, so the rules differ only in the rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .history import History
from .model import simulate
from .protocols import PROTOCOLS
from .runlog import RunLog
from .scenario import Scenario
from .scoring import Score, score_runs


@dataclass(frozen=True)
class RuleResult:
    """One rule's ensemble of runs and, when the record is given, its score."""

    protocol: str
    logs: tuple[RunLog, ...]
    score: Score | None


def with_protocol(scenario: Scenario, protocol: str) -> Scenario:
    """The scenario with ``model.protocol`` set: the counterfactual "same talks, other rule"."""
    params = scenario.model.model_copy(update={"protocol": protocol})
    return scenario.model_copy(update={"model": params})


def compare_protocols(
    scenario: Scenario,
    history: History | None,
    seeds: Sequence[int],
    protocols: Sequence[str] = tuple(PROTOCOLS),
) -> list[RuleResult]:
    """Run ``scenario`` under each rule for each seed; score each ensemble against ``history``."""
    results = []
    for name in protocols:
        variant = with_protocol(scenario, name)
        logs = tuple(simulate(variant, seed, narrate=False) for seed in seeds)
        results.append(
            RuleResult(name, logs, score_runs(logs, variant, history) if history else None)
        )
    return results


def comparison_table(
    results: Sequence[RuleResult], baselines: Sequence[tuple[str, Score]] = ()
) -> str:
    """Per rule: the loss over the record's facts, its parts, and the share of clauses agreed.

    ``baselines`` (``sim.baselines.baseline_scores``) are printed beneath the rules, scored on
    the same facts: a rule worth its complexity beats them.
    """
    lines = [f"{'rule':<24} {'loss':>6} {'brier':>6} {'delay MAE':>9} {'agreed':>7}"]
    for result in results:
        clauses = [x for log in result.logs for o in log.rounds for x in o.agreed]
        agreed = sum(clauses) / max(len(clauses), 1)
        if result.score is None:
            lines.append(f"{result.protocol:<24} {'-':>6} {'-':>6} {'-':>9} {agreed:>7.2f}")
            continue
        s = result.score
        lines.append(
            f"{result.protocol:<24} {s.loss:>6.3f} {s.brier:>6.3f} "
            f"{s.delay_mae_days:>7.1f} d {agreed:>7.2f}"
        )
    for name, s in baselines:
        label = name.removeprefix("baseline: ")
        lines.append(
            f"{label:<24} {s.loss:>6.3f} {s.brier:>6.3f} {s.delay_mae_days:>7.1f} d {'':>7}"
        )
    return "\n".join(lines)
