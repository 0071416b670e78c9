"""What runs around each task in a worker: retries with backoff, failure records, the task ID
in every log line, timeouts. Imported lazily (it subclasses taskiq classes)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from loguru import logger as _logger

from pyjolt._internal.imports import optional_import
from pyjolt._internal.redact import redact_mapping
from pyjolt.task_queue.errors import TaskArgumentsError, TaskTimeoutError
from pyjolt.task_queue.failures import FailedTask
from pyjolt.task_queue.tasks import _CURRENT, Task, TaskContext

if TYPE_CHECKING:
    from pyjolt.task_queue.extension import TaskQueue
    from pyjolt.task_queue.state import TaskQueueState

_taskiq = optional_import("taskiq", "taskqueue")
_receiver = optional_import("taskiq.receiver", "taskqueue")
_exceptions = optional_import("taskiq.exceptions", "taskqueue")
_NoResultError: type[Exception] = _exceptions.NoResultError
_Middleware: Any = _taskiq.TaskiqMiddleware
_Receiver: Any = _receiver.Receiver

#: The message being executed, and the log contexts entered for it (set per delivery).
_MESSAGE: ContextVar[Any] = ContextVar("pyjolt_task_queue_message", default=None)
_SCOPES: ContextVar[list[Any] | None] = ContextVar("pyjolt_task_queue_scopes", default=None)
_log = _logger.bind(logger_name="pyjolt.task_queue")


def attempt_of(message: Any) -> int:
    return int(message.labels.get("_retries", 0) or 0) + 1


def make_runner(
    task: Task[Any, Any], state: TaskQueueState
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """The coroutine registered with taskiq for ``task``: waits for a retry's time, rebuilds
    the arguments, runs the function under its timeout, returns the JSON form of the result."""
    arguments = task.arguments
    fn = task.fn
    timeout = state.config.timeout_for(task.options.timeout)

    async def run(**payload: Any) -> Any:
        message = _MESSAGE.get()
        attempt = 1
        if message is not None:
            attempt = attempt_of(message)
            wait = float(message.labels.get("eta", 0) or 0) - time.time()
            if wait > 0:  # a retry (or delayed task) the broker could not hold back itself
                await asyncio.sleep(wait)
        kwargs = arguments.load(payload)
        task_id = message.task_id if message is not None else ""
        token = _CURRENT.set(TaskContext(task_id, task.name, attempt))
        try:
            call = fn(**kwargs) if task.is_async else asyncio.to_thread(fn, **kwargs)
            if timeout is None:
                value = await call
            else:
                try:
                    async with asyncio.timeout(timeout):
                        value = await call
                except TimeoutError as exc:
                    raise TaskTimeoutError(
                        f"task {task.name!r} ran longer than its timeout of {timeout}s"
                    ) from exc
        finally:
            _CURRENT.reset(token)
        return arguments.dump_result(value)

    run.__name__ = run.__qualname__ = task.name.rsplit(".", 1)[-1].replace(":", "_")
    return run


class QueueMiddleware(_Middleware):  # type: ignore[misc]
    """Log context, retries with exponential backoff and failure records."""

    def __init__(self, queue: TaskQueue, state: TaskQueueState) -> None:
        super().__init__()
        self.queue = queue
        self.state = state
        self.receiver: QueueReceiver | None = None

    def pre_execute(self, message: Any) -> Any:
        _MESSAGE.set(message)
        scopes = _SCOPES.get()
        if scopes is not None:
            scope = _logger.contextualize(task_id=message.task_id, task_name=message.task_name)
            scope.__enter__()
            scopes.append(scope)
        _log.debug(
            "Task {} {} started (attempt {})",
            message.task_name,
            message.task_id,
            attempt_of(message),
        )
        return message

    def post_execute(self, message: Any, result: Any) -> None:
        if not result.is_err:
            self.queue.record("run")
            _log.debug(
                "Task {} {} done in {}s", message.task_name, message.task_id, result.execution_time
            )

    async def on_error(self, message: Any, result: Any, exception: BaseException) -> None:
        log = _log
        receiver = self.receiver
        if (
            receiver is not None
            and receiver.abandoned
            and isinstance(exception, asyncio.CancelledError)
        ):
            # Stopped at shutdown: not acknowledged, so the broker delivers it again.
            result.error = _NoResultError()
            log.warning("Task {} {} interrupted by shutdown", message.task_name, message.task_id)
            return
        if isinstance(exception, _NoResultError):
            return
        task = self.queue.tasks.get(message.task_name)
        attempt = attempt_of(message)
        config = self.state.config
        retries = config.retries_for(task.options.retries) if task is not None else 0
        retryable = not isinstance(exception, TaskArgumentsError)
        error = f"{type(exception).__name__}: {exception}"
        if retryable and attempt <= retries:
            assert task is not None
            delay = config.backoff_for(task.options.backoff, attempt)
            labels = {**message.labels, "_retries": attempt, "eta": time.time() + delay}
            labels.pop("delay", None)
            if self.state.info is not None and self.state.info.native_delay and delay > 0:
                labels["delay"] = delay
            kicker = _taskiq.kicker.AsyncKicker(
                task_name=message.task_name, broker=self.broker, labels=labels
            ).with_task_id(message.task_id)
            await kicker.kiq(*message.args, **message.kwargs)
            result.error = _NoResultError()  # the retry writes the result
            self.queue.record("retry")
            log.warning(
                "Task {} {} failed (attempt {} of {}): {}; retrying in {:.2f}s",
                message.task_name,
                message.task_id,
                attempt,
                retries + 1,
                error,
                delay,
            )
            return
        self.queue.record("failure")
        failed = FailedTask(
            task_id=message.task_id,
            task_name=message.task_name,
            error=error,
            attempts=attempt,
            failed_at=time.time(),
            arguments=redact(dict(message.kwargs), config.REDACT_ARGS),
        )
        log.opt(exception=exception).error(
            "Task {} {} failed after {} attempt(s): {}",
            message.task_name,
            message.task_id,
            attempt,
            error,
        )
        try:
            await self.state.failed_store.record(failed)
        except Exception as exc:  # the failure is in the log either way
            log.error("Task {}: cannot record the failure: {!r}", message.task_id, exc)


class QueueReceiver(_Receiver):  # type: ignore[misc]
    """taskiq's receiver, plus: in-flight tracking, a shutdown that abandons (does not
    acknowledge) unfinished tasks, and a log context around each delivery."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.abandoned = False
        self.inflight: set[asyncio.Task[Any]] = set()

    async def callback(self, message: Any, raise_err: bool = False) -> None:
        current = asyncio.current_task()
        if current is not None:
            self.inflight.add(current)
        if isinstance(message, _taskiq.AckableMessage):
            message = _taskiq.AckableMessage(data=message.data, ack=self._guard(message.ack))
        scopes: list[Any] = []
        token = _SCOPES.set(scopes)
        try:
            await super().callback(message, raise_err)
        finally:
            for scope in reversed(scopes):
                scope.__exit__(None, None, None)
            _SCOPES.reset(token)
            if current is not None:
                self.inflight.discard(current)

    def _guard(self, ack: Callable[[], Any]) -> Callable[[], Coroutine[Any, Any, None]]:
        async def guarded() -> None:
            if self.abandoned:
                return
            outcome = ack()
            if asyncio.iscoroutine(outcome) or isinstance(outcome, asyncio.Future):
                await outcome

        return guarded

    async def abandon(self) -> int:
        """Cancel the tasks still running without acknowledging them; returns their number."""
        self.abandoned = True
        pending = [t for t in self.inflight if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        return len(pending)


def redact(arguments: dict[str, Any], names: list[str] | bool) -> dict[str, Any]:
    """Arguments as recorded for a failed task: ``REDACT_ARGS`` True hides all values."""
    if names is True:
        return dict.fromkeys(arguments, "***")
    if names is False:
        return arguments
    return redact_mapping(arguments, names)


__all__ = ["QueueMiddleware", "QueueReceiver", "make_runner", "redact"]
