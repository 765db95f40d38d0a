"""One real dask cluster for the package's tests: a ``distributed.LocalCluster`` of two worker
*processes* (so every task and result really crosses a process boundary), on 127.0.0.1."""

from __future__ import annotations

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # the resource modules: importable here and in the spawned workers
    sys.path.insert(0, HERE)


@pytest.fixture(scope="session")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="session")
def client(cluster):
    import distributed

    with distributed.Client(cluster, set_as_default=False) as session_client:
        yield session_client
