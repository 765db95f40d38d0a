"""Task executors for dynamic execution, and the manager that picks one per task.

* :class:`SynchronousLocalTaskExecutor` runs each task at once, in the driver's thread;
* :class:`MultiThreadingExecutor` / :class:`MultiProcessingExecutor` run tasks on a pool of
  ``max_tasks`` threads / processes (tasks are pickled for processes);
* :class:`PluginTaskExecutor` runs tasks on any executor registered by a plugin under a name
  (``hamilton_executors`` hook): a distributed engine ships as a distribution, not in core;
* :class:`DefaultExecutionManager` sends the items of parallel blocks to the *remote* executor
  and every other task to the *local* one.

A custom executor subclasses :class:`TaskExecutor` and runs tasks with :func:`base_execute_task`.
"""

import abc
import contextlib
from typing import Any, Protocol

from hamilton.execution.dynamic import base_execute_task, base_execute_task_async, task_is_async
from hamilton.execution.grouping import NodeGroupPurpose, TaskImplementation
from hamilton.execution.state import TaskState

__all__ = [
    "DefaultExecutionManager",
    "ExecutionManager",
    "MultiProcessingExecutor",
    "MultiThreadingExecutor",
    "PluginTaskExecutor",
    "PoolExecutor",
    "SynchronousLocalTaskExecutor",
    "TaskExecutor",
    "TaskFuture",
    "TaskFutureWrappingFunction",
    "TaskFutureWrappingPythonFuture",
    "base_execute_task",
    "execute_task_remotely",
    "run_graph_to_completion",
]


class TaskFuture(Protocol):
    """The pending result of a submitted task."""

    def get_state(self) -> TaskState: ...

    def get_result(self) -> Any: ...


