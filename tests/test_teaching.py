"""docs/teaching.md's claims about the shipped scenarios, checked against real runs.

Each claim in the doc carries a marker ``<!-- claim: KEY -->``; each key has one checker here that
returns what the run shows, so a failure names the stale doc line and the run's answer. A claim
without a checker, or a checker whose claim left the doc, fails too: the two stay in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from cli_helpers import cli

from sim.engine.run import Run
from sim.model import simulate
from sim.policy import Choices
from sim.runlog import RunLog
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "teaching.md"
FLAGSHIP = ROOT / "scenarios" / "astana_2017.yaml"
COUNTERFACTUALS = ROOT / "scenarios" / "counterfactuals"
MARKER = re.compile(r"<!-- claim: ([a-z0-9-]+) -->")


@cache
def run(path: Path) -> RunLog:
    """The run a student gets: the scenario with its own seed."""
    return simulate(load_scenario(path).scenario)


def agreed(log: RunLog, round_id: str) -> set[str]:
    outcome = next(r for r in log.rounds if r.round_id == round_id)
    return {issue for issue, ok in zip(outcome.agenda, outcome.agreed, strict=True) if ok}


def final_position(log: RunLog, actor: str, issue: str) -> float:
    return float(log.positions[-1][log.actor_ids.index(actor), log.issue_ids.index(issue)])


def check_astana_1() -> tuple[bool, str]:
    found = agreed(run(FLAGSHIP), "astana_1")
    return "ceasefire" in found, f"Astana I agrees {sorted(found)}"


def check_geneva() -> tuple[bool, str]:
    log = run(FLAGSHIP)
    geneva = {r.round_id: agreed(log, r.round_id) for r in log.rounds if "geneva" in r.round_id}
    no_transition = all("transition" not in found for found in geneva.values())
    constitution = all("constitution" in found for found in geneva.values())
    return no_transition and constitution, f"Geneva agrees {geneva}"


def check_riyadh_1() -> tuple[bool, str]:
    found = agreed(run(FLAGSHIP), "riyadh_1")
    return found == {"constitution"}, f"Riyadh I agrees {sorted(found)}"


def check_flex() -> tuple[bool, str]:
    flex = run(COUNTERFACTUALS / "moscow_platform_flexible.yaml")
    neither = all("transition" not in agreed(flex, r) for r in ("riyadh_1", "riyadh_2"))
    moved = final_position(flex, "moscow_platform", "transition") - final_position(
        run(FLAGSHIP), "moscow_platform", "transition"
    )
    why = [e.text for e in flex.events if e.kind == "coalition_failed"]
    hnc_line = len(why) == 2 and all("High Negotiations Committee has declared" in w for w in why)
    ok = neither and abs(moved) > 20 and hnc_line
    return ok, f"neither Riyadh agrees transition: {neither}; moved {moved:+.1f}; why: {why}"


def meeting_facts(log: RunLog) -> list[tuple]:
    return [(r.round_id, r.date, r.attended, r.walked_out, r.agreed) for r in log.rounds]


def check_turkey() -> tuple[bool, str]:
    base, turkey = run(FLAGSHIP), run(COUNTERFACTUALS / "turkey_drops_rebels.yaml")
    same_meetings = meeting_facts(base) == meeting_facts(turkey)

    def gap(log: RunLog) -> float:
        return abs(
            final_position(log, "armed_opposition", "transition")
            - final_position(log, "government", "transition")
        )

    wider = gap(turkey) - gap(base)
    return same_meetings and wider > 0, f"meetings unchanged: {same_meetings}; gap {wider:+.1f}"


def agreed_with_hnc(attend: bool | None) -> dict[str, set[str]]:
    """What each round the HNC is invited to agrees when the class plays it (``attend``)."""
    scenario = load_scenario(FLAGSHIP).scenario
    run = Run(scenario, scenario.seed)
    while run.running:
        run.step({"hnc": Choices(attend=attend)})
    return {r.round_id: set(r.agreed_issues) for r in run.log.rounds if "hnc" in r.invited}


def check_hnc_boycott() -> tuple[bool, str]:
    model, away = agreed_with_hnc(None), agreed_with_hnc(False)
    geneva = [r for r in away if r.startswith("geneva")]
    blocked = bool(geneva) and all(not away[r] for r in geneva)
    agreed_when_came = all({"constitution", "terrorist_list"} <= model[r] for r in geneva)
    sochi = "constitution" in away.get("sochi_congress", set())
    ok = blocked and agreed_when_came and sochi
    return ok, f"HNC away: {away}; the model's HNC: {model}"


def check_second_run(out: Path) -> tuple[bool, str]:
    second = cli("run", str(FLAGSHIP), "--out", str(out))
    said = "exists already; pass --overwrite" in second.stderr
    return second.returncode == 2 and said, f"second exit {second.returncode}: {second.stderr!r}"


def check_riyadh_1_why(out: Path) -> tuple[bool, str]:
    assert cli("report", str(out)).returncode == 0
    page = (out / "handout.html").read_text()
    why = re.search(r"No single delegation: [^<]*", page)
    line = why.group(0) if why else "no 'No single delegation' line"
    declared = "red line High Negotiations Committee has declared there (at least 85)"
    ok = why is not None and declared in line
    return ok, line


CHECKS: dict[str, Callable[..., tuple[bool, str]]] = {
    "astana-1-ceasefire": check_astana_1,
    "geneva-no-transition": check_geneva,
    "riyadh-1-no-transition": check_riyadh_1,
    "flex-not-enough-at-riyadh": check_flex,
    "turkey-moves-positions-only": check_turkey,
    "hnc-boycott-blocks-geneva": check_hnc_boycott,
}
CLI_CHECKS: dict[str, Callable[[Path], tuple[bool, str]]] = {
    "second-run-refused": check_second_run,
    "riyadh-1-why": check_riyadh_1_why,
}


def doc_claims() -> dict[str, int]:
    """Each marker's key and its line in the doc."""
    lines = DOC.read_text().splitlines()
    return {m: n for n, line in enumerate(lines, 1) for m in MARKER.findall(line)}


def test_every_claim_in_the_doc_has_a_check_and_every_check_a_claim():
    assert set(doc_claims()) == set(CHECKS) | set(CLI_CHECKS)


@pytest.mark.parametrize("key", sorted(CHECKS))
def test_the_doc_claim_holds_for_the_shipped_seed(key):
    ok, shows = CHECKS[key]()
    assert ok, f"docs/teaching.md line {doc_claims()[key]} ({key}) is stale: the run shows {shows}"


@pytest.fixture(scope="module")
def class_run(tmp_path_factory) -> Path:
    """Exercise 2's first command, run once: the folder the command-line claims read."""
    out = tmp_path_factory.mktemp("teaching") / "class"
    assert cli("run", str(FLAGSHIP), "--out", str(out)).returncode == 0
    return out


@pytest.mark.parametrize("key", sorted(CLI_CHECKS))
def test_the_doc_claim_holds_on_the_command_line(key, class_run):
    ok, shows = CLI_CHECKS[key](class_run)
    assert ok, f"docs/teaching.md line {doc_claims()[key]} ({key}) is stale: the run shows {shows}"


def test_the_seed_the_doc_names_is_the_flagships():
    assert load_scenario(FLAGSHIP).scenario.seed == 7
    assert "7 for the flagship" in DOC.read_text()
