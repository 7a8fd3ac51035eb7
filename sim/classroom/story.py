"""What happened in each round and why, and who the actors are, in plain words.

Plain functions from a ``RunDir`` to small frozen records of sentences; no HTML here (see
``render``). The why of a round is assembled from the facts of rounds.csv (what was agreed, who was
absent) and the narrator's own reasons in events.jsonl (the clause after a decision's colon), so
a new wording of the narrator carries through and an unknown event kind is still shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..scenario import Actor, Issue
from ..wording import points
from .rundir_reader import EventRow, RoundRow, RunDir

#: Kinds whose sentences are the news of a round (the rest is behind "the full narrative").
KEY_KINDS = frozenset(
    {
        "convened",
        "postponed",
        "stayed_away",
        "walked_out",
        "rejected",
        "coalition_formed",
        "coalition_failed",
        "agreed",
        "no_agreement",
    }
)
#: Kinds of the bargaining itself: the last of them in a round states the final text.
BARGAINING_KINDS = frozenset(
    {
        "proposed",
        "redrafted",
        "offered",
        "conceded",
        "settled",
        "deadlocked",
        "confrontation",
        "compromise",
        "capitulation",
    }
)
#: An unknown kind is news when it occurs at most this often in a round (a rare event).
RARE = 2
#: A tolerated distance (points on the 0-100 scale) below which an issue is a red line.
RED_LINE_POINTS = 20.0


@dataclass(frozen=True)
class RecordLine:
    """One fact of a round beside the record: the model's value, the recorded one."""

    fact: str
    model: str
    recorded: str


@dataclass(frozen=True)
class RoundStory:
    round_id: str
    name: str
    venue: str
    date: dt.date
    planned_date: dt.date
    why: str
    before: tuple[EventRow, ...]  # shocks and other dated events since the previous round
    key: tuple[EventRow, ...]
    narrative: tuple[EventRow, ...]
    record: tuple[RecordLine, ...]
    matches: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Want:
    issue: str
    words: str  # e.g. "close to 'Assad stays; no transitional body' (15 of 100)"
    care: str  # how much it matters, in words
    tolerance: float  # points from its position it can accept


@dataclass(frozen=True)
class ActorCard:
    actor_id: str
    name: str
    role: str
    capability: str
    patron: str | None
    clients: tuple[str, ...]
    wants: tuple[Want, ...]
    red_lines: tuple[str, ...]
    bends_least: str
    description: str


# --- rounds ------------------------------------------------------------------------------------
def round_stories(run: RunDir) -> tuple[RoundStory, ...]:
    """Each round in date order (schedule order among equal dates), told and explained."""
    rounds = sorted(run.rounds, key=lambda r: r.date)  # sorted is stable
    by_round: dict[str, list[EventRow]] = {}
    loose: list[EventRow] = []
    for event in run.events:
        if event.round_id is None:
            loose.append(event)
        else:
            by_round.setdefault(event.round_id, []).append(event)
    stories = []
    previous: dt.date | None = None
    for row in rounds:
        events = tuple(by_round.get(row.round_id, ()))
        before = tuple(
            e for e in loose if (previous is None or e.date > previous) and e.date <= row.date
        )
        stories.append(
            RoundStory(
                round_id=row.round_id,
                name=row.name,
                venue=row.venue,
                date=row.date,
                planned_date=row.planned_date,
                why=why_line(row, events, run.actor_name, run.issue_name),
                before=before,
                key=key_events(events),
                narrative=events,
                record=record_lines(row, events, run.actor_name, run.issue_name),
                matches=tuple((k, v) for k, v in row.matches if v),
            )
        )
        previous = row.date
    return tuple(stories)


def reason(event: EventRow) -> str | None:
    """The narrator's reason for a decision: what follows the first colon of its sentence."""
    _, sep, rest = event.text.partition(": ")
    rest = rest.strip().rstrip(".")
    return rest if sep and rest else None


