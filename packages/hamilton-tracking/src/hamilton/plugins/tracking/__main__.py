"""``python -m hamilton.plugins.tracking``: serve the UI, or list recorded runs.

python -m hamilton.plugins.tracking ui [--path DIR] [--host 127.0.0.1] [--port 8241] [--open] [--allow-host NAME]
python -m hamilton.plugins.tracking runs [--path DIR] [--project P] [--status S] [--limit N] [--json]

Everything printed goes through ``terminal_text``: recorded strings (projects, node names, run
ids) may carry terminal escape sequences, which must not reach the terminal raw.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys

from hamilton.plugins.tracking.pages import counts_text, fmt_duration, terminal_text
from hamilton.plugins.tracking.store import RUN_STATUSES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hamilton.plugins.tracking", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    path_help = "tracking directory or .db file (default: $HAMILTON_TRACKING_DIR or ~/.hamilton/tracking)"
    ui = commands.add_parser("ui", help="serve the web UI")
    ui.add_argument("--path", default=None, help=path_help)
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=8241)
    ui.add_argument("--open", action="store_true", help="open a browser tab")
    ui.add_argument(
        "--allow-host",
        action="append",
        default=None,
        metavar="NAME",
        help="also answer requests for this host name ('name' or 'name:port'; repeatable; "
        "default: $HAMILTON_TRACKING_ALLOWED_HOSTS, comma-separated)",
    )
    runs = commands.add_parser("runs", help="list recorded runs, newest first")
    runs.add_argument("--path", default=None, help=path_help)
    runs.add_argument("--project", default=None)
    runs.add_argument("--status", default=None, choices=RUN_STATUSES, help="only runs with this status")
    runs.add_argument("--limit", type=int, default=20)
    runs.add_argument("--json", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "ui":
        from hamilton.plugins.tracking.ui import serve

        try:
            serve(args.path, host=args.host, port=args.port, open_browser=args.open, allowed_hosts=args.allow_host)
        except (OSError, ValueError) as error:
            print(terminal_text(error), file=sys.stderr)
            return 1
        return 0
    from hamilton.plugins.tracking.store import TrackingStore, as_json

    store = TrackingStore(args.path)
    try:
        runs = store.runs(project=args.project, status=args.status, limit=max(args.limit, 1))
    except sqlite3.Error as error:
        message = f"Cannot read the tracking database {store.db_file}: {error}. Check --path (a tracking directory or .db file)."
        print(terminal_text(message), file=sys.stderr)
        return 1
    if args.json:  # json.dumps escapes every control (and non-ASCII) character already
        print(json.dumps([as_json(run) for run in runs], indent=2, ensure_ascii=True))
        return 0
    for run in runs:
        line = (
            f"{run.run_id}  {run.status:<8} {run.project:<16} {fmt_duration(run.duration):>10}  "
            f"{run.node_count} nodes {counts_text(run) or '(0 failed)'}  {', '.join(run.final_vars)}"
        )
        print(terminal_text(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
