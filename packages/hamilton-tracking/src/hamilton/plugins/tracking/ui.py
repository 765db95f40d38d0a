"""The tracking web UI: a standard-library HTTP server over a tracking database.

Routes: ``/`` (runs, ``?project=``/``?status=``/``?limit=``), ``/runs/<id>``, ``/api/runs``,
``/api/runs/<id>`` and ``/static/<file>`` (only the files shipped in this package). It binds to
127.0.0.1 by default: the pages show inputs and results, so do not expose it without thought.
"""

from __future__ import annotations

import json
import os
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from hamilton.plugins.tracking import pages
from hamilton.plugins.tracking.store import RUN_STATUSES, RunNotFoundError, TrackingStore, as_json

DEFAULT_PORT = 8241
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self'"


class TrackingServer(ThreadingHTTPServer):
    """An HTTP server bound to one tracking database; ``url`` is where it listens."""

    daemon_threads = True

    def __init__(self, store: TrackingStore, address: tuple[str, int]):
        self.store = store
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"


def _static_file(name: str) -> bytes | None:
    if name not in {"style.css", "app.js"}:  # a fixed list: no path ever reaches the file system
        return None
    return resources.files("hamilton.plugins.tracking").joinpath("static", name).read_bytes()


class _Handler(BaseHTTPRequestHandler):
    server: TrackingServer
    server_version = "HamiltonTracking/0.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and terminals stay clean
        if os.environ.get("HAMILTON_TRACKING_UI_LOG"):
            super().log_message(format, *args)

    def do_GET(self) -> None:
        try:
            self._route()
        except Exception as error:  # a broken database must give a readable page, not a dropped socket
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                pages.layout("Error", f"<h1>Error</h1><pre>{pages.esc(repr(error))}</pre>", page="error"),
            )

    def _route(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        path = parts.path
        store = self.server.store
        if path in ("/", "/runs", "/index.html"):
            project, status, limit = self._filters(query)
            runs = store.runs(project=project, status=status, limit=limit)
            html = pages.run_list(runs, store.projects(), project, status, str(store.db_file))
            self._send(HTTPStatus.OK, html)
        elif path.startswith("/runs/"):
            run_id = unquote(path[len("/runs/") :])
            try:
                self._send(HTTPStatus.OK, pages.run_detail(store.run(run_id)))
            except RunNotFoundError:
                self._send(HTTPStatus.NOT_FOUND, pages.not_found(f"No run with id {run_id!r} is recorded here."))
        elif path in ("/api/runs", "/api/runs/"):
            project, status, limit = self._filters(query)
            runs = store.runs(project=project, status=status, limit=limit)
            self._json(HTTPStatus.OK, {"runs": [as_json(run) for run in runs], "projects": store.projects()})
        elif path.startswith("/api/runs/"):
            run_id = unquote(path[len("/api/runs/") :])
            try:
                self._json(HTTPStatus.OK, as_json(store.run(run_id)))
            except RunNotFoundError as error:
                self._json(HTTPStatus.NOT_FOUND, {"error": str(error)})
        elif path.startswith("/static/") and (content := _static_file(path[len("/static/") :])) is not None:
            suffix = path[path.rfind(".") :]
            self._send(HTTPStatus.OK, content, _STATIC_TYPES[suffix])
        else:
            self._send(HTTPStatus.NOT_FOUND, pages.not_found(f"Nothing at {path}."))

    def _filters(self, query: dict[str, str]) -> tuple[str | None, str | None, int]:
        status = query.get("status") if query.get("status") in RUN_STATUSES else None
        try:
            limit = min(max(int(query.get("limit", "200")), 1), 10_000)
        except ValueError:
            limit = 200
        return query.get("project") or None, status, limit

    def _json(self, status: HTTPStatus, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False, default=str), "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> None:
        payload = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Content-Security-Policy", _CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)


def make_server(path: str | os.PathLike | None = None, host: str = "127.0.0.1", port: int = 0) -> TrackingServer:
    """A server over the database at ``path``, bound but not yet serving (``port=0``: any free
    port; read it from ``server.url``). Call ``serve_forever()``, then ``shutdown()``."""
    return TrackingServer(TrackingStore(path), (host, port))


def serve(
    path: str | os.PathLike | None, host: str = "127.0.0.1", port: int = DEFAULT_PORT, open_browser: bool = False
) -> None:
    """Serve the UI for the tracking database at ``path`` until interrupted (Ctrl+C)."""
    try:
        server = make_server(path, host, port)
    except OSError as error:
        raise OSError(
            f"Cannot serve the tracking UI on {host}:{port} ({error.strerror or error}). Choose another port (--port)."
        ) from error
    print(f"Hamilton tracking UI for {server.store.db_file}: {server.url} (Ctrl+C to stop)", file=sys.stderr)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
