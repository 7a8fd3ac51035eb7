"""Hypothesis strategies: whole random scenarios that are valid by construction."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from sim.scenario import Scenario
from sim.scenario.schema import PROTOCOL_NAMES

ROLES = ["party", "guarantor", "mediator", "observer"]
unit = st.floats(0.0, 1.0, allow_nan=False)
scale = st.floats(0.0, 100.0, allow_nan=False)


@st.composite
def red_lines(draw, positions: dict[str, float]) -> dict:
    """No line, or one per drawn issue, each holding the actor's own position (the loader
    requires that): a floor below it, a ceiling above it, or both."""
    lines = {}
    for issue in draw(st.lists(st.sampled_from(sorted(positions)), unique=True, max_size=2)):
        p = positions[issue]
        below, above = draw(st.floats(0.0, p)), draw(st.floats(p, 100.0))
        kind = draw(st.sampled_from(["at_least", "at_most", "both"]))
        lines[issue] = {
            "at_least": below if kind != "at_most" else None,
            "at_most": above if kind != "at_least" else None,
        }
    return lines


@st.composite
def scenarios(
    draw, max_actors: int = 7, max_issues: int = 4, max_rounds: int = 6, protocol: str | None = None
) -> Scenario:
    n_issues = draw(st.integers(1, max_issues))
    n_actors = draw(st.integers(2, max_actors))
    issues = [f"i{j}" for j in range(n_issues)]
    actors = [f"a{i}" for i in range(n_actors)]
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=n_actors, max_size=n_actors))
    roles[0] = "guarantor"  # someone who is not an observer convenes
    actor_specs = []
    for i, actor in enumerate(actors):
        patron = draw(st.one_of(st.none(), st.sampled_from(actors[:i]))) if i else None
        positions = {j: draw(scale) for j in issues}
        actor_specs.append(
            {
                "id": actor,
                "name": actor.upper(),
                "role": roles[i],
                "capability": draw(unit),
                "positions": positions,
                "salience": {j: draw(unit) for j in issues},
                "red_lines": draw(red_lines(positions)),
                "concession_rate": draw(unit),
                "reservation": draw(unit),
                "patron": patron,
                "forums": draw(
                    st.one_of(
                        st.just({}),
                        st.builds(
                            lambda v, sub: {"astana": {"value": v, "substance": sub}},
                            st.floats(-1.0, 1.0),
                            st.booleans(),
                        ),
                    )
                ),
            }
        )
    n_rounds = draw(st.integers(1, max_rounds))
    start = dt.date(2017, 1, 1)
    gaps = draw(st.lists(st.integers(0, 60), min_size=n_rounds, max_size=n_rounds))
    rounds = []
    day = start
    for r in range(n_rounds):
        day = day + dt.timedelta(days=gaps[r])
        conveners = draw(st.lists(st.sampled_from(actors), min_size=1, max_size=2, unique=True))
        invitees = draw(st.lists(st.sampled_from(actors), max_size=n_actors, unique=True))
        ratifies = draw(st.one_of(st.none(), st.sampled_from(rounds))) if rounds else None
        pool = ratifies["agenda"] if ratifies else issues
        agenda = draw(st.lists(st.sampled_from(pool), min_size=1, unique=True))
        # Observers may not sign (the loader's cross checks say so).
        seated = [
            a for a in dict.fromkeys(conveners + invitees) if roles[actors.index(a)] != "observer"
        ]
        signatories = draw(
            st.one_of(
                st.sampled_from(["invitees", "attendees", "conveners"]),
                st.lists(st.sampled_from(seated), min_size=1, unique=True)
                if seated
                else st.just("attendees"),
            )
        )
        rounds.append(
            {
                "id": f"r{r}",
                "name": f"Round {r}",
                "track": "astana",
                "planned_date": day,
                "venue": "Somewhere",
                "format": "proximity_talks",
                "conveners": conveners,
                "invitees": invitees,
                "agenda": agenda,
                "signatories": signatories,
                "ratifies": ratifies["id"] if ratifies else None,
                "package": draw(st.booleans()),
                "deadline": draw(
                    st.one_of(
                        st.none(),
                        st.builds(
                            dict,
                            extensions=st.integers(0, 3),
                            extension_days=st.integers(1, 30),
                        ),
                    )
                ),
            }
        )
    shocks = []
    for s in range(draw(st.integers(0, 2))):
        actor = draw(st.sampled_from(actors))
        issue = draw(st.sampled_from(issues))
        shocks.append(
            {
                "id": f"s{s}",
                "name": f"Shock {s}",
                "date": start + dt.timedelta(days=draw(st.integers(0, 200))),
                "effects": [
                    {
                        "actor": actor,
                        "capability": {"add": draw(st.floats(-1, 1))},
                        "positions": {issue: {"add": draw(st.floats(-150, 150))}},
                    }
                ],
            }
        )
    model = {
        "protocol": protocol or draw(st.sampled_from(PROTOCOL_NAMES)),
        "guarantor_distrust": draw(st.sampled_from([0.0, 0.3, 1.0])),
        "patron_pull": draw(st.sampled_from([0.0, 0.05, 0.5])),
        "position_noise": draw(st.floats(0.0, 10.0)),
        "attendance_noise": draw(st.floats(0.0, 0.3)),
        "max_postponements": draw(st.integers(0, 3)),
        "postpone_threshold": draw(unit),
    }
    # Up to two sides over the actors who are not observers, each actor on at most one.
    eligible = [a for a in actors if roles[actors.index(a)] != "observer"]
    side_of = draw(st.lists(st.integers(-1, 1), min_size=len(eligible), max_size=len(eligible)))
    sides = []
    for k in (0, 1):
        members = [a for a, s in zip(eligible, side_of, strict=True) if s == k]
        if members:
            rule = draw(st.sampled_from(["lead", "majority", "unanimity"]))
            sides.append(
                {"id": f"side{k}", "name": f"Side {k}", "members": members, "rule": rule}
                | ({"lead": draw(st.sampled_from(members))} if rule == "lead" else {})
            )
    return Scenario.model_validate(
        {
            "name": "generated",
            "sides": sides,
            "seed": draw(st.integers(0, 2**32)),
            "model": model,
            "tracks": [{"id": "astana", "name": "Main track"}],
            "issues": [{"id": j, "name": j, "low": "low", "high": "high"} for j in issues],
            "actors": actor_specs,
            "schedule": rounds,
            "shocks": shocks,
        }
    )
