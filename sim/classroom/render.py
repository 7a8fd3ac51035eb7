"""The handout and the diff as self-contained HTML: inline CSS, figures as data URIs, no script.

A page opened from ``file://`` in a classroom without network must show everything, so nothing
here refers outside the file (a test parses every page for it). Presentation only: the sentences
come from ``story`` and ``diff``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import textwrap
from html import escape
from string import Template

from .diff import RunDiff
from .rundir_reader import EventRow, RunDir
from .story import (
    RED_LINE_POINTS,
    TERMS,
    ActorCard,
    RoundStory,
    actor_cards,
    glossary_kinds,
    round_stories,
)

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
    sections = [("timeline", "At a glance"), ("rounds", "The rounds"), ("actors", "The actors")]
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
    parts = [
        head,
        timeline_svg(run),
        _rounds_section(stories),
        _actors_section(actor_cards(run)),
    ]
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


# Okabe-Ito colours: told apart by colour-blind readers, and each also drawn with its own shape.
ALL, SOME, NONE = "#0072B2", "#E69F00", "#D55E00"


def _recorded_date(row) -> dt.date | None:
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(dict(row.recorded).get("date") or "")
    return None


def _mark(x: float, y: int, share: float) -> str:
    """The model's mark: a circle (all agreed), a square (part) or a triangle (nothing)."""
    if share == 1:
        return f'<circle cx="{x:.1f}" cy="{y}" r="8" fill="{ALL}"/>'
    if share > 0:
        return f'<rect x="{x - 7:.1f}" y="{y - 7}" width="14" height="14" fill="{SOME}"/>'
    return f'<path d="M{x:.1f} {y - 9} l8 15 h-16 z" fill="{NONE}"/>'


def timeline_svg(run: RunDir) -> str:
    """The year at a glance, for a projector: each meeting by name on its date, marked by how
    much of its agenda the model agreed, with the recorded opening date as a ring."""
    rounds = sorted(run.rounds, key=lambda r: r.date)
    recorded = {r.round_id: _recorded_date(r) for r in rounds}
    dates = [r.date for r in rounds] + [d for d in recorded.values() if d is not None]
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    left, width, row = 330, 620, 40
    height = 50 + row * len(rounds)

    def x(day: dt.date) -> float:
        return left + width * (day - first).days / span

    items = []
    for k, r in enumerate(rounds):
        y = 50 + row * k
        share = len(r.agreed) / len(r.agenda) if r.agenda else 0.0
        when = recorded[r.round_id]
        ring = (
            f'<circle cx="{x(when):.1f}" cy="{y}" r="11" fill="none" stroke="#000" '
            'stroke-width="1.5"/>'
            if when is not None
            else ""
        )
        lines = textwrap.wrap(r.name, 36, max_lines=2, placeholder="\u2026") or [r.round_id]
        top = y + 5 - 8 * (len(lines) - 1)
        label = "".join(
            f'<tspan x="{left - 12}" y="{top + 16 * i}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        items.append(
            f'<text text-anchor="end">{label}</text>'
            f'<line x1="{left}" y1="{y}" x2="{left + width}" y2="{y}" stroke="#ccc"/>'
            f"{ring}{_mark(x(r.date), y, share)}"
        )
    ticks = []
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            ticks.append(
                f'<text x="{x(month):.1f}" y="20" text-anchor="middle">'
                f"{month.strftime('%b %Y') if month.month == 1 else month.strftime('%b')}</text>"
            )
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    legend = (
        f'<p class="meta">Filled marks, the model: <span style="color:{ALL}">&#9679;</span> '
        f'the whole agenda agreed, <span style="color:{SOME}">&#9632;</span> part of it, '
        f'<span style="color:{NONE}">&#9650;</span> nothing; a black ring, the date the meeting '
        "opened in fact.</p>"
    )
    return (
        '<section id="timeline"><h2>The year at a glance</h2>'
        f'<svg viewBox="0 0 980 {height}" width="100%" role="img" font-size="15" '
        'font-family="Helvetica, Arial, sans-serif" aria-label="The meetings on their dates">'
        + "".join(ticks)
        + "".join(items)
        + f"</svg>{legend}</section>"
    )


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]], caption: str = "") -> str:
    """A plain table, every cell escaped."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        "<table>"
        + (f"<caption>{escape(caption)}</caption>" if caption else "")
        + "<tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + f"</tr>{cells}</table>"
    )


def _sentences(events: tuple[EventRow, ...]) -> str:
    if not events:
        return ""
    return (
        "<ul>"
        + "".join(
            f'<li><span class="kind">{escape(e.kind)}</span> {escape(e.text)}</li>' for e in events
        )
        + "</ul>"
    )


def _rounds_section(stories: tuple[RoundStory, ...]) -> str:
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
            out.append("<p>Before this meeting:</p>" + _sentences(story.before))
        out.append("<p>What the narrative says:</p>" + _sentences(story.key))
        out.append(
            f"<details><summary>The full narrative of the round ({len(story.narrative)} "
            f"sentences)</summary>{_sentences(story.narrative)}</details></div><div>"
        )
        if story.record:
            out.append(
                _table(
                    ("fact", "model", "record"),
                    [(line.fact, line.model, line.recorded) for line in story.record],
                    "The model beside the record",
                )
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
    out = [
        '<section id="actors"><h2>The actors</h2><p>Each actor as the run starts it: the '
        "events outside the talks (listed before the meeting they precede) may change its weight, "
        "its positions and its walk-away value later.</p>"
    ]
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
            "<p>Red lines and little room: " + escape("; ".join(card.red_lines)) + ".</p>"
            if card.red_lines
            else "<p>No red line declared, and little room on no issue: on every issue it can "
            f"accept a text {RED_LINE_POINTS:.0f} points or more from its position.</p>"
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
    out.append(
        f"<p>{len(diff.changed)} rounds changed; {diff.unchanged} did not. For each change: "
        "what A has and B has not, then what B has and A has not.</p>"
    )
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
        out.append(
            "<h3>Largest changes of position at the end of the run</h3>"
            + _table(
                ("actor", "issue", "A", "B", "change"),
                [
                    (c.actor, c.issue, f"{c.before:.1f}", f"{c.after:.1f}", f"{c.delta:+.1f}")
                    for c in diff.positions
                ],
            )
        )
    return "".join(out)


def diff_html(diff: RunDiff) -> str:
    return page(
        f"{diff.name_a} against {diff.name_b}",
        f"<h1>{escape(diff.name_a)} against {escape(diff.name_b)}</h1>{diff_body(diff)}",
    )
