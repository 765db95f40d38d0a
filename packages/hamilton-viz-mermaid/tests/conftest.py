"""Fixtures shared by the hamilton-viz-mermaid tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The harness lives next to its package.json (tests/browser/), which is not a package: make it importable.
_BROWSER_DIR = str(Path(__file__).resolve().parent / "browser")
if _BROWSER_DIR not in sys.path:
    sys.path.insert(0, _BROWSER_DIR)

from mermaid_browser import (  # noqa: E402
    BROWSER_DIR,
    REQUIRE_ENV,
    MermaidBrowser,
    browser_available,
    ensure_mermaid_installed,
)


@pytest.fixture(scope="session")
def mermaid_browser() -> Iterator[MermaidBrowser]:
    """One headless Chromium with the pinned mermaid.js for the whole session.

    Skips when chromium/node/npm are missing, unless HAMILTON_REQUIRE_BROWSER is set (as in CI): then it fails,
    so the rendering tests can never pass by not running.
    """
    reason = browser_available()
    if reason is not None:
        if os.environ.get(REQUIRE_ENV, "") not in ("", "0"):
            pytest.fail(f"{reason}; {REQUIRE_ENV} is set, so this is a failure, not a skip")
        pytest.skip(reason)
    with MermaidBrowser(ensure_mermaid_installed(BROWSER_DIR)) as browser:
        yield browser
