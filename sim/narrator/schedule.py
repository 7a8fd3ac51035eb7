"""Events between rounds: shocks and postponements."""

from __future__ import annotations

from ..engine.record import DeadlineRecord, PostponementRecord, Setup
from ..engine.state import ShockRecord
from ..runlog import Event


def narrate_shock(setup: Setup, record: ShockRecord) -> Event:
    changes = []
    for change in record.changes:
        if change.field == "position":
            changes.append(f"{change.actor} position on {change.issue} -> {change.value:.0f}")
        elif change.field == "salience":
            changes.append(f"{change.actor} salience of {change.issue} -> {change.value:.2f}")
        else:
            changes.append(f"{change.actor} {change.field} -> {change.value:.2f}")
    shock = record.shock
    return Event(shock.date, "shock", f"{shock.name}: {'; '.join(changes)}.", value=None)


def narrate_postponement(setup: Setup, record: PostponementRecord) -> Event:
    cast, spec = setup.cast, record.spec
    return Event(
        record.date,
        "postponed",
        f"{cast.names(cast.indices(spec.conveners))} postponed {spec.name} by "
        f"{record.days} days: they expected only {record.agreeable:.0%} of the agenda "
        "to find every signatory's consent.",
        round=spec.id,
        value=record.agreeable,
    )


def narrate_deadline(setup: Setup, record: DeadlineRecord) -> Event:
    cast, spec = setup.cast, record.spec
    issues = ", ".join(cast.issue_names[i] for i in record.open_issues)
    if record.kind == "extended":
        allowed = spec.deadline.extensions if spec.deadline else record.extension
        text = (
            f"The deadline of {spec.name} passed with {issues} still open: the talks were "
            f"extended by {record.days} day{'s' if record.days != 1 else ''} "
            f"(extension {record.extension} of {allowed})."
        )
    else:
        text = (
            f"{spec.name} collapsed: its last deadline passed with {issues} still open, and no "
            "further extension was allowed."
        )
    return Event(record.date, record.kind, text, round=spec.id, value=float(record.extension))
