"""Graph build time of a module of 500 decorated functions, current vs 1.90.0.

The module mixes the decorators users reach for most — ``tag``, ``config.when_not``,
``parameterize``, ``extract_fields``, ``pipe_input``/``step`` and ``does`` — in equal parts, and
is written to a real file so both versions import it normally. Each fresh interpreter imports it,
builds once (warm-up), then times ``repeats`` builds; the reported figure is the median. Where
valgrind is installed, the instructions one build executes are counted too (callgrind): unlike
time on a shared machine, that count repeats exactly from run to run.
"""

from __future__ import annotations

import json
from pathlib import Path
from statistics import median

import report
from measure import _launch
from venvs import Venv

HEADER = """
from hamilton.function_modifiers import (
    config, does, extract_fields, parameterize, pipe_input, step, tag, value,
)


def _inc(v: int) -> int:
    return v + 1


def _double(v: int) -> int:
    return v * 2


def _total(x: int, y: int) -> int:
    return x + y
"""

TEMPLATES = (
    '@tag(owner="team", kind="k{i}")\ndef f{i}(x: int) -> int:\n    return x + {i}\n',
    '@config.when_not(mode="off")\ndef f{i}__on(x: int) -> int:\n    return x - {i}\n',
    '@parameterize(f{i}_a={{"k": value(1)}}, f{i}_b={{"k": value(2)}})\ndef f{i}(x: int, k: int) -> int:\n    return x * k\n',
    '@extract_fields({{"f{i}_p": int, "f{i}_q": int}})\ndef f{i}(x: int) -> dict:\n    return {{"f{i}_p": x, "f{i}_q": -x}}\n',
    "@pipe_input(step(_inc), step(_double))\ndef f{i}(x: int) -> int:\n    return x\n",
    "@does(_total)\ndef f{i}(x: int, y: int) -> int:\n    pass\n",
)

_SNIPPET = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from hamilton import driver
import decorated_module
builds = []
for _ in range(int(sys.argv[2]) + 1):
    start = time.perf_counter()
    dr = driver.Builder().with_modules(decorated_module).build()
    builds.append(time.perf_counter() - start)
print(json.dumps({"builds": builds[1:], "nodes": len(dr.list_available_variables())}))
"""


def write_module(directory: Path, functions: int = 500) -> Path:
    source = HEADER + "\n\n".join(TEMPLATES[i % len(TEMPLATES)].format(i=i) for i in range(functions))
    path = directory / "decorated_module.py"
    path.write_text(source)
    return path


def _instructions(venv: Venv, module_dir: Path, scratch: Path, builds: int) -> int | None:
    """Instructions executed by an interpreter that imports and builds ``builds`` times."""
    import shutil
    import subprocess

    from venvs import clean_env

    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            str(venv.python),
            "-c",
            _SNIPPET,
            str(module_dir),
            str(builds - 1),
        ],
        capture_output=True,
        text=True,
        cwd=scratch,
        env={**clean_env(), "PYTHONHASHSEED": "0"},
    )
    counts = [line.split()[-1] for line in done.stderr.splitlines() if "Collected" in line]
    return int(counts[-1]) if done.returncode == 0 and counts else None


def instructions_per_build(venv: Venv, module_dir: Path, scratch: Path) -> int | None:
    """Machine instructions one build costs (callgrind; deterministic, unlike wall-clock time)."""
    one, four = _instructions(venv, module_dir, scratch, 2), _instructions(venv, module_dir, scratch, 5)
    return None if one is None or four is None else (four - one) // 3


def measure(venvs: list[Venv], scratch: Path, launches: int = 3, repeats: int = 5) -> dict[str, dict]:
    """Per venv: build seconds (every sample), instructions per build, and the node count."""
    module_dir = scratch / "decorated"
    module_dir.mkdir(exist_ok=True)
    write_module(module_dir)
    results: dict[str, dict] = {}
    for venv in venvs:
        samples: list[float] = []
        nodes = 0
        for _ in range(launches):
            _, done = _launch(venv, ["-c", _SNIPPET, str(module_dir), str(repeats)], scratch)
            out = json.loads(done.stdout)
            samples += out["builds"]
            nodes = out["nodes"]
        results[venv.label] = {
            "build_s": samples,
            "nodes": nodes,
            "instructions": instructions_per_build(venv, module_dir, scratch),
        }
    return results


def _as_float(count: int | None) -> float | None:
    return None if count is None else float(count)


def _millions(count: int | None) -> str:
    return "—" if count is None else f"{count / 1e6:.0f} M"


def table(results: dict[str, dict], current: str, reference: str) -> report.Table:
    cur, ref = median(results[current]["build_s"]), median(results[reference]["build_s"])
    return report.Table(
        "Graph build of a module of 500 decorated functions (median)",
        ["measure", current, reference, "1.x / current"],
        [
            ["build (wall clock)", report.fmt_time(cur), report.fmt_time(ref), report.fmt_ratio(ref, cur)],
            [
                "instructions per build (callgrind)",
                _millions(results[current]["instructions"]),
                _millions(results[reference]["instructions"]),
                report.fmt_ratio(
                    _as_float(results[reference]["instructions"]), _as_float(results[current]["instructions"])
                ),
            ],
            ["nodes in the graph", str(results[current]["nodes"]), str(results[reference]["nodes"]), ""],
        ],
        left=(0,),
    )
