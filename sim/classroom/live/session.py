"""One browser session's run: its scenario and settings, its model, and the role-play turn.

Each browser tab gets its own ``LiveSession`` (the page builds one per session), holding its own
``NegotiationModel``: two students stepping at once never see each other's rounds. The scenarios
themselves are frozen and shared through a ``Catalog``, which loads each file once.

Role-play follows the model's own order of a round. A group plays one delegation; before each
step the session asks, in turn: come or stay away? (``Stage.ATTEND``), then, with the text its
choice brings about in a preview, accept or reject each clause (``Stage.ACCEPT``), then, with the
agreement and the model's suggested moves, where to move (``Stage.MOVE``); the step plays all of
its choices at once. A preview plays the next round on a copy (``NegotiationModel.preview``), so
looking never changes the run, and the same choices give the same round when it is played.
"""

from __future__ import annotations

import enum
import io
import threading
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...history import History, load_history
from ...mesa_model import NegotiationModel, RoundPreview
from ...policy import Choices
from ...runlog import RoundOutcome
from ...scenario import Round, Scenario, load_scenario
from ...scenario.schema import ROLE_BEHAVIOUR
from .settings import ClassSettings, apply_settings


@dataclass(frozen=True)
class Case:
    """A scenario file as loaded and checked, with its record (if it names one)."""

    path: Path
    scenario: Scenario
    history: History | None
    history_bytes: bytes | None
    history_path: Path | None


class Catalog:
    """The scenario files a page offers, each loaded (and validated) once, on first use."""

    def __init__(self, paths: tuple[Path, ...]):
        if not paths:
            raise ValueError("expected at least one scenario file; found none")
        self.paths = tuple(dict.fromkeys(Path(p) for p in paths))
        self._cases: dict[Path, Case] = {}
        self._lock = threading.Lock()

    def case(self, path: Path) -> Case:
        """The loaded case; raise ``ScenarioError`` if the file (or its record) is not valid."""
        path = Path(path)
        with self._lock:
            if path not in self._cases:
                loaded = load_scenario(path)
                history, raw = None, None
                if loaded.history_path is not None:
                    history = load_history(loaded.history_path, loaded.scenario)
                    raw = loaded.history_path.read_bytes()
                self._cases[path] = Case(path, loaded.scenario, history, raw, loaded.history_path)
            return self._cases[path]


class Stage(enum.Enum):
    """What the played delegation is asked before the next step."""

    NONE = "none"  # nobody is played, or the run is over
    NOT_INVITED = "not_invited"  # the next round goes on without the played delegation
    ATTEND = "attend"
    ACCEPT = "accept"
    MOVE = "move"
    READY = "ready"  # everything decided: the next step plays it


@dataclass(frozen=True)
class Question:
    """The question of the moment with what the preview shows to answer it."""

    stage: Stage
    round: Round | None = None
    outcome: RoundOutcome | None = None  # the next round as the choices so far would play it
    suggested_attend: bool | None = None
    #: (issue id, the text's value, the model's vote) per clause the delegation votes on
    clauses: tuple[tuple[str, float, bool], ...] = ()
    #: issue id -> (position now, where the model would move it)
    moves: Mapping[str, tuple[float, float]] | None = None


