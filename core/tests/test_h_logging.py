"""hamilton.plugins.h_logging: the LoggingAdapter through real runs, read back with caplog.

Each test logs to a logger of its own name, so records of other loggers (``hamilton.execution``
and the like) never get in the way.
"""

import asyncio
import logging
import pickle
import re
import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamilton import ad_hoc_utils, async_driver, driver
from hamilton.execution import executors
from hamilton.htypes import Collect, Parallelizable
from hamilton.plugins.h_logging import AsyncLoggingAdapter, ContextLogger, LoggingAdapter, get_logger
from hamilton.plugins.h_threadpool import FutureAdapter

RUN_ID = re.compile(r"^Graph run '([0-9a-f-]+)' - ")


def _records(caplog, name):
    return [record for record in caplog.records if record.name == name]


def _messages(caplog, name, level=None):
    return [r.getMessage() for r in _records(caplog, name) if level is None or r.levelno == level]


def _module(*functions):
    return ad_hoc_utils.create_temporary_module(*functions)


def _chain():
    def a() -> str:
        return "a"

    def b(a: str) -> str:
        get_logger("chain").warning("hello from b")
        return a + "b"

    def c(b: str) -> str:
        return b + "c"

    return _module(a, b, c)


# --- node-based runs ------------------------------------------------------------------------------


def test_info_level_logs_the_graph_and_each_node_finishing(caplog):
    caplog.set_level(logging.INFO, logger="chain")
    dr = driver.Builder().with_modules(_chain()).with_adapters(LoggingAdapter("chain")).build()
    assert dr.execute(["c"])["c"] == "abc"

    records = _records(caplog, "chain")
    messages = [r.getMessage() for r in records]
    run_id = RUN_ID.match(messages[0]).group(1)
    assert messages == [
        f"Graph run '{run_id}' - Starting graph execution",
        "Node 'a' - Finished execution [OK]",
        "Node 'b' - hello from b",
        "Node 'b' - Finished execution [OK]",
        "Node 'c' - Finished execution [OK]",
        f"Graph run '{run_id}' - Finished graph execution [OK]",
    ]
    assert [r.levelname for r in records] == ["INFO", "INFO", "WARNING", "INFO", "INFO", "INFO"]
    # the context is on every record, for formatters and filters
    assert {r.hamilton_run_id for r in records} == {run_id}
    assert [r.hamilton_node_name for r in records] == [None, "a", "b", "b", "c", None]
    assert {r.hamilton_task_id for r in records} == {None}


def test_debug_level_adds_each_node_starting_with_its_dependencies(caplog):
    caplog.set_level(logging.DEBUG, logger="chain")
    dr = driver.Builder().with_modules(_chain()).with_adapters(LoggingAdapter("chain")).build()
    dr.execute(["c"])

    assert _messages(caplog, "chain")[1:-1] == [
        "Node 'a' - Starting execution without dependencies",
        "Node 'a' - Finished execution [OK]",
        "Node 'b' - Starting execution with dependencies 'a'",
        "Node 'b' - hello from b",
        "Node 'b' - Finished execution [OK]",
        "Node 'c' - Starting execution with dependencies 'b'",
        "Node 'c' - Finished execution [OK]",
    ]
    assert [r.levelname for r in _records(caplog, "chain")][1:-1] == [
        "DEBUG",
        "INFO",
        "DEBUG",
        "WARNING",
        "INFO",
        "DEBUG",
        "INFO",
    ]


def test_a_formatter_can_use_the_context_attributes(caplog):
    caplog.set_level(logging.INFO, logger="chain")
    dr = driver.Builder().with_modules(_chain()).with_adapters(LoggingAdapter("chain")).build()
    dr.execute(["c"])
    formatter = logging.Formatter("%(hamilton_node_name)s|%(hamilton_run_id)s|%(message)s")
    record = next(r for r in _records(caplog, "chain") if r.levelno == logging.WARNING)
    assert formatter.format(record) == f"b|{record.hamilton_run_id}|Node 'b' - hello from b"


def test_nothing_below_the_loggers_level_is_logged(caplog):
    caplog.set_level(logging.WARNING, logger="chain")
    dr = driver.Builder().with_modules(_chain()).with_adapters(LoggingAdapter("chain")).build()
    dr.execute(["c"])
    assert _messages(caplog, "chain") == ["Node 'b' - hello from b"]


