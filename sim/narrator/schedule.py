"""Events between rounds: shocks and postponements."""

from __future__ import annotations

from ..engine.record import DeadlineRecord, PostponementRecord, Setup
from ..engine.state import ShockRecord
from ..runlog import Event
from ..wording import plural


def narrate_shock(setup: Setup, record: ShockRecord) -> Event:
    cast = setup.cast
    changes = []
    for change in record.changes:
        who = cast.actor_names[cast.actor_index[change.actor]]
        issue = cast.issue_names.get(change.issue or "", change.issue)
        if change.field == "position":
            changes.append(f"{who}'s position on {issue} to {change.value:.0f}")
        elif change.field == "salience":
            changes.append(f"the salience of {issue} to {who} to {change.value:.2f}")
        else:
            field = change.field.replace("_", " ")
            changes.append(f"{who}'s {field} to {change.value:.2f}")
    shock = record.shock
    text = f"{shock.name}: it moved {'; '.join(changes)}."
    return Event(shock.date, "shock", text, value=None)


def narrate_postponement(setup: Setup, record: PostponementRecord) -> Event:
    cast, spec = setup.cast, record.spec
    if record.awaiting is not None:
        earlier = setup.round_names.get(record.awaiting, record.awaiting)
        return Event(
            record.date,
            "postponed",
            f"{spec.name} waited {plural(record.days, 'day')}: the text of {earlier} it is to "
            "ratify was not yet final.",
            round=spec.id,
        )
    return Event(
        record.date,
        "postponed",
        f"{cast.names(cast.indices(spec.conveners))} postponed {spec.name} by "
        f"{plural(record.days, 'day')}: {'it' if len(spec.conveners) == 1 else 'they'} expected "
        f"only {record.agreeable:.0%} of the agenda to find the consent it needs.",
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
            f"extended by {plural(record.days, 'day')} "
            f"(extension {record.extension} of {allowed})."
        )
    else:
        text = (
            f"{spec.name} collapsed: its last deadline passed with {issues} still open, and no "
            "further extension was allowed."
        )
    return Event(record.date, record.kind, text, round=spec.id, value=float(record.extension))
