"""The live page in Panel and Bokeh: the controls, the three pictures, the role-play questions.

``build_page(catalog, path)`` makes one browser session's page around its own ``LiveSession``;
the server calls it once per session. Everything the page shows is computed by ``views`` and
``session`` (tested without a browser); this module only lays it out and wires the buttons. Each
element a test or a teacher's script needs has a CSS class ``demo-...``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, HoverTool
from bokeh.plotting import figure

from ...scenario import ScenarioError
from ...scenario.schema import PROTOCOL_NAMES
from .session import Catalog, LiveSession, Stage
from .settings import NO_PATRON
from .views import issue_space, round_story, timeline

# Okabe-Ito: colour-blind safe, and readable on a projector.
ALL_AGREED, SOME_AGREED, NONE_AGREED, RECORD = "#0072B2", "#E69F00", "#D55E00", "#000000"
NOBODY = "(nobody: the model plays every delegation)"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


class Page:
    """One session's page: the widgets, the figures and their data sources."""

    def __init__(self, catalog: Catalog, path: Path, labels: dict[str, Path]):
        self.session = LiveSession(catalog, path)
        self.labels = labels
        self._build_controls()
        self._build_figures()
        self._build_roleplay()
        self._wire()
        self.refresh_scenario()

    # --- layout -----------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        """The run's buttons and the class settings' inputs.

        Over 40 lines because it declares one widget per control, each with its label and CSS
        class: a list that reads best in one place.
        """
        label = next(k for k, v in self.labels.items() if v == self.session.case.path)
        self.scenario_select = pn.widgets.Select(
            label="Scenario", options=list(self.labels), value=label, css_classes=["demo-scenario"]
        )
        self.seed = pn.widgets.IntInput(label="Seed", start=0, css_classes=["demo-seed"])
        self.rule = pn.widgets.Select(
            label="Bargaining rule", options=list(PROTOCOL_NAMES), css_classes=["demo-rule"]
        )
        self.actor = pn.widgets.Select(label="Actor", css_classes=["demo-actor"])
        self.reservation = pn.widgets.FloatSlider(
            label="Walk-away value (reservation)",
            start=0,
            end=1,
            step=0.01,
            css_classes=["demo-reservation"],
        )
        self.salience_issue = pn.widgets.Select(
            label="Salience of issue", css_classes=["demo-sal-issue"]
        )
        self.salience = pn.widgets.FloatSlider(
            label="Salience", start=0, end=1, step=0.01, css_classes=["demo-salience"]
        )
        self.patron = pn.widgets.Select(label="Patron", css_classes=["demo-patron"])
        self.invite_round = pn.widgets.Select(
            label="Invitations to round", css_classes=["demo-inv-round"]
        )
        self.invitees = pn.widgets.MultiChoice(
            label="Invited (besides the conveners)", css_classes=["demo-invitees"]
        )
        self.apply_button = pn.widgets.Button(
            label="Apply changes (restarts the run)",
            color="primary",
            css_classes=["demo-apply"],
        )
        self.step_button = pn.widgets.Button(
            label="Step one round", color="success", css_classes=["demo-step"]
        )
        self.run_button = pn.widgets.Button(label="Run to the end", css_classes=["demo-run"])
        self.reset_button = pn.widgets.Button(label="Reset", css_classes=["demo-reset"])
        self.message = pn.pane.HTML("", css_classes=["demo-message"], sizing_mode="stretch_width")
        self.download = pn.widgets.FileDownload(
            callback=lambda: io.BytesIO(self.session.run_zip(self._folder())),
            filename="run.zip",
            label="Download this session as a run directory (.zip)",
            css_classes=["demo-download"],
        )

    def _build_figures(self) -> None:
        self._build_space()
        self._build_timeline()
        self.story = pn.pane.HTML("", css_classes=["demo-narrative"], sizing_mode="stretch_width")
        self.status = pn.pane.HTML("", css_classes=["demo-status"], sizing_mode="stretch_width")

    def _build_space(self) -> None:
        """The issue-space figure: actors sized by capability, their trails, the latest text.

        Over 40 lines because each Bokeh glyph and its styling is a statement of its own.
        """
        self.x_issue = pn.widgets.Select(label="Horizontal issue", css_classes=["demo-x"])
        self.y_issue = pn.widgets.Select(label="Vertical issue", css_classes=["demo-y"])
        self.space_points = ColumnDataSource(dict(x=[], y=[], size=[], name=[]))
        self.space_trails = ColumnDataSource(dict(xs=[], ys=[]))
        self.space_text = ColumnDataSource(dict(x=[], y=[], label=[]))
        space = figure(
            height=430,
            sizing_mode="stretch_width",
            x_range=(-5, 105),
            y_range=(-5, 105),
            tools="pan,wheel_zoom,reset,save",
            toolbar_location="above",
        )
        space.multi_line("xs", "ys", source=self.space_trails, color="#999999", line_width=1.5)
        dots = space.scatter(
            "x",
            "y",
            size="size",
            source=self.space_points,
            fill_color=ALL_AGREED,
            fill_alpha=0.45,
            line_color=ALL_AGREED,
        )
        space.text(
            "x",
            "y",
            text="name",
            source=self.space_points,
            text_font_size="13px",
            x_offset=8,
            y_offset=-4,
        )
        space.scatter(
            "x",
            "y",
            source=self.space_text,
            marker="star",
            size=22,
            fill_color=SOME_AGREED,
            line_color=RECORD,
            legend_label="latest text",
        )
        space.add_tools(
            HoverTool(renderers=[dots], tooltips=[("", "@name"), ("x", "@x{0}"), ("y", "@y{0}")])
        )
        space.axis.axis_label_text_font_size = "15px"
        space.axis.major_label_text_font_size = "13px"
        space.legend.orientation = "horizontal"
        space.add_layout(space.legend[0], "above")
        self.space = space

    def _build_timeline(self) -> None:
        """The timeline figure: planned, recorded and model dates of every scheduled round.

        Over 40 lines because each Bokeh glyph and its styling is a statement of its own.
        """
        self.tl_model = ColumnDataSource(dict(x=[], y=[], color=[], summary=[]))
        self.tl_record = ColumnDataSource(dict(x=[], y=[], summary=[]))
        self.tl_planned = ColumnDataSource(dict(x=[], y=[], summary=[]))
        line = figure(
            height=470,
            sizing_mode="stretch_width",
            x_axis_type="datetime",
            y_range=[""],
            tools="xpan,xwheel_zoom,reset,save",
            toolbar_location="above",
        )
        line.scatter(
            "x",
            "y",
            source=self.tl_planned,
            size=10,
            fill_color=None,
            line_color="#777777",
            legend_label="planned",
        )
        line.scatter(
            "x",
            "y",
            source=self.tl_record,
            marker="diamond",
            size=15,
            fill_color=None,
            line_color=RECORD,
            line_width=2,
            legend_label="record",
        )
        model = line.scatter(
            "x",
            "y",
            source=self.tl_model,
            size=13,
            fill_color="color",
            line_color="color",
            legend_label="model",
        )
        line.add_tools(HoverTool(renderers=[model], tooltips="@y: @summary"))
        line.yaxis.major_label_text_font_size = "13px"
        line.xaxis.major_label_text_font_size = "13px"
        line.legend.orientation = "horizontal"
        line.add_layout(line.legend[0], "above")
        self.line = line
        self.timeline_table = pn.pane.HTML(
            "", css_classes=["demo-timeline"], sizing_mode="stretch_width"
        )

    def _build_roleplay(self) -> None:
        self.played = pn.widgets.Select(
            label="Delegation played by the class", css_classes=["demo-played"]
        )
        self.question = pn.pane.HTML("", css_classes=["demo-question"], sizing_mode="stretch_width")
        self.come = pn.widgets.Button(
            label="Come to the table", color="success", css_classes=["demo-come"]
        )
        self.stay = pn.widgets.Button(label="Stay away", color="danger", css_classes=["demo-stay"])
        self.votes = pn.widgets.CheckBoxGroup(
            label="Accept these clauses", css_classes=["demo-votes"]
        )
        self.vote_button = pn.widgets.Button(
            label="Cast the votes", color="primary", css_classes=["demo-vote"]
        )
        self.move_column = pn.Column(css_classes=["demo-moves"])
        self.move_button = pn.widgets.Button(
            label="Move and play the round", color="primary", css_classes=["demo-move"]
        )
        self.answers = pn.Column(sizing_mode="stretch_width")

    def layout(self) -> pn.viewable.Viewable:
        controls = pn.Column(
            "## The run",
            self.scenario_select,
            self.step_button,
            self.run_button,
            self.reset_button,
            self.download,
            "## Change the scenario",
            self.seed,
            self.rule,
            self.actor,
            self.reservation,
            self.salience_issue,
            self.salience,
            self.patron,
            self.invite_round,
            self.invitees,
            self.apply_button,
            self.message,
            width=340,
        )
        roleplay = pn.Column("## Role-play", self.played, self.question, self.answers, width=340)
        pictures = pn.Column(
            self.status,
            pn.Row(self.x_issue, self.y_issue),
            pn.pane.Bokeh(self.space, sizing_mode="stretch_width"),
            "### The rounds on their dates: model against record",
            pn.pane.HTML(
                f"Model dots: <b style='color:{ALL_AGREED}'>&#9679; all agreed</b>, "
                f"<b style='color:{SOME_AGREED}'>&#9679; some agreed</b>, "
                f"<b style='color:{NONE_AGREED}'>&#9679; nothing agreed</b>; "
                "&#9671; the record's date; &#9675; the planned date."
            ),
            pn.pane.Bokeh(self.line, sizing_mode="stretch_width"),
            self.timeline_table,
            sizing_mode="stretch_width",
        )
        story = pn.Column("## This round", self.story, width=420)
        return pn.Row(pn.Column(controls, roleplay), pictures, story, sizing_mode="stretch_width")

    # --- wiring -----------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.scenario_select.param.watch(lambda e: self._guard(self._choose, e.new), "value")
        self.actor.param.watch(lambda e: self._show_actor(), "value")
        self.salience_issue.param.watch(lambda e: self._show_actor(), "value")
        self.invite_round.param.watch(lambda e: self._show_invitees(), "value")
        self.apply_button.on_click(lambda e: self._guard(self._apply))
        self.step_button.on_click(lambda e: self._guard(self._step))
        self.run_button.on_click(lambda e: self._guard(self._run))
        self.reset_button.on_click(lambda e: self._guard(self._reset))
        self.x_issue.param.watch(lambda e: self.refresh(), "value")
        self.y_issue.param.watch(lambda e: self.refresh(), "value")
        self.played.param.watch(lambda e: self._guard(self._play, e.new), "value")
        self.come.on_click(lambda e: self._guard(self._attend, True))
        self.stay.on_click(lambda e: self._guard(self._attend, False))
        self.vote_button.on_click(lambda e: self._guard(self._vote))
        self.move_button.on_click(lambda e: self._guard(self._move))

    def _guard(self, action, *args) -> None:
        """Run a button's action; a refused change is shown on the page, never raised."""
        try:
            action(*args)
        except ScenarioError as exc:
            self.message.object = (
                "<div style='color:#D55E00'><b>Not applied:</b><br>"
                + "<br>".join(_escape(str(p)) for p in exc.problems)
                + "</div>"
            )

    def _choose(self, label: str) -> None:
        self.session.choose(self.labels[label])
        self.refresh_scenario()

    def _apply(self) -> None:
        from .settings import ClassSettings

        s, actor, issue = self.session, self.actor.value, self.salience_issue.value
        base = s.case.scenario
        changes = ClassSettings(
            reservation=dict(s.settings.reservation),
            salience=dict(s.settings.salience),
            patron=dict(s.settings.patron),
            invitees=dict(s.settings.invitees),
        )
        update: dict = {"seed": int(self.seed.value), "protocol": self.rule.value}
        if actor:
            if self.reservation.value != s.scenario.actor(actor).reservation:
                update["reservation"] = {actor: float(self.reservation.value)}
            if issue and self.salience.value != s.scenario.actor(actor).salience[issue]:
                update["salience"] = {(actor, issue): float(self.salience.value)}
            patron = "" if self.patron.value == NO_PATRON else self.patron.value
            if (patron or None) != s.scenario.actor(actor).patron:
                update["patron"] = {actor: patron}
        round_id = self.invite_round.value
        if round_id:
            spec = next(r for r in s.scenario.schedule if r.id == round_id)
            if list(self.invitees.value) != [a for a in spec.invitees if a not in spec.conveners]:
                update["invitees"] = {round_id: tuple(self.invitees.value)}
        if update["seed"] == base.seed:
            update["seed"] = None
        if update["protocol"] == base.model.protocol:
            update["protocol"] = None
        s.apply(changes.changed(**update))
        self.message.object = "Applied: the run starts again from the first round."
        self.refresh()

    def _step(self) -> None:
        self.session.step()
        self.refresh()

    def _run(self) -> None:
        self.session.run_to_end()
        self.refresh()

    def _reset(self) -> None:
        self.session.reset()
        self.message.object = "Reset: back to the first round."
        self.refresh()

    def _play(self, label: str) -> None:
        ids = {a.name: a.id for a in self.session.scenario.actors}
        self.session.play(ids.get(label))
        self.refresh()

    def _attend(self, come: bool) -> None:
        self.session.decide_attend(come)
        self._after_decision()

    def _vote(self) -> None:
        clauses = self.session.question().clauses
        chosen = set(self.votes.value)
        self.session.decide_accept(
            {issue: self._clause_label(issue, v) in chosen for issue, v, _ in clauses}
        )
        self._after_decision()

    def _move(self) -> None:
        moves = {w.issue_id: float(w.value) for w in self.move_column.objects}
        self.session.decide_move(moves)
        self.session.step()
        self.refresh()

    def _after_decision(self) -> None:
        if self.session.question().stage is Stage.READY:
            self.session.step()
        self.refresh()

    # --- drawing ---------------------------------------------------------------------------
    def refresh_scenario(self) -> None:
        """Fill the controls from the scenario now chosen; then draw."""
        s = self.session.scenario
        self.seed.value = s.seed
        self.rule.value = s.model.protocol
        self.actor.options = {a.name: a.id for a in s.actors}
        self.actor.value = s.actors[0].id
        self.salience_issue.options = {i.name: i.id for i in s.issues}
        self.salience_issue.value = s.issues[0].id
        self.invite_round.options = {r.name: r.id for r in s.schedule}
        self.invite_round.value = s.schedule[0].id
        issues = {i.name: i.id for i in s.issues}
        self.x_issue.options = self.y_issue.options = issues
        self.x_issue.value = s.issues[0].id
        self.y_issue.value = s.issues[1].id if len(s.issues) > 1 else s.issues[0].id
        self.played.options = [NOBODY, *(a.name for a in s.actors)]
        self.played.value = NOBODY
        self.message.object = ""
        self._show_actor()
        self._show_invitees()
        self.refresh()

    def _show_actor(self) -> None:
        s = self.session.scenario
        if not self.actor.value or not self.salience_issue.value:
            return
        actor = s.actor(self.actor.value)
        self.reservation.value = actor.reservation
        self.salience.value = actor.salience[self.salience_issue.value]
        others = {a.name: a.id for a in s.actors if a.id != actor.id}
        self.patron.options = {"(no patron)": NO_PATRON, **others}
        self.patron.value = actor.patron or NO_PATRON

    def _show_invitees(self) -> None:
        s = self.session.scenario
        spec = next((r for r in s.schedule if r.id == self.invite_round.value), None)
        if spec is None:
            return
        self.invitees.options = {a.name: a.id for a in s.actors if a.id not in spec.conveners}
        self.invitees.value = [a for a in spec.invitees if a not in spec.conveners]

    def refresh(self) -> None:
        """Redraw everything from the session: status, pictures, story, role-play question."""
        s = self.session
        log, scenario = s.model.log_, s.scenario
        played, total = len(log.rounds), len(scenario.schedule)
        state = "the run is over" if not s.running else "next: step one round"
        self.status.object = (
            f"<b>{_escape(scenario.name)}</b>, seed {scenario.seed}, rule "
            f"<code>{scenario.model.protocol}</code>: <span class='demo-played-count'>{played} of "
            f"{total} rounds played</span>; {state}."
        )
        self._draw_space()
        self._draw_timeline()
        current = s.current
        if current is None:
            self.story.object = "<p>No round played yet: press <b>Step one round</b>.</p>"
        else:
            self.story.object = _story_html(round_story(log, scenario, current.round_id))
        self._draw_question()

    def _draw_space(self) -> None:
        s = self.session
        if not self.x_issue.value or not self.y_issue.value:
            return
        space = issue_space(
            s.model.log_,
            s.scenario,
            s.positions_now(),
            s.capability_now(),
            self.x_issue.value,
            self.y_issue.value,
        )
        self.space_points.data = dict(
            x=space.x.tolist(),
            y=space.y.tolist(),
            size=(8 + 40 * np.sqrt(space.capability)).tolist(),
            name=list(space.names),
        )
        self.space_trails.data = dict(xs=space.trail_x.tolist(), ys=space.trail_y.tolist())
        tx, ty = space.text
        self.space_text.data = (
            dict(x=[tx], y=[ty], label=["latest text"])
            if tx is not None and ty is not None
            else dict(x=[], y=[], label=[])
        )
        names = {i.id: i.name for i in s.scenario.issues}
        self.space.xaxis.axis_label = names[space.x_issue]
        self.space.yaxis.axis_label = names[space.y_issue]

    def _draw_timeline(self) -> None:
        s = self.session
        rows = timeline(s.model.log_, s.scenario, s.case.history)
        self.line.y_range.factors = [r.name for r in reversed(rows)]
        model = [r for r in rows if r.model_date is not None]
        self.tl_model.data = dict(
            x=[_ms(r.model_date) for r in model],
            y=[r.name for r in model],
            color=[_agreement_colour(s, r.round_id) for r in model],
            summary=[r.summary for r in model],
        )
        record = [r for r in rows if r.record_date is not None]
        self.tl_record.data = dict(
            x=[_ms(r.record_date) for r in record],
            y=[r.name for r in record],
            summary=[r.summary for r in record],
        )
        self.tl_planned.data = dict(
            x=[_ms(r.planned) for r in rows],
            y=[r.name for r in rows],
            summary=[r.summary for r in rows],
        )
        body = "".join(
            f"<tr><td>{_escape(r.name)}</td><td>{r.model_date or '-'}</td>"
            f"<td>{r.record_date or '-'}</td><td>{_escape(r.summary)}</td></tr>"
            for r in model
        )
        self.timeline_table.object = (
            "<table style='font-size:14px'><tr><th>round</th><th>model</th><th>record</th>"
            f"<th>agreed</th></tr>{body}</table>"
            if model
            else "<p>No round played yet.</p>"
        )

    def _draw_question(self) -> None:
        """The role-play question of the moment and the inputs that answer it.

        Over 40 lines because it has one short branch per stage of a round (not invited, come or
        stay, the clauses, the moves, ready), which read best side by side.
        """
        question = self.session.question()
        names = {i.id: i.name for i in self.session.scenario.issues}
        spec = question.round
        where = f"<b>{_escape(spec.name)}</b> ({spec.planned_date})" if spec else ""
        stage = question.stage
        if stage is Stage.NONE:
            self.question.object = (
                "<p>Choose a delegation for the class to play; the model plays the others.</p>"
                if self.session.running
                else "<p>The run is over.</p>"
            )
            self.answers.objects = []
        elif stage is Stage.NOT_INVITED:
            self.question.object = f"<p>Your delegation is not invited to {where}: step on.</p>"
            self.answers.objects = []
        elif stage is Stage.ATTEND:
            hint = "come" if question.suggested_attend else "stay away"
            self.question.object = (
                f"<p class='demo-ask'>{where}: do you come or stay away? "
                f"(the model would {hint})</p>"
            )
            self.answers.objects = [pn.Row(self.come, self.stay)]
        elif stage is Stage.ACCEPT:
            self.question.object = (
                f"<p class='demo-ask'>{where}: the text on the table. "
                "Tick the clauses you accept.</p>"
            )
            labels = [self._clause_label(i, v) for i, v, _ in question.clauses]
            self.votes.options = labels
            self.votes.value = [self._clause_label(i, v) for i, v, ok in question.clauses if ok]
            self.answers.objects = [self.votes, self.vote_button]
        elif stage is Stage.MOVE:
            agreed = question.outcome.agreed_issues
            said = ", ".join(names[i] for i in agreed) if agreed else "nothing"
            self.question.object = (
                f"<p class='demo-ask'>{where}: with your votes the round agrees {_escape(said)}. "
                "Where do you move? (set to the model's suggestion)</p>"
            )
            sliders = []
            for issue, (now, suggested) in question.moves.items():
                slider = pn.widgets.FloatSlider(
                    label=f"{names[issue]} (now {now:.0f})",
                    start=0,
                    end=100,
                    step=1,
                    value=round(suggested, 1),
                )
                slider.issue_id = issue
                sliders.append(slider)
            self.move_column.objects = sliders
            self.answers.objects = [self.move_column, self.move_button]
        else:
            self.question.object = f"<p>{where}: your choices are in; step to play the round.</p>"
            self.answers.objects = []

    def _clause_label(self, issue: str, value: float) -> str:
        names = {i.id: i.name for i in self.session.scenario.issues}
        return f"{names[issue]}: {value:.0f}"

    def _folder(self) -> str:
        s = self.session.scenario
        return f"{self.session.case.path.stem}_seed{s.seed}"