def test_inputs_and_overrides_are_named(caplog):
    caplog.set_level(logging.INFO, logger="io")

    def doubled(x: int) -> int:
        return 2 * x

    def plus(doubled: int, y: int) -> int:
        return doubled + y

    dr = driver.Builder().with_modules(_module(doubled, plus)).with_adapters(LoggingAdapter("io")).build()
    assert dr.execute(["plus"], inputs={"x": 1, "y": 2}, overrides={"doubled": 10})["plus"] == 12
    messages = _messages(caplog, "io")
    assert messages[1].endswith(" - Using inputs 'x', 'y'")
    assert messages[2].endswith(" - Using overrides 'doubled'")
    assert "Node 'doubled' - Finished execution [OK]" not in messages  # overridden: not computed
    assert "Node 'plus' - Finished execution [OK]" in messages


@pytest.mark.parametrize(
    "make_logger",
    [
        lambda: "named",
        lambda: logging.getLogger("named"),
        lambda: get_logger("named"),
        lambda: logging.LoggerAdapter(logging.getLogger("named"), {}),
    ],
    ids=["name", "Logger", "ContextLogger", "LoggerAdapter"],
)
def test_the_logger_can_be_given_as_a_name_a_logger_or_an_adapter(caplog, make_logger):
    caplog.set_level(logging.INFO, logger="named")

    def a() -> int:
        return 1

    dr = driver.Builder().with_modules(_module(a)).with_adapters(LoggingAdapter(make_logger())).build()
    dr.execute(["a"])
    assert "Node 'a' - Finished execution [OK]" in _messages(caplog, "named")


def test_the_default_logger_is_the_modules(caplog):
    caplog.set_level(logging.INFO, logger="hamilton.plugins.h_logging")

    def a() -> int:
        return 1

    dr = driver.Builder().with_modules(_module(a)).with_adapters(LoggingAdapter()).build()
    dr.execute(["a"])
    assert "Node 'a' - Finished execution [OK]" in _messages(caplog, "hamilton.plugins.h_logging")
    assert isinstance(LoggingAdapter().logger, ContextLogger)


def test_a_logger_of_the_wrong_type_is_refused_with_what_to_pass():
    with pytest.raises(TypeError, match=r"logger name, a logging\.Logger.*not int.*LoggingAdapter\('my_pipeline'\)"):
        LoggingAdapter(42)


# --- failures ----------------------------------------------------------------------------------------


def _boom(a: int) -> int:
    raise ValueError("boom")


def test_a_failing_node_is_logged_with_its_function_and_traceback(caplog):
    caplog.set_level(logging.INFO, logger="fails")

    def a() -> int:
        return 1

    module = _module(a)
    dr = driver.Builder().with_modules(module).with_functions(_boom).with_adapters(LoggingAdapter("fails")).build()
    with pytest.raises(ValueError, match="boom"):
        dr.execute(["_boom"])

    errors = [r for r in _records(caplog, "fails") if r.levelno == logging.ERROR]
    node_error, graph_error = errors
    assert node_error.getMessage().startswith(f"Node '_boom' - Encountered error in {__name__}._boom (")
    assert f"{__file__}:" in node_error.getMessage()
    assert node_error.hamilton_node_name == "_boom"
    assert node_error.exc_info[0] is ValueError
    assert str(node_error.exc_info[1]) == "boom"
    assert graph_error.getMessage().endswith(" - Graph execution failed due to errors (ValueError: boom)")
    assert graph_error.hamilton_node_name is None
    assert "Node 'a' - Finished execution [OK]" in _messages(caplog, "fails")


def test_after_a_failed_run_the_next_run_logs_normally(caplog):
    caplog.set_level(logging.INFO, logger="again")

    def flaky(fail: bool) -> int:
        if fail:
            raise RuntimeError("no")
        return 1

    dr = driver.Builder().with_modules(_module(flaky)).with_adapters(LoggingAdapter("again")).build()
    with pytest.raises(RuntimeError):
        dr.execute(["flaky"], inputs={"fail": True})
    caplog.clear()
    assert dr.execute(["flaky"], inputs={"fail": False})["flaky"] == 1
    assert _messages(caplog, "again")[-2:][0] == "Node 'flaky' - Finished execution [OK]"
    assert _messages(caplog, "again")[-1].endswith("Finished graph execution [OK]")


