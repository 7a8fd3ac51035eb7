"""A run's tables as pandas DataFrames, in the shape Mesa's DataCollector gives.

``model_vars`` has one row per round played (index ``Step``, from 1); ``agent_vars`` one row
per round and actor (index ``Step``, ``AgentID`` = the actor's id), with the state the actor
brought to the round and what it did there. A Mesa user reads them as
``model.datacollector.get_model_vars_dataframe()`` and ``get_agent_vars_dataframe()``; for any
run log, ``model_vars(log)`` and ``agent_vars(log)``. pandas is imported on first use.
"""

from __future__ import annotations

from typing import Any

from .runlog import RunLog


def model_rows(log: RunLog) -> list[dict[str, Any]]:
    rows = []
    for step, outcome in enumerate(log.rounds, start=1):
        agreed = sum(outcome.agreed)
        rows.append(
            {
                "Step": step,
                "round": outcome.round_id,
                "date": outcome.date,
                "postponements": outcome.postponements,
                "delay_days": outcome.delay_days,
                "invited": len(outcome.invited),
                "attended": len(outcome.attended),
                "walked_out": len(outcome.walked_out),
                "clauses": len(outcome.agenda),
                "agreed": agreed,
                "agreed_share": agreed / len(outcome.agenda) if outcome.agenda else 0.0,
            }
        )
    return rows


def agent_rows(log: RunLog) -> list[dict[str, Any]]:
    rows = []
    for step, outcome in enumerate(log.rounds, start=1):
        r = step - 1
        invited, attended = set(outcome.invited), set(outcome.attended)
        for i, actor in enumerate(log.actor_ids):
            row: dict[str, Any] = {
                "Step": step,
                "AgentID": actor,
                "invited": actor in invited,
                "attended": actor in attended,
                "walked_out": actor in outcome.walked_out,
                "accepted_all": actor in outcome.accepted_by,
                "capability": float(log.capability[r][i]),
                "reservation": float(log.reservation[r][i]),
            }
            for j, issue in enumerate(log.issue_ids):
                row[f"position_{issue}"] = float(log.positions[r][i, j])
                row[f"salience_{issue}"] = float(log.salience[r][i, j])
            rows.append(row)
    return rows


def model_vars(log: RunLog):
    """Model-level variables per round (a ``pandas.DataFrame`` indexed by ``Step``)."""
    import pandas as pd

    frame = pd.DataFrame(model_rows(log))
    return frame.set_index("Step") if not frame.empty else frame


def agent_vars(log: RunLog):
    """Agent-level variables per round (indexed by ``Step`` and ``AgentID``)."""
    import pandas as pd

    frame = pd.DataFrame(agent_rows(log))
    return frame.set_index(["Step", "AgentID"]) if not frame.empty else frame


class RunTables:
    """DataCollector's two getters over a run log that grows as the model steps."""

    def __init__(self, log: RunLog):
        self.log = log

    def get_model_vars_dataframe(self):
        return model_vars(self.log)

    def get_agent_vars_dataframe(self):
        return agent_vars(self.log)
