"""The figures and console tables: readable, whole, colour-blind safe, in the scenario's order.

The colour distances are measured in CAM02-UCS (colorspacious), where a Euclidean distance of
about 1 is a just-noticeable difference, for normal vision and full deuteranopia, protanopia and
tritanopia as colorspacious simulates them (Machado et al. 2009).
"""

from __future__ import annotations

import itertools
import re

import matplotlib
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.text import Text

from sim.comparison import compare_protocols
from sim.history import load_history
from sim.model import simulate
from sim.output.fig_history import MIN_DELAY_SPAN, delay_limits
from sim.output.figures import (
    ensemble_history_figure,
    history_figure,
    positions_figure,
    protocol_comparison_figure,
)
from sim.output.layout import spread, wrap
from sim.output.palette import COLORS, line_styles
from sim.report import round_table, table
from sim.scenario import load_scenario
from sim.wording import plural

matplotlib.use("Agg")

MIN_DISTANCE = 10.0  # CAM02-UCS units: clearly different hues, not merely noticeable
CVD = ("deuteranomaly", "protanomaly", "tritanomaly")


@pytest.fixture(scope="module")
def mini():
    from conftest import DATA

    return load_scenario(DATA / "mini.yaml").scenario


@pytest.fixture(scope="module")
def havana():
    loaded = load_scenario("scenarios/havana/havana_2012.yaml")
    return loaded.scenario, load_history(loaded.history_path, loaded.scenario)


def _seen_as(rgb: np.ndarray, vision: str) -> np.ndarray:
    from colorspacious import cspace_convert

    if vision != "normal":
        cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
        rgb = np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


@pytest.mark.parametrize("vision", ("normal", *CVD))
def test_every_two_palette_colours_stay_apart_for_normal_and_colour_blind_vision(vision):
    seen = _seen_as(np.array([to_rgb(c) for c in COLORS]), vision)
    nearest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(seen, 2))
    assert nearest >= MIN_DISTANCE


def test_no_palette_colour_is_too_pale_to_see_on_white():
    from colorspacious import cspace_convert

    lightness = cspace_convert(np.array([to_rgb(c) for c in COLORS]), "sRGB1", "CIELab")[:, 0]
    assert lightness.max() <= 75


@given(st.integers(1, len(COLORS) * 3))
def test_line_styles_are_distinct_and_two_of_one_hue_differ_in_dash_and_marker(n):
    styles = line_styles(n)
    assert len(set(styles)) == n
    for a, b in itertools.combinations(styles, 2):
        if a.color == b.color:
            assert a.linestyle != b.linestyle and a.marker != b.marker


@given(
    st.lists(st.tuples(st.floats(-10, 110), st.floats(0.5, 12)), min_size=1, max_size=25),
)
def test_spread_labels_never_overlap_keep_their_order_and_stay_in_range_when_they_fit(labels):
    targets = np.array([t for t, _ in labels])
    sizes = np.array([s for _, s in labels])
    placed = spread(targets, sizes, -3.0, 103.0)
    order = np.argsort(targets, kind="stable")
    p, s = placed[order], sizes[order]
    assert np.all(np.diff(p) >= (s[1:] + s[:-1]) / 2 - 1e-6)
    if sizes.sum() <= 106:
        assert p[0] - s[0] / 2 >= -3 - 1e-6 and p[-1] + s[-1] / 2 <= 103 + 1e-6


@given(st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=200), st.integers(8, 60))
def test_wrap_never_cuts_a_label(text, chars):
    assert wrap(text, chars).split() == text.split()


@given(
    st.lists(st.one_of(st.none(), st.integers(-30, 400)), max_size=30),
)
def test_the_delay_axis_is_at_least_a_month_tall_and_shows_every_delay(delays):
    low, high = delay_limits(delays)
    assert high - low >= MIN_DELAY_SPAN
    assert all(low <= d <= high for d in delays if d is not None) and low < 0 < high


def _texts(figure) -> list[Text]:
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _inside_figure(figure) -> list[str]:
    """What is drawn outside the figure's edges (nothing, when every label is whole)."""
    _texts(figure)  # draws it
    renderer = figure.canvas.get_renderer()
    drawn = figure.get_tightbbox(renderer)  # in inches
    width, height = figure.get_size_inches()
    edges = [("left", drawn.x0 < -0.01), ("bottom", drawn.y0 < -0.01)]
    edges += [("right", drawn.x1 > width + 0.01), ("top", drawn.y1 > height + 0.01)]
    return [name for name, out in edges if out]


def test_positions_panels_follow_the_scenarios_issue_order_with_whole_names(mini):
    shuffled = mini.model_copy(update={"issues": list(reversed(mini.issues))})
    figure = positions_figure(simulate(shuffled), shuffled)
    texts = [t.get_text() for t in _texts(figure)]
    titles = [t for t in texts if t in {issue.name for issue in mini.issues}]
    assert titles == [issue.name for issue in shuffled.issues]
    for issue in mini.issues:  # what 0 and 100 mean, whole
        assert any(t.split() == f"100 = {issue.high}".split() for t in "\n".join(texts).split("\n"))
    flat = " ".join(" ".join(texts).split())
    for actor in mini.actors:
        assert actor.name in flat
    assert "…" not in flat and "..." not in flat
    assert _inside_figure(figure) == []