# --- context -------------------------------------------------------------------------------------------


def test_get_logger_outside_a_run_logs_messages_unchanged(caplog):
    caplog.set_level(logging.INFO, logger="outside")
    get_logger("outside").info("plain %s", "text")
    (record,) = _records(caplog, "outside")
    assert record.getMessage() == "plain text"
    assert record.hamilton_run_id is None


def test_context_extras_skip_or_override_the_prefix(caplog):
    caplog.set_level(logging.INFO, logger="extras")

    def a() -> int:
        logger = get_logger("extras")
        logger.info("plain", extra={"skip_context": True})
        logger.info("tagged", extra={"custom": 7})
        return 1

    dr = driver.Builder().with_modules(_module(a)).with_adapters(LoggingAdapter("extras")).build()
    dr.execute(["a"])
    records = {r.getMessage(): r for r in _records(caplog, "extras")}
    assert "plain" in records
    assert records["plain"].hamilton_node_name == "a"
    assert records["Node 'a' - tagged"].custom == 7


def test_after_a_run_the_callers_context_is_back(caplog):
    caplog.set_level(logging.INFO, logger="after")

    def a() -> int:
        return 1

    dr = driver.Builder().with_modules(_module(a)).with_adapters(LoggingAdapter("after")).build()
    dr.execute(["a"])
    caplog.clear()
    get_logger("after").info("later")
    assert _messages(caplog, "after") == ["later"]


def test_a_run_inside_a_node_gives_the_outer_node_its_context_back(caplog):
    caplog.set_level(logging.INFO, logger="nested")

    def inner() -> int:
        get_logger("nested").info("inside inner")
        return 1

    inner_driver = driver.Builder().with_modules(_module(inner)).with_adapters(LoggingAdapter("nested")).build()

    def outer() -> int:
        value = inner_driver.execute(["inner"])["inner"]
        get_logger("nested").info("back in outer")
        return value + 1

    dr = driver.Builder().with_modules(_module(outer)).with_adapters(LoggingAdapter("nested")).build()
    assert dr.execute(["outer"])["outer"] == 2
    messages = _messages(caplog, "nested")
    assert "Node 'inner' - inside inner" in messages
    assert "Node 'outer' - back in outer" in messages
    run_ids = {RUN_ID.match(m).group(1) for m in messages if RUN_ID.match(m)}
    assert len(run_ids) == 2


def test_threaded_nodes_each_log_with_their_own_context(caplog):
    """FutureAdapter runs nodes on a thread pool: each node's messages carry that node's name."""
    caplog.set_level(logging.DEBUG, logger="threads")
    barrier = threading.Barrier(3, timeout=30)

    def _worker(label):
        def work() -> str:
            barrier.wait()  # the three nodes run at the same time
            get_logger("threads").warning("working")
            return label

        work.__name__ = label
        return work

    def joined(x: str, y: str, z: str) -> str:
        return x + y + z

    module = _module(_worker("x"), _worker("y"), _worker("z"), joined)
    dr = driver.Builder().with_modules(module).with_adapters(LoggingAdapter("threads"), FutureAdapter(3)).build()
    assert dr.execute(["joined"])["joined"] == "xyz"
    warnings = _messages(caplog, "threads", logging.WARNING)
    assert sorted(warnings) == ["Node 'x' - working", "Node 'y' - working", "Node 'z' - working"]
    assert set(_messages(caplog, "threads", logging.INFO)[1:-1]) == {
        f"Node '{name}' - Finished execution [OK]" for name in ("x", "y", "z", "joined")
    }


