"""The UI server against hostile clients: rebound hostnames, cross-site writes, idle sockets, a
broken database; and the command line against recorded terminal escape sequences."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading

import pytest
from tracking_flows import basic

from hamilton import driver
from hamilton.plugins.tracking import LocalTracker, TrackingStore
from hamilton.plugins.tracking.ui import make_server

FAILSAFE = 30.0  # seconds; only so that a broken server fails the test instead of hanging it


@pytest.fixture
def serving(tracking_dir):
    """Starts a server with the given options; every server is shut down after the test."""
    servers = []

    def start(**options):
        server = make_server(tracking_dir, "127.0.0.1", 0, **options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def request(
    server, method: str = "GET", path: str = "/", host: str | None = None, headers: dict | None = None
) -> tuple[int, dict, bytes]:
    """One request with exactly the ``Host`` given (default: the address the server is bound to)."""
    address, port = server.server_address[:2]
    connection = http.client.HTTPConnection(address, port, timeout=FAILSAFE)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"{address}:{port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def record_run(tracking_dir) -> str:
    tracker = LocalTracker(path=tracking_dir, project="alpha")
    driver.Builder().with_modules(basic).with_adapters(tracker).build().execute(["total"], inputs={"count": 2})
    [run] = TrackingStore(tracking_dir).runs()
    return run.run_id


# --- DNS rebinding ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/runs", "/runs/{run}", "/api/runs/{run}", "/static/app.js"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_foreign_host_header_is_refused(tracking_dir, serving, path, method):
    run_id = record_run(tracking_dir)
    server = serving()
    port = server.server_address[1]
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.attacker.example:{port}", ""):
        status, _, body = request(server, method, path.format(run=run_id), host=host)
        assert status in (400, 421), host
        assert run_id.encode() not in body
        assert b"alpha" not in body


def test_a_missing_host_header_is_refused(serving):
    server = serving()
    with socket.create_connection(server.server_address[:2], timeout=FAILSAFE) as client:
        client.sendall(b"GET /api/runs HTTP/1.0\r\n\r\n")
        answer = b"".join(iter(lambda: client.recv(4096), b""))
    assert answer.split(b"\r\n")[0].split()[1] in (b"400", b"421")


def test_the_loopback_names_of_the_bound_port_are_served(tracking_dir, serving):
    run_id = record_run(tracking_dir)
    server = serving()
    port = server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, _, body = request(server, "GET", "/api/runs", host=host)
        assert status == 200, host
        assert json.loads(body)["runs"][0]["run_id"] == run_id
    # The same name on another port is another origin.
    assert request(server, "GET", "/api/runs", host=f"localhost:{port + 1}")[0] in (400, 421)


def test_other_hosts_can_be_allowed_by_option_or_environment(tracking_dir, serving, monkeypatch):
    record_run(tracking_dir)
    server = serving(allowed_hosts=["tracking.internal", "box.lan:8080"])  # e.g. behind a proxy
    assert request(server, host="tracking.internal")[0] == 200
    assert request(server, host="tracking.internal:443")[0] == 200
    assert request(server, host="box.lan:8080")[0] == 200
    assert request(server, host="box.lan:1")[0] in (400, 421)
    assert request(server, host="attacker.example")[0] in (400, 421)
    with pytest.raises(ValueError, match="HAMILTON_TRACKING_ALLOWED_HOSTS"):
        make_server(tracking_dir, "127.0.0.1", 0, allowed_hosts=["http://tracking.internal/"])

    monkeypatch.setenv("HAMILTON_TRACKING_ALLOWED_HOSTS", "tracking.internal, other.lan")
    server = serving()
    assert request(server, host="other.lan")[0] == 200
    assert request(server, host="attacker.example")[0] in (400, 421)


def test_the_command_line_allows_hosts_with_allow_host(tracking_dir):
    record_run(tracking_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "hamilton.plugins.tracking", "ui", "--path", str(tracking_dir), "--port", "0"]
        + ["--allow-host", "box.lan", "--allow-host", "other.lan:8080"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", process.stderr.readline()).group(1))

        class Bound:  # what request() needs of a server
            server_address = ("127.0.0.1", port)

        assert request(Bound, host="box.lan")[0] == 200
        assert request(Bound, host="other.lan:8080")[0] == 200
        assert request(Bound, host="attacker.example")[0] == 421
    finally:
        process.terminate()
        process.wait()
        process.stderr.close()


def test_writes_from_a_foreign_origin_are_refused(serving):
    server = serving()
    address, port = server.server_address[:2]
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        status, _, _ = request(server, method, "/api/runs", headers={"Origin": "http://attacker.example"})
        assert status in (400, 403, 421), method
        status, _, _ = request(server, method, "/api/runs", headers={"Origin": "null"})
        assert status in (400, 403, 421), method
        # The page's own origin gets as far as the router, which has no writes: 501.
        assert request(server, method, "/api/runs", headers={"Origin": f"http://{address}:{port}"})[0] == 501
        assert request(server, method, "/api/runs")[0] == 501
        # A foreign Host is refused whatever the method.
        assert request(server, method, "/api/runs", host="attacker.example")[0] in (400, 421)


# --- idle and too many connections ------------------------------------------------------------


def test_an_idle_connection_is_closed(serving):
    server = serving(timeout=0.5)
    with socket.create_connection(server.server_address[:2], timeout=FAILSAFE) as client:
        assert client.recv(1) == b""  # EOF: the server gave up on the silent client


def test_a_client_that_stalls_mid_request_is_closed(serving):
    server = serving(timeout=0.5)
    with socket.create_connection(server.server_address[:2], timeout=FAILSAFE) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        b"".join(iter(lambda: client.recv(4096), b""))  # returns at EOF; the failsafe raises otherwise


def test_workers_are_bounded_and_extra_connections_get_503(serving):
    server = serving(max_workers=1, timeout=FAILSAFE)
    idle = socket.create_connection(server.server_address[:2], timeout=FAILSAFE)
    try:
        idle.sendall(b"GET / HTTP/1.1\r\n")  # takes the only worker and keeps it
        status, headers, _ = request(server, "GET", "/api/runs")
        assert status == 503
        assert "Retry-After" in headers
    finally:
        idle.close()
    for _ in range(200):  # the worker is released once it sees the closed socket
        if request(server, "GET", "/api/runs")[0] == 200:
            break
    else:
        pytest.fail("the worker was never released")


# --- HEAD and errors --------------------------------------------------------------------------


def test_head_mirrors_get_without_a_body(tracking_dir, serving):
    run_id = record_run(tracking_dir)
    server = serving()
    for path in ("/", "/api/runs", f"/runs/{run_id}", f"/api/runs/{run_id}", "/static/style.css", "/nowhere"):
        get_status, get_headers, get_body = request(server, "GET", path)
        head_status, head_headers, head_body = request(server, "HEAD", path)
        assert head_status == get_status, path
        assert head_body == b""
        assert head_headers["Content-Type"] == get_headers["Content-Type"]
        assert head_headers["Content-Length"] == str(len(get_body))


def test_a_broken_database_gives_json_errors_on_the_api_and_html_pages_elsewhere(tracking_dir, serving):
    tracking_dir.mkdir()
    (tracking_dir / "tracking.db").write_bytes(b"this is not a SQLite database" * 100)
    server = serving()
    for path in ("/api/runs", "/api/runs/some-run"):
        status, headers, body = request(server, "GET", path)
        assert status == 500
        assert headers["Content-Type"].startswith("application/json")
        assert "database" in json.loads(body)["error"]
        head_status, _, head_body = request(server, "HEAD", path)
        assert (head_status, head_body) == (500, b"")
    status, headers, body = request(server, "GET", "/")
    assert status == 500
    assert headers["Content-Type"].startswith("text/html")


# --- terminal escapes on the command line -----------------------------------------------------

HOSTILE = "\x1b[2J\rowned\x07\u202e"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Output decoded without newline translation, so that a raw ``\\r`` stays visible."""
    completed = subprocess.run(
        [sys.executable, "-m", "hamilton.plugins.tracking", *args], capture_output=True, timeout=FAILSAFE
    )
    completed.stdout, completed.stderr = completed.stdout.decode(), completed.stderr.decode()
    return completed


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text
    assert "\r" not in text
    assert "\x07" not in text
    assert "\u202e" not in text


