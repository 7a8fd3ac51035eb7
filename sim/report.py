"""The short tables ``run`` prints: one row per round, the model beside the record."""

from __future__ import annotations

import textwrap

from .facts import EnsembleRow
from .history import History
from .runlog import RunLog
from .scenario import Scenario
from .wording import plural

# Column widths of the round table (the round column fits the longest id); a longer cell wraps
# onto more lines, it is never cut.
COLUMNS = (
    ("round", 5),
    ("date", 16),
    ("venue", 18),
    ("present", 24),
    ("agreed", 28),
    ("recorded", 30),
)


def table(header: list[str], widths: list[int], rows: list[list[str]]) -> str:
    """A plain-text table whose long cells wrap inside their column instead of being cut.

    A cell breaks at spaces (so lists are joined with ", "); a word longer than its column
    stays whole and pushes the columns after it right on that line only.
    """
    lines = ["  ".join(name.ljust(width) for name, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        cells = [
            textwrap.wrap(text, width, break_long_words=False) or [""]
            for text, width in zip(row, widths, strict=True)
        ]
        for k in range(max(len(c) for c in cells)):
            parts = [
                (c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(line.rstrip() for line in lines)


def round_table(log: RunLog, scenario: Scenario, history: History | None) -> str:
    """One row per round: when and where it met, who came, what it agreed, what the record says."""
    venues = {r.id: r.venue for r in scenario.schedule}
    rows = []
    for outcome in log.rounds:
        present = set(outcome.attended) - set(outcome.walked_out)
        absent = [a for a in outcome.invited if a not in present]
        who = f"{len(present)}/{len(outcome.invited)}"
        if absent:
            who += " (not: " + ", ".join(absent) + ")"
        date = outcome.date.isoformat()
        if outcome.delay_days:
            date += f" +{outcome.delay_days}d"
        agreed = ", ".join(outcome.agreed_issues) or "-"
        recorded = _recorded(history, outcome.round_id)
        rows.append([outcome.round_id, date, venues[outcome.round_id], who, agreed, recorded])
    widths = [w for _, w in COLUMNS]
    widths[0] = max([widths[0]] + [len(row[0]) for row in rows])
    return table([c for c, _ in COLUMNS], widths, rows)


def _recorded(history: History | None, round_id: str) -> str:
    event = history.event(round_id) if history else None
    if event is None:
        return ""
    agreed = ", ".join(issue for issue, ok in event.agreed.items() if ok) or "-"
    slip = f" +{event.delay_days}d" if event.delay_days else ""
    away = event.stayed_away or []
    away_text = f" (not: {', '.join(away)})" if away else ""
    return f"{agreed}{slip}{away_text}"


def actor_sources(scenario: Scenario, actor_id: str) -> str:
    """An actor's calibrated numbers, each with its source, quote, rule and confidence."""
    actor = scenario.actor(actor_id)
    lines = [
        f"{actor.name} ({actor.id}), {actor.role}"
        + (f"; patron: {actor.patron}" if actor.patron else "")
    ]
    if actor.description:
        lines += textwrap.wrap(actor.description, 96, initial_indent="  ", subsequent_indent="  ")
    for field, value in _calibrated_values(scenario, actor).items():
        evidence = actor.sources.get(field)
        lines.append("")
        if evidence is None:
            lines.append(f"{field} = {value}   NO SOURCE")
            continue
        lines.append(f"{field} = {value}   ({evidence.confidence} confidence)")
        for label, text in (
            ("source", evidence.source),
            ("quote", evidence.quote),
            ("rule", evidence.rule),
        ):
            lines += textwrap.wrap(
                text, 96, initial_indent=f"  {label:6}  ", subsequent_indent=" " * 10
            )
    return "\n".join(lines)


def _calibrated_values(scenario: Scenario, actor) -> dict[str, str]:
    """Every number of the actor that needs a source, by its ``sources`` key, as printed."""
    values = {
        "capability": f"{actor.capability:g}",
        "concession_rate": f"{actor.concession_rate:g}",
        "reservation": f"{actor.reservation:g}",
    }
    for issue in scenario.issue_ids():
        values[f"positions.{issue}"] = f"{actor.positions[issue]:g}"
        values[f"salience.{issue}"] = f"{actor.salience[issue]:g}"
    for track, forum in actor.forums.items():
        substance = "" if forum.substance else ", no substance"
        values[f"forums.{track}"] = f"value {forum.value:g}{substance}"
    for issue, line in actor.red_lines.items():
        bounds = [f"at least {line.at_least:g}"] if line.at_least is not None else []
        bounds += [f"at most {line.at_most:g}"] if line.at_most is not None else []
        values[f"red_lines.{issue}"] = " and ".join(bounds)
    return values


def ensemble_table(rows: list[EnsembleRow], runs: int, block: dict | None) -> str:
    """Per round, what share of ``runs`` agreed each issue, came, walked out; the median delay.

    Nothing is cut: a long line wraps in the terminal rather than hiding an issue or an actor.
    """
    by_round: dict[str, list[EnsembleRow]] = {}
    for row in rows:
        by_round.setdefault(row.round_id, []).append(row)
    lines = [f"ensemble of {plural(runs, 'run')}: share of runs per fact (median delay in days)"]
    for round_id, facts in by_round.items():
        agreed = [f"{r.key} {r.forecast:.2f}" for r in facts if r.fact == "agreed"]
        came = [r.forecast for r in facts if r.fact == "attended"]
        absent = [
            f"{r.key} {r.forecast:.2f}" for r in facts if r.fact == "attended" and r.forecast < 1
        ]
        left = [
            f"{r.key} {r.forecast:.2f}" for r in facts if r.fact == "walked_out" and r.forecast > 0
        ]
        delay = next(r.forecast for r in facts if r.fact == "delay_days")
        attendance = f"{sum(came) / max(len(came), 1):.2f}"
        if absent:
            attendance += " (" + ", ".join(absent) + ")"
        lines.append(
            f"  {round_id}: agreed {', '.join(agreed) or '-'}; attendance {attendance}; "
            f"walk-outs {', '.join(left) or '-'}; delay {delay:+.0f} d"
        )
    if block and "loss" in block:
        baselines = ", ".join(f"{name} {loss:.3f}" for name, loss in block["baselines"].items())
        lines.append(
            f"ensemble loss against the record: {block['loss']:.3f} over "
            f"{plural(block['facts_scored'], 'fact')} "
            f"(mean loss of one run {block['mean_run_loss']:.3f}); "
            f"baselines: {baselines}"
        )
    return "\n".join(lines)