def test_runs_in_parallel_threads_sharing_an_adapter_keep_their_run_ids_apart(caplog):
    caplog.set_level(logging.INFO, logger="shared")
    adapter = LoggingAdapter("shared")
    barrier = threading.Barrier(2, timeout=30)

    def value(label: str) -> str:
        barrier.wait()
        get_logger("shared").info("value is %s", label)
        return label

    dr = driver.Builder().with_modules(_module(value)).with_adapters(adapter).build()
    results = {}
    threads = [
        threading.Thread(target=lambda lbl=label: results.update({lbl: dr.execute(["value"], inputs={"label": lbl})}))
        for label in ("one", "two")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {k: v["value"] for k, v in results.items()} == {"one": "one", "two": "two"}
    by_label = {r.getMessage(): r.hamilton_run_id for r in _records(caplog, "shared") if "value is" in r.getMessage()}
    assert set(by_label) == {"Node 'value' - value is one", "Node 'value' - value is two"}
    assert len(set(by_label.values())) == 2
    finished = [r for r in _records(caplog, "shared") if r.getMessage().endswith("Finished graph execution [OK]")]
    assert {r.hamilton_run_id for r in finished} == set(by_label.values())


# --- async ------------------------------------------------------------------------------------------


def _async_module():
    async def a() -> str:
        await asyncio.sleep(0.01)
        get_logger("aio").warning("in a")
        return "a"

    async def b() -> str:
        get_logger("aio").warning("in b")
        await asyncio.sleep(0.02)
        get_logger("aio").warning("still in b")
        return "b"

    async def c(a: str, b: str) -> str:
        return a + b

    return _module(a, b, c)


@pytest.mark.parametrize("adapter_type", [AsyncLoggingAdapter, LoggingAdapter])
def test_async_nodes_log_with_their_own_context_while_interleaved(caplog, adapter_type):
    caplog.set_level(logging.DEBUG, logger="aio")

    async def run():
        dr = await async_driver.Builder().with_modules(_async_module()).with_adapters(adapter_type("aio")).build()
        return await dr.execute(["c"])

    assert asyncio.run(run())["c"] == "ab"
    assert sorted(_messages(caplog, "aio", logging.WARNING)) == [
        "Node 'a' - in a",
        "Node 'b' - in b",
        "Node 'b' - still in b",
    ]
    info = _messages(caplog, "aio", logging.INFO)
    assert info[0].startswith("Graph run '")
    assert info[-1].endswith("- Finished graph execution [OK]")
    assert set(info[1:-1]) == {f"Node '{n}' - Finished execution [OK]" for n in "abc"}
    debug = set(_messages(caplog, "aio", logging.DEBUG))
    verb = "Submitting async node" if adapter_type is AsyncLoggingAdapter else "Starting execution"
    assert f"Node 'c' - {verb} with dependencies 'a', 'b'" in debug
    assert f"Node 'a' - {verb} without dependencies" in debug


def test_an_async_node_failure_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="aio-fail")

    async def bad() -> int:
        raise KeyError("missing")

    async def run():
        dr = (
            await async_driver.Builder()
            .with_modules(_module(bad))
            .with_adapters(AsyncLoggingAdapter("aio-fail"))
            .build()
        )
        return await dr.execute(["bad"])

    with pytest.raises(KeyError):
        asyncio.run(run())
    errors = [r for r in _records(caplog, "aio-fail") if r.levelno == logging.ERROR]
    assert errors[0].getMessage().startswith("Node 'bad' - Encountered error in ")
    assert errors[0].exc_info[0] is KeyError
    assert "Graph execution failed due to errors (KeyError:" in errors[1].getMessage()


# --- dynamic (task-based) runs --------------------------------------------------------------------------------


def fan_out(count: int) -> Parallelizable[int]:
    yield from range(count)


def per_item(fan_out: int) -> int:
    get_logger("tasks").warning("item %d", fan_out)
    if fan_out < 0:
        raise ValueError(f"negative item {fan_out}")
    return 10 * fan_out


def gathered(per_item: Collect[int]) -> int:
    return sum(per_item)


def negative_fan_out(count: int) -> Parallelizable[int]:
    yield from range(-1, count - 1)


def negative_per_item(negative_fan_out: int) -> int:
    if negative_fan_out < 0:
        raise ValueError(f"negative item {negative_fan_out}")
    return negative_fan_out


def negative_gathered(negative_per_item: Collect[int]) -> int:
    return sum(negative_per_item)


def _dynamic_driver(executor, *functions, logger="tasks"):
    return (
        driver.Builder()
        .with_functions(*functions)
        .with_adapters(LoggingAdapter(logger))
        .enable_dynamic_execution(allow_experimental_mode=True)
        .with_remote_executor(executor)
        .build()
    )


