"""What the result cache costs on big data: fingerprints of a 160 MB frame, and a whole cached
run against its floor.

For each version, in fresh interpreters:

* **fingerprint MB/s**: ``hash_value`` of a 5,000,000 x 4 float64 pandas DataFrame (160 MB), of
  the same numpy array and of the same polars DataFrame (best of N; 1.90.0's slow paths run
  once). The current venv also hashes the frame's four column buffers with XXH3-128 directly:
  the physical limit of any fingerprint that reads every byte.
* **miss and hit against their floor**: one node computing that frame (from a seeded generator)
  run under a fresh cache (a miss: compute, fingerprint, pickle, write) and again on the same
  driver (a hit: read back). The floor of a miss is computing the frame and writing its pickle
  to a file; the floor of a hit is reading that pickle back. Files go to ``/dev/shm`` when it
  exists, so the disk does not drown the figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import report
import snippets
from measure import _launch
from venvs import Venv

ROWS, COLUMNS = 5_000_000, 4

_FINGERPRINT_SNIPPET = """
import json, sys, time
import numpy as np
import pandas as pd
from hamilton.caching.fingerprinting import hash_value

rows, columns, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
array = np.random.default_rng(0).random((rows, columns))
frame = pd.DataFrame(array.copy(order="F"), columns=[f"c{i}" for i in range(columns)])
megabytes = array.nbytes / 1e6

def rate(value, repeats):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        hash_value(value)
        samples.append(time.perf_counter() - start)
    return megabytes / min(samples)

def repeats_for(value):
    start = time.perf_counter()
    hash_value(value)  # warm-up, and a guess of how many runs fit
    return 1 if time.perf_counter() - start > 2 else repeats

out = {"pandas": rate(frame, repeats_for(frame)), "numpy": rate(array, repeats_for(array))}
try:
    import polars as pl
except ImportError:
    pass
else:
    polars_frame = pl.from_numpy(array, schema=[f"c{i}" for i in range(columns)])
    out["polars"] = rate(polars_frame, repeats_for(polars_frame))
try:
    import xxhash
except ImportError:
    pass
else:
    buffers = [frame[name].to_numpy() for name in frame.columns]
    def xxh3():
        for buffer in buffers:
            xxhash.xxh3_128(buffer).digest()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        xxh3()
        samples.append(time.perf_counter() - start)
    out["xxh3"] = megabytes / min(samples)
print(json.dumps(out))
"""

_FLOOR_SNIPPET = (
    """
import json, os, pathlib, pickle, shutil, sys, tempfile, time
import numpy as np
import pandas as pd

rows, columns, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
scratch = pathlib.Path(tempfile.mkdtemp(prefix="hamilton-fingerprint-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
source = f'''
import numpy as np
import pandas as pd

def frame(seed: int) -> pd.DataFrame:
    return pd.DataFrame(np.random.default_rng(seed).random(({rows}, {columns})), columns=[f"c{{i}}" for i in range({columns})])
'''
(scratch / "big_frame_flow.py").write_text(source)
sys.path.insert(0, str(scratch))
import big_frame_flow
from hamilton import driver

"""
    + snippets.BEST
    + """
def compute_and_write():
    value = big_frame_flow.frame(1)
    with open(scratch / "floor.pkl", "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

def read_back():
    with open(scratch / "floor.pkl", "rb") as handle:
        pickle.load(handle)

counter = iter(range(10**6))

def miss():
    directory = scratch / f"cache-{next(counter)}"
    dr = driver.Builder().with_modules(big_frame_flow).with_cache(path=str(directory)).build()
    start = time.perf_counter()
    dr.execute(["frame"], inputs={"seed": 1})
    elapsed = time.perf_counter() - start
    shutil.rmtree(directory)
    return elapsed

out = {"miss_floor": best(compute_and_write), "hit_floor": best(read_back)}
out["miss"] = min(miss() for _ in range(repeats))
dr = driver.Builder().with_modules(big_frame_flow).with_cache(path=str(scratch / "filled")).build()
dr.execute(["frame"], inputs={"seed": 1})
out["hit"] = best(lambda: dr.execute(["frame"], inputs={"seed": 1}))
events = dr.cache.logs(dr.cache.last_run_id)
out["read_back"] = [e.event_type.value for e in events["frame"]] == ["get_result"]
shutil.rmtree(scratch, ignore_errors=True)
print(json.dumps(out))
"""
)


def measure(venvs: list[Venv], scratch: Path, repeats: int = 5) -> dict[str, dict[str, float]]:
    """Per venv: fingerprint MB/s of the frame/array, and miss/hit seconds beside their floors."""
    results = {}
    arguments = [str(ROWS), str(COLUMNS), str(repeats)]
    for venv in venvs:
        rates = json.loads(_launch(venv, ["-c", _FINGERPRINT_SNIPPET, *arguments], scratch)[1].stdout)
        floors = json.loads(_launch(venv, ["-c", _FLOOR_SNIPPET, *arguments], scratch)[1].stdout)
        results[venv.label] = {**rates, **floors}
    return results


def tables(results: dict[str, dict[str, float]], current: str, reference: str) -> list[report.Table]:
    megabytes = ROWS * COLUMNS * 8 / 1e6
    rates = []
    for key, label in (("pandas", "pandas DataFrame"), ("numpy", "numpy array"), ("polars", "polars DataFrame")):
        ours, theirs = results[current].get(key), results[reference].get(key)
        rates.append(
            [
                label,
                f"{ours:,.0f} MB/s" if ours else report.NOT_RUN,
                f"{theirs:,.0f} MB/s" if theirs else report.NOT_RUN,
                report.fmt_ratio(ours, theirs) if ours and theirs else report.NOT_RUN,
            ]
        )
    limit = results[current].get("xxh3")
    if limit:
        rates.append(["XXH3-128 over the column buffers (limit)", f"{limit:,.0f} MB/s", report.NOT_RUN, report.NOT_RUN])
    rate_table = report.Table(
        f"Fingerprint speed, {ROWS:,} x {COLUMNS} float64 ({megabytes:.0f} MB), best run",
        ["value", current, reference, "current / 1.x"],
        rates,
        left=(0,),
    )
    runs = []
    for key, floor, label in (
        ("miss", "miss_floor", "miss: compute + fingerprint + store"),
        ("hit", "hit_floor", "hit: read back"),
    ):
        row = [label]
        for name in (current, reference):
            row += [report.fmt_time(results[name][key]), f"{results[name][key] / results[name][floor]:.2f}x"]
        runs.append(row)
    runs.append(
        [
            "floors: compute + pickle write / pickle read",
            f"{report.fmt_time(results[current]['miss_floor'])} / {report.fmt_time(results[current]['hit_floor'])}",
            "",
            f"{report.fmt_time(results[reference]['miss_floor'])} / {report.fmt_time(results[reference]['hit_floor'])}",
            "",
        ]
    )
    title = "A cached node returning that frame, against its floor (best run)"
    missing = [name for name in (current, reference) if not results[name].get("read_back")]
    if missing:
        title += f" - NOT read back in: {', '.join(missing)}"
    run_table = report.Table(title, ["run", current, "x floor", reference, "x floor"], runs, left=(0,))
    return [rate_table, run_table]
