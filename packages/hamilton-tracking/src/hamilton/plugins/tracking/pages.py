"""HTML of the tracking UI, rendered on the server: every page works without JavaScript.

Every string that came from a user's run (project, node names, reprs, errors, tags) goes
through :func:`esc`; ``static/app.js`` only formats times and filters rows.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote, urlencode

from hamilton.plugins.tracking.store import NodeExecution, ResultSummary, Run, RunSummary


def esc(value: object) -> str:
    """HTML-escaped text (quotes too, so it is also safe inside attribute values)."""
    return html.escape("" if value is None else str(value), quote=True)


_UNSAFE_IN_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_text(value: object) -> str:
    """``value`` as text safe to print: control characters (escape sequences, ``\\r``, bidi
    overrides) become their ``repr`` escapes, so recorded strings cannot drive the terminal."""
    return _UNSAFE_IN_TERMINAL.sub(lambda match: repr(match.group())[1:-1], str(value))


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def fmt_time(timestamp: float | None) -> str:
    """A ``<time>`` element in UTC; app.js rewrites its text in the browser's time zone."""
    if timestamp is None:
        return "—"
    moment = datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc)
    return (
        f'<time datetime="{moment.isoformat(timespec="milliseconds")}">'
        f"{moment.strftime('%Y-%m-%d %H:%M:%S')} UTC</time>"
    )


def run_href(run_id: str) -> str:
    return f"/runs/{quote(run_id, safe='')}"


def counts_text(run: RunSummary) -> str:
    """``"(1 failed, 2 skipped)"``, or ``""`` when nothing failed or was skipped."""
    parts = [f"{run.failed_count} failed"] if run.failed_count else []
    if run.skipped_count:
        parts.append(f"{run.skipped_count} skipped")
    return f"({', '.join(parts)})" if parts else ""


def _badge(status: str) -> str:
    return f'<span class="badge status-{esc(status)}">{esc(status)}</span>'