@pytest.mark.parametrize(
    "executor",
    [lambda: executors.SynchronousLocalTaskExecutor(), lambda: executors.MultiThreadingExecutor(max_tasks=3)],
    ids=["synchronous", "threads"],
)
def test_a_dynamic_run_logs_tasks_at_info_and_nodes_at_debug(caplog, executor):
    caplog.set_level(logging.DEBUG, logger="tasks")
    dr = _dynamic_driver(executor(), fan_out, per_item, gathered)
    assert dr.execute(["gathered"], inputs={"count": 3})["gathered"] == 30

    info = _messages(caplog, "tasks", logging.INFO)
    assert info[0].startswith("Graph run '")
    assert info[1].endswith(" - Using inputs 'count'")
    assert info[2].endswith(" - Dynamic DAG detected; task-based logging is enabled")
    assert info[-1].endswith(" - Finished graph execution [OK]")
    assert set(info[3:-1]) == {
        "Task 'expand-fan_out' - Task completed [OK]",
        *(f"Task 'expand-fan_out.{i}.block-fan_out' - Task completed [OK]" for i in range(3)),
        "Task 'collect-fan_out' - Task completed [OK]",
    }
    assert set(_messages(caplog, "tasks", logging.WARNING)) == {
        f"Task 'expand-fan_out.{i}.block-fan_out' - item {i}" for i in range(3)
    }
    debug = set(_messages(caplog, "tasks", logging.DEBUG))
    assert {
        "Task 'expand-fan_out' - Initializing new task and submitting to executor",
        "Task 'expand-fan_out' - Starting execution of nodes 'fan_out'",
        "Task 'expand-fan_out' - Starting execution with dependencies 'count'",
        "Task 'expand-fan_out' - Node 'fan_out' - Finished execution [OK]",
        "Task 'expand-fan_out' - Finished execution [OK]",
        "Task 'expand-fan_out.1.block-fan_out' - Spawning task and submitting to executor",
        "Task 'expand-fan_out.1.block-fan_out' - Node 'per_item' - Finished execution [OK]",
        "Task 'collect-fan_out' - Starting execution of nodes 'gathered'",
        "Task 'collect-fan_out' - Node 'gathered' - Finished execution [OK]",
    } <= debug
    # task records carry the task id
    warned = [r for r in _records(caplog, "tasks") if r.levelno == logging.WARNING]
    assert {r.hamilton_task_id for r in warned} == {f"expand-fan_out.{i}.block-fan_out" for i in range(3)}
    assert {r.hamilton_node_name for r in warned} == {"per_item"}


def test_a_failing_task_is_logged_once_with_its_node_and_function(caplog):
    caplog.set_level(logging.DEBUG, logger="task-fail")
    dr = _dynamic_driver(
        executors.SynchronousLocalTaskExecutor(),
        negative_fan_out,
        negative_per_item,
        negative_gathered,
        logger="task-fail",
    )
    with pytest.raises(ValueError, match="negative item -1"):
        dr.execute(["negative_gathered"], inputs={"count": 2})
    errors = [r.getMessage() for r in _records(caplog, "task-fail") if r.levelno == logging.ERROR]
    task = "expand-negative_fan_out.0.block-negative_fan_out"
    assert errors[0].startswith(
        f"Task '{task}' - Node 'negative_per_item' - Encountered error in {__name__}.negative_per_item ("
    )
    assert errors[1] == f"Task '{task}' - Execution failed due to errors"
    assert errors[-1].endswith("Graph execution failed due to errors (ValueError: negative item -1)")
    assert sum("Encountered error" in e or "Task completion failed" in e for e in errors) == 1


def test_a_task_failing_in_another_process_is_logged_by_the_driver(caplog):
    """The worker's own logging is not this process's: the failure is logged when the task returns."""
    caplog.set_level(logging.INFO, logger="task-fail")
    dr = _dynamic_driver(
        executors.MultiProcessingExecutor(max_tasks=2),
        negative_fan_out,
        negative_per_item,
        negative_gathered,
        logger="task-fail",
    )
    with pytest.raises(ValueError, match="negative item -1"):
        dr.execute(["negative_gathered"], inputs={"count": 2})
    task = "expand-negative_fan_out.0.block-negative_fan_out"
    failed = [
        r for r in _records(caplog, "task-fail") if r.getMessage().endswith("Task completion failed due to errors")
    ]
    assert [r.getMessage() for r in failed] == [f"Task '{task}' - Task completion failed due to errors"]
    assert failed[0].exc_info[0] is ValueError


