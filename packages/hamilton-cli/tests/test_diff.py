"""`hamilton diff` against real git repositories made in tmp_path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import FLOW, GitRepo, invoke, needs_dot, run_script, write

CHANGED = '''\
"""A flow."""
def a(x: int) -> int:
    """doc"""
    return x + 2

def c(a: int) -> int:
    return a
'''


@pytest.fixture
def changed(repo: GitRepo) -> Path:
    """flow.py committed as FLOW, then edited (a changed, b removed, c added) without committing."""
    repo.commit({"flow.py": FLOW}, "first")
    return write(repo.root / "flow.py", CHANGED)


def test_diff_against_head(changed: Path) -> None:
    run = invoke("diff", changed)
    assert run.exit_code == 0, run
    assert run.message() == {
        "current_only": {"c": "c"},
        "reference_only": {"b": "b", "y": "b"},
        "edit": {"a": "a", "x": "a"},  # an input changes with its first consumer, as in 1.x
    }


def test_no_changes_is_an_empty_diff(repo: GitRepo) -> None:
    repo.commit({"flow.py": FLOW})
    run = invoke("--json-out", "diff", repo.root / "flow.py")
    assert run.exit_code == 0, run
    assert run.json() == {
        "command": "diff",
        "success": True,
        "message": {"current_only": {}, "reference_only": {}, "edit": {}},
    }


def test_diff_against_an_older_commit_a_tag_and_a_sha(repo: GitRepo) -> None:
    first = repo.commit({"flow.py": FLOW}, "first")
    repo.git("tag", "v1")
    repo.commit({"flow.py": CHANGED}, "second")
    path = repo.root / "flow.py"
    assert invoke("diff", path).message() == {"current_only": {}, "reference_only": {}, "edit": {}}
    for reference in ("HEAD~1", "v1", first):
        message = invoke("diff", path, "--git-reference", reference).message()
        assert message["current_only"] == {"c": "c"}, reference
        assert message["edit"] == {"a": "a", "x": "a"}, reference


def test_docstring_edits_are_not_changes(repo: GitRepo) -> None:
    repo.commit({"flow.py": FLOW})
    write(repo.root / "flow.py", FLOW.replace('"""doc"""', '"""A better explanation."""  # and a comment'))
    assert invoke("diff", repo.root / "flow.py").message()["edit"] == {}


def test_several_modules_in_subfolders(repo: GitRepo) -> None:
    repo.commit({"pkg/one.py": "def p() -> int:\n    return 1\n", "two.py": "def q(p: int) -> int:\n    return p\n"})
    write(repo.root / "pkg" / "one.py", "def p() -> int:\n    return 2\n")
    run = invoke("diff", repo.root / "pkg" / "one.py", repo.root / "two.py")
    assert run.exit_code == 0, run
    assert run.message() == {"current_only": {}, "reference_only": {}, "edit": {"p": "p"}}


def test_a_module_new_since_the_reference_counts_as_added(repo: GitRepo) -> None:
    repo.commit({"flow.py": FLOW})
    new = write(repo.root / "new.py", "def fresh(b: int) -> int:\n    return b\n")
    run = run_script("diff", repo.root / "flow.py", new)
    assert run.exit_code == 0, run
    assert run.message()["current_only"] == {"fresh": "fresh"}
    assert f"{new} did not exist at HEAD" in run.stderr


def test_context_config_applies_to_both_versions(repo: GitRepo, tmp_path: Path) -> None:
    source = """
        from hamilton.function_modifiers import config

        @config.when(mode="fast")
        def speed__fast() -> int:
            return 1

        @config.when(mode="slow")
        def speed__slow() -> int:
            return 0
        """
    repo.commit({"modes.py": source})
    write(repo.root / "modes.py", source.replace("return 0", "return -1"))
    context = write(tmp_path / "ctx.json", json.dumps({"HAMILTON_CONFIG": {"mode": "fast"}}))
    assert invoke("diff", repo.root / "modes.py", "-ctx", context).message()["edit"] == {}
    context.write_text(json.dumps({"HAMILTON_CONFIG": {"mode": "slow"}}))
    # `@config.when` names the function after its node (1.x too), so the function shows as `speed`.
    assert invoke("diff", repo.root / "modes.py", "-ctx", context).message()["edit"] == {"speed": "speed"}


def test_verbose_shows_build_and_version_first(changed: Path) -> None:
    run = invoke("--verbose", "--json-out", "diff", changed)
    assert [json.loads(line)["command"] for line in run.stdout.splitlines()] == ["build", "version", "diff"]


def test_unknown_reference(changed: Path) -> None:
    run = invoke("diff", changed, "--git-reference", "no-such-branch")
    assert run.exit_code == 1, run
    details = run.failure()["message"]["details"]
    assert "Unknown git reference 'no-such-branch'" in details
    assert str(changed.parent) in details


def test_option_like_reference_is_refused(changed: Path) -> None:
    run = invoke("diff", changed, "--git-reference=--output=/tmp/x")
    assert run.exit_code == 1, run
    assert "is not a git reference" in run.failure()["message"]["details"]


def test_not_a_git_repository(flow: Path) -> None:
    run = invoke("diff", flow)
    assert run.exit_code == 1, run
    response = run.failure()
    assert response["command"] == "diff"
    assert response["message"]["error"] == "<class 'hamilton.cli.git.GitError'>"
    assert f"{flow} is not inside a git repository" in response["message"]["details"]


def test_reference_version_with_a_syntax_error(repo: GitRepo) -> None:
    repo.commit({"flow.py": "def a(:\n"})
    write(repo.root / "flow.py", FLOW)
    run = invoke("diff", repo.root / "flow.py")
    assert run.exit_code == 1, run
    details = run.failure()["message"]["details"]
    assert f"{repo.root / 'flow.py'}@HEAD" in details
    assert "line 1" in details


def test_runs_from_any_folder(changed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = run_script("diff", os.path.relpath(changed, elsewhere), cwd=elsewhere)
    assert run.exit_code == 0, run
    assert run.message()["current_only"] == {"c": "c"}


@needs_dot
def test_view_draws_the_diff(changed: Path, tmp_path: Path) -> None:
    out = tmp_path / "drawings"
    out.mkdir()
    run = invoke("diff", changed, "--view", "-o", out)
    assert run.exit_code == 0, run
    drawing = out / "diff_flow.png"
    assert drawing.read_bytes().startswith(b"\x89PNG")


@needs_dot
def test_view_to_an_svg_colours_each_change(changed: Path, tmp_path: Path) -> None:
    out = tmp_path / "diff.svg"
    run = invoke("diff", changed, "-v", "--output", out)
    assert run.exit_code == 0, run
    svg = out.read_text()
    for legend in ("Current only", "Reference only", "Edited"):
        assert legend in svg
    for node in ("a", "b", "c", "_a_inputs", "_b_inputs"):  # the union of both versions, inputs included
        assert f"<title>{node}</title>" in svg


def test_view_without_graphviz_says_what_to_install(changed: Path, tmp_path: Path) -> None:
    run = run_script("diff", changed, "--view", "-o", tmp_path, env={"HAMILTON_PLUGINS_DENY": "graphviz"})
    assert run.exit_code == 1, run
    details = run.failure()["message"]["details"]
    assert details.startswith("`hamilton diff --view` draws with graphviz")
    assert 'pip install "apache-hamilton[graphviz]"' in details
    assert "--renderer" not in details  # diff has no --renderer option
