"""``DaskExecutor``: the tasks of a dynamic run, run on a Dask cluster (``distributed``)."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from hamilton.execution.executors import TaskExecutor, execute_task_remotely
from hamilton.execution.state import TaskState

# Tasks are sent to the scheduler in batches (one graph per batch, like ``client.map``): one
# message per task costs the scheduler several times more. A batch leaves when it holds
# BATCH_SIZE tasks, when a result of one of its tasks is asked for, or LINGER seconds after its
# first task arrived (so a slow Parallelizable generator still gets its items started).
# Results are fetched the same way: asking for the oldest task's result also brings those of the
# tasks sent after it that have finished (one round trip to the cluster for all of them).
BATCH_SIZE = 512
LINGER = 0.005


class DaskExecutor(TaskExecutor):
    """Runs the tasks of a dynamic run on a Dask cluster.

    ``Builder().enable_dynamic_execution(allow_experimental_mode=True)
    .with_remote_executor(DaskExecutor(client=client))`` sends every item of a ``Parallelizable``
    block to the cluster as one dask task; ``with_remote_executor("dask")`` does the same with
    the cluster found as described below. Tasks are pickled (cloudpickle) with their nodes, so
    node functions and values must pickle, and the workers need ``hamilton-dask`` installed.

    :param client: the ``distributed.Client`` to submit to. Without one, the executor uses the
        client of the current context (``distributed.get_client()``), else connects to
        ``address``, else starts a local cluster of worker processes (``cluster_options`` go to
        ``distributed.LocalCluster``) that it keeps for later runs until :meth:`close`.
    :param address: a scheduler address (``"tcp://host:8786"``) to connect to.
    :param max_tasks: at most this many tasks submitted at once (default: no limit; dask's
        scheduler queues them and spreads them over the workers).
    """

    def __init__(
        self, *, client: Any = None, address: str | None = None, max_tasks: int | None = None, **cluster_options: Any
    ):
        if max_tasks is not None and max_tasks < 1:
            raise ValueError(f"max_tasks must be at least 1, got {max_tasks}.")
        self.client = client
        self.address = address
        self.max_tasks = max_tasks
        self.cluster_options = cluster_options
        self._owned: list[Any] = []  # the client and cluster this executor started, closed by close()
        self._running: list[DaskTaskFuture] = []  # submitted and not known to be done (with max_tasks)
        self._batch: list[tuple[DaskTaskFuture, Any]] = []  # tasks not sent to the scheduler yet
        self._lock = threading.Lock()  # the batch is sent from the run's thread or the linger timer
        self._timer: threading.Timer | None = None
        self._unfetched: deque[DaskTaskFuture] = deque()  # sent, result not fetched, in send order

    # -- the cluster ---------------------------------------------------------------------------

    def init(self) -> None:
        if self.client is None:
            self.client = self._find_client()

    def _find_client(self) -> Any:
        import distributed

        if self.address is not None:
            client = distributed.Client(self.address, set_as_default=False)
            self._owned.append(client)
            return client
        try:
            return distributed.get_client()
        except ValueError:  # no client in this context: start a local cluster of our own
            options = {"processes": True, "dashboard_address": None, **self.cluster_options}
            cluster = distributed.LocalCluster(**options)
            client = distributed.Client(cluster, set_as_default=False)
            self._owned.extend([client, cluster])
            return client

    def close(self) -> None:
        """Close the client and local cluster this executor started (not one it was given)."""
        self.finalize()
        for resource in self._owned:
            resource.close()
        if self._owned:
            self.client = None
        self._owned.clear()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("A DaskExecutor holds a connection to a cluster and cannot be pickled.")

    # -- tasks ---------------------------------------------------------------------------------

    def submit_task(self, task: Any) -> DaskTaskFuture:
        if self.client is None:
            self.init()
        future = DaskTaskFuture(self, f"hamilton-{task.task_id}-{task.run_id}")  # unique per run
        with self._lock:
            self._batch.append((future, task))
            if len(self._batch) >= BATCH_SIZE or (self.max_tasks is not None and len(self._batch) >= self.max_tasks):
                self._send_locked()
            elif self._timer is None:
                self._timer = threading.Timer(LINGER, self.send)
                self._timer.daemon = True
                self._timer.start()
        if self.max_tasks is not None:
            self._running = [running for running in self._running if not running.done()]
            self._running.append(future)
        return future

    def send(self) -> None:
        """Send the waiting tasks to the scheduler now."""
        with self._lock:
            self._send_locked()

    def _send_locked(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._batch = self._batch, []
        if not batch:
            return
        futures = [future for future, _ in batch]
        try:
            sent = self.client.map(
                execute_task_remotely,
                [task for _, task in batch],
                key=[future.key for future in futures],
                pure=False,
            )
        except Exception as error:  # e.g. a task that does not pickle: each of its futures fails with it
            for future in futures:
                future.fail(error)
            return
        for future, dask_future in zip(futures, sent):
            future.dask_future = dask_future
        self._unfetched.extend(futures)

    def fetch(self, target: DaskTaskFuture) -> None:
        """Wait for ``target``'s result and fetch it, with those of the tasks sent after it that
        have finished already (when ``target`` is the oldest task not fetched yet)."""
        if target.dask_future.status != "finished":
            target.dask_future.result()  # waits; raises the task's error
        batch = []
        with self._lock:
            if self._unfetched and self._unfetched[0] is target:
                while self._unfetched and len(batch) < BATCH_SIZE:
                    candidate = self._unfetched[0]
                    if candidate.dask_future is None or candidate.dask_future.status != "finished":
                        break
                    batch.append(self._unfetched.popleft())
        if not batch:  # not the oldest: fetch it alone
            batch = [target]
        for future, result in zip(batch, self.client.gather([future.dask_future for future in batch])):
            future.keep(result)

    def can_submit_task(self) -> bool:
        if self.max_tasks is None:
            return True
        self._running = [running for running in self._running if not running.done()]
        return len(self._running) < self.max_tasks

    def finalize(self) -> None:
        """Drop what the run left unsent (core cancels the pending tasks of a failed run); the
        cluster stays up for the next run."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            for future, _ in self._batch:
                future.fail(RuntimeError("The run ended before this task was sent to the dask cluster."))
            self._batch = []
            self._unfetched.clear()
        self._running = []


