"""The narrator's words for the steps a rule records as numbers (sim/narrator/bargains.py).

``alternating_offers`` records each offer and concession as numbers (``Step.numbers``), so that
a run made with ``narrate=False`` formats no sentence; the narrator tells them in the words the
rule used to write itself. benchmarks/output_hashes.py proves the narrated events unchanged on
the shipped scenarios; these tests hold each sentence form to its words.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from flat_params import model_params

from sim.comparison import with_protocol
from sim.model import simulate
from sim.narrator.bargains import FORMS, tell
from sim.protocols import Step, Table
from sim.protocols.alternating_offers import AlternatingOffers
from sim.scenario import load_scenario

NAMES, ISSUES = ("Russia", "Turkey", "Iran"), ("ceasefire", "transition")
MIDPOINT = "the conveners tabled the midpoint of the last offers: ceasefire 45, transition 55."
TOLD = [
    (
        ("opened", 0, 1, (80.0, 20.4), (10.0, 90.6)),
        "Russia and Turkey opened with their own positions: ceasefire 80, transition 20 "
        "against ceasefire 10, transition 91.",
    ),
    (
        ("conceded", 1, 0, 0.8, 0.8449, (24.2, 50.0)),
        "Turkey conceded (its risk 0.80, Russia's 0.84): ceasefire 24, transition 50.",
    ),
    (("met", (57.1, 49.6)), "The offers met: ceasefire 57, transition 50."),
    (("took", 2, (30.0, 70.0)), "Iran took the offer: ceasefire 30, transition 70."),
    (
        ("stuck", (45.0, 55.0)),
        "Deadlock: the side whose turn it was to concede could not without walking away; "
        + MIDPOINT,
    ),
    (
        ("out_of_turns", 100, (45.0, 55.0)),
        "Deadlock: after 100 rounds of offers the sides had not met; " + MIDPOINT,
    ),
    (
        ("alone", (45.0, 55.0)),
        "With fewer than two parties at the table, ceasefire 45, transition 55 stood.",
    ),
]


@pytest.mark.parametrize(("numbers", "words"), TOLD, ids=[n[0] for n, _ in TOLD])
def test_a_step_in_numbers_is_told_in_the_rules_words(numbers, words):
    assert tell(Step("any", numbers=numbers), NAMES, ISSUES) == words


def test_every_form_has_its_words_checked():
    assert {numbers[0] for numbers, _ in TOLD} == set(FORMS)


def test_a_step_in_words_keeps_them():
    step = Step("proposed", "Russia tabled a text: ceasefire 50.")
    assert tell(step, NAMES, ISSUES) == step.words


def test_a_table_without_names_names_actors_by_row():
    step = Step("settled", numbers=("took", 2, (30.0,)))
    assert tell(step, (), ("ceasefire",)) == "actor 2 took the offer: ceasefire 30."


def zeuthen_table() -> Table:
    """Two sides on one issue (tests/data/zeuthen_cases.yaml, "interior_positions")."""
    return Table(
        positions=np.array([[20.0], [90.0]]),
        salience=np.array([[0.8], [0.6]]),
        capability=np.ones(2),
        reservation=np.array([0.3, 0.5]),
        present=np.ones(2, bool),
        drafting=np.ones(2, bool),
        conveners=np.zeros(2, bool),
        objectors=np.ones(2, bool),
        params=model_params(min_concession=0.001),
        actor_names=("A", "B"),
        issue_ids=("issue0",),
    )


def test_alternating_offers_record_numbers_and_no_words():
    """The rule formats nothing; told, its steps are the story of the bargain: A, the less
    willing to risk a breakdown (0.80 against 0.84), concedes first, to 24.2 (as
    tests/test_protocols.py derives)."""
    table = zeuthen_table()
    steps = AlternatingOffers().negotiate(table).steps
    assert all(step.words == "" and step.numbers for step in steps)
    told = [tell(step, table.actor_names, table.issue_ids) for step in steps]
    assert told[0] == "A and B opened with their own positions: issue0 20 against issue0 90."
    assert told[1] == "A conceded (its risk 0.80, B's 0.84): issue0 24."
    # the smallest concessions approach Nash's 57.08 and run out of turns just short of it
    assert told[-1] == "Deadlock: after 100 rounds of offers the sides had not met; " + (
        "the conveners tabled the midpoint of the last offers: issue0 57."
    )


def test_a_narrated_run_tells_every_step_of_its_bargains():
    """The narrated events of alternating offers have their sentences (the run log keeps no
    empty text); ``narrate=False`` keeps no events at all."""
    scenario = with_protocol(
        load_scenario("scenarios/astana_2017.yaml").scenario, "alternating_offers"
    )
    kinds = {"offered", "conceded", "settled", "deadlocked", "proposed"}
    events = [e for e in simulate(scenario, 7, narrate=True).events if e.kind in kinds]
    assert events and all(e.text for e in events)
    conceded = [e.text for e in events if e.kind == "conceded"]
    assert conceded and all(
        re.search(r" conceded \(its risk \d\.\d\d, .+'s \d\.\d\d\): ", t) for t in conceded
    )
    assert not simulate(scenario, 7, narrate=False).events
