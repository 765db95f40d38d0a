"""`hamilton plugins` (new in 2.0) and `hamilton ui` (serves hamilton-tracking's UI)."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import console_script, invoke, run_script, write

from hamilton import plugins

TRACKING_PRESENT = importlib.util.find_spec("hamilton.plugins.tracking") is not None


def test_plugins_lists_core_with_its_version() -> None:
    run = invoke("plugins")
    assert run.exit_code == 0, run
    core = next(line for line in run.stdout.splitlines() if line.startswith("core "))
    assert "loaded" in core
    assert "apache-hamilton 2.0" in core


def test_plugins_json_out_matches_list_plugins() -> None:
    run = invoke("--json-out", "plugins")
    assert run.exit_code == 0, run
    response = run.json()
    assert response["command"] == "plugins"
    assert response["success"] is True
    listed = {info["name"]: info for info in response["message"]}
    expected = {info.name: info for info in plugins.list_plugins()}
    assert set(listed) == set(expected)
    for name, info in expected.items():
        assert listed[name]["distribution"] == info.distribution
        assert listed[name]["version"] == info.version
        assert listed[name]["status"] == info.status


def test_plugins_shows_a_failing_plugin(tmp_path: Path) -> None:
    """A real distribution whose plugin cannot import: listed as failed, with the error, exit 0."""
    site = tmp_path / "site"
    write(site / "broken_hamilton_plugin.py", "raise RuntimeError('this plugin is broken on purpose')\n")
    info = site / "broken_hamilton_plugin-1.2.3.dist-info"
    write(info / "METADATA", "Metadata-Version: 2.1\nName: broken-hamilton-plugin\nVersion: 1.2.3\n")
    write(info / "entry_points.txt", "[hamilton.plugins]\nbroken = broken_hamilton_plugin\n")
    run = run_script("--json-out", "plugins", env={"PYTHONPATH": str(site)})
    assert run.exit_code == 0, run
    broken = next(entry for entry in run.json()["message"] if entry["name"] == "broken")
    assert broken["status"] == "failed"
    assert broken["distribution"] == "broken-hamilton-plugin"
    assert broken["version"] == "1.2.3"
    assert "broken on purpose" in broken["reason"]
    text = run_script("plugins", env={"PYTHONPATH": str(site)})
    assert "broken-hamilton-plugin 1.2.3" in text.stdout
    assert "Traceback" not in text.stderr


def test_plugins_no_load_only_lists(tmp_path: Path) -> None:
    run = run_script("--json-out", "plugins", "--no-load")
    assert run.exit_code == 0, run
    statuses = {entry["name"]: entry["status"] for entry in run.json()["message"]}
    assert statuses["core"] == "available"


def test_ui_without_hamilton_tracking_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hamilton.plugins.tracking", None)  # as if not installed
    run = invoke("ui", "--no-open")
    assert run.exit_code == 1, run
    response = run.failure()
    assert response["command"] == "ui"
    assert response["message"]["details"].endswith('pip install "apache-hamilton[tracking]"')
    assert "Traceback" not in run.stderr


def test_ui_accepts_1x_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hamilton.plugins.tracking", None)
    run = invoke(
        "ui", "--port", "9000", "--base-dir", "/tmp/x", "--no-migration", "--settings-file", "dev", "--config-file", "c"
    )
    assert run.exit_code == 1, run  # parsed fine; fails only because the UI is not installed
    assert "Ignoring --no-migration, --settings-file, --config-file" in run.stderr


SERVE_RECORDER = """
import json, os

def serve(path, host="127.0.0.1", port=8241, open_browser=True):
    with open(os.environ["SERVE_RECORD"], "w") as handle:
        json.dump({"path": path, "host": host, "port": port, "open_browser": open_browser}, handle)
"""


@pytest.mark.skipif(TRACKING_PRESENT, reason="hamilton-tracking is installed: test_ui_serves_for_real covers it")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], {"path": None, "host": "127.0.0.1", "port": 8241, "open_browser": True}),
        (
            ["--port", "9123", "--no-open", "--base-dir", "~/runs"],
            {"path": str(Path("~/runs").expanduser()), "host": "127.0.0.1", "port": 9123, "open_browser": False},
        ),
    ],
)
def test_ui_calls_tracking_serve(tmp_path: Path, args: list[str], expected: dict) -> None:
    """Only the call is checked here (hamilton-tracking is absent): a stand-in `serve` records it."""
    layer = tmp_path / "layer"  # a separate sys.path folder, as an AWS Lambda layer would be
    write(layer / "hamilton" / "plugins" / "tracking" / "__init__.py", "")
    write(layer / "hamilton" / "plugins" / "tracking" / "ui.py", SERVE_RECORDER)
    record = tmp_path / "serve.json"
    run = run_script("ui", *args, env={"PYTHONPATH": str(layer), "SERVE_RECORD": str(record)})
    assert run.exit_code == 0, run
    assert json.loads(record.read_text()) == expected


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not TRACKING_PRESENT, reason="hamilton-tracking is not installed")
def test_ui_serves_for_real(tmp_path: Path) -> None:
    from hamilton.plugins.tracking import ui

    assert callable(ui.serve)
    port = _free_port()
    server = subprocess.Popen(
        [console_script(), "ui", "--port", str(port), "--no-open", "--base-dir", str(tmp_path / "tracking")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        while True:  # until it listens, or it exits (then the test fails with its output)
            assert server.poll() is None, server.communicate()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                    assert response.status == 200
                    break
            except OSError:
                time.sleep(0.05)  # not listening yet
    finally:
        server.terminate()
        server.communicate()
