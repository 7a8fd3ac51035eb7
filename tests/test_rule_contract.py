"""Every bargaining rule keeps the promises its ``classifier`` makes, on small random tables.

In the manner of the Axelrod library's strategy tests: one contract (``RuleContract``, not
collected itself) holds the checks, and each rule gets a subclass naming it. A new rule in
``sim.protocols.RULES`` without a subclass here fails ``test_every_rule_has_a_contract``.

"Changes nothing" compares the text, the positions and each step's kind, actor and issue: the
words of a step may name the conveners (who tabled the text) whatever the rule.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import ClassVar, get_args

import numpy as np
import pytest
from flat_params import model_params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.protocols import PROTOCOLS, RULES, Bargain, Classifier, Protocol, Table
from sim.protocols.alternating_offers import AlternatingOffers
from sim.protocols.compromise import Compromise
from sim.protocols.expected_utility import ExpectedUtility
from sim.protocols.single_text import SingleText
from sim.rule_params import MOVED_KEYS, RULE_PARAMS, RuleParams
from sim.scenario import ModelParams
from sim.scenario.schema import PROTOCOL_NAMES, ProtocolName

MODEL_MD = Path(__file__).resolve().parent.parent / "docs" / "model.md"
# Each subclass runs the contract's tests from its own instance, which hypothesis flags as
# "differing executors"; the tests keep no state on the instance, so the flag does not apply.
FEW = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
)
unit = st.floats(0.0, 1.0, allow_nan=False)
scale = st.floats(0.0, 100.0, allow_nan=False)


@st.composite
def tables(draw) -> Table:
    """A small table: 2-6 actors on 1-3 issues, at least one drafting; conveners, objectors
    (drafters who must sign) and patrons drawn at random; the rules' parameters varied too."""
    n, m = draw(st.integers(2, 6)), draw(st.integers(1, 3))
    grid = st.lists(scale, min_size=m, max_size=m)
    present = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    drafting = present & np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    first = draw(st.integers(0, n - 1))
    present[first] = drafting[first] = True
    flags = st.lists(st.booleans(), min_size=n, max_size=n)
    patrons = [draw(st.sampled_from([-1] + [k for k in range(n) if k != i])) for i in range(n)]
    params = model_params(
        convener_weight=draw(st.floats(0.0, 5.0)),
        max_drafts=draw(st.integers(1, 6)),
        redraft_step=draw(unit),
        patron_pull=draw(st.floats(0.0, 0.5)),
        max_offers=draw(st.integers(1, 30)),
        min_concession=draw(st.floats(0.01, 1.0)),
        challenge_rounds=draw(st.integers(1, 4)),
    )
    return Table(
        positions=np.array([draw(grid) for _ in range(n)]),
        salience=np.array([draw(st.lists(unit, min_size=m, max_size=m)) for _ in range(n)]),
        capability=np.array(draw(st.lists(unit, min_size=n, max_size=n))),
        reservation=np.array(draw(st.lists(st.floats(0.0, 0.9), min_size=n, max_size=n))),
        present=present,
        drafting=drafting,
        conveners=present & np.array(draw(flags)),
        objectors=drafting & np.array(draw(flags)),
        params=params,
        actor_names=tuple(f"a{i}" for i in range(n)),
        issue_ids=tuple(f"i{j}" for j in range(m)),
        patron=np.array(patrons),
    )


def copied(table: Table) -> Table:
    """The same table with fresh arrays: a rule may not depend on (or leave marks in) them."""
    arrays = {
        key: value.copy() for key, value in vars(table).items() if isinstance(value, np.ndarray)
    }
    return replace(table, **arrays)


def outcome(bargain: Bargain) -> tuple:
    """What "changes nothing" compares: the text, the positions, the steps but for their words."""
    positions = None if bargain.positions is None else bargain.positions.tolist()
    steps = [(step.kind, step.actor, step.issue) for step in bargain.steps]
    return bargain.text.tolist(), positions, steps


