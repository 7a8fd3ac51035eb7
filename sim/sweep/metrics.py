"""What a sweep records of one run: the one place metrics are read from a run log.

Every metric is a plain number (or None where undefined), so that a store row is JSON and the
same point and seed give the same row in any process. When the facts registry lands, this module
is the one to rewire.

Summary metrics (one number per run, also flat ``m_<name>`` columns of the store):

``agreed_share``  clauses agreed / clauses on the agendas of all rounds held
``agreements``    rounds that agreed at least one clause
``attendance``    mean over rounds of the share of invitees present (to the end or not)
``walkouts``      walk-outs over all rounds
``delay_days``    days of postponement summed over rounds
``loss``          the record's loss (``sim.scoring.score_runs``) for this one run; None without a
                  recorded history

Per round (``rounds`` in the JSON column, a list in the order played): agreed share, each agenda
issue agreed (0/1), attendance, walk-outs and delay; per issue (``agreed_<issue>``, in the
summary): rounds that agreed it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..facts import RecordedFact
from ..history import History
from ..runlog import RoundOutcome, RunLog
from ..scenario import Scenario
from ..scoring import score_runs

METRICS = ("agreed_share", "agreements", "attendance", "walkouts", "delay_days", "loss")
ROUND_OBSERVABLES = ("agreed_share", "attendance", "walkouts", "delay_days")


def run_metrics(
    log: RunLog,
    scenario: Scenario,
    history: History | None,
    wanted=METRICS,
    stated: Sequence[RecordedFact] | None = None,
) -> dict[str, object]:
    """``{"summary": {...}, "rounds": [{"round": id, ...}, ...]}`` for one run, rounds in the
    order they were played. ``stated``: the record's scored facts for this scenario, when the
    caller keeps them (they are the same for every run of a point)."""
    rounds: list[dict[str, object]] = []
    clauses = agreed = 0
    per_issue = dict.fromkeys(log.issue_ids, 0)
    for outcome in log.rounds:
        clauses += len(outcome.agenda)
        agreed += sum(outcome.agreed)
        for issue in outcome.agreed_issues:
            per_issue[issue] += 1
        rounds.append(_round_metrics(outcome))
    attendances = [r["attendance"] for r in rounds if r["attendance"] is not None]
    summary: dict[str, object] = {
        "agreed_share": _share(agreed, clauses),
        "agreements": sum(1 for o in log.rounds if any(o.agreed)),
        "attendance": sum(attendances) / len(attendances) if attendances else None,
        "walkouts": sum(len(o.walked_out) for o in log.rounds),
        "delay_days": sum(o.delay_days for o in log.rounds),
        "loss": None,
    }
    if "loss" in wanted and history is not None:
        summary["loss"] = float(score_runs([log], scenario, history, stated=stated).loss)
    summary = {name: summary[name] for name in METRICS if name in wanted}
    summary.update({f"agreed_{issue}": count for issue, count in per_issue.items()})
    return {"summary": summary, "rounds": rounds}


def _round_metrics(outcome: RoundOutcome) -> dict[str, object]:
    return {
        "round": outcome.round_id,
        "agreed_share": _share(sum(outcome.agreed), len(outcome.agenda)),
        "agreed": {i: int(ok) for i, ok in zip(outcome.agenda, outcome.agreed, strict=True)},
        "attendance": _share(len(outcome.attended), len(outcome.invited)),
        "walkouts": len(outcome.walked_out),
        "delay_days": outcome.delay_days,
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
