"""Tests of the Mermaid browser harness itself: the real mermaid.js in headless Chromium."""

from __future__ import annotations

import re

from mermaid_browser import MermaidBrowser, RenderResult


def _labels(result: RenderResult) -> list[str]:
    """The text of the node labels in a rendered flowchart (HTML labels: <span class="nodeLabel">)."""
    assert result.svg is not None
    spans = re.findall(r'<span class="nodeLabel"[^>]*>(.*?)</span>', result.svg, flags=re.DOTALL)
    return [re.sub(r"<[^>]+>", "", span) for span in spans]


def test_valid_flowchart_renders_every_node(mermaid_browser: MermaidBrowser) -> None:
    result = mermaid_browser.render('flowchart LR\n  a["A &quot;quoted&quot;"] --> b')
    assert result.ok, result.error
    assert result.error is None
    assert result.svg is not None
    assert result.svg.startswith("<svg")
    assert re.search(r'id="[^"]*-flowchart-a-\d+"', result.svg)
    assert re.search(r'id="[^"]*-flowchart-b-\d+"', result.svg)
    assert _labels(result) == ['A "quoted"', "b"]


def test_parse_error_is_reported_not_rendered(mermaid_browser: MermaidBrowser) -> None:
    result = mermaid_browser.render("flowchart LR\n a -->")
    assert result.svg is None
    assert result.error is not None
    assert "Parse error" in result.error
    assert not result.ok


def test_unicode_label_survives(mermaid_browser: MermaidBrowser) -> None:
    result = mermaid_browser.render('flowchart TD\n  u["ünïcødé ✓"]')
    assert result.ok, result.error
    assert _labels(result) == ["ünïcødé ✓"]


def test_text_reaches_mermaid_unchanged(mermaid_browser: MermaidBrowser) -> None:
    # JSON transport: backslashes, template syntax, quotes and a closing script tag are not interpreted on the way.
    result = mermaid_browser.render(
        "flowchart LR\n  %% </script> `${x}`\n  q[\"back\\\\slash ${x} 'single' #quot;dq#quot;\"]"
    )
    assert result.ok, result.error
    assert _labels(result) == ["back\\\\slash ${x} 'single' \"dq\""]


def test_script_in_labels_does_not_execute(mermaid_browser: MermaidBrowser) -> None:
    before = len(mermaid_browser.dialogs)
    result = mermaid_browser.render(
        'flowchart LR\n  x["#lt;script#gt;alert(1)#lt;/script#gt;"] --> y["<img src=x onerror=alert(2)>"]'
    )
    assert result.ok, result.error
    assert result.svg is not None
    assert "<script" not in result.svg.lower()
    assert "onerror" not in result.svg.lower()
    assert _labels(result)[0] == "&lt;script&gt;alert(1)&lt;/script&gt;"  # shown as text, not run
    mermaid_browser.evaluate("new Promise((resolve) => setTimeout(resolve, 200))")  # let any late handler fire
    assert result.dialogs == ()
    assert len(mermaid_browser.dialogs) == before
    assert mermaid_browser.render("flowchart LR\n  still --> working").ok  # the page is not stuck


def test_dialogs_are_recorded_and_dismissed(mermaid_browser: MermaidBrowser) -> None:
    # The positive control for the test above: a dialog that does open is seen, and does not hang the page.
    assert mermaid_browser.evaluate("alert('probe'), 42") == 42
    assert mermaid_browser.dialogs[-1] == "probe"
    assert mermaid_browser.render("flowchart LR\n  after --> alert").ok


def test_many_renders_in_one_browser(mermaid_browser: MermaidBrowser) -> None:
    results = [mermaid_browser.render(f"flowchart LR\n  n{i} --> m{i}") for i in range(20)]
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    assert all(f"-flowchart-n{i}-" in (r.svg or "") for i, r in enumerate(results))