class RuleContract:
    """The checks every rule passes; subclasses name the rule (``rule = SingleText``)."""

    rule: ClassVar[type[Protocol]]

    def bargain(self, table: Table) -> Bargain:
        return self.rule().negotiate(table)

    def test_declares_itself(self):
        assert isinstance(self.rule.classifier, Classifier)
        assert self.rule.classifier.parties in ("all", "two_sides")
        assert PROTOCOLS[self.rule.name] is self.rule
        assert self.rule.citation.strip() == self.rule.citation and self.rule.citation

    def test_declares_its_own_parameters(self):
        # Its block sits under its name in model:, defaults valid, unknown keys refused.
        assert issubclass(self.rule.params, RuleParams) and self.rule.params.rule == self.rule.name
        assert isinstance(getattr(ModelParams(), self.rule.name), self.rule.params)
        with pytest.raises(ValidationError):
            ModelParams(**{self.rule.name: {"no_such_parameter": 1}})
        for key in self.rule.params.model_fields:
            assert MOVED_KEYS[key] == self.rule.name
            assert key not in ModelParams.model_fields  # no flat copy left in model:

    def test_docs_state_the_name_and_citation_verbatim(self):
        docs = MODEL_MD.read_text()
        assert f"### `{self.rule.name}`" in docs
        assert self.rule.citation in docs

    @FEW
    @given(tables())
    def test_deterministic(self, table):
        if not self.rule.classifier.deterministic:
            return
        once, twice = self.bargain(table), self.bargain(copied(table))
        np.testing.assert_array_equal(once.text, twice.text)
        assert once.steps == twice.steps
        assert outcome(once) == outcome(twice)

    @FEW
    @given(tables())
    def test_positions_move_only_if_declared(self, table):
        bargain = self.bargain(table)
        if not self.rule.classifier.moves_positions:
            assert bargain.positions is None
            return
        assert bargain.positions is not None
        assert bargain.positions.shape == table.positions.shape
        assert np.all((bargain.positions >= 0.0) & (bargain.positions <= 100.0))

    @FEW
    @given(tables())
    def test_only_the_declared_parties_act(self, table):
        actors = {step.actor for step in self.bargain(table).steps if step.actor is not None}
        assert all(table.drafting[actor] for actor in actors)
        if self.rule.classifier.parties == "two_sides":
            assert len(actors) <= 2

    @FEW
    @given(tables())
    def test_the_text_lies_within_the_drafters_positions(self, table):
        text = self.bargain(table).text
        drafters = table.positions[table.drafting]
        assert text.shape == (table.positions.shape[1],)
        slack = 1e-9
        assert np.all(text >= drafters.min(axis=0) - slack)
        assert np.all(text <= drafters.max(axis=0) + slack)

    @FEW
    @given(tables())
    def test_patrons_matter_only_if_declared(self, table):
        if self.rule.classifier.uses_patrons:
            return
        orphans = replace(table, patron=np.full_like(table.patron, -1))
        assert outcome(self.bargain(table)) == outcome(self.bargain(orphans))
        assert outcome(self.bargain(table)) == outcome(self.bargain(replace(table, patron=None)))

    @FEW
    @given(tables(), st.data())
    def test_conveners_matter_only_if_declared(self, table, data):
        if self.rule.classifier.uses_conveners:
            return
        n = table.present.size
        others = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        moved = replace(table, conveners=table.present & others)
        assert outcome(self.bargain(table)) == outcome(self.bargain(moved))
        # The forecast before the round obeys the same promise.
        np.testing.assert_array_equal(self.rule().forecast(table), self.rule().forecast(moved))


class TestCompromise(RuleContract):
    rule = Compromise


class TestExpectedUtility(RuleContract):
    rule = ExpectedUtility


class TestSingleText(RuleContract):
    rule = SingleText


class TestAlternatingOffers(RuleContract):
    rule = AlternatingOffers


def test_every_rule_has_a_contract():
    contracted = {cls.rule for cls in RuleContract.__subclasses__()}
    assert contracted == set(RULES)


def test_the_schema_allows_exactly_the_registered_rules():
    # The names are written once, in sim.rule_params; the schema and the classes read them there.
    assert tuple(rule.params for rule in RULES) == RULE_PARAMS
    assert (
        get_args(ProtocolName)
        == PROTOCOL_NAMES
        == tuple(PROTOCOLS)
        == tuple(rule.name for rule in RULES)
    )


def test_each_rule_section_of_the_docs_states_its_citation():
    # Each citation sits in its own rule's section, not merely somewhere on the page.
    sections = re.split(r"^### ", MODEL_MD.read_text(), flags=re.M)
    for rule in RULES:
        (section,) = [s for s in sections if s.startswith(f"`{rule.name}`")]
        assert rule.citation in section, rule.name


def test_the_docs_table_of_properties_matches_the_classifiers():
    words = {True: "yes", False: "no"}
    rows = re.findall(r"^\| `(\w+)` \|(.*)\|$", MODEL_MD.read_text(), flags=re.M)
    documented = {name: [cell.strip() for cell in cells.split("|")] for name, cells in rows}
    for rule in RULES:
        c = rule.classifier
        declared = [
            words[c.deterministic],
            words[c.moves_positions],
            c.parties,
            words[c.uses_patrons],
            words[c.uses_conveners],
        ]
        assert documented[rule.name] == declared, rule.name
