"""The engine's contract: a round is a function of an explicit state; decisions from outside
enter through ``Choices``; the Mesa face offers agents, previews and DataCollector-shaped tables."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from sim.engine.cast import Cast
from sim.engine.record import RoundRecord, Setup
from sim.engine.round import play_round
from sim.engine.run import Run
from sim.engine.state import State
from sim.model import NegotiationModel, simulate
from sim.policy import Choices
from sim.protocols import protocol
from sim.scenario import load_scenario
from sim.streams import Streams


@pytest.fixture
def mini(mini_path):
    return load_scenario(mini_path).scenario


def test_a_round_is_a_function_of_its_state(mini):
    """Same state, spec and streams: the same new state and record; the old state untouched."""
    cast = Cast.from_scenario(mini)
    setup = Setup(cast, mini.model, protocol(mini.model.protocol))
    state = State.initial(mini, cast)
    kept = state.positions.copy()
    spec = mini.schedule[0]
    played = [
        play_round(setup, state, spec, spec.planned_date, 0, Streams.from_seed(3), {})
        for _ in range(2)
    ]
    (first, record), (second, _) = played
    assert np.array_equal(state.positions, kept)
    assert np.array_equal(first.positions, second.positions)
    assert isinstance(record, RoundRecord) and record.before is state


def test_a_played_delegation_decides_its_attendance_votes_and_moves(mini):
    model = NegotiationModel(mini, seed=1)
    default = model.preview()
    stays = "reb" not in default.outcome.attended
    forced = model.preview({"reb": Choices(attend=stays)})
    assert ("reb" in forced.outcome.attended) == stays
    assert any("players decided" in e.text for e in forced.events if e.actor == "reb")
    # The preview changed nothing: the step without choices plays the default round.
    model.step()
    assert model.log_.rounds[0] == default.outcome


def test_a_rejection_by_a_required_signatory_blocks_the_clause(mini):
    model = NegotiationModel(mini, seed=1)
    spec = mini.schedule[0]
    signer = spec.signatories[0]
    clause = spec.agenda[0]
    model.play({signer: Choices(accept={clause: False})})
    outcome = model.log_.rounds[0]
    assert outcome.agreed == (False,) * len(outcome.agenda)


def test_a_played_move_sets_the_position(mini):
    model = NegotiationModel(mini, seed=1)
    first = mini.schedule[0]
    mover = next(a for a in first.invitees if a in ("gov", "reb"))
    model.negotiator(mover).play(Choices(attend=True, move={"truce": 12.5}))
    model.step()
    if mover in model.log_.rounds[0].walked_out:
        pytest.skip("the delegation walked out before it could move")
    assert model.positions[model.actor_index[mover], model.issue_index["truce"]] == 12.5
    assert model.negotiator(mover).choices is None  # used for one round only


def test_choices_refuse_positions_off_the_scale_and_unknown_actors(mini):
    with pytest.raises(ValueError, match="0-100"):
        Choices(move={"truce": 140})
    with pytest.raises(KeyError, match="nobody"):
        NegotiationModel(mini).play({"nobody": Choices(attend=True)})


def test_the_mesa_face_plays_the_same_run_as_simulate(mini):
    model = NegotiationModel(mini, seed=4)
    log = model.run()
    plain = simulate(mini, seed=4)
    assert log.rounds == plain.rounds and log.events == plain.events
    assert {a.actor_id for a in model.agents} == set(model.actor_ids)


def test_the_tables_have_the_shape_of_a_datacollector(mini):
    model = NegotiationModel(mini, seed=4)
    model.run()
    frame = model.datacollector.get_model_vars_dataframe()
    agents = model.datacollector.get_agent_vars_dataframe()
    assert frame.index.name == "Step" and list(frame.index) == list(range(1, len(frame) + 1))
    assert list(frame["round"]) == [o.round_id for o in model.log_.rounds]
    assert agents.index.names == ["Step", "AgentID"]
    assert len(agents) == len(frame) * len(model.actor_ids)
    gov, truce = model.actor_index["gov"], model.issue_index["truce"]
    assert agents.loc[(1, "gov"), "position_truce"] == model.log_.positions[0][gov, truce]


def test_a_copy_of_a_run_steps_alike_and_apart(mini):
    run = Run(mini, seed=9)
    run.step()
    twin = run.copy()
    run.step()
    twin.step()
    assert run.log.rounds == twin.log.rounds
    assert len(twin.log.rounds) == 2


def test_simulate_does_not_import_mesa():
    code = (
        "import sys; from sim.model import simulate; from sim.scenario import load_scenario;"
        "simulate(load_scenario('scenarios/astana_2017.yaml').scenario, 7);"
        "print('mesa' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
