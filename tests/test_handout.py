"""The classroom handout and diff: why-lines, self-containment, refusals, diffs of real runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.classroom import RunDirError, read_run_dir
from sim.classroom.diff import diff_runs, diff_text
from sim.classroom.render import diff_html, handout_html
from sim.classroom.story import actor_cards, round_stories, stance, tolerance
from sim.cli import main
from sim.history import load_history
from sim.model import simulate
from sim.output import run_files, write_run_dir
from sim.scenario import Issue, load_scenario

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def _write_run(scenario_path: Path, target: Path, figures: bool) -> Path:
    loaded = load_scenario(scenario_path)
    history = None
    history_bytes = None
    if loaded.history_path is not None:
        history = load_history(loaded.history_path, loaded.scenario)
        history_bytes = loaded.history_path.read_bytes()
    log = simulate(loaded.scenario)
    files = run_files(log, loaded.scenario, history, history_bytes, figures=figures)
    return write_run_dir(target, files)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """One mini run with figures, the flagship and one counterfactual without: built once."""
    root = tmp_path_factory.mktemp("runs")
    return {
        "mini": _write_run(DATA / "mini.yaml", root / "mini", figures=True),
        "flagship": _write_run(ROOT / "scenarios/astana_2017.yaml", root / "flag", False),
        "astana": _write_run(
            ROOT / "scenarios/counterfactuals/astana_takes_up_transition.yaml", root / "cf", False
        ),
    }


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


# --- a hand-made run directory pins the wording of the why-lines -------------------------------
HEADER = (
    "round,name,venue,planned_date,date,postponements,invited,attended,stayed_away,walked_out,"
    "signatories,agenda,agreed,recorded_agreed,match_agreement,some_new_column\n"
)


def _hand_made(runs, tmp_path: Path, rounds: str, events: list[dict]) -> Path:
    target = tmp_path / "hand"
    shutil.copytree(runs["mini"], target)
    (target / "rounds.csv").write_text(HEADER + rounds, encoding="utf-8")
    lines = [json.dumps({"date": "2017-01-10", "round": "r1", **e}) for e in events]
    (target / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (target / "ensemble.csv").write_text("fact,share\n", encoding="utf-8")  # tolerated
    return target


def _why(path: Path) -> list[str]:
    return [story.why for story in round_stories(read_run_dir(path))]


def test_why_line_of_a_boycott_gives_the_absent_signatory_and_its_reason(runs, tmp_path):
    rounds = (
        "r1,Round 1,Capital,2017-01-10,2017-01-10,0,gov;reb;envoy,gov;envoy,reb,,gov;reb,"
        "power;aid,,,0/2,x\n"
    )
    events = [
        {"kind": "convened", "actor": "envoy", "text": "Envoy convened Round 1."},
        {
            "kind": "stayed_away",
            "actor": "reb",
            "text": "Rebels stayed away: the text it expected was worth 0.41 to it; coming was "
            "worth 0.41, less than the 0.55 it keeps by not taking part.",
        },
        {"kind": "no_agreement", "issue": "power", "text": "No agreement on power sharing: x."},
    ]
    assert _why(_hand_made(runs, tmp_path, rounds, events)) == [
        "No agreement on power sharing and aid access: Rebels stayed away (the text it "
        "expected was worth 0.41 to it; coming was worth 0.41, less than the 0.55 it keeps by "
        "not taking part)."
    ]


def test_why_line_of_an_agreement_a_rejection_and_a_walk_out(runs, tmp_path):
    rounds = (
        "r1,Round 1,Capital,2017-01-10,2017-01-10,0,gov;reb;envoy,gov;reb;envoy,,,gov;reb,"
        "truce;aid,truce;aid,truce,1/2,\n"
        "r2,Round 2,Capital,2017-02-01,2017-02-15,2,gov;reb;envoy,gov;reb;envoy,,envoy,gov;reb,"
        "power;truce,truce,,,\n"
    )
    events = [
        {
            "round": "r2",
            "kind": "rejected",
            "actor": "gov",
            "issue": "power",
            "text": "Government rejected the clause on power sharing: it sits 50 points from its "
            "position, worth 0.50, below its walk-away value 0.60.",
        },
        {"round": "r2", "kind": "walked_out", "actor": "envoy", "text": "Envoy walked out: no."},
        {"round": "r2", "kind": "brand_new_kind", "text": "Something new happened."},
    ]
    path = _hand_made(runs, tmp_path, rounds, events)
    assert _why(path) == [
        "Agreed on the truce and aid access; nobody walked out.",
        "Postponed twice, opening 14 days after the planned 2017-02-01; agreed on the truce; "
        "no agreement on power sharing: rejected by Government (it sits 50 points from its "
        "position, worth 0.50, below its walk-away value 0.60); Envoy walked out.",
    ]
    stories = round_stories(read_run_dir(path))
    assert [e.kind for e in stories[1].key] == ["rejected", "walked_out", "brand_new_kind"]
    page = handout_html(read_run_dir(path))
    assert "Something new happened." in page and "brand_new_kind" in page


def test_rounds_are_told_in_date_order_and_shocks_before_the_round_they_precede(runs):
    run = read_run_dir(runs["mini"])
    stories = round_stories(run)
    assert [s.date for s in stories] == sorted(s.date for s in stories)
    r2 = next(s for s in stories if s.round_id == "r2")
    r3 = next(s for s in stories if s.round_id == "r3")
    assert [e.kind for e in r3.before] == ["shock"]  # the mini scenario's shock falls before r3
    assert "moved" not in {e.kind for s in stories for e in s.key}
    assert r2.why.startswith("Postponed once, opening 7 days after the planned 2017-02-20")


# --- the flagship ------------------------------------------------------------------------------
def test_flagship_geneva_fails_on_the_transition_and_names_who_rejected_it(runs):
    stories = {s.round_id: s for s in round_stories(read_run_dir(runs["flagship"]))}
    why = stories["geneva_4"].why
    assert why.startswith("Agreed on Constitutional process and Who counts as a terrorist; ")
    assert (
        "no agreement on Political transition and the future of Assad: rejected by Government "
        "of the Syrian Arab Republic and High Negotiations Committee" in why
    )
    assert stories["astana_4"].why == (
        "Agreed on Ceasefire, monitoring and de-escalation zones and Humanitarian access, "
        "detainees and prisoners; nobody walked out."
    )
    record = {line.fact: line for line in stories["geneva_4"].record}
    assert record["present"].recorded.count(",") == 4  # the HNC came in 2017
    assert len(stories["geneva_4"].key) < len(stories["geneva_4"].narrative) / 3


def test_actor_cards_translate_positions_through_the_issue_labels(runs):
    run = read_run_dir(runs["flagship"])
    cards = {card.actor_id: card for card in actor_cards(run)}
    russia = cards["russia"]
    transition = next(w for w in russia.wants if w.issue.startswith("Political transition"))
    assert transition.words.startswith("wants: Assad stays; no transitional body (15 of 100)")
    assert cards["government"].patron == "Russian Federation"
    assert "Government of the Syrian Arab Republic" in russia.clients
    hnc = run.scenario.actor("hnc")
    assert tolerance(hnc, "transition") == pytest.approx(35.0)
    assert cards["hnc"].bends_least.startswith("Political transition and the future of Assad")
    # 35 points is tolerated, above the 20 of a red line by tolerance; the line it declared shows
    assert cards["hnc"].red_lines == (
        "Political transition and the future of Assad: it has declared it will accept no text "
        "below 85 of 100, whatever else the text offers",
    )


def test_stance_words_cover_both_ends_and_the_middle():
    issue = Issue(id="x", name="x", low="none", high="all")
    assert stance(issue, 10) == "wants: none (10 of 100)"
    assert stance(issue, 50) == "halfway between 'none' and 'all' (50 of 100)"
    assert stance(issue, 70) == "leans toward: all (70 of 100)"


# --- the page refers to nothing outside itself and prints well ---------------------------------
class References(HTMLParser):
    URL_ATTRIBUTES = {
        "src",
        "href",
        "srcset",
        "action",
        "formaction",
        "data",
        "poster",
        "xlink:href",
    }

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.ids.update(value for name, value in attrs if name == "id")
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in self.URL_ATTRIBUTES:
                self.urls.append((tag, name, value or ""))
            if name == "style":
                self.styles.append(value or "")

    def handle_endtag(self, tag):
        self._in_style = False if tag == "style" else self._in_style

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def assert_self_contained(page: str) -> References:
    refs = References()
    refs.feed(page)
    for tag, name, value in refs.urls:
        inside = value.startswith("#") if name == "href" else value.startswith("data:image/")
        assert inside, f"<{tag} {name}={value[:60]!r}> points outside the file"
        if name == "href":
            assert value[1:] in refs.ids, f"in-page link {value} has no target"
    assert not refs.tags & {"script", "link", "iframe", "object", "embed", "base", "frame"}
    for style in refs.styles:
        assert "@import" not in style
        assert all(
            u.strip("'\" ").startswith("data:") for u in re.findall(r"url\(([^)]*)\)", style)
        )
    return refs


def test_handout_references_nothing_outside_itself_and_embeds_the_figures(runs, tmp_path):
    out = tmp_path / "handout.html"
    done = invoke("report", str(runs["mini"]), "--out", str(out))
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    refs = assert_self_contained(page)
    images = [v for tag, _, v in refs.urls if tag == "img"]
    assert len(images) == 2 and all(v.startswith("data:image/png;base64,") for v in images)
    assert "<details>" in page and "Glossary" in page and "walk-away value" in page
    print_rules = page[page.index("@media print") :]
    assert "break-before: page" in print_rules and "background: #fff" in print_rules


def test_diff_page_references_nothing_outside_itself(runs, tmp_path):
    a, b = read_run_dir(runs["flagship"]), read_run_dir(runs["astana"])
    assert_self_contained(diff_html(diff_runs(a, b)))
    page = handout_html(b, diff_runs(a, b))
    assert_self_contained(page)
    assert "What changed against the baseline" in page


def test_report_writes_into_the_run_directory_and_refuses_to_overwrite(runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs["mini"], run)
    assert invoke("report", str(run)).exit_code == 0
    written = (run / "handout.html").read_bytes()
    again = invoke("report", str(run))
    assert again.exit_code == 2 and "exists already; pass --overwrite" in again.output
    assert (run / "handout.html").read_bytes() == written
    assert invoke("report", str(run), "--overwrite").exit_code == 0
    assert read_run_dir(run).other_files == ("handout.html",)


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda d: shutil.rmtree(d), "no such directory"),
        (lambda d: [p.unlink() for p in d.iterdir()], "not a run directory"),
        (lambda d: (d / "positions.csv").unlink(), "missing positions.csv"),
        (lambda d: (d / "summary.json").write_text("{"), "summary.json:1: not valid JSON"),
        (
            lambda d: (d / "summary.json").write_text(
                '{"package": "astana-sim", "version": "9.0"}'
            ),
            "version: expected a run written by astana-sim",
        ),
        (lambda d: (d / "events.jsonl").write_text('{"kind": 1}\n'), "events.jsonl:1: kind"),
        (lambda d: (d / "rounds.csv").write_text("round,date\nr1,x\n"), "rounds.csv:1: missing"),
        (
            lambda d: (d / "scenario.resolved.yaml").write_text("name: [\n"),
            "scenario.resolved.yaml",
        ),
    ],
    ids=["absent", "empty", "missing-file", "corrupt-json", "version", "event", "columns", "yaml"],
)
def test_bad_run_directories_exit_2_naming_the_file(runs, tmp_path, damage, expected):
    run = tmp_path / "run"
    shutil.copytree(runs["mini"], run)
    damage(run)
    done = invoke("report", str(run), "--out", str(tmp_path / "h.html"))
    assert done.exit_code == 2, done.output
    assert expected in done.output and "Traceback" not in done.output
    assert not (tmp_path / "h.html").exists()
    with pytest.raises(RunDirError):
        read_run_dir(run)


def test_refusal_in_a_real_process_has_no_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sim", "diff", str(tmp_path), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "not a run directory" in done.stderr and "Traceback" not in done.stderr


# --- diff --------------------------------------------------------------------------------------
def test_diff_of_a_run_against_itself_says_nothing_changed(runs):
    done = invoke("diff", str(runs["flagship"]), str(runs["flagship"]))
    assert done.exit_code == 0
    assert "Nothing changed" in done.output


def test_diff_of_the_flagship_against_a_counterfactual_shows_the_changed_rounds(runs, tmp_path):
    html = tmp_path / "diff.html"
    done = invoke("diff", str(runs["flagship"]), str(runs["astana"]), "--html", str(html))
    assert done.exit_code == 0, done.output
    text = done.output
    assert "A: astana_2017, seed 7" in text and "B: astana_takes_up_transition, seed 7" in text
    assert "astana_4 (Astana 4)" in text
    astana_4 = text[text.index("astana_4 (") :].splitlines()
    assert astana_4[1].strip() == "agenda: -  ->  Political transition and the future of Assad"
    assert "Republic of Turkey on Political transition and the future of Assad" in text
    diff = diff_runs(read_run_dir(runs["flagship"]), read_run_dir(runs["astana"]))
    assert diff.positions[0].actor == "Republic of Turkey" and abs(diff.positions[0].delta) > 10
    changed = {c.round_id for c in diff.changed}
    assert "astana_1" not in changed and {"astana_4", "astana_8"} <= changed
    assert html.is_file() and "astana_4" not in diff_text(diff).split("Largest")[1]
    again = invoke("diff", str(runs["flagship"]), str(runs["astana"]), "--html", str(html))
    assert again.exit_code == 2 and "--overwrite" in again.output


def test_rounds_present_in_one_run_only_are_listed(runs, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(runs["mini"], other)
    lines = (other / "rounds.csv").read_text().splitlines(True)
    (other / "rounds.csv").write_text("".join(lines[:-1]), encoding="utf-8")  # drop r3
    diff = diff_runs(read_run_dir(runs["mini"]), read_run_dir(other))
    assert diff.only_a == ("r3",) and diff.only_b == ()
    assert "Rounds only in A: r3" in diff_text(diff)


def test_a_run_with_its_handout_can_still_be_rerun_over(runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(runs["mini"], run)
    assert invoke("report", str(run)).exit_code == 0
    done = invoke("run", str(DATA / "mini.yaml"), "--out", str(run), "--overwrite", "-q")
    assert done.exit_code == 0, done.output
    assert not (run / "handout.html").exists()  # the old run's handout went with it


def test_the_timeline_draws_every_meeting_by_name_with_its_recorded_date(runs):
    run = read_run_dir(runs["mini"])
    page = handout_html(run)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count('<line x1="330"') == len(run.rounds) == 3
    assert all(f">{r.name}</tspan>" in svg for r in run.rounds)
    assert svg.count('stroke="#000"') == 2  # the record gives dates for r1 and r2 only
    assert svg.count("<circle") + svg.count("<rect") + svg.count("<path") == 3 + 2


def test_report_of_a_counterfactual_with_its_baseline_shows_what_changed(runs, tmp_path):
    out = tmp_path / "cf.html"
    done = invoke(
        "report", str(runs["astana"]), "--baseline", str(runs["flagship"]), "--out", str(out)
    )
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    assert_self_contained(page)
    section = page[page.index('<section id="diff">') :]
    assert "A: astana_2017, seed 7" in section and "Astana 4" in section
    assert "astana_takes_up_transition" in page[: page.index("<section")]


@pytest.mark.parametrize(
    "bad",
    [
        '<img src="https://example.org/x.png">',
        '<a href="http://example.org">x</a>',
        '<a href="#nowhere">x</a>',
        "<script>1</script>",
        '<link rel="stylesheet" href="s.css">',
        "<style>@import 'x.css';</style>",
        '<p style="background: url(http://example.org/x.png)">x</p>',
    ],
)
def test_the_self_containment_check_catches_outside_references(bad):
    with pytest.raises(AssertionError):
        assert_self_contained(f"<html><body>{bad}</body></html>")
