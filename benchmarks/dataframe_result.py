"""What building a pandas DataFrame result costs: 200 float64 Series of 1M rows each.

``base.PandasDataFrameResult`` is the result builder most 1.x code uses, and large frames are
where its cost shows. Two measurements per venv: ``build_result(**outputs)`` alone, and a
driver run whose 200 nodes each return one (precomputed) series, so the figure is the
builder's plus the per-node overhead, not the arithmetic. Both venvs need pandas and numpy
(the same versions, or the comparison measures pandas); the current one needs hamilton-pandas.
"""

from __future__ import annotations

import json
from pathlib import Path

import report
from measure import _launch
from venvs import Venv

COLUMNS = 200
ROWS = 1_000_000

_SNIPPET = """
import json, sys, time, types
import numpy as np
import pandas as pd
from hamilton import base, driver

columns, rows, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
generator = np.random.default_rng(0)
outputs = {f"c{i}": pd.Series(generator.random(rows)) for i in range(columns)}

module = types.ModuleType("wide_columns")
def returning(series):
    def node() -> pd.Series:
        return series
    return node

for name, series in outputs.items():
    node = returning(series)
    node.__name__ = node.__qualname__ = name
    node.__module__ = module.__name__
    setattr(module, name, node)
sys.modules[module.__name__] = module

def best(function):
    result = function()
    assert result.shape == (rows, columns), result.shape
    del result
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
        del result
    return min(samples)

builder = base.PandasDataFrameResult()
dr = driver.Builder().with_modules(module).with_adapters(base.PandasDataFrameResult()).build()
names = list(outputs)
print(json.dumps({
    "build_result": best(lambda: builder.build_result(**outputs)),
    "driver": best(lambda: dr.execute(names)),
    "pandas": pd.__version__,
}))
"""


def measure(venvs: list[Venv], scratch: Path, repeats: int = 5) -> dict[str, dict[str, float]]:
    """Per venv: best seconds to build the frame, directly and through a driver run."""
    return {
        venv.label: json.loads(
            _launch(venv, ["-c", _SNIPPET, str(COLUMNS), str(ROWS), str(repeats)], scratch)[1].stdout
        )
        for venv in venvs
    }


def table(results: dict[str, dict[str, float]], current: str, reference: str) -> report.Table:
    rows = []
    for label, title in (
        ("build_result", "PandasDataFrameResult.build_result(**outputs)"),
        ("driver", f"driver run: {COLUMNS} nodes -> one DataFrame"),
    ):
        rows.append(
            [
                title,
                report.fmt_time(results[current][label]),
                report.fmt_time(results[reference][label]),
                report.fmt_ratio(results[reference][label], results[current][label]),
            ]
        )
    return report.Table(
        f"DataFrame result from {COLUMNS} float64 columns of {ROWS:,} rows (best run; pandas "
        f"{results[current]['pandas']} / {results[reference]['pandas']})",
        ["measurement", current, reference, "1.x / current"],
        rows,
        left=(0,),
    )


if __name__ == "__main__":  # by hand: python dataframe_result.py <current venv> <1.x venv>
    import sys
    import tempfile

    current_venv, reference_venv = Venv("current", Path(sys.argv[1])), Venv("1.90.0", Path(sys.argv[2]))
    with tempfile.TemporaryDirectory() as folder:
        measured = measure([current_venv, reference_venv], Path(folder))
    print(report.render_text(table(measured, "current", "1.90.0")))
