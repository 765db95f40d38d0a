"""A tiny local shop API, with the standard library only, so the example needs no network.

Every request waits ``latency`` seconds before answering (a slow backend), which is what makes
concurrency visible. The server counts the requests it is answering at the same moment and
remembers the highest count: the number the example (and its test) checks against the limit.

Paths:

* ``/items/<id>``: ``{"id": ..., "name": ..., "price": ...}``, or 404 for an unknown id;
* ``/items/<id>/stock``: ``{"id": ..., "in_stock": ...}``;
* ``/items/<id>/reviews``: ``{"id": ..., "stars": [...]}``.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
import time

NAMES = ["kettle", "teapot", "mug", "saucer", "spoon", "strainer", "tray", "cosy", "jar", "scoop", "whisk", "timer"]
CATALOG = {
    item_id: {"id": item_id, "name": name, "price": round(4.5 + 1.25 * item_id, 2)}
    for item_id, name in enumerate(NAMES, start=1)
}
PATH = re.compile(r"^/items/(\d+)(/stock|/reviews)?$")


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # a thread per request, never keeping the process alive
    request_queue_size = 64  # the default listen backlog (5) would drop connections when many arrive at once


class ItemServer:
    """``with ItemServer(latency=0.05) as server:`` serves on ``server.base_url`` until the block ends."""

    def __init__(self, latency: float):
        self.latency = latency
        self.requests = 0
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="item-server", daemon=True)
        host, port = self._httpd.server_address[:2]
        self.base_url = f"http://{host}:{port}"

    def __enter__(self) -> ItemServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()  # stops serve_forever, then the socket is closed
        self._httpd.server_close()
        self._thread.join()

    def reset_stats(self) -> None:
        """Start counting afresh (one count per part of the example)."""
        with self._lock:
            self.requests = 0
            self.max_in_flight = 0

    def _answer(self, path: str) -> tuple[int, dict]:
        """What to send back for ``path``, after the artificial latency."""
        with self._lock:
            self.requests += 1
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            time.sleep(self.latency)
            match = PATH.match(path)
            item = CATALOG.get(int(match.group(1))) if match else None
            if item is None:
                return 404, {"error": f"no such item: {path}"}
            if match.group(2) == "/stock":
                return 200, {"id": item["id"], "in_stock": (item["id"] * 7) % 11}
            if match.group(2) == "/reviews":
                return 200, {"id": item["id"], "stars": [5, 4, 4 + item["id"] % 2]}
            return 200, item
        finally:
            with self._lock:
                self._in_flight -= 1

    def _handler_class(self) -> type[http.server.BaseHTTPRequestHandler]:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, payload = server._answer(self.path)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep the example's output to its report

        return Handler
