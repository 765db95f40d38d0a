"""The UI server bound to 127.0.0.1 on a free port, fetched with urllib."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tracking_flows import basic, hostile

from hamilton import driver
from hamilton.plugins.tracking import LocalTracker, TrackingStore
from hamilton.plugins.tracking.ui import make_server


@pytest.fixture
def server(tracking_dir):
    server = make_server(tracking_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def record_runs(tracking_dir) -> tuple[str, str]:
    """A successful run in project "alpha" and a failing one in "beta"; returns their ids."""
    alpha = driver.Builder().with_modules(basic).with_adapters(LocalTracker(path=tracking_dir, project="alpha"))
    alpha.build().execute(["report"], inputs={"count": 3})
    beta = driver.Builder().with_modules(basic).with_adapters(LocalTracker(path=tracking_dir, project="beta"))
    with pytest.raises(ValueError):
        beta.build().execute(["report"], inputs={"count": 3, "fail": True})
    failing, succeeding = TrackingStore(tracking_dir).runs()
    return succeeding.run_id, failing.run_id


class _Elements(HTMLParser):
    """Collects start tags and text, to check a page's structure rather than its bytes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def test_the_run_list_shows_runs_newest_first_and_filters_by_project(tracking_dir, server):
    succeeding, failing = record_runs(tracking_dir)
    status, content_type, page = fetch(server.url)
    assert status == 200
    assert content_type.startswith("text/html")
    rows = [attrs for tag, attrs in parse(page).tags if tag == "tr" and "data-run-id" in attrs]
    assert [(r["data-run-id"], r["data-status"], r["data-project"]) for r in rows] == [
        (failing, "failure", "beta"),
        (succeeding, "success", "alpha"),
    ]
    assert "ValueError: mean 1.0 rejected on purpose" in page
    assert "4 (1 failed)" in "".join(parse(page).text)
    _, _, only_alpha = fetch(server.url + "?project=alpha")
    assert succeeding in only_alpha
    assert failing not in only_alpha
    _, _, only_failures = fetch(server.url + "?status=failure")
    assert failing in only_failures
    assert succeeding not in only_failures


def test_the_run_page_shows_nodes_in_order_with_waterfall_results_and_tracebacks(tracking_dir, server):
    _, failing = record_runs(tracking_dir)
    status, _, page = fetch(f"{server.url}runs/{failing}")
    assert status == 200
    elements = parse(page)
    nodes = [attrs for tag, attrs in elements.tags if tag == "tr" and "data-node" in attrs]
    assert [(n["data-node"], n["data-status"]) for n in nodes] == [
        ("numbers", "success"),
        ("total", "success"),
        ("mean", "success"),
        ("checked", "failure"),
    ]
    bars = [attrs["style"] for tag, attrs in elements.tags if tag == "div" and "bar" in attrs.get("class", "")]
    assert len(bars) == 4
    assert all(re.fullmatch(r"margin-left:[\d.]+%;width:[\d.]+%", bar) for bar in bars)
    text = "".join(elements.text)
    assert "first failing node: checked" in text
    assert 'raise ValueError(f"mean {mean} rejected on purpose")' in text  # the traceback
    assert "[0, 1, 2]" in text
    assert "len 3" in text
    assert "tracking_flows.basic:" in text  # where each node is defined


def test_json_endpoints(tracking_dir, server):
    succeeding, failing = record_runs(tracking_dir)
    status, content_type, body = fetch(server.url + "api/runs")
    assert status == 200
    assert content_type.startswith("application/json")
    listing = json.loads(body)
    assert [r["run_id"] for r in listing["runs"]] == [failing, succeeding]
    assert listing["projects"] == ["alpha", "beta"]
    assert listing["runs"][0]["failed_count"] == 1
    assert listing["runs"][0]["duration"] >= 0
    assert [r["run_id"] for r in json.loads(fetch(server.url + "api/runs?project=alpha")[2])["runs"]] == [succeeding]
    run = json.loads(fetch(f"{server.url}api/runs/{failing}")[2])
    assert run["failed_node"] == "checked"
    assert run["nodes"][-1]["error"]["type"] == "ValueError"
    assert run["nodes"][0]["result"] == {"type": "list", "repr": "[0, 1, 2]", "size": "len 3"}
    assert {n["name"] for n in run["graph"]} >= {"numbers", "total", "mean", "checked", "report", "count"}


