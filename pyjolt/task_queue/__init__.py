"""Durable background tasks on a distributed queue (taskiq): Redis streams, RabbitMQ, NATS
JetStream, or in memory for tests.

Install with ``pip install "pyjolt[taskqueue-redis]"`` (or ``taskqueue-rabbitmq``,
``taskqueue-nats``). ``import pyjolt.task_queue`` needs none of them: the broker's package is
imported when the app is built.
"""

from __future__ import annotations

from pyjolt.task_queue.config import TaskQueueConfig
from pyjolt.task_queue.errors import (
    TaskArgumentsError,
    TaskFailedError,
    TaskQueueError,
    TaskResultTimeoutError,
    TaskTimeoutError,
)
from pyjolt.task_queue.extension import TaskQueue
from pyjolt.task_queue.failures import FailedTask
from pyjolt.task_queue.tasks import Task, TaskContext, TaskHandle, current_task

__all__ = [
    "FailedTask",
    "Task",
    "TaskArgumentsError",
    "TaskContext",
    "TaskFailedError",
    "TaskHandle",
    "TaskQueue",
    "TaskQueueConfig",
    "TaskQueueError",
    "TaskResultTimeoutError",
    "TaskTimeoutError",
    "current_task",
]
