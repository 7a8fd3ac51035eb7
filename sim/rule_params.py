"""Each bargaining rule's own parameters: one frozen block per rule, under its name in ``model:``.

This module sits below both the scenario schema and the rules: the schema builds its ``model:``
block from ``RULE_PARAMS`` and the rule classes (``sim.protocols``) declare their block from it,
so neither imports the other and each rule's name is written once, here, as ``rule``.
``tests/test_rule_contract.py`` checks that ``sim.protocols.RULES`` declares these blocks in
this order. The constraints repeat the schema's (strict numbers, no NaN) on purpose: a block is
validated on its own, with the same errors as any other field.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

_Share = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]


class RuleParams(BaseModel):
    """The parameters of one rule; ``rule`` is the name a scenario gives in ``model.protocol``."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, allow_inf_nan=False)
    rule: ClassVar[str]


class CompromiseParams(RuleParams):
    """Achen's compromise has no parameters of its own: the weights are capability x salience."""

    rule = "compromise"


class ExpectedUtilityParams(RuleParams):
    """Scholz et al. (2011): rounds of challenges per meeting and the two risk constants."""

    rule = "expected_utility"
    challenge_rounds: Annotated[int, Field(strict=True, ge=1, le=50)] = 1
    eu_q: _Share = 1.0
    eu_t: _Share = 1.0


class SingleTextParams(RuleParams):
    """Raiffa's single text: how many drafts, and how far each redraft moves to the objectors."""

    rule = "single_text"
    max_drafts: Annotated[int, Field(strict=True, ge=1, le=50)] = 6
    redraft_step: _Share = 0.35


class AlternatingOffersParams(RuleParams):
    """Zeuthen's bargain: how many turns of offers, and the smallest concession (share of gap)."""

    rule = "alternating_offers"
    max_offers: Annotated[int, Field(strict=True, ge=1, le=1000)] = 100
    min_concession: Annotated[float, Field(strict=True, ge=0.001, le=1.0)] = 0.1


RULE_PARAMS: tuple[type[RuleParams], ...] = (
    CompromiseParams,
    ExpectedUtilityParams,
    SingleTextParams,
    AlternatingOffersParams,
)
"""The rules, in the order of ``sim.protocols.RULES``: the one place their names are written."""

RULE_NAMES: tuple[str, ...] = tuple(block.rule for block in RULE_PARAMS)

MOVED_KEYS: dict[str, str] = {
    key: block.rule for block in RULE_PARAMS for key in block.model_fields
}
"""Each rule parameter that used to sit flat in ``model:`` (before 2026-12), and its block now:
an old key is an error that names the new place (``sim.scenario.loader``)."""
