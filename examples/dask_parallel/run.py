"""Run the sales dataflow on a local Dask cluster three ways: python examples/dask_parallel/run.py

1. dynamic execution: every region of the fan-out is one task on the cluster (DaskExecutor);
2. 1.x's DaskGraphAdapter: every node of one region's dataflow is a dask.delayed call;
3. compile_graph: the same request as a plain dask graph, run by dask alone.

It starts (and stops) a LocalCluster of two worker processes on this machine; point a Client at
a real scheduler instead to run on a cluster.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))

import fan_out
import sales
from distributed import Client, LocalCluster

from hamilton import base, driver
from hamilton.plugins import h_dask

REGIONS = ["north", "south", "east", "west", "central", "islands"]


def main() -> dict:
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
    with cluster, Client(cluster) as client:
        # 1. A fan-out over regions, one dask task per region.
        dynamic = (
            driver.Builder()
            .enable_dynamic_execution(allow_experimental_mode=True)
            .with_modules(fan_out, sales)
            .with_remote_executor(h_dask.DaskExecutor(client=client))
            .build()
        )
        report = dynamic.execute(["report"], inputs={"regions": REGIONS, "days": 30})["report"]
        for row in report:
            print(f"{row['region']:>8}: total {row['total']:7.1f}, best day {row['best_day']}")

        # 2. One region's dataflow, every node a dask.delayed task (Hamilton 1.x's adapter).
        inputs = {"region": "north", "days": 30}
        adapter = h_dask.DaskGraphAdapter(client, base.DictResult())
        delayed_run = driver.Driver({}, sales, adapter=adapter).execute(["region_total", "best_day"], inputs=inputs)

        # 3. The same request compiled to a plain dask graph: dask alone runs it.
        plain = driver.Builder().with_modules(sales).build()
        compiled = h_dask.compile_graph(plain, ["region_total", "best_day"], inputs=inputs)
        compiled_run = compiled.compute(client=client)

        assert delayed_run == compiled_run == plain.execute(["region_total", "best_day"], inputs=inputs)
        print(f"north, three ways: {compiled_run}")
    return {"report": report, "north": compiled_run}


if __name__ == "__main__":
    main()
