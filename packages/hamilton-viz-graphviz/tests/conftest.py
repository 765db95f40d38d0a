"""Shared fixtures and helpers: drivers over gv_flows, and reading what `dot` made of a drawing."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from typing import Any

import frame_backend
import pytest
from hypothesis import configuration, settings

from hamilton import driver, plugins

_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="hamilton-viz-graphviz-hypothesis-")
configuration.set_hypothesis_home_dir(_HYPOTHESIS_HOME)
# CI explores the same examples on every run (derandomize): a property test that finds a new
# counterexample by chance fails a local run, where it can be fixed, not an unrelated CI run.
settings.register_profile("ci", deadline=None, print_blob=True, database=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

plugins.register(frame_backend, name="viz-graphviz-tests-frame")  # before gv_flows is built

import gv_flows  # noqa: E402  (needs the frame backend)

REQUIRE_DOT_ENV = "HAMILTON_REQUIRE_DOT"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    shutil.rmtree(_HYPOTHESIS_HOME, ignore_errors=True)


@pytest.fixture
def dot_program() -> None:
    """For tests that run Graphviz's `dot`: skipped where it is not installed, unless
    HAMILTON_REQUIRE_DOT is set (as in CI), where that is a failure, so CI cannot pass by skipping."""
    if shutil.which("dot") is None:
        reason = "Graphviz's `dot` program is not installed (apt-get/brew/conda install graphviz)"
        if os.environ.get(REQUIRE_DOT_ENV, "") not in ("", "0"):
            pytest.fail(f"{reason}; {REQUIRE_DOT_ENV} is set, so this is a failure, not a skip")
        pytest.skip(reason)


needs_dot = pytest.mark.usefixtures("dot_program")


@pytest.fixture
def dr() -> driver.Driver:
    """A driver over gv_flows with config mode=fast and dynamic execution (Parallelizable/Collect)."""
    return (
        driver.Builder()
        .with_modules(gv_flows)
        .with_config({"mode": "fast"})
        .enable_dynamic_execution(allow_experimental_mode=True)
        .build()
    )


class Layout:
    """What `dot` made of a drawing (its JSON output): node and edge attributes by name."""

    def __init__(self, dot: Any):
        document = json.loads(dot.pipe(format="json"))
        objects = document.get("objects", [])
        self.clusters = {o["name"]: o for o in objects if "nodes" in o}
        self.nodes = {o["name"]: o for o in objects if "nodes" not in o}
        names = {o["_gvid"]: o["name"] for o in objects if "nodes" not in o}
        self.edges = {(names[e["tail"]], names[e["head"]]): e for e in document.get("edges", [])}
        self.graph = document
        self.legend = [self.nodes[names[i]]["label"] for i in self.clusters.get("cluster__legend", {}).get("nodes", [])]

    def cluster_members(self, cluster: str) -> set[str]:
        by_id = {o["_gvid"]: o["name"] for o in self.nodes.values()}
        return {by_id[i] for i in self.clusters[cluster]["nodes"] if i in by_id}


class Svg:
    """The SVG `dot` draws, parsed: node titles, the texts and the tooltip of each node."""

    def __init__(self, dot: Any):
        self.root = ET.fromstring(dot.pipe(format="svg"))
        self.texts: dict[str, list[str]] = {}
        self.tooltips: dict[str, str] = {}
        for group in self.root.iter(f"{SVG}g"):
            if group.get("class") != "node":
                continue
            title = group.findtext(f"{SVG}title")
            self.texts[title] = [text.text or "" for text in group.iter(f"{SVG}text")]
            for anchor in group.iter(f"{SVG}a"):
                if anchor.get(XLINK_TITLE) is not None:
                    self.tooltips[title] = anchor.get(XLINK_TITLE)

    @property
    def titles(self) -> set[str]:
        return set(self.texts)

    def text(self, title: str) -> str:
        return " ".join(self.texts[title])


@pytest.fixture
def layout(dot_program: None) -> type[Layout]:
    return Layout


@pytest.fixture
def svg(dot_program: None) -> type[Svg]:
    return Svg


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """A PATH on which Graphviz's `dot` cannot be found."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