def test_unknown_runs_and_paths_are_404_pages(tracking_dir, server):
    record_runs(tracking_dir)
    status, content_type, page = fetch(server.url + "runs/%3Cb%3Eno-such-run")
    assert status == 404
    assert content_type.startswith("text/html")
    assert "&lt;b&gt;no-such-run" in page
    assert "<b>no-such-run" not in page
    status, content_type, body = fetch(server.url + "api/runs/no-such-run")
    assert status == 404
    assert "no-such-run" in json.loads(body)["error"]
    assert fetch(server.url + "elsewhere")[0] == 404


def test_static_files_come_only_from_the_package(server):
    status, content_type, script = fetch(server.url + "static/app.js")
    assert status == 200
    assert content_type.startswith("text/javascript")
    assert "textContent" in script
    assert fetch(server.url + "static/style.css")[0] == 200
    for path in ("static/../store.py", "static/%2e%2e/store.py", "static/store.py", "static/"):
        assert fetch(server.url + path)[0] == 404


def test_an_empty_location_says_how_to_start(server):
    status, _, page = fetch(server.url)
    assert status == 200
    assert "No runs recorded" in page
    assert "LocalTracker()" in page


_PAYLOADS = [
    '<img src=x onerror="document.body.dataset.pwned=1">',
    "</td></tr></table><script>document.body.dataset.pwned=1</script>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    "<b>bold</b>&amp;<i>",
]
_any_text = st.text(
    alphabet=st.one_of(st.sampled_from("<>&\"'/=;`\\ \n\t"), st.characters(blacklist_categories=("Cs",))),
    max_size=30,
)
_hostile_text = st.one_of(
    _any_text,
    st.builds(
        lambda before, payload, after: before + payload + after, _any_text, st.sampled_from(_PAYLOADS), _any_text
    ),
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_hostile_text)
def test_user_provided_strings_are_escaped_everywhere(tracking_dir, server, text):
    tracker = LocalTracker(path=tracking_dir, project=text)
    dr = driver.Builder().with_modules(hostile).with_config({"setting": text}).with_adapters(tracker).build()
    dr.execute(["exploded"], inputs={"text": text})
    with pytest.raises(RuntimeError):
        dr.execute(["exploded"], inputs={"text": text, "explode": True})
    failing, succeeding = TrackingStore(tracking_dir).runs(project=text, limit=2)

    pages = [
        fetch(server.url + "?" + urllib.parse.urlencode({"project": text}))[2],
        fetch(f"{server.url}runs/{succeeding.run_id}")[2],
        fetch(f"{server.url}runs/{failing.run_id}")[2],
    ]
    for page in pages:
        elements = parse(page)
        # Only the page's own elements: nothing the recorded strings could have smuggled in.
        assert {tag for tag, _ in elements.tags} <= {
            "html", "head", "meta", "title", "link", "script", "body", "header", "a", "main", "h1", "h2",
            "nav", "p", "input", "span", "table", "thead", "tbody", "tr", "th", "td", "code", "time",
            "div", "dl", "dt", "dd", "strong", "pre", "details", "summary",
        }  # fmt: skip
        assert [attrs.get("src") for tag, attrs in elements.tags if tag == "script"] == ["/static/app.js"]
        assert all(not key.startswith("on") for _, attrs in elements.tags for key in attrs)
        assert html.escape(text) in page or html.escape(text).replace("\n", "") in page.replace("\n", "")
    text_of_failure = "".join(parse(pages[2]).text)  # the parser decodes character references
    assert text in text_of_failure  # the error message survives, as text
    assert json.loads(fetch(f"{server.url}api/runs/{failing.run_id}")[2])["project"] == text


def test_the_command_line_serves_and_lists(tracking_dir):
    record_runs(tracking_dir)
    listed = subprocess.run(
        [sys.executable, "-m", "hamilton.plugins.tracking", "runs", "--path", str(tracking_dir), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert [r["project"] for r in json.loads(listed.stdout)] == ["beta", "alpha"]
    process = subprocess.Popen(
        [sys.executable, "-m", "hamilton.plugins.tracking", "ui", "--path", str(tracking_dir), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        banner = process.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", banner).group(0)
        status, _, page = fetch(url)
        assert status == 200
        assert "alpha" in page
        assert "beta" in page
    finally:
        process.terminate()
        process.wait()
        process.stderr.close()


def test_serve_keeps_the_signature_the_hamilton_cli_calls():
    import inspect

    from hamilton.plugins.tracking.ui import serve

    parameters = inspect.signature(serve).parameters
    assert list(parameters)[:4] == ["path", "host", "port", "open_browser"]
    assert all(p.kind is p.KEYWORD_ONLY and p.default is not p.empty for p in list(parameters.values())[4:])
    assert [parameters[name].default for name in ("host", "port", "open_browser")] == ["127.0.0.1", 8241, False]
