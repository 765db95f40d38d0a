"""RayTaskExecutor: dynamic execution with the items of parallel blocks on a real local Ray."""

import os

import pytest
import ray_nodes_failing
import ray_nodes_fanout

from hamilton import driver, lifecycle
from hamilton.execution.executors import executor_named
from hamilton.plugins import h_ray
from hamilton.plugins.h_ray import RayRemoteTraceback, RayTaskExecutor

pytestmark = pytest.mark.usefixtures("ray_cluster")


def _driver(module, executor, *adapters):
    return (
        driver.Builder()
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_modules(module)
        .with_remote_executor(executor)
        .with_adapters(*adapters)
        .build()
    )


@pytest.mark.parametrize("executor", [RayTaskExecutor(), "ray"], ids=["instance", "by-name"])
def test_fan_out_and_collect(executor, ray_cluster):
    result = _driver(ray_nodes_fanout, executor).execute(["total", "pids", "cubes"], inputs={"count": 6})
    assert result["total"] == sum(n * n for n in range(6))
    assert result["cubes"] == [n**3 for n in range(6)]  # an async node, on an event loop in the worker
    assert os.getpid() not in result["pids"]  # the items ran in Ray's workers
    assert ray_cluster.is_initialized()  # a Ray the executor did not start is left running


def test_the_name_ray_makes_a_ray_task_executor():
    assert isinstance(executor_named("ray"), RayTaskExecutor)


def test_a_failing_item_raises_its_own_error_naming_the_node():
    dr = _driver(ray_nodes_failing, RayTaskExecutor())
    with pytest.raises(ray_nodes_failing.ItemError, match="item 2 is bad") as caught:
        dr.execute(["gathered"], inputs={"count": 4})
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "node 'checked' failed" in notes
    assert "ray_nodes_failing.checked" in notes
    assert "ray_nodes_failing.py" in notes
    assert isinstance(caught.value.__cause__, RayRemoteTraceback)  # the worker's traceback
    assert 'raise ItemError(f"item {items} is bad")' in str(caught.value.__cause__)


def test_large_values_cross_through_the_object_store():
    size = 50 * 1024 * 1024
    result = _driver(ray_nodes_fanout, "ray").execute(["blob_sizes"], inputs={"count": 2, "blob_size": size})
    assert result["blob_sizes"] == [size, size]


def test_ray_remote_options_of_the_nodes_are_the_tasks_options():
    result = _driver(ray_nodes_fanout, "ray").execute(["all_assigned"], inputs={"count": 2})
    assert result["all_assigned"] == [{"CPU": 1.0, "hamilton_test_slot": 1.0}] * 2


class _Recorder(lifecycle.TaskSubmissionHook, lifecycle.TaskReturnHook, lifecycle.TaskExecutionHook):
    """Records submissions and returns in the driver, executions in a file (they run in workers)."""

    def __init__(self, folder):
        self.folder = str(folder)
        self.submitted: list[str] = []
        self.returned: list[tuple[str, bool]] = []

    def run_before_task_submission(self, *, task_id, **kwargs):
        self.submitted.append(task_id)

    def run_after_task_return(self, *, task_id, success, **kwargs):
        self.returned.append((task_id, success))

    def run_before_task_execution(self, *, task_id, nodes, **kwargs):
        with open(os.path.join(self.folder, "executed"), "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {task_id} {','.join(n.name for n in nodes)}\n")

    def run_after_task_execution(self, *, task_id, success, **kwargs):
        with open(os.path.join(self.folder, "finished"), "a", encoding="utf-8") as handle:
            handle.write(f"{task_id} {success}\n")


def test_task_hooks_see_every_task(tmp_path):
    recorder = _Recorder(tmp_path)
    _driver(ray_nodes_fanout, "ray", recorder).execute(["total"], inputs={"count": 3})
    executed = (tmp_path / "executed").read_text().splitlines()
    item_tasks = [line.split() for line in executed if "squared" in line]
    assert len(item_tasks) == 3
    assert all(int(pid) != os.getpid() for pid, _, _ in item_tasks)  # item tasks ran in Ray's workers
    assert sorted(recorder.submitted) == sorted(line.split()[1] for line in executed)
    assert {task_id for task_id, _ in recorder.returned} == set(recorder.submitted)
    assert all(success for _, success in recorder.returned)
    assert all(line.endswith("True") for line in (tmp_path / "finished").read_text().splitlines())


def test_num_cpus_goes_to_ray_init():
    executor = RayTaskExecutor(num_cpus=3, ray_init_config={"include_dashboard": False})
    assert executor.ray_init_config == {"include_dashboard": False, "num_cpus": 3}
    with pytest.raises(ValueError, match="disagree"):
        RayTaskExecutor(num_cpus=3, ray_init_config={"num_cpus": 2})


def test_a_running_ray_is_neither_restarted_nor_shut_down(ray_cluster):
    executor = RayTaskExecutor(num_cpus=1)
    executor.init()
    executor.finalize()
    assert ray_cluster.is_initialized()


def test_ray_workflow_graph_adapter_is_gone_with_a_pointer():
    with pytest.raises(ImportError, match=r"removed in Hamilton 1\.x already.*RayGraphAdapter.*RayTaskExecutor"):
        from hamilton.plugins.h_ray import RayWorkflowGraphAdapter  # noqa: F401
    with pytest.raises(ImportError, match=r"ray\.workflow"):
        h_ray.RayWorkflowGraphAdapter


def test_keep_going_records_the_failed_item_as_with_processes():
    from hamilton.errors import PartialExecutionError

    dr = _driver(ray_nodes_failing, "ray").with_execution_mode(on_error="keep_going")
    with pytest.raises(PartialExecutionError) as caught:
        dr.execute(["gathered"], inputs={"count": 4})
    assert list(caught.value.failures) == ["checked[2]"]
    assert isinstance(caught.value.failures["checked[2]"], ray_nodes_failing.ItemError)
    assert list(caught.value.skipped) == ["gathered"]
