"""Run Hamilton 1.x's own test suite against the installed distributions and hold the line.

The suite, its runner and its baseline (the 1,359 tests that pass on apache-hamilton 1.90.0)
live outside the project, in ``../shared/conformance-1x`` (or ``$HAMILTON_CONFORMANCE_DIR``);
they are never copied in. ``expected-failures.tsv`` (next to this file) lists the baseline
tests this project does not pass, each with its reason. The check fails when

* a baseline test fails that is not listed (a regression), or
* a listed test passes (an improvement: take it off the list, so the list only shrinks).

``python check.py``            install the suite's pinned requirements, run it, compare;
``python check.py --update``   rewrite the list from this run (new entries get the baseline's
                               first reading as their reason; edit it when you know better).

Without the suite's folder (a checkout elsewhere) it says so and exits 0, unless
``HAMILTON_REQUIRE_CONFORMANCE=1``.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected-failures.tsv"
DEFAULT_SUITE = HERE.parents[2] / "shared" / "conformance-1x"


def suite_folder() -> Path | None:
    folder = Path(os.environ.get("HAMILTON_CONFORMANCE_DIR", DEFAULT_SUITE))
    return folder if (folder / "run").exists() else None


def install_requirements(folder: Path) -> None:
    """The suite's test requirements, pinned as its baseline was measured (the distributions under
    test are installed by the tox environment already)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            str(folder / "requirements-tests.txt"),
            "-c",
            str(folder / "constraints.txt"),
        ],
        check=True,
    )


def copy_with_links(folder: Path, scratch: Path) -> Path:
    """A copy of the suite with its git symlinks restored.

    The shared copy stores each ``plugin_tests/<plugin>/resources`` symlink (to
    ``../../tests/resources``) as a small text file holding the target, which no test can import
    from. The copy makes them links again; the tests themselves are copied unchanged.
    """
    import shutil

    copy = scratch / "suite"
    shutil.copytree(folder, copy, symlinks=True)
    for stored in (copy / "plugin_tests").glob("*/resources"):
        if not stored.is_file() or stored.is_symlink() or stored.stat().st_size > 200:
            continue
        target = stored.read_text().strip()
        if "\n" not in target and (stored.parent / target).is_dir():
            stored.unlink()
            stored.symlink_to(target, target_is_directory=True)
    return copy


def run_suite(folder: Path, out: Path) -> dict[str, tuple[str, str]]:
    """Failing baseline tests of this run: test id -> (outcome, the baseline's first reading)."""
    completed = subprocess.run(
        [str(folder / "run"), sys.executable], env={**os.environ, "OUT": str(out)}, capture_output=True, text=True
    )
    print(completed.stdout.strip())
    if completed.returncode != 0 or not (out / "failing.tsv").exists():
        print(completed.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"The conformance runner failed (exit {completed.returncode}); see {out}/pytest.log.")
    with open(out / "failing.tsv", newline="") as table:
        return {
            row["test_id"]: (row["outcome"], row["note"] or row["first_reading"])
            for row in csv.DictReader(table, delimiter="\t")
        }


def read_expected() -> dict[str, str]:
    """Listed test id -> reason."""
    if not EXPECTED.exists():
        return {}
    with open(EXPECTED, newline="") as table:
        rows = (line for line in table if line.strip() and not line.startswith("#"))
        return {row[0]: row[1] if len(row) > 1 else "" for row in csv.reader(rows, delimiter="\t")}


def write_expected(failing: dict[str, tuple[str, str]], previous: dict[str, str]) -> None:
    header = (
        "# Baseline tests of Hamilton 1.x's suite this project does not pass, with the reason.\n"
        "# Checked by tests/conformance/check.py (the tox env `conformance`): the list can only shrink.\n"
    )
    lines = [f"{test_id}\t{previous.get(test_id) or reading}\n" for test_id, (_, reading) in sorted(failing.items())]
    EXPECTED.write_text(header + "".join(lines))


def main(argv: list[str]) -> int:
    folder = suite_folder()
    if folder is None:
        message = f"1.x conformance suite not found at {DEFAULT_SUITE} (set HAMILTON_CONFORMANCE_DIR)."
        if os.environ.get("HAMILTON_REQUIRE_CONFORMANCE") == "1":
            print(message, file=sys.stderr)
            return 1
        print(f"SKIPPED: {message}")
        return 0
    if "--no-install" not in argv:
        install_requirements(folder)
    with tempfile.TemporaryDirectory(prefix="hamilton-conformance-") as scratch:
        suite = copy_with_links(folder, Path(scratch))
        out = Path(scratch) / "out"
        out.mkdir()
        failing = run_suite(suite, out)
    expected = read_expected()
    if "--update" in argv:
        write_expected(failing, expected)
        print(f"{EXPECTED} rewritten: {len(failing)} expected failures.")
        return 0
    regressions = sorted(set(failing) - set(expected))
    fixed = sorted(set(expected) - set(failing))
    for test_id in regressions:
        print(f"NEWLY FAILING ({failing[test_id][0]}): {test_id}")
    for test_id in fixed:
        print(f"NOW PASSING, remove it from {EXPECTED.name}: {test_id}")
    if regressions or fixed:
        print(
            f"{len(regressions)} baseline test(s) newly failing, {len(fixed)} expected failure(s) now passing. "
            "Fix the regressions; run `python tests/conformance/check.py --update` to take passing tests off the list."
        )
        return 1
    print(f"As expected: {len(expected)} listed failures, nothing else fails.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