def _ms(day: dt.date) -> float:
    """Bokeh's datetime axis counts milliseconds since 1970."""
    return (day - dt.date(1970, 1, 1)).days * 86_400_000.0


def _agreement_colour(session: LiveSession, round_id: str) -> str:
    outcome = session.model.log_.outcome(round_id)
    if outcome.agreed and all(outcome.agreed):
        return ALL_AGREED
    return SOME_AGREED if any(outcome.agreed) else NONE_AGREED


def _story_html(story) -> str:
    before = "".join(f"<li><i>{_escape(t)}</i></li>" for t in story.before)
    key = "".join(f"<li>{_escape(t)}</li>" for t in story.key)
    full = "".join(f"<li>{_escape(t)}</li>" for t in story.narrative)
    return (
        f"<h3 class='demo-round-title'>{_escape(story.title)}</h3>"
        f"<p class='demo-why'><b>{_escape(story.why)}</b></p>"
        + (f"<p>Before the round:</p><ul>{before}</ul>" if before else "")
        + f"<p>What was said:</p><ul>{key}</ul>"
        + f"<details><summary>The full narrative ({len(story.narrative)} sentences)</summary>"
        f"<ul>{full}</ul></details>"
    )


def build_page(catalog: Catalog, path: Path, labels: dict[str, Path]) -> pn.viewable.Viewable:
    """A new page with its own session: the server calls this once per browser session."""
    return Page(catalog, path, labels).layout()