class LiveSession:
    """A class's run of one scenario: change settings, step, run, reset, play a delegation."""

    def __init__(self, catalog: Catalog, path: Path | None = None):
        self.catalog = catalog
        self.choose(path if path is not None else catalog.paths[0])

    # --- the scenario and its settings ------------------------------------------------------------
    def choose(self, path: Path) -> None:
        """Switch to another scenario file, as shipped (settings cleared, nobody played)."""
        self.case = self.catalog.case(path)
        self.settings = ClassSettings()
        self.scenario = self.case.scenario
        self.played: str | None = None
        self.reset()

    def apply(self, settings: ClassSettings) -> None:
        """Run the scenario with these changes from the start; ``ScenarioError`` if invalid.

        On an error nothing changes: the class keeps the run it had.
        """
        scenario = apply_settings(self.case.scenario, settings)
        self.settings, self.scenario = settings, scenario
        if self.played is not None and self.played not in scenario.actor_ids():
            self.played = None
        self.reset()

    def reset(self) -> None:
        """Back to the first round, same scenario and settings (and the same seed)."""
        self.model = NegotiationModel(self.scenario, narrate=True)
        self._pending = Choices()
        self._asked = set()

    # --- stepping ---------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.model.running

    @property
    def current(self) -> RoundOutcome | None:
        """The round played last (the one the page tells), or ``None`` before the first."""
        rounds = self.model.log_.rounds
        return rounds[-1] if rounds else None

    def step(self) -> RoundOutcome | None:
        """Play the next round: the played delegation's choices so far, the model's elsewhere."""
        if not self.model.running:
            return None
        before = len(self.model.log_.rounds)
        if self.played is not None:
            # Through the agent, not ``model.step(choices)``: Mesa 3.5 wraps ``step`` in a
            # function that takes no argument.
            self.model.negotiator(self.played).play(self._pending)
        self.model.step()
        self._pending = Choices()
        self._asked = set()
        rounds = self.model.log_.rounds
        return rounds[-1] if len(rounds) > before else None

    def run_to_end(self) -> None:
        """Play every round left; a played delegation is left to the model from here on."""
        while self.model.running:
            self.step()

    # --- role-play --------------------------------------------------------------------------------
    def play(self, actor_id: str | None) -> None:
        """A group takes ``actor_id`` (``None``: the model plays everyone) from the next round."""
        if actor_id is not None and actor_id not in self.scenario.actor_ids():
            raise KeyError(f"no actor {actor_id!r} in {self.scenario.name}")
        self.played = actor_id
        self._pending = Choices()
        self._asked = set()

    def question(self) -> Question:
        """What the played delegation is asked now, with the preview of the next round."""
        if self.played is None or not self.model.running:
            return Question(Stage.NONE)
        preview = self._preview()
        outcome = preview.outcome
        if outcome is None or self.played not in outcome.invited:
            return Question(Stage.NOT_INVITED, preview.round, outcome)
        behaviour = ROLE_BEHAVIOUR[self.scenario.actor(self.played).role]
        if "attend" not in self._asked:
            return Question(
                Stage.ATTEND,
                preview.round,
                outcome,
                suggested_attend=self.played in outcome.attended,
            )
        present = self.played in outcome.attended and self.played not in outcome.walked_out
        if not present:
            return Question(Stage.READY, preview.round, outcome)
        if "accept" not in self._asked and behaviour.consents:
            return Question(Stage.ACCEPT, preview.round, outcome, clauses=self._clauses(preview))
        if "move" not in self._asked and behaviour.moves:
            return Question(Stage.MOVE, preview.round, outcome, moves=self._moves(preview))
        return Question(Stage.READY, preview.round, outcome)

    def decide_attend(self, attend: bool) -> None:
        self._pending = Choices(attend=attend)
        self._asked = {"attend"}

    def decide_accept(self, accept: Mapping[str, bool]) -> None:
        self._pending = Choices(attend=self._pending.attend, accept=accept)
        self._asked |= {"accept"}

    def decide_move(self, move: Mapping[str, float]) -> None:
        pending = self._pending
        self._pending = Choices(attend=pending.attend, accept=pending.accept, move=move)
        self._asked |= {"move"}

    @property
    def pending(self) -> Choices:
        return self._pending

    def _preview(self) -> RoundPreview:
        choices = {self.played: self._pending} if self.played is not None else None
        return self.model.preview(choices)

    def _round_record(self, preview: RoundPreview):
        return next(r for r in preview.records if hasattr(r, "votes"))

    def _clauses(self, preview: RoundPreview) -> tuple[tuple[str, float, bool], ...]:
        record = self._round_record(preview)
        index = self.model.actor_index[self.played]
        accepted = record.votes.accepted[index]
        outcome = preview.outcome
        return tuple(
            (issue, value, bool(vote))
            for issue, value, vote in zip(outcome.agenda, outcome.text, accepted, strict=True)
        )

    def _moves(self, preview: RoundPreview) -> dict[str, tuple[float, float]]:
        record = self._round_record(preview)
        index = self.model.actor_index[self.played]
        before, after = record.moves.before[index], record.moves.after[index]
        ids = self.model.issue_ids
        return {
            issue: (float(before[ids.index(issue)]), float(after[ids.index(issue)]))
            for issue in preview.outcome.agenda
        }

    # --- what the page draws and downloads --------------------------------------------------------
    def positions_now(self) -> np.ndarray:
        """Positions after the last round played (actors x issues, in id order)."""
        return np.asarray(self.model.positions)

    def capability_now(self) -> np.ndarray:
        return np.asarray(self.model.capability)

    def run_directory(self) -> dict[str, bytes]:
        """The session so far as the files of ``astana-sim run``'s run directory."""
        from ...output import run_files

        case, log = self.case, self.model.log_
        history = case.history
        if history is not None and self.model.running:
            # A session stopped half-way is compared with the record on the rounds it played.
            played = {outcome.round_id for outcome in log.rounds}
            events = [event for event in history.events if event.round in played]
            history = history.model_copy(update={"events": events})
        return run_files(
            log,
            self.scenario,
            history,
            case.history_bytes,
            figures=True,
            history_path=case.history_path,
        )

    def run_zip(self, folder: str = "run") -> bytes:
        """The run directory as a zip archive of one folder, for the page's download button."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(self.run_directory().items()):
                info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
        return buffer.getvalue()
