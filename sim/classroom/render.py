"""The handout and the diff as self-contained HTML: inline CSS, figures as data URIs, no script.

A page opened from ``file://`` in a classroom without network must show everything, so nothing
here refers outside the file (a test parses every page for it). Presentation only: the sentences
come from ``story`` and ``diff``.
"""

from __future__ import annotations

import base64
from html import escape
from string import Template

from .diff import RunDiff
from .rundir_reader import EventRow, RunDir
from .story import TERMS, ActorCard, RoundStory, actor_cards, glossary_kinds, round_stories

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto;
  padding: 0 1rem; color: #111; background: #fff; line-height: 1.45; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; line-height: 1.2; }
nav a { margin-right: 1rem; }
.round { border-top: 1px solid #999; padding-top: .6rem; margin-top: 1.2rem; }
.why { font-size: 1.08rem; font-weight: bold; }
.meta { color: #444; font-size: .9rem; }
.columns { display: flex; gap: 1.5rem; flex-wrap: wrap; }
.columns > div { flex: 1 1 22rem; }
table { border-collapse: collapse; font-size: .9rem; }
td, th { border: 1px solid #bbb; padding: .2rem .45rem; text-align: left; vertical-align: top; }
.kind { font-family: Menlo, Consolas, monospace; font-size: .8rem; color: #333; }
.card { border: 1px solid #999; padding: .5rem .9rem; margin: .8rem 0; break-inside: avoid; }
img { max-width: 100%; height: auto; }
figure { margin: 1rem 0; }
dt { font-weight: bold; margin-top: .4rem; }
.changed { background: #fff3c4; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; color: #000; background: #fff; }
  * { background: transparent !important; color: #000 !important; box-shadow: none !important; }
  nav { display: none; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  .round, .card, figure, table { break-inside: avoid; }
  a { text-decoration: none; }
}
"""

PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style</style>
</head>
<body>
$body
</body>
</html>
"""
)


def page(title: str, body: str) -> str:
    return PAGE.substitute(title=escape(title), style=STYLE, body=body)


def _png(name: str, data: bytes, caption: str) -> str:
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return (
        f'<figure><img src="{uri}" alt="{escape(caption)}">'
        f"<figcaption>{escape(caption)} ({escape(name)})</figcaption></figure>"
    )


CAPTIONS = {
    "history.png": "The run over the record: for each meeting, on its real date, the share of "
    "its agenda agreed, the share of invitees present to the end and the days it slipped "
    "(filled markers: the model; hollow: the record)",
    "positions.png": "Each issue's positions over the rounds",
}


def handout_html(run: RunDir, baseline: RunDiff | None = None) -> str:
    """The whole handout of one run (with the diff against a baseline run, if given)."""
    scenario = run.scenario
    stories = round_stories(run)
    sections = [("rounds", "The rounds"), ("actors", "The actors")]
    if run.figures:
        sections.append(("figures", "Figures"))
    if baseline is not None:
        sections.append(("diff", "What changed against the baseline"))
    sections.append(("glossary", "Glossary"))
    seed = "" if run.seed is None else f", seed {run.seed}"
    head = (
        f"<header><h1>{escape(scenario.name)}</h1>"
        f"<p>{escape(scenario.description)}</p>"
        f'<p class="meta">A run of astana-sim {escape(run.version)}{escape(seed)}: '
        f"{len(run.rounds)} rounds, {len(scenario.actors)} actors, "
        f"{len(scenario.issues)} issues. Each round below says in one line what happened and "
        "why; the sentences are the model's, the record is what happened in fact.</p>"
        + "<nav>"
        + "".join(f'<a href="#{key}">{escape(title)}</a>' for key, title in sections)
        + "</nav></header>"
    )
    parts = [head, _rounds_section(stories, run), _actors_section(actor_cards(run))]
    if run.figures:
        parts.append(
            '<section id="figures"><h2>Figures</h2>'
            + "".join(_png(n, d, CAPTIONS.get(n, n)) for n, d in run.figures)
            + "</section>"
        )
    if baseline is not None:
        parts.append(
            '<section id="diff"><h2>What changed against the baseline</h2>'
            + diff_body(baseline)
            + "</section>"
        )
    parts.append(_glossary_section(run))
    return page(f"{scenario.name}: a handout", "\n".join(parts))


def _sentences(events: tuple[EventRow, ...], run: RunDir) -> str:
    if not events:
        return ""
    return (
        "<ul>"
        + "".join(
            f'<li><span class="kind">{escape(e.kind)}</span> {escape(e.text)}</li>' for e in events
        )
        + "</ul>"
    )


def _rounds_section(stories: tuple[RoundStory, ...], run: RunDir) -> str:
    out = ['<section id="rounds"><h2>The rounds</h2>']
    for story in stories:
        late = (
            f" (planned {story.planned_date.isoformat()})"
            if story.planned_date != story.date
            else ""
        )
        out.append(
            f'<div class="round" id="round-{escape(story.round_id)}">'
            f"<h3>{escape(story.date.isoformat())}: {escape(story.name)}</h3>"
            f'<p class="meta">{escape(story.venue)}{escape(late)}</p>'
            f'<p class="why">{escape(story.why)}</p><div class="columns"><div>'
        )
        if story.before:
            out.append("<p>Before this meeting:</p>" + _sentences(story.before, run))
        out.append("<p>What the narrative says:</p>" + _sentences(story.key, run))
        out.append(
            f"<details><summary>The full narrative of the round ({len(story.narrative)} "
            f"sentences)</summary>{_sentences(story.narrative, run)}</details></div><div>"
        )
        if story.record:
            rows = "".join(
                f"<tr><td>{escape(line.fact)}</td><td>{escape(line.model)}</td>"
                f"<td>{escape(line.recorded)}</td></tr>"
                for line in story.record
            )
            out.append(
                "<table><caption>The model beside the record</caption>"
                f"<tr><th>fact</th><th>model</th><th>record</th></tr>{rows}</table>"
            )
            if story.matches:
                out.append(
                    '<p class="meta">Facts matched: '
                    + escape(
                        ", ".join(
                            f"{k.replace('_', ' ')} {v.replace('/', ' of ')}"
                            for k, v in story.matches
                        )
                    )
                    + "</p>"
                )
        else:
            out.append('<p class="meta">No record was compared for this round.</p>')
        out.append("</div></div></div>")
    out.append("</section>")
    return "".join(out)


def _actors_section(cards: tuple[ActorCard, ...]) -> str:
    out = ['<section id="actors"><h2>The actors</h2>']
    for card in cards:
        ties = []
        if card.patron:
            ties.append(f"Its patron: {card.patron}.")
        if card.clients:
            ties.append(f"Patron of {', '.join(card.clients)}.")
        wants = "".join(
            f"<li><b>{escape(w.issue)}</b> ({escape(w.care)}): {escape(w.words)}</li>"
            for w in card.wants
        )
        red = (
            "<p>Red lines: " + escape("; ".join(card.red_lines)) + ".</p>"
            if card.red_lines
            else "<p>No red line: on every issue it can accept a text 20 points or more from "
            "its position.</p>"
        )
        out.append(
            f'<div class="card" id="actor-{escape(card.actor_id)}"><h3>{escape(card.name)}</h3>'
            f'<p class="meta">{escape(card.role)}, {escape(card.capability)}. '
            f"{escape(' '.join(ties))}</p>"
            + (f"<p>{escape(card.description)}</p>" if card.description else "")
            + f"<p>What it wants, what matters most first:</p><ul>{wants}</ul>{red}"
            f"<p>Where it bends least: {escape(card.bends_least)}.</p></div>"
        )
    out.append("</section>")
    return "".join(out)


def _glossary_section(run: RunDir) -> str:
    terms = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in TERMS)
    kinds = "".join(
        f'<dt class="kind">{escape(k)}</dt><dd>{escape(d)}</dd>' for k, d in glossary_kinds(run)
    )
    return (
        '<section id="glossary"><h2>Glossary</h2>'
        f"<dl>{terms}</dl><h3>The kinds of event in this run</h3><dl>{kinds}</dl></section>"
    )


def diff_body(diff: RunDiff) -> str:
    """The diff as HTML, for its own page or a section of the handout."""
    out = [
        f"<p>A: {escape(diff.label_a)}<br>B: {escape(diff.label_b)}</p>",
    ]
    if diff.nothing_changed:
        out.append(
            "<p>Nothing changed: every round has the same outcome, dates and attendance, "
            "and no final position moved.</p>"
        )
        return "".join(out)
    out.append(f"<p>{len(diff.changed)} rounds changed; {diff.unchanged} did not.</p>")
    if diff.changed:
        rows = []
        for change in diff.changed:
            for i, c in enumerate(change.changes):
                first = (
                    f'<td rowspan="{len(change.changes)}">{escape(change.date.isoformat())} '
                    f"{escape(change.name)}</td>"
                    if i == 0
                    else ""
                )
                rows.append(
                    f"<tr>{first}<td>{escape(c.what)}</td><td>{escape(c.before)}</td>"
                    f'<td class="changed">{escape(c.after)}</td></tr>'
                )
        out.append(
            "<table><tr><th>round</th><th>what</th><th>A</th><th>B</th></tr>"
            + "".join(rows)
            + "</table>"
        )
    for label, ids in (("A", diff.only_a), ("B", diff.only_b)):
        if ids:
            out.append(f"<p>Rounds only in {label}: {escape(', '.join(ids))}</p>")
    if diff.positions:
        rows = "".join(
            f"<tr><td>{escape(c.actor)}</td><td>{escape(c.issue)}</td><td>{c.before:.1f}</td>"
            f"<td>{c.after:.1f}</td><td>{c.delta:+.1f}</td></tr>"
            for c in diff.positions
        )
        out.append(
            "<h3>Largest changes of position at the end of the run</h3><table>"
            "<tr><th>actor</th><th>issue</th><th>A</th><th>B</th><th>change</th></tr>"
            f"{rows}</table>"
        )
    return "".join(out)


def diff_html(diff: RunDiff) -> str:
    return page(
        f"{diff.name_a} against {diff.name_b}",
        f"<h1>{escape(diff.name_a)} against {escape(diff.name_b)}</h1>{diff_body(diff)}",
    )
