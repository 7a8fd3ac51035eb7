"""A short HTML report of a sweep, one self-contained file: figures inline, no network."""

from __future__ import annotations

import base64
import html

from .store import Store
from .table import Runs

MAX_ROWS = 60
STYLE = (
    "body{font-family:sans-serif;max-width:62em;margin:2em auto;color:#222}"
    "table{border-collapse:collapse;font-size:.85em;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
    "th{background:#f2f2f2}img{max-width:100%}"
)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}"
    return html.escape(str(value))


def _table(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows[:MAX_ROWS]
    )
    more = f"<p>({len(rows) - MAX_ROWS} more rows in the CSV)</p>" if len(rows) > MAX_ROWS else ""
    return f"<table><tr>{head}</tr>{body}</table>{more}"


def html_report(
    store: Store, runs: Runs, metric: str, tables: dict, figures: dict[str, bytes]
) -> str:
    counts = store.counts()
    spec = runs.spec
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Sweep {html.escape(spec.get('name', ''))}</title><style>{STYLE}</style></head>",
        f"<body><h1>Sweep {html.escape(spec.get('name', ''))}</h1>",
        f"<p>{html.escape(spec.get('description', ''))}</p>",
        f"<p>{len(runs.points)} points x {spec.get('replications')} seeds "
        f"(design {html.escape(str(spec.get('design', {}).get('kind')))}, master seed "
        f"{spec.get('seed')}); {counts.get('done', 0)} runs done, {counts.get('failed', 0)} "
        f"failed. astana-sim {html.escape(store.meta('version') or '')}; figures and "
        f"sensitivities of <b>{html.escape(metric)}</b>.</p>",
    ]
    for title, (header, rows) in tables.items():
        parts.append(f"<h2>{html.escape(title)}</h2>{_table(header, rows)}")
    for name, png in figures.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f"<h2>{html.escape(name)}</h2><img alt='{name}' src='data:image/png;base64,{data}'>"
        )
    parts.append("</body></html>\n")
    return "".join(parts)