def layout(title: str, body: str, *, page: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · Hamilton tracking</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body data-page="{esc(page)}">
<header class="top"><a href="/" class="brand">Hamilton tracking</a></header>
<main>
{body}
</main>
</body>
</html>
"""


def run_list(
    runs: Sequence[RunSummary], projects: Iterable[str], project: str | None, status: str | None, db_file: str
) -> str:
    """The list of runs, newest first, with project and status filters."""
    options = ['<a href="/"' + (' class="current"' if project is None else "") + ">all projects</a>"]
    for name in projects:
        current = ' class="current"' if name == project else ""
        options.append(f'<a href="/?{esc(urlencode({"project": name}))}"{current}>{esc(name)}</a>')
    rows = []
    for run in runs:
        counts = counts_text(run)
        failed = f' <span class="failed-count">{esc(counts)}</span>' if counts else ""
        error = (
            f'<div class="error-line">{esc(run.error_type)}: {esc(run.error_message)}</div>' if run.error_type else ""
        )
        rows.append(
            f'<tr class="run-row" data-run-id="{esc(run.run_id)}" data-status="{esc(run.status)}" '
            f'data-project="{esc(run.project)}">'
            f"<td>{_badge(run.status)}</td>"
            f'<td class="project">{esc(run.project)}</td>'
            f'<td><a class="run-link" href="{esc(run_href(run.run_id))}"><code>{esc(run.run_id[:8])}</code></a></td>'
            f"<td>{fmt_time(run.started_at)}</td>"
            f'<td class="num">{esc(fmt_duration(run.duration))}</td>'
            f'<td class="num node-count">{run.node_count}{failed}</td>'
            f'<td class="outputs">{esc(", ".join(run.final_vars))}{error}</td>'
            "</tr>"
        )
    table = (
        '<table class="runs"><thead><tr><th>status</th><th>project</th><th>run</th><th>started</th>'
        "<th>duration</th><th>nodes</th><th>outputs</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        if rows
        else f'<p class="empty">No runs recorded in <code>{esc(db_file)}</code> yet. Add '
        "<code>LocalTracker()</code> to a driver's adapters and run it.</p>"
    )
    heading = "Runs" if project is None else f"Runs of {esc(project)}"
    status_note = f' <span class="muted">status: {esc(status)}</span>' if status else ""
    body = f"""<h1>{heading}{status_note}</h1>
<nav class="projects">{" ".join(options)}</nav>
<p><input id="filter" type="search" placeholder="Filter runs (project, status, outputs, id)" aria-label="Filter runs">
<span id="shown" class="muted"></span></p>
{table}
<p class="muted">Database: <code>{esc(db_file)}</code></p>"""
    return layout("Runs", body, page="runs")


def _summary_cells(summary: ResultSummary | None) -> str:
    if summary is None:
        return '<td class="muted">—</td>'
    size = f' <span class="muted">{esc(summary.size)}</span>' if summary.size else ""
    return f'<td class="result"><span class="type">{esc(summary.type)}</span>{size}<pre>{esc(summary.repr)}</pre></td>'


def _node_row(index: int, node: NodeExecution, origin: float, first: float, span: float) -> str:
    skipped = node.status == "skipped"
    left = max(0.0, (node.started_at - first) / span * 100)
    width = ((node.ended_at or node.started_at) - node.started_at) / span * 100
    bar = (
        '<div class="lane"></div>'  # never ran: nothing on the timeline
        if skipped
        else f'<div class="lane"><div class="bar status-{esc(node.status)}" '
        f'style="margin-left:{min(left, 99.7):.3f}%;width:{max(width, 0.3):.3f}%"></div></div>'
    )
    note = f'<div class="node-note">{esc(node.note)}</div>' if node.note else ""
    if node.error is not None:
        detail = (
            f'<td class="error"><strong>{esc(node.error.type)}</strong>: {esc(node.error.message)}{note}'
            f"<details><summary>traceback</summary><pre>{esc(node.error.traceback)}</pre></details></td>"
        )
    elif skipped or (node.result is None and note):
        detail = f'<td class="muted">{note or "—"}</td>'
    else:
        detail = _summary_cells(node.result)
    start = "—" if skipped else f"+{fmt_duration(max(0.0, node.started_at - origin))}"
    return (
        f'<tr class="node-row" data-node="{esc(node.node_name)}" data-status="{esc(node.status)}">'
        f'<td class="num">{index}</td><td class="node-name"><code>{esc(node.node_name)}</code></td>'
        f'<td class="task"><code>{esc(node.task_id or "")}</code></td><td>{_badge(node.status)}</td>'
        f'<td class="num">{esc(start)}</td>'
        f'<td class="num">{esc(fmt_duration(node.duration))}</td><td class="waterfall">{bar}</td>{detail}</tr>'
    )


def _kv_table(title: str, values: dict[str, ResultSummary], css: str) -> str:
    if not values:
        return f'<h2>{esc(title)}</h2><p class="muted">none</p>'
    rows = "".join(f"<tr><td><code>{esc(name)}</code></td>{_summary_cells(s)}</tr>" for name, s in values.items())
    return f'<h2>{esc(title)}</h2><table class="{css}"><tbody>{rows}</tbody></table>'


def _graph_table(run: Run) -> str:
    if not run.graph:
        return '<h2>Graph</h2><p class="muted">no snapshot</p>'
    rows = []
    for node in run.graph:
        tags = ", ".join(f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in node.tags.items())
        dependencies = ", ".join(node.dependencies + [f"{d}?" for d in node.optional_dependencies])
        rows.append(
            f'<tr class="graph-node"><td><code>{esc(node.name)}</code></td><td>{esc(node.type)}</td>'
            f"<td>{esc('input' if node.is_input else node.role)}</td>"
            f"<td><code>{esc(node.source or '')}</code></td><td>{esc(dependencies)}</td>"
            f'<td class="tags">{esc(tags)}</td></tr>'
        )
    return (
        f'<h2>Graph <span class="muted">({len(run.graph)} nodes)</span></h2><table class="graph"><thead><tr>'
        "<th>node</th><th>type</th><th>role</th><th>defined at</th><th>depends on</th><th>tags</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def run_detail(run: Run) -> str:
    """One run: its nodes in execution order with a waterfall, inputs, config and graph."""
    # The timeline spans the node executions (planning before the first node is left out).
    executed = [n for n in run.nodes if n.status != "skipped"]
    first = min((n.started_at for n in executed), default=run.started_at)
    last = max((n.ended_at or n.started_at for n in executed), default=first)
    span = max(last - first, 1e-6)
    rows = (_node_row(i, node, run.started_at, first, span) for i, node in enumerate(run.nodes, start=1))
    node_rows = "".join(rows)
    nodes = (
        '<table class="nodes"><thead><tr><th>#</th><th>node</th><th>task</th><th>status</th><th>start</th>'
        "<th>duration</th><th>timeline</th><th>result / error</th></tr></thead>"
        f"<tbody>{node_rows}</tbody></table>"
        if node_rows
        else '<p class="muted">No node executions recorded (yet).</p>'
    )
    error = (
        f'<p class="run-error"><strong>{esc(run.error_type)}</strong>: {esc(run.error_message)}'
        + (f" (first failing node: <code>{esc(run.failed_node)}</code>)" if run.failed_node else "")
        + "</p>"
        if run.error_type
        else ""
    )
    note = f'<p class="note">{esc(run.note)}</p>' if run.note else ""
    overrides = ", ".join(run.overrides) or "none"
    skipped_fact = f", {run.skipped_count} skipped" if run.skipped_count else ""
    if run.status == "partial":
        shown = ", ".join(run.skipped_nodes[:20]) + (", ..." if run.skipped_count > 20 else "")
        note = (
            f'<p class="partial-note">Completed partially (<code>keep_going</code>): {run.failed_count} node '
            f"execution(s) failed, {run.skipped_count} node(s) downstream were skipped"
            + (f": <code>{esc(shown)}</code>" if shown else "")
            + ".</p>"
            + note
        )
    body = f"""<p><a href="/?{esc(urlencode({"project": run.project}))}">← runs of {esc(run.project)}</a></p>
<h1>Run <code>{esc(run.run_id)}</code> {_badge(run.status)}</h1>
<dl class="facts">
<dt>project</dt><dd>{esc(run.project)}</dd>
<dt>started</dt><dd>{fmt_time(run.started_at)}</dd>
<dt>ended</dt><dd>{fmt_time(run.ended_at)}</dd>
<dt>duration</dt><dd>{esc(fmt_duration(run.duration))}</dd>
<dt>outputs</dt><dd>{esc(", ".join(run.final_vars))}</dd>
<dt>overrides</dt><dd>{esc(overrides)}</dd>
<dt>nodes</dt><dd>{run.node_count} executed, {run.failed_count} failed{skipped_fact}</dd>
<dt>host</dt><dd>{esc(run.host)} (pid {esc(run.pid)})</dd>
</dl>
{error}{note}
<h2>Nodes <span class="muted">(execution order)</span></h2>
{nodes}
{_kv_table("Inputs", run.inputs, "inputs")}
{_kv_table("Config", run.config, "config")}
{_graph_table(run)}
<p class="muted"><a href="/api/runs/{esc(quote(run.run_id, safe=""))}">JSON</a></p>"""
    return layout(f"Run {run.run_id[:8]}", body, page="run")


def not_found(message: str) -> str:
    body = f'<h1>Not found</h1><p class="not-found">{esc(message)}</p><p><a href="/">All runs</a></p>'
    return layout("Not found", body, page="not-found")
