"""Import audit of one per-library integration distribution, in an environment that has it.

    python tests/integrations/audit_imports.py hamilton-yaml

An integration must cost nothing to the code that does not use it. With the distribution (and its
library) installed, each check runs in a fresh interpreter and looks at ``sys.modules``:

* ``import hamilton.driver`` imports the standard library and core only: none of the
  distribution's modules, not its library, no other third-party module;
* a plain dataflow (execute, ``@check_output``, a ``to.json`` materializer) loads none of the
  distribution's modules and not its library;
* a pandas dataflow (``@extract_columns``, ``@check_output`` on a Series, ``to.csv``) loads none
  of the distribution's modules (pandas itself may import the library: pyarrow, for one).

The distribution's modules come from its installed file list, its libraries from its
requirements, so the script serves every integration unchanged. Exit status 0 when all hold.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import sys
import urllib.parse
from importlib import metadata

PLAIN_DATAFLOW = r"""
import json, sys, tempfile, os
from hamilton import driver
from hamilton.function_modifiers import check_output
from hamilton.io.materialization import to

def base(seed: int) -> int:
    return seed + 1

@check_output(range=(0, 100))
def doubled(base: int) -> int:
    return base * 2

def summary(doubled: int, base: int) -> dict:
    return {"doubled": doubled, "base": base}

dr = driver.Builder().with_functions(base, doubled, summary).build()
assert dr.execute(["summary"], inputs={"seed": 1})["summary"] == {"doubled": 4, "base": 2}
with tempfile.TemporaryDirectory() as folder:
    dr.materialize(to.json(id="saved", dependencies=["summary"], path=os.path.join(folder, "s.json")), inputs={"seed": 1})
print(json.dumps(sorted(sys.modules)))
"""

PANDAS_DATAFLOW = r"""
import json, sys, tempfile, os
import pandas as pd
from hamilton import driver
from hamilton.function_modifiers import check_output, extract_columns
from hamilton.io.materialization import to

@extract_columns("a", "b")
def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(rows), "b": [float(i) for i in range(rows)]})

@check_output(range=(0, 1000))
def total(a: pd.Series, b: pd.Series) -> pd.Series:
    return a + b

def table(total: pd.Series, a: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"total": total, "a": a})

dr = driver.Builder().with_functions(frame, total, table).build()
assert list(dr.execute(["total"], inputs={"rows": 3})["total"]) == [0.0, 2.0, 4.0]
with tempfile.TemporaryDirectory() as folder:
    dr.materialize(to.csv(id="saved", dependencies=["table"], path=os.path.join(folder, "t.csv")), inputs={"rows": 3})
print(json.dumps(sorted(sys.modules)))
"""

IMPORT_DRIVER = "import json, sys\nbefore = set(sys.modules)\nimport hamilton.driver\nprint(json.dumps(sorted(set(sys.modules) - before)))"


def _modules_in_process(code: str) -> set[str]:
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"audit_imports: the probe failed:\n{completed.stderr}")
    return set(json.loads(completed.stdout.splitlines()[-1]))


def _module_name(parts: tuple[str, ...]) -> str:
    stem = parts[-1].removesuffix(".py")
    return ".".join(parts[:-1] if stem == "__init__" else (*parts[:-1], stem))


def shipped_modules(distribution: metadata.Distribution) -> set[str]:
    """The ``hamilton.*`` modules the distribution installs: from its file list, or for an
    editable install from the ``src/hamilton`` folder its ``direct_url.json`` points to."""
    modules = {
        _module_name(file.parts)
        for file in distribution.files or ()
        if file.parts and file.parts[0] == "hamilton" and file.suffix == ".py"
    }
    direct_url = json.loads(distribution.read_text("direct_url.json") or "{}")
    if not modules and direct_url.get("dir_info", {}).get("editable"):
        source = pathlib.Path(urllib.parse.urlparse(direct_url["url"]).path) / "src"
        modules = {_module_name(path.relative_to(source).parts) for path in (source / "hamilton").rglob("*.py")}
    return modules


def library_modules(distribution: metadata.Distribution) -> set[str]:
    """Top-level import names of the distribution's direct requirements (core excepted)."""
    providers = metadata.packages_distributions()
    required = set()
    for requirement in distribution.requires or ():
        if "extra ==" in requirement:
            continue
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
        normalized = re.sub(r"[-_.]+", "-", name).lower()
        if normalized != "apache-hamilton" and not normalized.startswith("hamilton-"):
            required.add(normalized)
    tops = {
        top
        for top, names in providers.items()
        if any(re.sub(r"[-_.]+", "-", n).lower() in required for n in names) and not top.startswith("_")
    }
    return tops | {name.replace("-", "_") for name in required}


def audit(distribution_name: str) -> list[str]:
    distribution = metadata.distribution(distribution_name)
    own = shipped_modules(distribution)
    if not own:
        return [f"{distribution_name} installs no hamilton.* module: is it the right distribution?"]
    libraries = library_modules(distribution)
    problems = []

    def loaded_libraries(modules: set[str]) -> set[str]:
        return {m for m in modules if m.partition(".")[0] in libraries}

    imported = _modules_in_process(IMPORT_DRIVER)
    third_party = {m for m in imported if m.partition(".")[0] not in sys.stdlib_module_names | {"hamilton"}}
    problems += [f"import hamilton.driver imports {m} (not stdlib, not core)" for m in sorted(third_party)]
    problems += [f"import hamilton.driver imports the integration's {m}" for m in sorted(imported & own)]

    plain = _modules_in_process(PLAIN_DATAFLOW)
    problems += [f"a plain dataflow loads the integration's {m}" for m in sorted(plain & own)]
    problems += [f"a plain dataflow imports its library: {m}" for m in sorted(loaded_libraries(plain))]

    frames = _modules_in_process(PANDAS_DATAFLOW)
    problems += [f"a pandas dataflow loads the integration's {m}" for m in sorted(frames & own)]
    print(
        f"audit_imports {distribution_name}: modules {sorted(own)}; libraries {sorted(libraries)}; "
        f"import hamilton.driver: {len(imported)} modules; plain dataflow: {len(plain)}; pandas dataflow: {len(frames)}"
    )
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    problems = audit(argv[0])
    for problem in problems:
        print("audit_imports:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
