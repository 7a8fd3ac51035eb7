"""The typed, frozen shape of a scenario.

These models are the contract between the YAML a user writes and the model that runs it. They
check each field on its own (types, ranges, unknown keys); checks that relate fields to each other
(ids that must exist, dates in order) live in ``checks.py`` so that each error can name the field
that is wrong rather than the whole document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
    field_validator,
    model_validator,
)

from ..rule_params import RULE_NAMES, RULE_PARAMS

Identifier = Annotated[str, Field(strict=True, pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(strict=True, min_length=1)]
Number = Annotated[float, Field(strict=True)]  # strict: "0.1" or true are not numbers here
Scale = Annotated[float, Field(strict=True, ge=0.0, le=100.0)]
Unit = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
Rate = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(strict=True, ge=0.0)]

EARLIEST_DATE = dt.date(1800, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
"""Dates a scenario or a record may hold. The clock adds up to 20 postponements of a year and a
meeting's days to a planned date, and the figures convert dates to floats: this range keeps both
far from the limits of ``datetime`` (year 9999) and of matplotlib."""


def _date_only(value: object) -> object:
    """A date is a YAML date or an ISO text; a bare number is not (pydantic would read it as a
    Unix timestamp)."""
    if isinstance(value, dt.datetime):
        return value  # pydantic explains a date with a time
    if isinstance(value, dt.date | str):
        return value
    kind = "a boolean" if isinstance(value, bool) else f"{value!r}"
    raise ValueError(f"expected a date (YYYY-MM-DD); found {kind}")


def _date_in_range(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            f"expected a date from {EARLIEST_DATE} to {LATEST_DATE}; found {value.isoformat()}"
        )
    return value


Date = Annotated[dt.date, BeforeValidator(_date_only), AfterValidator(_date_in_range)]


@dataclass(frozen=True)
class RoleBehaviour:
    """What an actor of one role does in a round: the one table the engine reads roles from.

    ``drafts``: its positions shape the text under every bargaining rule. ``consents``: it is
    one of the parties whose consent a clause needs (under the default ``signatories:
    invitees``, whenever it is invited, present or not), and its vote is recorded. ``moves``:
    after the round it concedes toward the text, presses weaker actors and is pulled by its
    patron. ``may_walk_out``: as an invitee (conveners never walk out) it leaves a text far below
    its walk-away value. ``guarantees``: it is a guarantor of the round's deal when seated, the
    actor ``guarantor_distrust`` measures against.
    """

    summary: str
    drafts: bool
    consents: bool
    moves: bool
    may_walk_out: bool
    guarantees: bool


ROLE_BEHAVIOUR: dict[str, RoleBehaviour] = {
    "party": RoleBehaviour(
        "a side to the conflict: drafts, must consent, moves, may walk out",
        drafts=True,
        consents=True,
        moves=True,
        may_walk_out=True,
        guarantees=False,
    ),
    "guarantor": RoleBehaviour(
        "a party that also guarantees the deal: as a party, and the others weigh their distance "
        "to it (guarantor_distrust)",
        drafts=True,
        consents=True,
        moves=True,
        may_walk_out=True,
        guarantees=True,
    ),
    "mediator": RoleBehaviour(
        "drafts and convenes, moves with the room; its consent is never needed unless the "
        "round names it a signatory, and it never walks out",
        drafts=True,
        consents=False,
        moves=True,
        may_walk_out=False,
        guarantees=False,
    ),
    "observer": RoleBehaviour(
        "watches: comes or stays away, but does not draft, vote, move, press, walk out or sign",
        drafts=False,
        consents=False,
        moves=False,
        may_walk_out=False,
        guarantees=False,
    ),
}
ROLES = tuple(ROLE_BEHAVIOUR)

FORMAT_BEHAVIOUR: dict[str, str] = {
    "face_to_face": "the parties meet in one room (a label: no behaviour of its own)",
    "proximity_talks": "a mediator shuttles between delegations (a label)",
    "guarantors_meeting": "the guarantors meet, with or without the parties (a label)",
    "unification": (
        "blocs of one side try to form one delegation: the run records whether they came out as "
        "one (every agenda clause agreed by its signatories), scored as single_delegation"
    ),
    "congress": "a broad assembly of many invitees (a label)",
    "ratification": (
        "a body outside the table votes on a text agreed at it (a label: the round's "
        "`ratifies` names the round whose text it votes on)"
    ),
}
FORMATS = tuple(FORMAT_BEHAVIOUR)
CONFIDENCE = ("high", "medium", "low")

# Names used before roles were named by behaviour, and what replaces each: a clear error beats a
# bare "expected one of" for a scenario written for an earlier version.
RETIRED_NAMES = {
    "role": {
        "government": "role: party with group: government",
        "opposition": "role: party with group: opposition",
    },
    "format": {"opposition_unification": "format: unification"},
}

Role = Literal["party", "guarantor", "mediator", "observer"]
Format = Literal[
    "face_to_face",
    "proximity_talks",
    "guarantors_meeting",
    "unification",
    "congress",
    "ratification",
]
Confidence = Literal["high", "medium", "low"]

#: Fields of an actor that hold calibrated numbers, and so need a ``sources`` entry.
SOURCED_SCALARS = ("capability", "concession_rate", "reservation")
SOURCED_MAPPINGS = ("positions", "salience")


class Frozen(BaseModel):
    # No NaN or infinity anywhere: either would travel silently through every average.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)


class Evidence(Frozen):
    """Where a number comes from: a reader must be able to trace it back to a sentence."""

    source: Text = Field(description="A seed file name, or a citation of a public record.")
    quote: Text = Field(description="The sentence (quoted or paraphrased) the number rests on.")
    rule: Text = Field(description="How the words become the number.")
    confidence: Confidence = "medium"
    date: dt.date | None = Field(
        default=None,
        description="When the source was published (for a statement, the day it was made), so a"
        " held-out test can use only sources dated before its split.",
    )


class Issue(Frozen):
    """One dimension under negotiation, on a 0-100 scale with a label for each end."""

    id: Identifier
    name: Text
    low: Text = Field(description="What a position of 0 means.")
    high: Text = Field(description="What a position of 100 means.")
    description: str = ""


class Forum(Frozen):
    """What being at one track's table is worth to an actor apart from the text it expects.

    ``value`` is added to the worth of coming (recognition, an audience, the cost of being seen
    to boycott: negative for a forum the actor disdains). ``substance: false`` is an actor that
    comes but refuses to negotiate substance there: it does not draft, accepts no clause (so it
    blocks wherever its consent is needed), does not move and does not walk out.
    """

    value: Annotated[float, Field(strict=False, ge=-1.0, le=1.0)] = 0.0
    substance: bool = True


class RedLine(Frozen):
    """A bound an actor has declared it will not cross on one issue, whatever else it is offered.

    Unlike the reservation value, which trades one clause's worth against another's, a red line
    is not weighed: a clause beyond it is refused outright and, in a package round, so is the
    package that carries it. Its position never moves past it.
    """

    at_least: Scale | None = None
    at_most: Scale | None = None

    @model_validator(mode="after")
    def _a_bound_in_order(self) -> RedLine:
        if self.at_least is None and self.at_most is None:
            raise ValueError("expected at_least, at_most or both; found neither")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError(
                f"expected at_least <= at_most; found at_least {self.at_least:g} above "
                f"at_most {self.at_most:g}"
            )
        return self

    def holds(self, value: float) -> bool:
        """Whether ``value`` is on the actor's side of the line."""
        low = self.at_least if self.at_least is not None else 0.0
        high = self.at_most if self.at_most is not None else 100.0
        return low <= value <= high