def _dated_axes(figure) -> int:
    """How many axes show date tick labels beneath them."""
    shown = 0
    for ax in figure.axes:
        labels = [t.get_text() for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
        if labels and ax.xaxis.get_tick_params()["labelbottom"]:
            shown += 1
    return shown


def test_positions_has_dates_under_every_panel_and_each_actor_labelled_at_its_line_end(havana):
    scenario, _ = havana
    figure = positions_figure(simulate(scenario), scenario)
    _texts(figure)
    assert _dated_axes(figure) == len(scenario.issues)
    for ax in figure.axes:
        direct = {t.get_text().replace("\n", " ") for t in ax.texts}
        assert {a.name for a in scenario.actors} <= direct
    assert _inside_figure(figure) == []


def _overlaps(figure, first: Text, others) -> bool:
    renderer = figure.canvas.get_renderer()
    box = first.get_window_extent(renderer)
    return any(box.overlaps(o.get_window_extent(renderer)) for o in others)


def test_the_positions_title_and_panel_titles_overprint_no_panel(havana):
    scenario, _ = havana
    figure = positions_figure(simulate(scenario), scenario)
    _texts(figure)
    renderer = figure.canvas.get_renderer()
    plots = [ax.get_window_extent(renderer) for ax in figure.axes]
    headings = [figure._suptitle] + [
        t for ax in figure.axes for t in ax.texts if t.get_fontweight() == "bold"
    ]
    for heading in headings:
        box = heading.get_window_extent(renderer)
        assert not any(box.overlaps(plot) for plot in plots), heading.get_text()


def test_history_names_rounds_and_its_legend_explains_every_colour(havana):
    scenario, history = havana
    log = simulate(scenario)
    figure = history_figure(log, scenario, history)
    texts = " ".join(t.get_text().replace("\n", " ") for t in _texts(figure))
    for round_ in scenario.schedule:
        assert round_.name in texts
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert {"record", f"model (seed {log.seed})"} <= set(legend)
    colours = set()
    for ax in figure.axes[1:]:
        for collection in ax.collections:
            faces = collection.get_facecolors()
            colours |= {tuple(np.round(c, 3)) for c in faces if c[3] > 0}
    assert len(colours) == 1  # the model's one colour (the record is hollow)
    assert _inside_figure(figure) == []


def test_the_delay_axis_of_a_run_where_nothing_slips_spans_a_month(mini):
    punctual = mini.model_copy(
        update={"model": mini.model.model_copy(update={"postpone_threshold": 0.0})}
    )
    logs = [simulate(punctual, seed) for seed in (1, 2, 3)]
    assert all(o.delay_days == 0 for log in logs for o in log.rounds)
    for figure in (
        history_figure(logs[0], punctual, None),
        ensemble_history_figure(logs, punctual, None),
    ):
        low, high = figure.axes[3].get_ylim()
        assert high - low >= MIN_DELAY_SPAN


def test_protocols_draws_each_meeting_as_markers_never_a_line_across_meetings(havana):
    scenario, history = havana
    results = compare_protocols(scenario, history, [1, 2])
    figure = protocol_comparison_figure(results, scenario, history)
    dots = figure.axes[0]
    for line in dots.get_lines():  # only the thin separators between meetings
        assert len(set(line.get_ydata())) == 1
    names = [t.get_text().replace("\n", " ") for t in dots.get_yticklabels()]
    assert names == [r.name for r in scenario.schedule]
    assert _inside_figure(figure) == []


def test_protocols_draws_each_coding_of_the_record_as_its_own_bars(havana):
    from dataclasses import replace

    from sim.baselines import baseline_scores
    from sim.scoring import score_runs

    scenario, history = havana
    results = compare_protocols(scenario, history, [1])
    baselines = baseline_scores(scenario, history)
    strict = [replace(r, score=score_runs(r.logs, scenario, history, "strict")) for r in results]
    coded = [("strict", strict, baseline_scores(scenario, history, "strict"))]
    figure = protocol_comparison_figure(results, scenario, history, baselines, coded)
    losses = figure.axes[1]
    widths = sorted(round(bar.get_width(), 6) for bar in losses.patches)
    expected = [r.score.loss for r in results + strict]
    expected += [s.loss for _, s in baselines + coded[0][2]]
    assert widths == sorted(round(x, 6) for x in expected)
    assert [t.get_text() for t in losses.get_legend().get_texts()] == [
        "lenient coding",
        "strict coding",
    ]
    assert _inside_figure(figure) == []


def test_the_round_table_cuts_neither_what_was_agreed_nor_what_was_recorded(havana):
    scenario, history = havana
    log = simulate(scenario)
    text = round_table(log, scenario, history)
    assert "…" not in text
    words = set(re.findall(r"[a-z_]+", text))
    for outcome in log.rounds:
        assert set(outcome.agreed_issues) <= words
        event = history.event(outcome.round_id)
        if event is not None:
            assert {i for i, ok in event.agreed.items() if ok} <= words


@given(st.lists(st.text("ab c,", max_size=40), min_size=2, max_size=2), st.integers(4, 20))
def test_a_table_cell_wraps_inside_its_column_and_keeps_every_word(cells, width):
    body = table(["x", "y"], [width, width], [cells]).splitlines()[2:]
    assert sorted(" ".join(body).split()) == sorted(w for c in cells for w in c.split())


def test_plural_agrees_with_its_count():
    assert plural(1, "shock") == "1 shock"
    assert plural(2, "shock") == "2 shocks"
    assert plural(0, "point") == "0 points"
    assert plural(3, "match", "matches") == "3 matches"
