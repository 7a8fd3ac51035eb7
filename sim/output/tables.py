"""The run log as text files: rounds.csv, positions.csv, events.jsonl and summary.json.

Every number is written with a fixed precision and every list in a fixed order, so one seed gives
byte-identical files in any process.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from dataclasses import dataclass

from .. import __version__
from ..history import History, RoundComparison, compare_round
from ..observables import observe_run
from ..runlog import RunLog
from ..scenario import Scenario, scenario_hash

LIST_SEP = ";"


def _num(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def _join(items) -> str:
    return LIST_SEP.join(items)


@dataclass(frozen=True)
class Comparison:
    """A run set against the record, round by round (rounds the record lacks are ``None``)."""

    per_round: dict[str, RoundComparison | None]

    @property
    def matched(self) -> int:
        return sum(c.matches for c in self.per_round.values() if c)

    @property
    def known(self) -> int:
        return sum(c.known for c in self.per_round.values() if c)


def compare_run(log: RunLog, scenario: Scenario, history: History | None) -> Comparison | None:
    if history is None:
        return None
    per_round: dict[str, RoundComparison | None] = {}
    for outcome, simulated in zip(log.rounds, observe_run(log, scenario), strict=True):
        event = history.event(outcome.round_id)
        per_round[outcome.round_id] = (
            None
            if event is None
            else compare_round(simulated, event.observables(), outcome.invited)
        )
    return Comparison(per_round)


def rounds_csv(log: RunLog, scenario: Scenario, history: History | None) -> str:
    specs = {r.id: r for r in scenario.schedule}
    comparison = compare_run(log, scenario, history)
    header = [
        "round",
        "name",
        "track",
        "venue",
        "format",
        "planned_date",
        "date",
        "delay_days",
        "postponements",
        "invited",
        "attended",
        "stayed_away",
        "walked_out",
        "signatories",
        "agenda",
        "agreed",
    ]
    header += [f"text_{j}" for j in log.issue_ids]
    header += [f"agreed_{j}" for j in log.issue_ids]
    header += [f"distance_{a}" for a in log.actor_ids]
    header += [
        "recorded_date",
        "recorded_delay_days",
        "recorded_attended",
        "recorded_walked_out",
        "recorded_agreed",
        "recorded_not_agreed",
        "match_attendance",
        "match_agreement",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for outcome in log.rounds:
        spec = specs[outcome.round_id]
        text = dict(zip(outcome.agenda, outcome.text, strict=True))
        agreed = dict(zip(outcome.agenda, outcome.agreed, strict=True))
        row = [
            outcome.round_id,
            spec.name,
            spec.track,
            spec.venue,
            spec.format,
            outcome.planned_date.isoformat(),
            outcome.date.isoformat(),
            outcome.delay_days,
            outcome.postponements,
            _join(outcome.invited),
            _join(outcome.attended),
            _join(outcome.stayed_away),
            _join(outcome.walked_out),
            _join(outcome.signatories),
            _join(outcome.agenda),
            _join(outcome.agreed_issues),
        ]
        row += [_num(text.get(j), 1) for j in log.issue_ids]
        row += ["" if j not in agreed else ("yes" if agreed[j] else "no") for j in log.issue_ids]
        row += [_num(d, 1) for d in outcome.distance]
        row += _recorded_cells(outcome.round_id, history, comparison)
        writer.writerow(row)
    return buffer.getvalue()


def _recorded_cells(round_id: str, history: History | None, comparison: Comparison | None) -> list:
    event = history.event(round_id) if history else None
    if event is None or comparison is None:
        return [""] * 8
    match = comparison.per_round[round_id]
    return [
        event.actual_date.isoformat() if event.actual_date else "",
        "" if event.delay_days is None else event.delay_days,
        "" if event.attended is None else _join(event.attended),
        "" if event.walked_out is None else _join(event.walked_out),
        _join(issue for issue, ok in event.agreed.items() if ok),
        _join(issue for issue, ok in event.agreed.items() if not ok),
        f"{match.attendance_matches}/{match.attendance_known}" if match.attendance_known else "",
        f"{match.agreement_matches}/{match.agreement_known}" if match.agreement_known else "",
    ]


def positions_csv(log: RunLog) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["round", "date", "actor", "issue", "position", "salience", "utility", "present"]
    )
    for r, outcome in enumerate(log.rounds):
        present = set(outcome.attended) - set(outcome.walked_out)
        for i, actor in enumerate(log.actor_ids):
            for j, issue in enumerate(log.issue_ids):
                writer.writerow(
                    [
                        outcome.round_id,
                        outcome.date.isoformat(),
                        actor,
                        issue,
                        _num(float(log.positions[r][i, j]), 2),
                        _num(float(log.salience[r][i, j]), 3),
                        _num(float(log.utility[r][i, j]), 4),
                        "yes" if actor in present else "no",
                    ]
                )
    return buffer.getvalue()


def events_jsonl(log: RunLog) -> str:
    lines = []
    for event in log.events:
        record = {
            "date": event.date.isoformat(),
            "round": event.round,
            "kind": event.kind,
            "actor": event.actor,
            "issue": event.issue,
            "value": None if event.value is None else round(event.value, 4),
            "text": event.text,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(
    log: RunLog, scenario: Scenario, history: History | None, history_bytes: bytes | None
) -> dict:
    """The headline of a run: what ran, with what seed, what came of it, how it fits the record."""
    comparison = compare_run(log, scenario, history)
    outcomes = {
        "rounds": len(log.rounds),
        "postponed_rounds": [o.round_id for o in log.rounds if o.postponements],
        "agreements": {o.round_id: list(o.agreed_issues) for o in log.rounds if o.agreed_issues},
        "stayed_away": {o.round_id: list(o.stayed_away) for o in log.rounds if o.stayed_away},
        "walked_out": {o.round_id: list(o.walked_out) for o in log.rounds if o.walked_out},
        "agreed_clauses": sum(len(o.agreed_issues) for o in log.rounds),
        "agenda_clauses": sum(len(o.agenda) for o in log.rounds),
    }
    result = {
        "package": "astana-sim",
        "version": __version__,
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "seed": log.seed,
        "random_streams": {"entropy": log.seed, "spawn_key": list(log.spawn_key)},
        "outcomes": outcomes,
    }
    if comparison is not None and history_bytes is not None:
        per_round = {
            rid: None
            if c is None
            else {
                "attendance": [c.attendance_matches, c.attendance_known],
                "agreement": [c.agreement_matches, c.agreement_known],
                "single_delegation": c.single_delegation_match,
                "date_error_days": c.date_error_days,
            }
            for rid, c in comparison.per_round.items()
        }
        result["history"] = {
            "history_hash": hashlib.sha256(history_bytes).hexdigest(),
            "facts_compared": comparison.known,
            "facts_matched": comparison.matched,
            "share_matched": round(comparison.matched / comparison.known, 4)
            if comparison.known
            else None,
            "per_round": per_round,
        }
    return result


def summary_json(*args) -> str:
    return json.dumps(summary(*args), indent=2, ensure_ascii=False) + "\n"