class Actor(Frozen):
    """A party to the talks: its preferences, its weight and how it behaves."""

    id: Identifier
    name: Text
    role: Role = Field(description="What the actor does in a round: see ROLE_BEHAVIOUR.")
    group: str = Field(
        default="", description="A free label for display (government, opposition, ...)."
    )
    capability: Unit
    positions: dict[Identifier, Scale]
    salience: dict[Identifier, Unit]
    concession_rate: Rate = Field(
        description="Share of the gap to the agreed text it gives up after a round."
    )
    reservation: Unit = Field(description="Utility of walking away; a clause below it is rejected.")
    patron: Identifier | None = None
    forums: dict[Identifier, Forum] = Field(
        default_factory=dict,
        description="Per track id: the worth of being at that table, and whether the actor "
        "negotiates substance there (see Forum).",
    )
    red_lines: dict[Identifier, RedLine] = Field(
        default_factory=dict,
        description="Per issue id: the bound the actor will not cross (see RedLine).",
    )
    description: str = ""
    sources: dict[str, Evidence] = Field(default_factory=dict)

    @field_validator("role", mode="before")
    @classmethod
    def _no_retired_role(cls, value: object) -> object:
        return _refuse_retired("role", value, ROLES)


def _refuse_retired(field: str, value: object, valid: tuple[str, ...]) -> object:
    if isinstance(value, str) and value in RETIRED_NAMES[field]:
        choices = ", ".join(repr(v) for v in valid)
        raise ValueError(
            f"expected one of {choices}; found {value!r}, a retired name: write "
            f"{RETIRED_NAMES[field][value]}"
        )
    return value


