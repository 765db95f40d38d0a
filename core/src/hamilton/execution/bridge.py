"""Running a coroutine to completion from synchronous code, wherever that code is called from.

``Driver.execute`` keeps its synchronous signature when the graph has ``async def`` nodes: it
runs them on an event loop of its own. When the calling thread already runs a loop (Jupyter, an
async web handler) that loop cannot be blocked on, so the run gets a helper thread with its own
loop and the caller waits for it. Either way nothing of the run outlives the call: a
``KeyboardInterrupt`` cancels the run's task, and its loop is closed before the call returns.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)
if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from typing import Any


def loop_is_running() -> bool:
    """Whether this thread is inside a running event loop."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_sync(make_coroutine: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """The result of ``make_coroutine()`` run on a fresh event loop (its exception propagates).

    In a thread that runs a loop already, the coroutine runs on a helper thread (its values must
    not be tied to the caller's loop: use ``await dr.aexecute(...)`` there instead).
    """
    if not loop_is_running():
        return _run_on_this_thread(make_coroutine)
    return _run_on_helper_thread(make_coroutine)


class _ThreadLoop:
    """This thread's event loop for runs, kept between them: creating a loop per run costs ~100 µs
    (a selector, a self-pipe), which parallel items of a dynamic run would each pay. Closed when
    the thread ends (its thread-local storage is released)."""

    __slots__ = ("loop",)

    def __init__(self) -> None:
        import asyncio

        self.loop = asyncio.new_event_loop()

    def __del__(self) -> None:
        loop = getattr(self, "loop", None)
        if loop is not None and not loop.is_closed() and not loop.is_running():
            loop.close()


_thread_loops: Any = None


def _this_threads_loop() -> Any:
    global _thread_loops
    if _thread_loops is None:
        import threading

        _thread_loops = threading.local()
    holder = getattr(_thread_loops, "holder", None)
    if holder is None or holder.loop.is_closed():
        holder = _thread_loops.holder = _ThreadLoop()
    return holder.loop


def _run_on_this_thread(make_coroutine: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run on this thread's loop; whatever the run leaves (tasks, default-executor threads) is
    cancelled or shut down before returning, as ``asyncio.run`` would."""
    import asyncio

    loop = _this_threads_loop()
    task = loop.create_task(make_coroutine())
    try:
        return loop.run_until_complete(task)
    finally:
        leftovers = [pending for pending in asyncio.all_tasks(loop) if not pending.done()]
        for pending in leftovers:
            pending.cancel()
        if leftovers:  # e.g. the run's task after a KeyboardInterrupt, or a node's background task
            loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
        if getattr(loop, "_default_executor", None) is not None:  # a node used asyncio.to_thread
            loop.run_until_complete(loop.shutdown_default_executor())


class _Handle:
    """What the helper thread shares with the waiting caller."""

    __slots__ = ("error", "loop", "result", "task")

    def __init__(self) -> None:
        self.loop: Any = None
        self.task: Any = None
        self.result: Any = None
        self.error: BaseException | None = None


def _run_on_helper_thread(make_coroutine: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    import asyncio
    import contextlib
    import threading

    handle = _Handle()
    started = threading.Event()

    async def tracked() -> Any:
        handle.loop = asyncio.get_running_loop()
        handle.task = asyncio.current_task()
        started.set()
        return await make_coroutine()

    def target() -> None:
        try:
            handle.result = asyncio.run(tracked())
        except BaseException as error:  # handed to the caller, raised there
            handle.error = error
        finally:
            started.set()

    thread = threading.Thread(target=target, name="hamilton-run", daemon=True)
    thread.start()
    try:
        thread.join()
    except BaseException:  # KeyboardInterrupt while waiting: cancel the run, wait for it to unwind
        started.wait()
        if handle.loop is not None and not handle.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: the run is over
                handle.loop.call_soon_threadsafe(handle.task.cancel)
        thread.join()
        raise
    if handle.error is not None:
        raise handle.error
    return handle.result


def in_thread(function: Callable[[], Any]) -> tuple[Any, Any]:
    """``(future, thread)``: an asyncio future of ``function()`` run on a thread of its own
    (``hamilton-run``), which ends with the call (unlike the loop's default executor, no worker
    thread stays behind; join it once the future is done to be sure it has exited)."""
    import asyncio
    import threading

    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.cancelled():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def target() -> None:
        try:
            result = function()
        except BaseException as error:  # handed to the awaiting coroutine
            loop.call_soon_threadsafe(settle, None, error)
        else:
            loop.call_soon_threadsafe(settle, result, None)

    thread = threading.Thread(target=target, name="hamilton-run", daemon=True)
    thread.start()
    return future, thread
