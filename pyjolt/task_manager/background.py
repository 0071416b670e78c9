"""Fire-and-forget tasks: kept referenced until done, failures logged, drained at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
from collections.abc import Callable
from typing import Any


def callable_name(func: Any) -> str:
    """A readable name of ``func`` for log messages."""
    if isinstance(func, functools.partial):
        return callable_name(func.func)
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if name is None and inspect.iscoroutine(func):
        name = func.__qualname__
    return str(name or repr(func))


def _is_async_callable(func: Any) -> bool:
    while isinstance(func, functools.partial):
        func = func.func
    if inspect.iscoroutinefunction(func):
        return True
    call = getattr(func, "__call__", None)  # noqa: B004 - async __call__ of an instance
    return call is not None and not inspect.isfunction(func) and inspect.iscoroutinefunction(call)


class BackgroundTasks:
    """A set of running asyncio tasks started by ``run_background_task``."""

    def __init__(self, logger: Callable[[], Any]) -> None:
        self._logger = logger
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, func: Any, /, *args: Any, **kwargs: Any) -> asyncio.Task[Any]:
        """Start ``func(*args, **kwargs)`` without waiting (``TaskManager.run_background_task``)."""
        name = callable_name(func)
        if inspect.iscoroutine(func):
            if args or kwargs:
                func.close()
                raise TypeError("run_background_task: pass a coroutine object without arguments")
            awaitable: Any = func
        elif _is_async_callable(func):
            awaitable = func(*args, **kwargs)
        elif callable(func):
            awaitable = asyncio.to_thread(func, *args, **kwargs)
        else:
            raise TypeError(f"run_background_task: {func!r} is not callable")
        task = asyncio.get_running_loop().create_task(awaitable, name=f"background {name}")
        self._tasks.add(task)
        task.add_done_callback(functools.partial(self._done, name))
        return task

    def _done(self, name: str, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self._logger().opt(exception=exc).error("Background task {} failed: {!r}", name, exc)

    async def drain(self, grace: float) -> None:
        """Wait up to ``grace`` seconds for pending tasks, then cancel the rest."""
        pending = {t for t in self._tasks if not t.done()}
        if not pending:
            return
        _, still_running = await asyncio.wait(pending, timeout=grace)
        if still_running:
            self._logger().warning(
                "Task manager: cancelling {} background task(s) still running after {}s",
                len(still_running),
                grace,
            )
            for task in still_running:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait(still_running)


__all__ = ["BackgroundTasks", "callable_name"]
