"""What changed between two runs: round by round outcomes, and where the actors ended up.

Plain functions over two ``RunDir``; the text rendering is here (it is the command's output),
the HTML one in ``render``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .rundir_reader import RoundRow, RunDir
from .story import final_positions

#: Position changes smaller than this (points on the 0-100 scale) are noise, not news.
MIN_POSITION_CHANGE = 0.5
TOP_POSITION_CHANGES = 12


@dataclass(frozen=True)
class Change:
    what: str  # "agreed", "date", ...
    before: str
    after: str


@dataclass(frozen=True)
class RoundChange:
    round_id: str
    name: str
    date: dt.date
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class PositionChange:
    actor: str
    issue: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class RunDiff:
    name_a: str
    name_b: str
    label_a: str
    label_b: str
    changed: tuple[RoundChange, ...]
    unchanged: int
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    positions: tuple[PositionChange, ...]

    @property
    def nothing_changed(self) -> bool:
        return not (self.changed or self.only_a or self.only_b or self.positions)


def diff_runs(a: RunDir, b: RunDir) -> RunDiff:
    """Compare two runs round by round (matched by round id) and by their final positions."""
    rounds_b = {r.round_id: r for r in b.rounds}
    ids_a = {r.round_id for r in a.rounds}
    changed, unchanged = [], 0
    for row in sorted(a.rounds, key=lambda r: r.date):
        other = rounds_b.get(row.round_id)
        if other is None:
            continue
        changes = round_changes(row, other, a, b)
        if changes:
            changed.append(RoundChange(row.round_id, row.name, row.date, changes))
        else:
            unchanged += 1
    return RunDiff(
        name_a=a.scenario.name,
        name_b=b.scenario.name,
        label_a=_label(a),
        label_b=_label(b),
        changed=tuple(changed),
        unchanged=unchanged,
        only_a=tuple(r.round_id for r in a.rounds if r.round_id not in rounds_b),
        only_b=tuple(r.round_id for r in b.rounds if r.round_id not in ids_a),
        positions=position_changes(a, b),
    )


def _label(run: RunDir) -> str:
    seed = "" if run.seed is None else f", seed {run.seed}"
    return f"{run.scenario.name}{seed}"


def round_changes(a: RoundRow, b: RoundRow, run_a: RunDir, run_b: RunDir) -> tuple[Change, ...]:
    """Outcome, date and attendance differences of one round between two runs.

    For a set (the agenda, what was agreed, who came...) only what differs is given: what A has
    and B has not, then what B has and A has not ("-" for nothing).
    """
    changes = []
    for what, names in (
        ("agenda", "issue"),
        ("agreed", "issue"),
        ("attended", "actor"),
        ("stayed_away", "actor"),
        ("walked_out", "actor"),
    ):
        before, after = getattr(a, what), getattr(b, what)
        if set(before) != set(after):
            changes.append(
                Change(
                    what.replace("_", " "),
                    _names(run_a, names, [i for i in before if i not in after]),
                    _names(run_b, names, [i for i in after if i not in before]),
                )
            )
        if what == "agreed" and (a.date != b.date or a.postponements != b.postponements):
            changes.append(Change("date", _when(a), _when(b)))
    return tuple(changes)


def _names(run: RunDir, kind: str, ids: list[str]) -> str:
    name = run.actor_name if kind == "actor" else run.issue_name
    return "; ".join(name(i) for i in ids) or "-"


def _when(row: RoundRow) -> str:
    n = row.postponements
    return f"{row.date.isoformat()} ({n} postponement{'' if n == 1 else 's'})"


def position_changes(a: RunDir, b: RunDir) -> tuple[PositionChange, ...]:
    """The largest differences of position at the end of the two runs, largest first."""
    end_a, end_b = final_positions(a), final_positions(b)
    found = [
        PositionChange(a.actor_name(actor), a.issue_name(issue), end_a[key], end_b[key])
        for key in end_a.keys() & end_b.keys()
        for actor, issue in [key]
        if abs(end_b[key] - end_a[key]) >= MIN_POSITION_CHANGE
    ]
    found.sort(key=lambda c: (-abs(c.delta), c.actor, c.issue))
    return tuple(found[:TOP_POSITION_CHANGES])


def diff_text(diff: RunDiff) -> str:
    """The diff as a readable text for the terminal."""
    lines = [f"A: {diff.label_a}", f"B: {diff.label_b}", ""]
    legend = "(for each change: what A has and B has not  ->  what B has and A has not)"
    if diff.nothing_changed:
        lines.append(
            "Nothing changed: every round has the same outcome, dates and attendance, and no "
            f"final position differs by {MIN_POSITION_CHANGE} point or more."
        )
        return "\n".join(lines) + "\n"
    lines.append(
        f"Rounds that changed: {len(diff.changed)} (unchanged: {diff.unchanged})"
        if diff.changed
        else f"No round changed its outcome, date or attendance ({diff.unchanged} rounds)."
    )
    if diff.changed:
        lines.append(legend)
    for change in diff.changed:
        lines.append(f"  {change.date.isoformat()}  {change.round_id} ({change.name})")
        for c in change.changes:
            lines.append(f"    {c.what}: {c.before}  ->  {c.after}")
    if diff.only_a:
        lines.append(f"Rounds only in A: {', '.join(diff.only_a)}")
    if diff.only_b:
        lines.append(f"Rounds only in B: {', '.join(diff.only_b)}")
    lines.append("")
    if diff.positions:
        lines.append("Largest changes of position at the end of the run (0-100 scale):")
        width = max(len(f"{c.actor} on {c.issue}") for c in diff.positions)
        for c in diff.positions:
            lines.append(
                f"  {f'{c.actor} on {c.issue}':<{width}}  {c.before:5.1f} -> {c.after:5.1f}"
                f"  ({c.delta:+.1f})"
            )
    else:
        lines.append(f"No final position differs by {MIN_POSITION_CHANGE} point or more.")
    return "\n".join(lines) + "\n"
