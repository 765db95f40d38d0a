"""Reading a file as it was at a git reference, for ``hamilton diff``.

Every call runs ``git -C <the file's folder>``, so the current directory does not matter, and
every failure becomes a :class:`GitError` that names the file, the reference and what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(OSError):
    """git is missing, the file is not in a repository, or the reference does not exist."""


def _git(directory: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(directory), *arguments], capture_output=True, check=False)
    except FileNotFoundError as error:
        raise GitError("`hamilton diff` needs the git program, which is not on your PATH: install git.") from error


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode(errors="replace").strip() or f"git exited with code {result.returncode}"


def repository_root(path: Path) -> Path:
    """The top folder of the git repository holding ``path``."""
    directory = path if path.is_dir() else path.parent
    result = _git(directory, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise GitError(
            f"{path} is not inside a git repository ({_said(result)}). `hamilton diff` compares modules "
            "with a git reference: run it on files tracked by git."
        )
    return Path(result.stdout.decode().strip())


def resolve_commit(path: Path, reference: str) -> str:
    """The commit ``reference`` (a branch, tag, ``HEAD~1``, a sha...) names in ``path``'s repository."""
    root = repository_root(path)
    if not reference or reference.startswith("-"):
        raise GitError(f"{reference!r} is not a git reference: pass a branch, tag or commit to --git-reference.")
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{reference}^{{commit}}")
    if result.returncode != 0:
        raise GitError(
            f"Unknown git reference {reference!r} in the repository {root}: pass a branch, tag or commit that "
            "exists there (see `git log --oneline`)."
        )
    return result.stdout.decode().strip()


def file_at(path: Path, commit: str) -> str | None:
    """The text of ``path`` at ``commit``, or ``None`` when the file did not exist there."""
    spec = f"{commit}:./{path.name}"
    if _git(path.parent, "cat-file", "-e", spec).returncode != 0:
        return None
    result = _git(path.parent, "cat-file", "blob", spec)
    if result.returncode != 0:
        raise GitError(f"Cannot read {path} at {commit}: {_said(result)}")
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GitError(f"{path} at {commit} is not UTF-8 text ({error}), so it cannot be a Python module.") from error