class Track(Frozen):
    """A line of meetings that runs in parallel with the others (a venue, a mediator's process)."""

    id: Identifier
    name: Text = Field(description="The display name, used in figures and reports.")
    description: str = ""


SIDE_RULES = {
    "lead": "the side takes its lead's position and accepts what its lead accepts",
    "majority": (
        "the side's position is its members' capability- and salience-weighted mean; it accepts "
        "a clause when members holding more than half its capability accept (absent members "
        "count against)"
    ),
    "unanimity": (
        "the side's position is its members' weighted mean; it accepts a clause only when every "
        "member accepts (an absent member blocks)"
    ),
}
SideRule = Literal["lead", "majority", "unanimity"]


class Side(Frozen):
    """Actors who bargain as one across the table (two-level bargaining, Putnam 1988).

    At the table the side is one voice: its members do not draft one by one but through the
    side's position (``rule``), and a clause needs the side's consent rather than each member's.
    """

    id: Identifier
    name: Text
    members: Annotated[list[Identifier], Field(min_length=1)]
    rule: SideRule = "lead"
    lead: Identifier | None = Field(
        default=None, description="The member who speaks for the side (required for rule: lead)."
    )
    description: str = ""
    sources: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="after")
    def _lead_given(self) -> Side:
        if self.rule == "lead" and self.lead is None:
            raise ValueError("expected a `lead` (one of the members) for rule: lead; found none")
        return self


class Deadline(Frozen):
    """A round that must conclude by its last day: if the agenda is not all agreed by then it is
    extended by ``extension_days`` (at most ``extensions`` times), and after that it collapses."""

    extensions: Annotated[int, Field(strict=True, ge=0, le=20)] = 0
    extension_days: Annotated[int, Field(strict=True, ge=1, le=365)] = 1


CONSENT_RULES = {
    "invitees": (
        "every invited actor whose role consents must accept a clause, present or not: an absent "
        "party blocks (the default)"
    ),
    "attendees": "only the consenting actors present at the table must accept",
    "conveners": "a declaration by the conveners alone",
}
ConsentRule = Literal["invitees", "attendees", "conveners"]


class Round(Frozen):
    """A scheduled meeting. When it actually happens, and what it agrees, are for the model."""

    id: Identifier
    name: Text
    track: Identifier = Field(description="The id of one of the scenario's declared tracks.")
    planned_date: Date
    days: Annotated[int, Field(strict=True, ge=1, le=60)] = 1
    venue: Text
    format: Format
    conveners: Annotated[list[Identifier], Field(min_length=1)]
    invitees: list[Identifier] = Field(default_factory=list)
    agenda: Annotated[list[Identifier], Field(min_length=1)]
    signatories: list[Identifier] | ConsentRule = Field(
        default="invitees",
        description="Whose consent a clause needs: a list of actors, or one of CONSENT_RULES.",
    )
    package: bool = Field(
        default=False,
        description="Nothing is agreed until everything is: the agenda is accepted whole or not.",
    )
    deadline: Deadline | None = None
    ratifies: Identifier | None = Field(
        default=None,
        description="The id of an earlier round whose text this one signs or votes on: no new "
        "text is drafted, and only what that round agreed can be ratified.",
    )
    description: str = ""
    sources: list[Text] = Field(default_factory=list)

    @field_validator("format", mode="before")
    @classmethod
    def _no_retired_format(cls, value: object) -> object:
        return _refuse_retired("format", value, FORMATS)


class Change(Frozen):
    """How a shock changes one number: exactly one of set, add or scale."""

    set: Number | None = None
    add: Number | None = None
    scale: NonNegative | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Change:
        given = [name for name in ("set", "add", "scale") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"expected exactly one of set, add, scale; found {len(given)}"
                + (f" ({', '.join(given)})" if given else "")
            )
        return self

    def apply(self, value: float) -> float:
        if self.set is not None:
            return self.set
        if self.add is not None:
            return value + self.add
        return value * float(self.scale)


