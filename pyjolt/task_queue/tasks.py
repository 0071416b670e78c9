"""``@queue.task``: task definitions, the handles enqueueing returns, the running task's context."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypedDict, TypeVar

from pyjolt.controller.meta import get_endpoint_meta
from pyjolt.task_queue.arguments import TaskArguments
from pyjolt.task_queue.errors import TaskFailedError, TaskResultTimeoutError

if TYPE_CHECKING:
    from pyjolt.task_queue.extension import TaskQueue

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class TaskContext:
    """The task being run in a worker (``current_task()``)."""

    task_id: str
    task_name: str
    #: 1 for the first run, 2 for the first retry...
    attempt: int


_CURRENT: ContextVar[TaskContext | None] = ContextVar("pyjolt_task_queue_current", default=None)


def current_task() -> TaskContext | None:
    """The task running in this context (None outside a task)."""
    return _CURRENT.get()


class TaskSettings(TypedDict, total=False):
    """How a task runs: the keywords of ``@queue.task(...)`` besides ``name``; each left out
    (or None) takes the ``TASK_QUEUE`` default."""

    #: extra runs after a failure (default ``DEFAULT_RETRIES``)
    retries: int | None
    #: seconds before the first retry, doubled for each next one, capped by ``MAX_BACKOFF``
    #: (default ``DEFAULT_BACKOFF``)
    backoff: float | None
    #: seconds a run may take; longer ones fail with ``TaskTimeoutError`` (and are retried)
    timeout: float | None


@dataclass(frozen=True)
class TaskOptions:
    """Options of one task; None means the ``TASK_QUEUE`` default."""

    name: str
    retries: int | None = None
    backoff: float | None = None
    timeout: float | None = None

    def __post_init__(self) -> None:
        if self.retries is not None and self.retries < 0:
            raise ValueError("@task(retries=...) must be >= 0")
        if self.backoff is not None and self.backoff < 0:
            raise ValueError("@task(backoff=...) must be >= 0")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError("@task(timeout=...) must be > 0")


class Task(Generic[P, R]):
    """A function registered with ``@queue.task``; calling it runs it here, now."""

    def __init__(self, queue: TaskQueue, fn: Callable[P, Any], options: TaskOptions) -> None:
        self.queue = queue
        self.fn = fn
        self.options = options
        self.is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
            inspect.unwrap(fn)
        )
        self._arguments: TaskArguments | None = None
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __repr__(self) -> str:
        return f"<Task {self.name!r}>"

    @property
    def name(self) -> str:
        return self.options.name

    @property
    def arguments(self) -> TaskArguments:
        """The argument validators (built on first use: annotations may refer to later names)."""
        if self._arguments is None:
            meta = get_endpoint_meta(self.fn)
            injected = meta.injects if meta is not None else frozenset()
            self._arguments = TaskArguments(self.fn, self.name, injected)
        return self._arguments

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        return self.fn(*args, **kwargs)

    async def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> TaskHandle[R]:
        """Validate the arguments and send the task to the broker; returns its handle."""
        return await self.queue.enqueue(self, args, kwargs)

    async def enqueue_in(self, delay: float, *args: P.args, **kwargs: P.kwargs) -> TaskHandle[R]:
        """Like ``enqueue``, run no sooner than ``delay`` seconds from now (brokers with
        delayed delivery: RabbitMQ and the in-memory broker)."""
        return await self.queue.enqueue(self, args, kwargs, delay=delay)


class TaskHandle(Generic[R]):
    """An enqueued task: its ``task_id`` and, with a result backend, its result."""

    def __init__(self, task: Task[Any, R], task_id: str, backend: Any) -> None:
        self.task = task
        self.task_id = task_id
        self._backend = backend

    def __repr__(self) -> str:
        return f"<TaskHandle {self.task.name!r} {self.task_id}>"

    async def ready(self) -> bool:
        """Whether the task has finished (successfully or not)."""
        return bool(await self._result_backend().is_result_ready(self.task_id))

    def _result_backend(self) -> Any:
        if self._backend is None:
            self.task.queue.require_result_backend()
        return self._backend

    async def result(
        self,
        timeout: float | None = 30.0,  # noqa: ASYNC109 - the documented handle.result(timeout=)
        poll_interval: float = 0.05,
    ) -> R:
        """Wait for the task's return value.

        Raises ``TaskFailedError`` when the task failed after its retries and
        ``TaskResultTimeoutError`` after ``timeout`` seconds (None: wait forever).
        """
        backend = self._result_backend()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not await backend.is_result_ready(self.task_id):
            if deadline is not None and time.monotonic() >= deadline:
                raise TaskResultTimeoutError(
                    f"task {self.task.name!r} ({self.task_id}) has no result after {timeout}s"
                )
            await asyncio.sleep(poll_interval)
        outcome = await backend.get_result(self.task_id)
        if outcome.is_err:
            error = outcome.error
            text = f"{type(error).__name__}: {error}" if error is not None else "unknown error"
            raise TaskFailedError(self.task_id, self.task.name, text)
        value: R = self.task.arguments.load_result(outcome.return_value)
        return value


__all__ = ["Task", "TaskContext", "TaskHandle", "TaskOptions", "TaskSettings", "current_task"]