class _CompletedFuture:
    """A task that already ran (synchronous execution): its result, or the error it raised."""

    __slots__ = ("_error", "_result")

    def __init__(self, result: Any = None, error: BaseException | None = None):
        self._result = result
        self._error = error

    def get_state(self) -> TaskState:
        return TaskState.FAILED if self._error is not None else TaskState.SUCCESSFUL

    def get_result(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._result


class TaskFutureWrappingFunction:
    """A :class:`TaskFuture` that runs ``function()`` when its state or result is first asked for."""

    __slots__ = ("_done", "_error", "_function", "_result")

    def __init__(self, function: Any):
        self._function = function
        self._done = False
        self._result: Any = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        if not self._done:
            try:
                self._result = self._function()
            except Exception as error:
                self._error = error
            self._done = True
            self._function = None

    def get_state(self) -> TaskState:
        self._run()
        return TaskState.FAILED if self._error is not None else TaskState.SUCCESSFUL

    def get_result(self) -> Any:
        self._run()
        if self._error is not None:
            raise self._error
        return self._result


class TaskFutureWrappingPythonFuture:
    """A :class:`TaskFuture` over a ``concurrent.futures.Future``."""

    __slots__ = ("future",)

    def __init__(self, future: Any):
        self.future = future

    def get_state(self) -> TaskState:
        if not self.future.done():
            return TaskState.RUNNING
        return TaskState.FAILED if self.future.exception() is not None else TaskState.SUCCESSFUL

    def get_result(self) -> Any:
        return self.future.result()

    def cancel(self) -> bool:
        return self.future.cancel()


class TaskExecutor(abc.ABC):
    """Runs tasks. ``init``/``finalize`` bracket each run."""

    def init(self) -> None:  # noqa: B027 (optional: most executors need no setup)
        """Acquire resources (pools, connections) before a run."""

    def finalize(self) -> None:  # noqa: B027
        """Release them after a run (also after a failed one)."""

    @abc.abstractmethod
    def submit_task(self, task: TaskImplementation) -> TaskFuture:
        """Start ``task``; its result is ``base_execute_task(task)``."""

    @abc.abstractmethod
    def can_submit_task(self) -> bool:
        """Whether another task can start now (the driver waits for results otherwise)."""


class SynchronousLocalTaskExecutor(TaskExecutor):
    """Runs each task immediately, in the calling thread."""

    def submit_task(self, task: TaskImplementation) -> TaskFuture:
        try:
            return _CompletedFuture(base_execute_task(task))
        except Exception as error:
            return _CompletedFuture(error=error)

    def can_submit_task(self) -> bool:
        return True


def execute_task_remotely(task: TaskImplementation) -> dict[str, Any]:
    """:func:`base_execute_task` for another process or machine (what distributed executors send):
    iterators cannot cross a process boundary, so the task's one-shot iterators become lists."""
    results = base_execute_task(task)
    for name, value in results.items():
        if hasattr(value, "__next__"):  # a generator or other one-shot iterator
            results[name] = list(value)
    return results


class PoolExecutor(TaskExecutor, abc.ABC):
    """Runs tasks on a ``concurrent.futures``-style pool of ``max_tasks`` workers, created per run.

    In-process pools run tasks with ``async def`` nodes as coroutines of one event loop on a
    thread of their own instead (still at most ``max_tasks`` at once): waiting on I/O needs no
    thread per task.
    """

    crosses_processes = False  # whether tasks (and results) are pickled to reach the workers

    def __init__(self, max_tasks: int):
        if max_tasks < 1:
            raise ValueError(f"max_tasks must be at least 1, got {max_tasks}.")
        self.max_tasks = max_tasks
        self.pool: Any = None
        self.active: set[Any] = set()
        self.loop_thread: EventLoopThread | None = None
        self.active_async: set[Any] = set()

    @abc.abstractmethod
    def create_pool(self) -> Any:
        """A new pool with ``submit(fn, *args)`` and ``shutdown(wait=True)``."""

    def init(self) -> None:
        if self.pool is None:
            self.pool = self.create_pool()

    def finalize(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True) if _takes_cancel(self.pool) else self.pool.shutdown()
            self.pool = None
        if self.loop_thread is not None:
            self.loop_thread.stop()
            self.loop_thread = None
        self.active.clear()
        self.active_async.clear()

    def submit_task(self, task: TaskImplementation) -> TaskFuture:
        if not self.crosses_processes and task_is_async(task):
            if self.loop_thread is None:
                self.loop_thread = EventLoopThread(self.max_tasks)
            future = self.loop_thread.submit(base_execute_task_async, task)
            self.active_async.add(future)
            future.add_done_callback(self.active_async.discard)
            return TaskFutureWrappingPythonFuture(future)
        if self.pool is None:
            self.init()
        function = execute_task_remotely if self.crosses_processes else base_execute_task
        try:
            future = self.pool.submit(function, task)
        except Exception as error:  # e.g. a pool broken by a worker that died on an earlier task
            future = _failed_future(error)  # reported through the future, like every task failure
        self.active.add(future)
        future.add_done_callback(self.active.discard)
        return TaskFutureWrappingPythonFuture(future)

    def can_submit_task(self) -> bool:
        return len(self.active) < self.max_tasks


class EventLoopThread:
    """An event loop running on a thread of its own; coroutines are submitted from other threads
    and run at most ``limit`` at once.

    ``stop()`` cancels what is still running, closes the loop and joins the thread.
    """

    def __init__(self, limit: int) -> None:
        import asyncio
        import threading

        self.limit = asyncio.Semaphore(limit)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="hamilton-tasks-loop", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.loop.run_forever()

    def submit(self, coroutine_function: Any, *args: Any) -> Any:
        """A ``concurrent.futures.Future`` of ``coroutine_function(*args)`` run on the loop."""
        import asyncio

        async def bounded() -> Any:
            async with self.limit:
                return await coroutine_function(*args)

        return asyncio.run_coroutine_threadsafe(bounded(), self.loop)

    def stop(self) -> None:
        import asyncio

        async def cancel_all() -> None:
            current = asyncio.current_task()
            pending = [task for task in asyncio.all_tasks() if task is not current]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        if self.loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(cancel_all(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()


def _failed_future(error: BaseException) -> Any:
    """A finished ``concurrent.futures.Future`` holding ``error``."""
    from concurrent.futures import Future

    future: Future = Future()
    future.set_exception(error)
    return future


def _takes_cancel(pool: Any) -> bool:
    import inspect

    try:
        return "cancel_futures" in inspect.signature(pool.shutdown).parameters
    except (TypeError, ValueError):
        return False


class PluginTaskExecutor(PoolExecutor):
    """Runs tasks on the executor a plugin registered as ``name`` (``hamilton.plugins.executor``)."""

    def __init__(self, name: str, max_tasks: int = 4, crosses_processes: bool = False, **options: Any):
        super().__init__(max_tasks)
        self.name = name
        self.options = options
        self.crosses_processes = crosses_processes

    def create_pool(self) -> Any:
        from hamilton import plugins

        return plugins.executor(self.name, **self.options)


class MultiThreadingExecutor(PluginTaskExecutor):
    """Runs tasks on ``max_tasks`` threads (I/O-bound work, or code that releases the GIL)."""

    def __init__(self, max_tasks: int):
        super().__init__("threads", max_tasks, max_workers=max_tasks)


class MultiProcessingExecutor(PluginTaskExecutor):
    """Runs tasks in ``max_tasks`` worker processes (CPU-bound work). Tasks and results are pickled,
    so node functions must be importable and values picklable. A worker that dies fails the run
    with an error naming the task it was running, instead of hanging it.

    A dead worker fails *every* pending future of the pool alike, so each task, when it starts in
    a worker, records ``<pid>: task id`` in a per-run folder (one small file per worker, removed
    when the task ends): after a crash, the worker whose exit was not the pool's own ``SIGTERM``
    and its record say which task it was running (:meth:`crash_report`).
    """

    def __init__(self, max_tasks: int):
        super().__init__("processes", max_tasks, crosses_processes=True, max_workers=max_tasks)
        self._records: str | None = None  # the per-run folder of the workers' records
        self._crash: CrashReport | None = None

    def init(self) -> None:
        if self._records is None:
            import tempfile

            self._records = tempfile.mkdtemp(prefix="hamilton-workers-")
        super().init()

    def finalize(self) -> None:
        super().finalize()
        self._crash = None
        if self._records is not None:
            import shutil

            shutil.rmtree(self._records, ignore_errors=True)
            self._records = None

    def submit_task(self, task: TaskImplementation) -> TaskFuture:
        if self.pool is None:
            self.init()
        try:
            future = self.pool.submit(_execute_recorded, task, self._records)
        except Exception as error:  # a pool broken by a worker that died on an earlier task
            future = _failed_future(error)
        self.active.add(future)
        future.add_done_callback(self.active.discard)
        return TaskFutureWrappingPythonFuture(future)

    def crash_report(self) -> "CrashReport":
        """Which task was running in the worker that died (computed once per run: every failed
        future of the broken pool gets the same answer)."""
        if self._crash is None:
            self._crash = _diagnose_crash(self.pool, self._records)
        return self._crash


class CrashReport:
    """What is known about a dead worker: the task it ran (``None`` when that cannot be told),
    its pid and exit status, and every task that was running in a worker at the time."""

    __slots__ = ("exit_status", "in_flight", "pid", "task_id")

    def __init__(self, task_id: str | None, pid: int | None, exit_status: str | None, in_flight: list[str]):
        self.task_id = task_id
        self.pid = pid
        self.exit_status = exit_status
        self.in_flight = in_flight


def _execute_recorded(task: TaskImplementation, records: str | None) -> dict[str, Any]:
    """``execute_task_remotely`` in a worker, with a record of the running task while it runs."""
    if records is None:
        return execute_task_remotely(task)
    import os

    record = os.path.join(records, str(os.getpid()))
    try:
        with open(record, "w", encoding="utf-8") as handle:
            handle.write(task.task_id)
    except OSError:  # the record is only for diagnosing crashes: never fail a task over it
        return execute_task_remotely(task)
    try:
        return execute_task_remotely(task)
    finally:
        with contextlib.suppress(OSError):
            os.remove(record)


def _diagnose_crash(pool: Any, records: str | None) -> CrashReport:
    """Wait for the broken pool's workers to end, then match the one that died on its own
    (any exit but the ``SIGTERM`` the pool sends the others) with its record."""
    import os
    import signal
    import time

    processes = list((getattr(pool, "_processes", None) or {}).values())  # CPython's pid -> Process
    exits: dict[int, int | None] = {}
    for process in processes:
        process.join(timeout=10)  # failsafe: the pool terminates them right after failing the futures
        code = process.exitcode
        for _ in range(100):  # another thread may be reaping it at this very moment
            if code is not None:
                break
            time.sleep(0.01)
            code = process.exitcode
        exits[process.pid] = code
    running: dict[int, str] = {}
    if records is not None:
        try:
            names = os.listdir(records)
        except OSError:
            names = []
        for name in names:
            try:
                with open(os.path.join(records, name), encoding="utf-8") as handle:
                    running[int(name)] = handle.read()
            except (OSError, ValueError):
                continue
    in_flight = sorted(running.values())
    died = [pid for pid, code in exits.items() if code not in (0, None, -signal.SIGTERM)]
    if len(died) == 1 and died[0] in running:
        pid = died[0]
        return CrashReport(running[pid], pid, _describe_exit(exits[pid]), in_flight)
    return CrashReport(None, None, None, in_flight)


def _describe_exit(code: int | None) -> str | None:
    if code is None:
        return None
    if code < 0:
        import signal

        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class ExecutionManager(abc.ABC):
    """Owns the executors of a run and says which one runs each task."""

    def __init__(self, executors: list[TaskExecutor]):
        self.executors = executors

    def init(self) -> None:
        for executor in self.executors:
            executor.init()

    def finalize(self) -> None:
        for executor in self.executors:
            executor.finalize()

    @abc.abstractmethod
    def get_executor_for_task(self, task: TaskImplementation) -> TaskExecutor:
        """The executor for ``task``."""


class DefaultExecutionManager(ExecutionManager):
    """Items of parallel blocks go to ``remote_executor``; every other task to ``local_executor``."""

    def __init__(self, local_executor: TaskExecutor | None = None, remote_executor: TaskExecutor | None = None):
        self.local_executor = local_executor if local_executor is not None else SynchronousLocalTaskExecutor()
        self.remote_executor = remote_executor if remote_executor is not None else MultiProcessingExecutor(max_tasks=5)
        super().__init__([self.local_executor, self.remote_executor])

    def get_executor_for_task(self, task: TaskImplementation) -> TaskExecutor:
        if task.purpose is NodeGroupPurpose.EXECUTE_BLOCK:
            return self.remote_executor
        return self.local_executor


def run_graph_to_completion(execution_state: Any, execution_manager: "ExecutionManager | None" = None) -> None:
    """Run a prepared dynamic run (:class:`hamilton.execution.dynamic.DynamicRun` and its values,
    given as ``(run, values)``) to the end with ``execution_manager`` (default: the run's own)."""
    run, values = execution_state
    if execution_manager is not None:
        run.manager = execution_manager
    run.run_to_completion(values)


def executor_named(name: str, max_tasks: int = 4, **options: Any) -> TaskExecutor:
    """The task executor for a name: ``"synchronous"``, ``"threads"``, ``"processes"``, or any name a
    plugin registered (``options`` go to the plugin's factory).

    A plugin's factory that is a :class:`TaskExecutor` class (``"dask"``, ``"ray"``: engines that
    schedule tasks themselves) is instantiated with ``options``; any other factory makes a
    ``concurrent.futures``-style pool of ``max_tasks`` workers per run.
    """
    if name == "synchronous":
        return SynchronousLocalTaskExecutor()
    if name == "threads":
        return MultiThreadingExecutor(max_tasks)
    if name == "processes":
        return MultiProcessingExecutor(max_tasks)
    from hamilton import plugins

    factory = plugins.executor_factory(name)
    if isinstance(factory, type) and issubclass(factory, TaskExecutor):
        return factory(**options)
    return PluginTaskExecutor(name, max_tasks, **options)