class Effect(Frozen):
    """A shock's change to one actor."""

    actor: Identifier
    capability: Change | None = None
    concession_rate: Change | None = None
    reservation: Change | None = None
    positions: dict[Identifier, Change] = Field(default_factory=dict)
    salience: dict[Identifier, Change] = Field(default_factory=dict)


class Shock(Frozen):
    """A dated event outside the talks, applied before the first round on or after its date."""

    id: Identifier
    name: Text
    date: Date
    description: str = ""
    effects: Annotated[list[Effect], Field(min_length=1)]
    sources: list[Evidence] = Field(default_factory=list)


ProtocolName = Literal[RULE_NAMES]  # type: ignore[valid-type]
"""The rules a scenario may name, from ``sim.rule_params`` (which the rules declare too)."""
PROTOCOL_NAMES: tuple[str, ...] = get_args(ProtocolName)


class SharedParams(Frozen):
    """Behavioural constants shared by all actors and rules; see docs/model.md for the
    equations. ``ModelParams`` adds one block per rule (``model.single_text`` ...)."""

    protocol: ProtocolName = Field(  # type: ignore[valid-type]
        default="single_text", description="The bargaining rule of every round."
    )
    convener_weight: Annotated[float, Field(strict=True, ge=0.0, le=100.0)] = 1.0
    concession_scale: Annotated[float, Field(strict=True, ge=0.0, le=100.0)] = 1.0
    patron_pull: Rate = 0.05
    pressure_rate: Rate = 0.02
    position_noise: Annotated[float, Field(strict=True, ge=0.0, le=20.0)] = 1.0
    attendance_noise: Annotated[float, Field(strict=True, ge=0.0, le=1.0)] = 0.05
    patron_attendance_pull: Annotated[float, Field(strict=True, ge=0.0, le=1.0)] = 0.1
    walkout_margin: Unit = 0.25
    guarantor_distrust: Unit = 0.0
    postpone_threshold: Unit = 0.5
    postponement_days: Annotated[int, Field(strict=True, ge=1, le=365)] = 7
    max_postponements: Annotated[int, Field(strict=True, ge=0, le=20)] = 3

    @model_validator(mode="after")
    def _moves_stay_convex(self) -> SharedParams:
        total = self.patron_pull + self.pressure_rate
        if total > 1.0:
            raise ValueError(
                "expected patron_pull + pressure_rate <= 1 so that positions stay on their "
                f"scale; found {total:g}"
            )
        return self


ModelParams = create_model(
    "ModelParams",
    __base__=SharedParams,
    __doc__="The ``model:`` block: the shared constants and one block per rule, each "
    "validated by its rule's own model (``sim.rule_params``), built from the registry so that "
    "a new rule needs no edit here.",
    __module__=__name__,
    **{block.rule: (block, Field(default_factory=block)) for block in RULE_PARAMS},
)


class Scenario(Frozen):
    """A whole, merged and validated scenario: what one run needs, and nothing about the record."""

    name: Text
    description: str = ""
    seed: Annotated[int, Field(strict=True, ge=0, lt=2**63)]
    history: str | None = Field(
        default=None, description="Path (relative to the file) of the recorded history to compare."
    )
    history_sha256: Annotated[str, Field(strict=True, pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None,
        description="SHA-256 of the history file this scenario ran against (written in "
        "scenario.resolved.yaml); loading warns if the file changed since.",
    )
    model: ModelParams = Field(default_factory=ModelParams)
    tracks: list[Track] = Field(
        default_factory=list, description="The tracks rounds may name, in display order."
    )
    issues: Annotated[list[Issue], Field(min_length=1)]
    actors: Annotated[list[Actor], Field(min_length=2)]
    sides: list[Side] = Field(
        default_factory=list, description="Actors who bargain and consent as one (see Side)."
    )
    schedule: Annotated[list[Round], Field(min_length=1)]
    shocks: list[Shock] = Field(default_factory=list)

    def issue_ids(self) -> list[str]:
        return [issue.id for issue in self.issues]

    def actor_ids(self) -> list[str]:
        return [actor.id for actor in self.actors]

    def track_ids(self) -> list[str]:
        return [track.id for track in self.tracks]

    def actor(self, actor_id: str) -> Actor:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)


SCENARIO_KEYS = tuple(Scenario.model_fields)