class DaskTaskFuture:
    """A task given to a :class:`DaskExecutor`, as core's runner sees it.

    Results come from the dask future's own blocking ``result()`` (no thread per task);
    :attr:`future`, a ``concurrent.futures.Future`` following it, is made only when the runner
    waits for whichever of several tasks finishes first.
    """

    __slots__ = ("_error", "_executor", "_fetched", "_python_future", "_result", "dask_future", "key")

    def __init__(self, executor: DaskExecutor, key: str):
        self._executor = executor
        self.key = key
        self.dask_future: Any = None  # set when the batch holding the task is sent
        self._error: BaseException | None = None  # the task could not be sent
        self._python_future: Any = None
        self._fetched = False
        self._result: Any = None

    def fail(self, error: BaseException) -> None:
        self._error = error

    def keep(self, result: Any) -> None:
        """The task's result, fetched (with others) by the executor."""
        self._result, self._fetched = result, True

    def _sent(self) -> Any:
        if self.dask_future is None and self._error is None:
            self._executor.send()
        return self.dask_future

    def done(self) -> bool:
        if self._error is not None:
            return True
        return self.dask_future is not None and self.dask_future.done()

    def get_state(self) -> TaskState:
        if self._error is not None:
            return TaskState.FAILED
        if self.dask_future is None:  # still in its batch: certainly not done
            return TaskState.RUNNING
        status = self.dask_future.status
        if status == "finished":
            return TaskState.SUCCESSFUL
        if status in ("error", "cancelled", "lost"):
            return TaskState.FAILED
        return TaskState.RUNNING

    def get_result(self) -> Any:
        if not self._fetched:
            self._sent()
            if self._error is not None:
                raise self._error
            self._executor.fetch(self)
        return self._result

    def cancel(self) -> bool:
        if self.dask_future is not None:
            self.dask_future.cancel()
        elif self._error is None:
            self._error = RuntimeError("The task was cancelled before it was sent to the dask cluster.")
        return True

    @property
    def future(self) -> Any:
        """A ``concurrent.futures.Future`` with this task's outcome."""
        if self._python_future is None:
            dask_future = self._sent()
            self._python_future = _python_future_of(dask_future, self._error)
        return self._python_future


def _python_future_of(dask_future: Any, error: BaseException | None) -> Any:
    """A ``concurrent.futures.Future`` that takes ``dask_future``'s outcome when it has one."""
    from concurrent.futures import Future

    python_future: Future = Future()
    if error is not None:
        python_future.set_exception(error)
        return python_future

    def copy_outcome(finished: Any) -> None:
        try:
            if finished.status == "cancelled":
                python_future.cancel()
                python_future.set_running_or_notify_cancel()
            elif finished.status == "error":
                python_future.set_exception(finished.exception())
            else:
                python_future.set_result(finished.result())
        except BaseException as raised:  # a result that does not unpickle here, a lost worker...
            if not python_future.done():
                python_future.set_exception(raised)

    dask_future.add_done_callback(copy_outcome)
    return python_future
