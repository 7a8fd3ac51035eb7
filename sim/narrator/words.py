"""Why an actor did what it did, in one sentence each: the numbers of a decision, in words."""

from __future__ import annotations

from ..wording import past, points


def explain_attendance(
    name: str,
    came: bool,
    expected: float,
    pull: float,
    mood: float,
    reservation: float,
    patron: str | None,
    distrust: float = 0.0,
    guarantor: str = "",
    forum: float = 0.0,
    track: str = "",
) -> str:
    """The expected text, its patron's pull, its distrust of the guarantors, the day's doubts."""
    parts = [f"the text it expected was worth {expected:.2f} to it"]
    if round(forum, 2):
        parts.append(f"being at the {track} table was worth {forum:+.2f} to it in itself")
    if patron and pull:
        parts.append(f"its patron {patron} at the table added {pull:.2f}")
    if round(distrust, 2):
        parts.append(f"a deal under {guarantor}'s guarantee cost it {distrust:.2f}")
    if round(mood, 2):
        parts.append(f"{'hopes' if mood > 0 else 'doubts'} of the day {mood:+.2f}")
    weighed = expected + forum + pull - distrust + mood
    verdict = "attended" if came else "stayed away"
    compare = "at least" if came else "less than"
    return (
        f"{name} {verdict}: {', '.join(parts)}; coming was worth {weighed:.2f}, "
        f"{compare} the {reservation:.2f} it keeps by not taking part."
    )


def explain_walkout(
    name: str, worth: float, margin: float, reservation: float, distrust: float, guarantor: str
) -> str:
    if round(distrust, 2):
        value = (
            f"the draft on the table was worth {worth:.2f} to it, less {distrust:.2f} for "
            f"putting its name to a deal {guarantor} guarantees: {worth - distrust:.2f}"
        )
    else:
        value = f"the draft on the table was worth only {worth:.2f} to it"
    return (
        f"{name} walked out: {value}, short of the {reservation - margin:.2f} it "
        f"needs to stay in the room (its walk-away value {reservation:.2f} less a "
        f"margin of {margin:.2f})."
    )


def explain_vote(
    name: str, issue: str, gap: float, utility: float, reservation: float, accepted: bool
) -> str:
    verdict = "accepted" if accepted else "rejected"
    compare = "at least" if accepted else "below"
    return (
        f"{name} {verdict} the clause on {issue}: it sits {points(gap)} from its position, "
        f"worth {utility:.2f}, {compare} its walk-away value {reservation:.2f}."
    )


def explain_red_line_vote(name: str, issue: str, clause: float, bound: str, line: float) -> str:
    """A clause refused for crossing a declared line, whatever its worth (``bound``: at least,
    at most)."""
    return (
        f"{name} rejected the clause on {issue}: at {past(clause, line)} it crosses the red line "
        f"the actor has declared ({bound} {line:g}), which no trade makes up for."
    )


def explain_red_line_package(
    name: str, worth: float, issue: str, clause: float, bound: str, line: float
) -> str:
    return (
        f"{name} rejected the package: the whole text was worth {worth:.2f} to it, but its "
        f"clause on {issue} ({past(clause, line)}) crosses the red line the actor has declared "
        f"({bound} {line:g}), and no other clause makes up for that."
    )


def explain_move(name: str, issue: str, before: float, after: float, text: float) -> str:
    return (
        f"{name} shifted on {issue} from {before:.0f} to {after:.0f} "
        f"(the text stood at {text:.0f})."
    )


def explain_package_vote(name: str, worth: float, reservation: float, accepted: bool) -> str:
    if accepted:
        return (
            f"{name} accepted the package: the whole text was worth {worth:.2f} to it, at least "
            f"its walk-away value {reservation:.2f}, whatever it thought of single clauses."
        )
    return (
        f"{name} rejected the package: the whole text was worth {worth:.2f} to it, below its "
        f"walk-away value {reservation:.2f}."
    )


def explain_no_substance(name: str, track: str) -> str:
    return (
        f"{name} was at the {track} table but refused to negotiate substance there: it accepted "
        "no clause."
    )
