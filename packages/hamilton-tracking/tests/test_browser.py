"""The pages in a real headless Chromium: the DOM after app.js ran (``--dump-dom``).

Chromium is /usr/bin/chromium, or $HAMILTON_CHROMIUM. Skipped when it is missing, unless
HAMILTON_REQUIRE_BROWSER=1 (then it fails).
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from pathlib import Path

import pytest
from tracking_flows import basic, hostile

from hamilton import driver
from hamilton.plugins.tracking import LocalTracker, TrackingStore
from hamilton.plugins.tracking.ui import make_server

CHROMIUM = Path(os.environ.get("HAMILTON_CHROMIUM", "/usr/bin/chromium"))
PAYLOAD = '<img src=x onerror="document.body.dataset.pwned=1">'


@pytest.fixture(scope="module")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("HAMILTON_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HAMILTON_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} is not installed")


@pytest.fixture
def server(tracking_dir):
    server = make_server(tracking_dir, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def dump_dom(chromium: Path, url: str, profile: Path, *extra: str) -> str:
    completed = subprocess.run(
        [
            str(chromium),
            *extra,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def body_tag(dom: str) -> str:
    return re.search(r"<body[^>]*>", dom).group(0)


def test_the_run_list_is_filtered_and_localised_by_its_script(chromium, tracking_dir, server, tmp_path):
    for project in ("alpha", "beta"):
        tracker = LocalTracker(path=tracking_dir, project=project)
        driver.Builder().with_modules(basic).with_adapters(tracker).build().execute(["total"], inputs={"count": 2})

    dom = dump_dom(chromium, server.url + "#q=alpha", tmp_path / "profile")
    assert 'data-ready="1"' in body_tag(dom)
    rows = re.findall(r'<tr class="run-row"[^>]*>', dom)
    assert len(rows) == 2
    hidden = {re.search(r'data-project="(\w+)"', row).group(1): "hidden" in row for row in rows}
    assert hidden == {"alpha": False, "beta": True}
    assert re.search(r'<span id="shown"[^>]*>1 of 2 runs</span>', dom)
    assert dom.count('data-local="1"') == 2  # both start times rewritten in the browser's time zone
    assert 'value="alpha"' not in dom  # the filter's value is a property, set from the URL hash
    assert re.search(r'<input id="filter"', dom)


def test_hostile_strings_stay_inert_in_the_run_page(chromium, tracking_dir, server, tmp_path):
    tracker = LocalTracker(path=tracking_dir, project=PAYLOAD)
    dr = driver.Builder().with_modules(hostile).with_adapters(tracker).build()
    with pytest.raises(RuntimeError):
        dr.execute(["exploded"], inputs={"text": PAYLOAD, "explode": True})
    [run] = TrackingStore(tracking_dir).runs()

    for url in (f"{server.url}runs/{run.run_id}", server.url):
        dom = dump_dom(chromium, url, tmp_path / "profile")
        body = body_tag(dom)
        assert 'data-ready="1"' in body  # app.js ran...
        assert "pwned" not in body  # ...and nothing recorded did
        assert "<img" not in dom
        assert "&lt;img src=x" in dom
    assert "<script>document.body" not in dom
    detail = dump_dom(chromium, f"{server.url}runs/{run.run_id}", tmp_path / "profile")
    assert re.search(r'<tr class="node-row" data-node="exploded" data-status="failure">', detail)
    assert "RuntimeError" in detail
    assert "traceback" in detail


def test_a_rebound_hostname_gets_no_data(chromium, tracking_dir, server, tmp_path):
    """DNS rebinding: the browser resolves a foreign name to 127.0.0.1; the server refuses it."""
    tracker = LocalTracker(path=tracking_dir, project="secret-project")
    driver.Builder().with_modules(basic).with_adapters(tracker).build().execute(["total"], inputs={"count": 2})
    port = server.server_address[1]
    rebinding = "--host-resolver-rules=MAP attacker.test 127.0.0.1"
    dom = dump_dom(chromium, f"http://attacker.test:{port}/api/runs", tmp_path / "profile", rebinding)
    assert "secret-project" not in dom
    assert "answers only requests addressed to its own address" in dom
    dom = dump_dom(chromium, f"http://localhost:{port}/api/runs", tmp_path / "profile", rebinding)
    assert "secret-project" in dom
