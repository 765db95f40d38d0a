"""The tracking web UI: a standard-library HTTP server over a tracking database.

Routes: ``/`` (runs, ``?project=``/``?status=``/``?limit=``), ``/runs/<id>``, ``/api/runs``,
``/api/runs/<id>`` and ``/static/<file>`` (only the files shipped in this package). It binds to
127.0.0.1 by default: the pages show inputs and results, so do not expose it without thought.
For the same reason it answers only its own host names (DNS rebinding), times out idle clients
and bounds its worker threads; see ``TrackingServer``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from hamilton.plugins.tracking import pages
from hamilton.plugins.tracking.store import RUN_STATUSES, RunNotFoundError, TrackingStore, as_json

DEFAULT_PORT = 8241
DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_WORKERS = 32
ALLOWED_HOSTS_ENV = "HAMILTON_TRACKING_ALLOWED_HOSTS"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
_QUEUE_WAIT = 0.25  # seconds a new connection may wait for a free worker before it gets a 503
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self'"
_BUSY_TEXT = b"The tracking UI is busy: too many open connections. Retry in a moment.\n"
_BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s" % (len(_BUSY_TEXT), _BUSY_TEXT)
)


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``"name:port"``/``"[v6]:port"``/``"name"`` as (lower-case name, port or None); None if malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else None
    else:
        name, colon, port_text = value.partition(":")
        port_text = port_text if colon else None
    if not name or any(c in name for c in "/\\@ ?#[]"):
        return None
    if port_text is None:
        return name, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


def _configured_hosts(allowed_hosts: Iterable[str] | None) -> list[str]:
    if allowed_hosts is None:
        allowed_hosts = os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")
    return [host.strip() for host in allowed_hosts if host.strip()]


class TrackingServer(ThreadingHTTPServer):
    """An HTTP server bound to one tracking database; ``url`` is where it listens.

    It answers only requests whose ``Host`` is the address it is bound to (or a loopback name
    on its port, or one of ``allowed_hosts``): a page on another site that rebinds its own
    hostname to 127.0.0.1 must not read recorded inputs and results. Each connection times out
    after ``timeout`` idle seconds and at most ``max_workers`` are served at once (others get a
    503), so silent sockets cannot pile up threads.
    """

    daemon_threads = True

    def __init__(
        self,
        store: TrackingStore,
        address: tuple[str, int],
        *,
        allowed_hosts: Iterable[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_workers: int = DEFAULT_MAX_WORKERS,
    ):
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers}.")
        self.store = store
        self.request_timeout = timeout
        self._workers = threading.BoundedSemaphore(max_workers)
        self._extra_hosts: list[tuple[str, int | None]] = []
        for host in _configured_hosts(allowed_hosts):
            parsed = _split_host(host)
            if parsed is None:
                raise ValueError(
                    f"Allowed host {host!r} is not a host name, 'name:port' or '[ipv6]:port'; "
                    f"fix it in allowed_hosts or ${ALLOWED_HOSTS_ENV}."
                )
            self._extra_hosts.append(parsed)
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    def host_allowed(self, host_header: str | None) -> bool:
        """Whether a request's ``Host`` (or an ``Origin``'s host part) names this server."""
        parsed = _split_host(host_header) if host_header else None
        if parsed is None:
            return False
        name, port = parsed
        own_port = self.server_address[1]
        if name in (*_LOOPBACK_NAMES, str(self.server_address[0]).lower()):
            return port == own_port or (port is None and own_port == 80)
        return any(name == extra and extra_port in (None, port) for extra, extra_port in self._extra_hosts)

    def origin_allowed(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and not parts.path.strip("/") and self.host_allowed(parts.netloc)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._workers.acquire(timeout=_QUEUE_WAIT):
            try:  # answered from the accepting thread: short and bounded
                request.settimeout(1.0)
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._workers.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._workers.release()


def _static_file(name: str) -> bytes | None:
    if name not in {"style.css", "app.js"}:  # a fixed list: no path ever reaches the file system
        return None
    return resources.files("hamilton.plugins.tracking").joinpath("static", name).read_bytes()


class _Handler(BaseHTTPRequestHandler):
    server: TrackingServer
    server_version = "HamiltonTracking/0.1"
    _head_only = False

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # StreamRequestHandler applies it to the socket
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and terminals stay clean
        if os.environ.get("HAMILTON_TRACKING_UI_LOG"):
            super().log_message(format, *args)

    def parse_request(self) -> bool:
        """Refuses, before any method runs, a foreign ``Host`` (DNS rebinding) and, for anything
        but GET/HEAD, a foreign ``Origin`` (cross-site writes)."""
        if not super().parse_request():
            return False
        if not self.server.host_allowed(self.headers.get("Host")):
            self.close_connection = True
            self._refuse(
                HTTPStatus.MISDIRECTED_REQUEST,
                "This tracking UI answers only requests addressed to its own address "
                f"({self.server.url}, or localhost/127.0.0.1/[::1] on its port). To reach it under "
                f"another name, list that name in ${ALLOWED_HOSTS_ENV} (comma-separated) or pass "
                "--allow-host.",
            )
            return False
        origin = self.headers.get("Origin")
        if self.command not in ("GET", "HEAD") and origin is not None and not self.server.origin_allowed(origin):
            self.close_connection = True
            self._refuse(HTTPStatus.FORBIDDEN, "Requests from other sites are refused.")
            return False
        return True

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self._head_only = self.command == "HEAD"
        self._send(status, message + "\n", "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:
        self._head_only = True
        self.do_GET()

    def do_GET(self) -> None:
        try:
            self._route()
        except Exception as error:  # a broken database must give a readable answer, not a dropped socket
            if urlsplit(self.path).path.startswith("/api/"):
                self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"{type(error).__name__}: {error}"})
                return
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
        if not self._head_only:
            self.wfile.write(payload)


def make_server(
    path: str | os.PathLike | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    allowed_hosts: Iterable[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_workers: int = DEFAULT_MAX_WORKERS,
) -> TrackingServer:
    """A server over the database at ``path``, bound but not yet serving (``port=0``: any free
    port; read it from ``server.url``). Call ``serve_forever()``, then ``shutdown()``.

    ``allowed_hosts``: further names (``"name"``: any port, or ``"name:port"``) the server answers
    to besides its own address and the loopback names; default ``$HAMILTON_TRACKING_ALLOWED_HOSTS``
    (comma-separated). ``timeout``: seconds a connection may stay silent. ``max_workers``:
    connections served at once."""
    return TrackingServer(
        TrackingStore(path), (host, port), allowed_hosts=allowed_hosts, timeout=timeout, max_workers=max_workers
    )


def serve(
    path: str | os.PathLike | None,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    *,
    allowed_hosts: Iterable[str] | None = None,
) -> None:
    """Serve the UI for the tracking database at ``path`` until interrupted (Ctrl+C)."""
    try:
        server = make_server(path, host, port, allowed_hosts=allowed_hosts)
    except OSError as error:
        raise OSError(
            pages.terminal_text(
                f"Cannot serve the tracking UI on {host}:{port} ({error.strerror or error}). "
                "Choose another port (--port)."
            )
        ) from error
    print(
        pages.terminal_text(f"Hamilton tracking UI for {server.store.db_file}: {server.url} (Ctrl+C to stop)"),
        file=sys.stderr,
    )
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