def listing(items: list[str] | tuple[str, ...]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def why_line(row: RoundRow, events: tuple[EventRow, ...], actor_name, issue_name) -> str:
    """One sentence: what the round agreed, what it did not, and the reason for each failure."""
    parts: list[str] = []
    if row.postponements:
        times = {1: "once", 2: "twice"}.get(row.postponements, f"{row.postponements} times")
        parts.append(
            f"postponed {times}, opening {row.delay_days} days after the planned "
            f"{row.planned_date.isoformat()}"
        )
    if row.agreed:
        parts.append(f"agreed on {listing([issue_name(i) for i in row.agreed])}")
    explained: set[str] = set()
    for issues, cause in _failures(row, events, actor_name, explained):
        parts.append(f"no agreement on {listing([issue_name(i) for i in issues])}: {cause}")
    for event in events:
        if event.kind == "coalition_formed":
            parts.append("one joint delegation formed")
        elif event.kind == "coalition_failed":
            parts.append(f"no single delegation: {reason(event) or event.text.rstrip('.')}")
    if not row.agenda:
        parts.append("nothing was on the agenda")
    present = set(row.attended) - set(row.walked_out)
    left = [actor_name(a) for a in row.walked_out if a not in explained]
    away = [actor_name(a) for a in row.stayed_away if a not in explained and a not in present]
    if left:
        parts.append(f"{listing(left)} walked out")
    elif row.agreed and not row.walked_out:
        parts.append("nobody walked out")
    if away:
        parts.append(f"{listing(away)} stayed away")
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


def _failures(row: RoundRow, events, actor_name, explained: set[str]):
    """Groups of failed issues that share a cause, each with the cause in words."""
    present = set(row.attended) - set(row.walked_out)
    decisions = {(e.kind, e.actor): e for e in events if e.actor}
    missing = [a for a in row.signatories if a not in present]
    absent = "; ".join(_absence(a, row, decisions, actor_name) for a in missing) if missing else ""
    explained.update(missing)
    groups: dict[str, list[str]] = {}
    for issue in row.not_agreed:
        if not row.signatories:
            cause = "nobody was there to sign"
        elif missing:
            cause = absent
        else:
            cause = _rejection(issue, row, events, actor_name)
        groups.setdefault(cause, []).append(issue)
    return [(issues, cause) for cause, issues in groups.items()]


def _absence(actor: str, row: RoundRow, decisions, actor_name) -> str:
    name = actor_name(actor)
    if actor not in row.invited:
        return f"{name} was not invited"
    kind, verb = (
        ("walked_out", "walked out") if actor in row.walked_out else ("stayed_away", "stayed away")
    )
    event = decisions.get((kind, actor))
    why = reason(event) if event is not None else None
    return f"{name} {verb}" + (f" ({why})" if why else "")


def _rejection(issue: str, row: RoundRow, events, actor_name) -> str:
    refusals = [
        e
        for e in events
        if e.kind == "rejected"
        and e.issue == issue
        and (e.actor in row.signatories or not row.signatories)
    ]
    if len(refusals) == 1:
        why = reason(refusals[0])
        return f"rejected by {actor_name(refusals[0].actor)}" + (f" ({why})" if why else "")
    if refusals:
        return f"rejected by {listing([actor_name(e.actor) for e in refusals])}"
    told = [e for e in events if e.kind == "no_agreement" and e.issue == issue]
    if told and reason(told[0]):
        return reason(told[0])
    return "the signatories did not all accept it"


def key_events(events: tuple[EventRow, ...]) -> tuple[EventRow, ...]:
    """The few sentences that carry the round: decisions that matter, and the final text."""
    counts = Counter(e.kind for e in events)
    final = [e for e in events if e.kind in BARGAINING_KINDS][-1:]
    return tuple(
        e
        for e in events
        if e.kind in KEY_KINDS
        or e in final
        or (e.kind not in KNOWN_KINDS and counts[e.kind] <= RARE)
    )


_RECORD_NAMES = {
    "date": "date",
    "delay_days": "days late",
    "attended": "present",
    "walked_out": "walked out",
    "agreed": "agreed",
    "not_agreed": "not agreed",
    "single_delegation": "single delegation",
}
_ACTOR_FACTS = {"attended", "walked_out", "stayed_away", "invited", "signatories"}
_ISSUE_FACTS = {"agreed", "not_agreed", "agenda"}


def record_lines(row: RoundRow, events, actor_name, issue_name) -> tuple[RecordLine, ...]:
    """The model beside the record for every ``recorded_*`` column (unknown ones too)."""
    if not any(value for _, value in row.recorded):
        return ()
    coalition = {e.kind for e in events} & {"coalition_formed", "coalition_failed"}
    model_values = {
        "delay_days": str(row.delay_days),
        "not_agreed": ";".join(row.not_agreed),
        "single_delegation": (
            ("yes" if "coalition_formed" in coalition else "no") if coalition else ""
        ),
    }
    lines = []
    for fact, recorded in row.recorded:
        model = model_values.get(fact, row.cells.get(fact, ""))
        lines.append(
            RecordLine(
                _RECORD_NAMES.get(fact, fact.replace("_", " ")),
                _readable(fact, model, actor_name, issue_name),
                _readable(fact, recorded, actor_name, issue_name) if recorded else "not recorded",
            )
        )
    return tuple(lines)


def _readable(fact: str, value: str, actor_name, issue_name) -> str:
    if fact in _ACTOR_FACTS or fact in _ISSUE_FACTS:
        name = actor_name if fact in _ACTOR_FACTS else issue_name
        items = [name(i) for i in value.split(";") if i]
        return ", ".join(items) if items else "none"
    return value or "-"


# --- actors ------------------------------------------------------------------------------------
def capability_words(capability: float) -> str:
    for floor, words in (
        (0.8, "among the strongest at the table"),
        (0.6, "strong"),
        (0.4, "of middling weight"),
        (0.2, "weak"),
    ):
        if capability >= floor:
            return f"{words} ({capability:.2f} on a scale of 0 to 1)"
    return f"very weak ({capability:.2f} on a scale of 0 to 1)"


def care_words(salience: float) -> str:
    if salience >= 0.8:
        return "matters most"
    if salience >= 0.5:
        return "matters a good deal"
    if salience >= 0.2:
        return "matters a little"
    return "hardly matters"


def stance(issue: Issue, position: float) -> str:
    """A position on the 0-100 scale through the issue's two labels."""
    score = f"{position:.0f} of 100"
    if position <= 20:
        return f"wants: {issue.low} ({score})"
    if position >= 80:
        return f"wants: {issue.high} ({score})"
    if 40 <= position <= 60:
        return f"halfway between '{issue.low}' and '{issue.high}' ({score})"
    toward = issue.low if position < 50 else issue.high
    return f"leans toward: {toward} ({score})"


def tolerance(actor: Actor, issue_id: str) -> float:
    """Points from its position a clause may sit and still be worth its walk-away value."""
    salience = actor.salience.get(issue_id, 0.0)
    return float("inf") if salience <= 0 else 100.0 * (1.0 - actor.reservation) / salience


def actor_cards(run: RunDir) -> tuple[ActorCard, ...]:
    """Every actor in plain words, as the scenario starts it (shocks may change it later)."""
    scenario = run.scenario
    issues = {issue.id: issue for issue in scenario.issues}
    final = final_positions(run)
    cards = []
    for actor in scenario.actors:
        order = sorted(actor.positions, key=lambda i: -actor.salience.get(i, 0.0))
        wants = []
        for issue_id in order:
            if issue_id not in issues:
                continue
            start = actor.positions[issue_id]
            words = stance(issues[issue_id], start)
            end = final.get((actor.id, issue_id))
            if end is not None and abs(end - start) >= 5:
                words += f"; {end:.0f} by the last round"
            wants.append(
                Want(
                    issues[issue_id].name,
                    words,
                    care_words(actor.salience.get(issue_id, 0.0)),
                    tolerance(actor, issue_id),
                )
            )
        red = _stated_lines(actor, issues) + tuple(
            f"{w.issue}: little room, it accepts no text more than {points(w.tolerance)} from its "
            "position"
            for w in wants
            if w.tolerance < RED_LINE_POINTS
        )
        tightest = min(wants, key=lambda w: w.tolerance, default=None)
        bends = (
            f"{tightest.issue}: a text up to {points(tightest.tolerance)} from its position "
            f"is still worth its walk-away value of {actor.reservation:.2f}"
            if tightest is not None and tightest.tolerance < 100
            else "it can live with any text on every issue"
        )
        cards.append(
            ActorCard(
                actor_id=actor.id,
                name=actor.name,
                role=actor.role,
                capability=capability_words(actor.capability),
                patron=run.actor_name(actor.patron) if actor.patron else None,
                clients=tuple(a.name for a in scenario.actors if a.patron == actor.id),
                wants=tuple(wants),
                red_lines=red,
                bends_least=bends,
                description=actor.description,
            )
        )
    return tuple(cards)


def _stated_lines(actor, issues: dict) -> tuple[str, ...]:
    """The red lines the actor has declared, in words: bounds it does not weigh against gains."""
    said = []
    for issue_id, line in actor.red_lines.items():
        bounds = []
        if line.at_least is not None:
            bounds.append(f"below {line.at_least:g}")
        if line.at_most is not None:
            bounds.append(f"above {line.at_most:g}")
        name = issues[issue_id].name if issue_id in issues else issue_id
        said.append(
            f"{name}: it has declared it will accept no text {' or '.join(bounds)} of 100, "
            "whatever else the text offers"
        )
    return tuple(said)


def final_positions(run: RunDir) -> dict[tuple[str, str], float]:
    """Each (actor, issue)'s position as it came to the run's last round (by date)."""
    out: dict[tuple[str, str], tuple[dt.date, float]] = {}
    for row in run.positions:
        key = (row.actor, row.issue)
        if key not in out or row.date >= out[key][0]:
            out[key] = (row.date, row.position)
    return {key: position for key, (_, position) in out.items()}


# --- glossary ----------------------------------------------------------------------------------
TERMS = (
    (
        "walk-away value",
        "What an actor keeps by not taking part or not signing (fighting on, waiting, another "
        "forum), on a scale of 0 to 1. It comes, signs a clause or stays in the room only when "
        "that is worth at least this much to it.",
    ),
    (
        "salience",
        "How much an issue matters to an actor, from 0 (not at all) to 1 (above all else). A "
        "clause far from its position costs it more on a salient issue.",
    ),
    (
        "capability",
        "An actor's weight in the talks (arms, money, allies), from 0 to 1: the strong pull the "
        "text and the weak toward their positions.",
    ),
    (
        "red line",
        'A bound an actor has declared it will not cross on an issue ("nothing below 85"): a '
        "clause past it is refused whatever else the text offers, and so is a package that "
        "carries it. The actor cards also list issues with little room: where the distance an "
        "actor tolerates, 100 × (1 − walk-away value) / salience points, is small.",
    ),
    ("convener", "The actor that calls a meeting, sets its agenda and drafts its text."),
    (
        "signatory",
        "An actor whose consent a clause needs: if one of them is absent or rejects it, that "
        "clause is not agreed.",
    ),
    (
        "text",
        "The draft on the table: one number per agenda issue, on the same 0-100 scale as the "
        "positions. A clause is worth 1 − salience × distance / 100 to an actor.",
    ),
    (
        "doubts of the day",
        "A small random swing in how an actor judges coming to a meeting (hopes when it is "
        "positive): the same actor may decide differently on another day. The seed fixes them.",
    ),
    (
        "position",
        "Where an actor stands on an issue, from 0 (the issue's low end) to 100 (its high end).",
    ),
    ("patron", "A stronger ally a client leans on, and whose line it hears."),
)
KIND_WORDS = {
    "convened": "an actor called the meeting",
    "attended": "an invited actor came, and why",
    "stayed_away": "an invited actor did not come: coming was worth less than its walk-away value",
    "proposed": "the convener put a first text on the table",
    "redrafted": "the convener moved the text toward the objections of a signatory",
    "offered": "one side made an offer to the other (alternating offers)",
    "conceded": "a side gave ground on its last offer",
    "settled": "the two sides met on a text",
    "deadlocked": "neither side could move; the conveners tabled a text between them",
    "confrontation": "two actors fought over a position (expected utility)",
    "compromise": "two actors met part way (expected utility)",
    "capitulation": "an actor gave in to a stronger one (expected utility)",
    "accepted": "an actor accepted a clause: worth at least its walk-away value",
    "rejected": (
        "an actor rejected a clause: worth less than its walk-away value, or past a red line it "
        "has declared"
    ),
    "walked_out": "an actor left the room: the text was worth too little to it to stay",
    "agreed": "a clause was signed by every signatory",
    "no_agreement": "a clause was not agreed, and why",
    "coalition_formed": "the opposition blocs formed one delegation",
    "coalition_failed": "the opposition blocs did not form one delegation, and why",
    "patron_pull": "a patron drew its client toward its own positions",
    "moved": "an actor's position shifted after the round",
    "postponed": (
        "the meeting was put off: the conveners found too little of the agenda agreeable, or a "
        "vote waited for the text it is to ratify"
    ),
    "put_to_vote": "a signing or a vote on a text agreed at an earlier meeting, unchanged",
    "refused_substance": "an actor came to the table but would not negotiate there",
    "shock": "an event outside the talks changed an actor's weight, positions or walk-away value",
}
KNOWN_KINDS = frozenset(KIND_WORDS)


def glossary_kinds(run: RunDir) -> tuple[tuple[str, str], ...]:
    """The event kinds of this run, each with its meaning (unknown kinds said to be unknown)."""
    seen = dict.fromkeys(e.kind for e in run.events)
    return tuple(
        (
            kind,
            KIND_WORDS.get(
                kind, "a kind of event this handout does not describe: read its sentences"
            ),
        )
        for kind in seen
    )