def test_runs_listing_escapes_control_characters(tracking_dir):
    tracker = LocalTracker(path=tracking_dir, project=HOSTILE)
    dr = driver.Builder().with_modules(basic).with_adapters(tracker).build()
    with pytest.raises(ValueError):
        dr.execute(["report"], inputs={"count": 3, "fail": True})
    # A database written by someone else: any recorded string may carry escape sequences.
    with sqlite3.connect(tracking_dir / "tracking.db") as connection:
        connection.execute(
            "UPDATE runs SET final_vars = ?, run_id = ?, error_message = ?",
            (json.dumps([HOSTILE + "node"]), "run" + HOSTILE, HOSTILE + "error"),
        )
    connection.close()

    listed = run_cli("runs", "--path", str(tracking_dir))
    assert listed.returncode == 0, listed.stderr
    assert_terminal_safe(listed.stdout)
    assert listed.stdout.count("\\x1b[2J\\rowned\\x07\\u202e") == 3  # project, run id, node name
    assert len(listed.stdout.splitlines()) == 1

    as_json = run_cli("runs", "--path", str(tracking_dir), "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert_terminal_safe(as_json.stdout)
    assert json.loads(as_json.stdout)[0]["project"] == HOSTILE


def test_cli_errors_and_banner_escape_control_characters(tmp_path):
    hostile_dir = tmp_path / f"dir{HOSTILE}"
    hostile_dir.mkdir()
    (hostile_dir / "tracking.db").write_bytes(b"not a database" * 100)
    listed = run_cli("runs", "--path", str(hostile_dir))
    assert listed.returncode != 0
    assert_terminal_safe(listed.stdout + listed.stderr)
    assert "Traceback" not in listed.stderr
    assert "tracking.db" in listed.stderr

    quiet_dir = tmp_path / f"empty{HOSTILE}"
    process = subprocess.Popen(
        [sys.executable, "-m", "hamilton.plugins.tracking", "ui", "--path", str(quiet_dir), "--port", "0"],
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        banner = process.stderr.readline().decode()
    finally:
        process.terminate()
        process.wait()
        process.stderr.close()
    assert "\\x1b[2J" in banner
    assert_terminal_safe(banner)