def test_the_adapter_survives_pickling_for_worker_processes():
    adapter = LoggingAdapter("pickled")
    copy = pickle.loads(pickle.dumps(adapter))
    assert copy.logger.logger is logging.getLogger("pickled")
    copy_async = pickle.loads(pickle.dumps(AsyncLoggingAdapter("pickled")))
    assert copy_async.logger.logger is logging.getLogger("pickled")


# --- properties and cost ------------------------------------------------------------------------------------


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(length=st.integers(min_value=1, max_value=8))
def test_every_node_of_a_chain_logs_start_and_finish_in_order(caplog, length):
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="prop")

    def make(index):
        if index == 0:

            def step() -> int:
                return 0

        else:
            exec_namespace = {}
            exec(f"def step(n{index - 1}: int) -> int:\n    return n{index - 1} + 1", exec_namespace)
            step = exec_namespace["step"]
        step.__name__ = f"n{index}"
        return step

    dr = (
        driver.Builder()
        .with_modules(_module(*(make(i) for i in range(length))))
        .with_adapters(LoggingAdapter("prop"))
        .build()
    )
    assert dr.execute([f"n{length - 1}"])[f"n{length - 1}"] == length - 1
    expected = []
    for i in range(length):
        dependency = "without dependencies" if i == 0 else f"with dependencies 'n{i - 1}'"
        expected += [f"Node 'n{i}' - Starting execution {dependency}", f"Node 'n{i}' - Finished execution [OK]"]
    assert _messages(caplog, "prop")[1:-1] == expected


def test_runs_without_the_adapter_never_import_it():
    script = (
        "import sys\n"
        "from hamilton import ad_hoc_utils, driver\n"
        "def a() -> int:\n    return 1\n"
        "dr = driver.Builder().with_modules(ad_hoc_utils.create_temporary_module(a)).build()\n"
        "assert dr.execute(['a'])['a'] == 1\n"
        "print('hamilton.plugins.h_logging' in sys.modules)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


def test_importing_the_module_loads_only_the_standard_library_and_core():
    script = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import hamilton.plugins.h_logging\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(m for m in new if m not in sys.stdlib_module_names and m != 'hamilton'))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


async def async_per_item(fan_out: int) -> int:
    get_logger("async-tasks").warning("item %d", fan_out)
    return fan_out


def async_gathered(async_per_item: Collect[int]) -> int:
    return sum(async_per_item)


def test_a_dynamic_run_of_the_async_driver_logs_its_tasks(caplog):
    caplog.set_level(logging.INFO, logger="async-tasks")

    async def run():
        dr = await (
            async_driver.Builder()
            .with_functions(fan_out, async_per_item, async_gathered)
            .with_adapters(LoggingAdapter("async-tasks"))
            .enable_dynamic_execution(allow_experimental_mode=True)
            .with_remote_executor(executors.MultiThreadingExecutor(max_tasks=2))
            .build()
        )
        return await dr.execute(["async_gathered"], inputs={"count": 2})

    assert asyncio.run(run())["async_gathered"] == 1
    info = _messages(caplog, "async-tasks", logging.INFO)
    run_id = RUN_ID.match(info[0]).group(1)
    assert f"Graph run '{run_id}' - Dynamic DAG detected; task-based logging is enabled" in info
    assert "Task 'expand-fan_out.1.block-fan_out' - Task completed [OK]" in info
    assert info[-1] == f"Graph run '{run_id}' - Finished graph execution [OK]"
    assert set(_messages(caplog, "async-tasks", logging.WARNING)) == {
        f"Task 'expand-fan_out.{i}.block-fan_out' - item {i}" for i in range(2)
    }


def test_sync_nodes_offloaded_to_threads_keep_their_context(caplog):
    caplog.set_level(logging.INFO, logger="offload")

    def offloaded() -> int:
        get_logger("offload").info("on a thread")
        return 1

    dr = (
        driver.Builder()
        .with_modules(_module(offloaded))
        .with_adapters(LoggingAdapter("offload"))
        .with_execution_mode(sync_nodes="threads")
        .build()
    )
    assert dr.execute(["offloaded"])["offloaded"] == 1
    assert "Node 'offloaded' - on a thread" in _messages(caplog, "offload")
