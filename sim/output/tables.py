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

from .. import __version__
from ..baselines import baseline_scores
from ..facts import FACTS, RoundMatch, contexts, match_run
from ..history import History
from ..runlog import RunLog
from ..scenario import Scenario, scenario_hash
from ..scoring import score_ensemble, score_runs

LIST_SEP = ";"


def _num(value: float | None, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def _join(items) -> str:
    return LIST_SEP.join(items)


def rounds_csv(log: RunLog, scenario: Scenario, history: History | None) -> str:
    specs = {r.id: r for r in scenario.schedule}
    matches = match_run(log, scenario, history) if history is not None else {}
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
        "end_date",
        "extensions",
        "collapsed",
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
    header += [column for fact in FACTS for column in fact.recorded_columns()]
    header += [fact.match_column for fact in FACTS]
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
            outcome.end_date.isoformat() if outcome.end_date else "",
            outcome.extensions,
            "yes" if outcome.collapsed else "no",
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
        row += _recorded_cells(outcome.round_id, scenario, history, matches.get(outcome.round_id))
        writer.writerow(row)
    return buffer.getvalue()


def _recorded_cells(
    round_id: str, scenario: Scenario, history: History | None, match: RoundMatch | None
) -> list[str]:
    """The registry's recorded columns, then one ``matched/compared`` cell per fact."""
    event = history.event(round_id) if history else None
    width = sum(len(fact.recorded_columns()) + 1 for fact in FACTS)
    if event is None or match is None:
        return [""] * width
    ctx = contexts(scenario)[round_id]
    cells: list[str] = []
    for fact in FACTS:
        cells += list(fact.recorded_cells(event, ctx).values())
    for fact in FACTS:
        m, k = match.counts.get(fact.name, (0, 0))
        cells.append(f"{m}/{k}" if k else "")
    return cells


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
    log: RunLog,
    scenario: Scenario,
    history: History | None,
    history_bytes: bytes | None,
    ensemble: dict | None = None,
) -> dict:
    """The headline of a run: what ran, with what seed, what came of it, how it fits the record."""
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
        "environment": environment(),
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "seed": log.seed,
        "random_streams": {"entropy": log.seed, "spawn_key": list(log.spawn_key)},
        "outcomes": outcomes,
    }
    if history is not None and history_bytes is not None:
        result["history"] = _history_summary(log, scenario, history, history_bytes)
    if ensemble is not None:
        result["ensemble"] = ensemble
    return result


ENVIRONMENT = ("numpy", "mesa", "matplotlib", "pydantic", "pyyaml", "scipy")


def environment() -> dict[str, str]:
    """The versions a run's bytes depend on: byte-identity is promised for the same versions."""
    import platform
    from importlib.metadata import version

    return {"python": platform.python_version(), **{name: version(name) for name in ENVIRONMENT}}


def _history_summary(
    log: RunLog, scenario: Scenario, history: History, history_bytes: bytes
) -> dict:
    """The run against the record: the facts the loss scores, matched one by one."""
    matches = match_run(log, scenario, history)
    matched = sum(m.matched for m in matches.values() if m)
    compared = sum(m.compared for m in matches.values() if m)
    per_round = {
        rid: None if m is None else {name: list(counts) for name, counts in m.counts.items()}
        for rid, m in matches.items()
    }
    return {
        "history_hash": hashlib.sha256(history_bytes).hexdigest(),
        "facts_compared": compared,
        "facts_matched": matched,
        "share_matched": round(matched / compared, 4) if compared else None,
        "per_round": per_round,
    }


def summary_json(*args, **kwargs) -> str:
    return json.dumps(summary(*args, **kwargs), indent=2, ensure_ascii=False) + "\n"


def ensemble_csv(rows) -> str:
    """``ensemble.csv``: one line per fact of each round (``sim.facts.ensemble_rows``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["round", "fact", "key", "forecast", "recorded", "loss"])
    for row in rows:
        recorded = "" if row.recorded is None else str(int(row.recorded))
        writer.writerow(
            [row.round_id, row.fact, row.key, _num(row.forecast, 4), recorded, _num(row.loss, 4)]
        )
    return buffer.getvalue()


def ensemble_summary(logs, scenario: Scenario, history: History | None) -> dict:
    """The ensemble's block of ``summary.json``: its seeds and, with a record, its losses.

    ``loss`` scores the ensemble as one forecast (each yes/no fact by its share of runs);
    ``mean_run_loss`` is the mean of each run's own loss, the loss ``calibrate`` fits.
    """
    block: dict = {"runs": len(logs), "seeds": [log.seed for log in logs]}
    if history is not None:
        ensemble = score_ensemble(logs, scenario, history)
        block["facts_scored"] = len(ensemble.facts)
        block["loss"] = _rounded(ensemble.loss)
        block["brier"] = _rounded(ensemble.brier)
        block["delay_mae_days"] = _rounded(ensemble.delay_mae_days, 2)
        block["mean_run_loss"] = _rounded(score_runs(logs, scenario, history).loss)
        block["baselines"] = {
            name.removeprefix("baseline: "): _rounded(s.loss)
            for name, s in baseline_scores(scenario, history)
        }
    return block


def _rounded(value: float, digits: int = 4) -> float | None:
    return None if math.isnan(value) else round(value, digits)
