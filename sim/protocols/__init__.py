"""The bargaining rules a scenario can choose with ``model.protocol``; one module each.

| name                 | theory                                                           |
|----------------------|------------------------------------------------------------------|
| ``compromise``         | Achen's compromise model: capability x salience weighted mean    |
| ``expected_utility``   | Bueno de Mesquita's expected utility model (Scholz et al. 2011)  |
| ``single_text``        | Raiffa's mediated single negotiating text (the default)          |
| ``alternating_offers`` | Zeuthen's monotonic concession between the two main sides        |
"""

from __future__ import annotations

from .alternating_offers import AlternatingOffers
from .base import Bargain, Classifier, Protocol, Step, Table
from .compromise import Compromise
from .expected_utility import ExpectedUtility
from .single_text import SingleText

RULES: tuple[type[Protocol], ...] = (Compromise, ExpectedUtility, SingleText, AlternatingOffers)
"""The one list of rule classes. Each names itself from its parameter block
(``sim.rule_params``), which the scenario schema reads too (it cannot import the rules, which read
its ModelParams); tests/test_rule_contract.py checks both lists agree, in this order."""

PROTOCOLS: dict[str, type[Protocol]] = {rule.name: rule for rule in RULES}


def protocol(name: str) -> Protocol:
    """The rule registered under ``name`` (the scenario's ``model.protocol``)."""
    return PROTOCOLS[name]()


__all__ = ["PROTOCOLS", "RULES", "Bargain", "Classifier", "Protocol", "Step", "Table", "protocol"]
