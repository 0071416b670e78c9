"""Errors of the task queue."""

from __future__ import annotations

from pyjolt.exceptions.errors import PyJoltError


class TaskQueueError(PyJoltError):
    """A task queue operation that cannot be done (not started, no result backend...)."""


class TaskArgumentsError(TaskQueueError, TypeError):
    """Enqueued arguments do not match the task function's parameters or annotations."""


class TaskFailedError(TaskQueueError):
    """The task ran and failed (after its retries); ``error`` is the worker's description."""

    def __init__(self, task_id: str, task_name: str, error: str) -> None:
        super().__init__(f"task {task_name!r} ({task_id}) failed: {error}")
        self.task_id = task_id
        self.task_name = task_name
        self.error = error


class TaskResultTimeoutError(TaskQueueError, TimeoutError):
    """``await handle.result(timeout=...)`` waited longer than the timeout."""


class TaskTimeoutError(TaskQueueError, TimeoutError):
    """A task ran longer than its ``timeout`` (raised in the worker)."""


__all__ = [
    "TaskArgumentsError",
    "TaskFailedError",
    "TaskQueueError",
    "TaskResultTimeoutError",
    "TaskTimeoutError",
]
