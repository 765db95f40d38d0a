"""Install apache-hamilton with any extras from this checkout, into the running interpreter's environment.

Why: until the 2.0 distributions are on the package index, ``pip install "apache-hamilton[pandas]"``
resolves to the index's 1.x (replacing a checkout's 2.0 core), and ``pip install "./core[pandas]"``
fails because the plugin distributions (hamilton-pandas...) are not on the index. This script builds
the wheels of core and of every distribution under packages/ into one folder, then installs
``apache-hamilton[<extras>]==<core's version>`` with ``--find-links`` to that folder and every
checkout distribution pinned to its local version, so nothing of this repository comes from the index.

Usage (with the python of the environment to install into)::

    python scripts/install_from_checkout.py pandas mermaid
    python scripts/install_from_checkout.py all --wheel-dir dist/
    # offline: everything after `--` goes to both `pip wheel` and `pip install`
    python scripts/install_from_checkout.py pandas -- --no-index --find-links ~/wheelhouse

Third-party dependencies (pandas, graphviz, typer...) come from the index, or from the folders the
options after ``--`` name.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "core"


def _project_field(pyproject: Path, field: str) -> str:
    """A top-level ``[project]`` string field, read without tomllib (Python 3.10 has none)."""
    match = re.search(rf'^{field}\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise SystemExit(f'install_from_checkout: no {field} = "..." in {pyproject}')
    return match.group(1)


def core_extras() -> list[str]:
    """The extras core's pyproject.toml declares (``[project.optional-dependencies]``)."""
    text = (CORE / "pyproject.toml").read_text(encoding="utf-8")
    section = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    return re.findall(r"^([A-Za-z0-9_-]+)\s*=", section, re.MULTILINE)


def distributions() -> list[Path]:
    """Folders of core and of every distribution under packages/."""
    return [CORE, *sorted(p.parent for p in (REPO / "packages").glob("*/pyproject.toml"))]


def _check_extras(extras: list[str]) -> None:
    known = core_extras()
    for extra in extras:
        if extra not in known:
            close = difflib.get_close_matches(extra, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise SystemExit(f"install_from_checkout: unknown extra {extra!r}.{hint} Extras: {', '.join(known)}")


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def install(extras: list[str], wheel_dir: Path, pip_args: list[str]) -> None:
    """Build every checkout wheel into ``wheel_dir``, then install core with ``extras`` from it."""
    folders = distributions()
    _pip("wheel", "--no-deps", "--wheel-dir", str(wheel_dir), *pip_args, *map(str, folders))
    # Pin each checkout distribution to its local version, so that none resolves to the index.
    constraints = wheel_dir / "checkout-constraints.txt"
    constraints.write_text(
        "".join(
            f"{_project_field(f / 'pyproject.toml', 'name')}=={_project_field(f / 'pyproject.toml', 'version')}\n"
            for f in folders
        ),
        encoding="utf-8",
    )
    version = _project_field(CORE / "pyproject.toml", "version")
    requirement = f"apache-hamilton[{','.join(extras)}]=={version}" if extras else f"apache-hamilton=={version}"
    _pip("install", "--find-links", str(wheel_dir), "--constraint", str(constraints), *pip_args, requirement)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pip_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, pip_args = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(
        prog="install_from_checkout.py",
        description="Install apache-hamilton[EXTRAS] from this checkout into the running interpreter's "
        "environment. Options after `--` are passed to pip (e.g. -- --no-index --find-links DIR).",
    )
    parser.add_argument("extras", nargs="*", metavar="EXTRA", help=f"extras to install: {', '.join(core_extras())}")
    parser.add_argument(
        "--wheel-dir", type=Path, help="keep the built wheels in this folder (default: a temporary one)"
    )
    options = parser.parse_args(argv)
    extras = [e for extra in options.extras for e in extra.replace(",", " ").split()]
    _check_extras(extras)
    try:
        if options.wheel_dir is not None:
            options.wheel_dir.mkdir(parents=True, exist_ok=True)
            install(extras, options.wheel_dir.resolve(), pip_args)
        else:
            with tempfile.TemporaryDirectory(prefix="hamilton-wheels-") as folder:
                install(extras, Path(folder), pip_args)
    except subprocess.CalledProcessError as error:
        print(
            f"install_from_checkout: pip failed (exit code {error.returncode}); see its output above.", file=sys.stderr
        )
        return error.returncode or 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    raise SystemExit(main())
