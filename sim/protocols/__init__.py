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
from .base import Bargain, Protocol, Step, Table
from .compromise import Compromise
from .expected_utility import ExpectedUtility
from .single_text import SingleText

PROTOCOLS: dict[str, type[Protocol]] = {
    rule.name: rule for rule in (Compromise, ExpectedUtility, SingleText, AlternatingOffers)
}


def protocol(name: str) -> Protocol:
    """The rule registered under ``name`` (the scenario's ``model.protocol``)."""
    return PROTOCOLS[name]()


__all__ = ["PROTOCOLS", "Bargain", "Protocol", "Step", "Table", "protocol"]
