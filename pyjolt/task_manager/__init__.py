"""Task scheduling (APScheduler 3.x) and fire-and-forget background tasks.

Install with ``pip install "pyjolt[scheduler]"`` (and ``pyjolt[cache]`` for ``LOCK_URL``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyjolt.task_manager.config import TaskManagerConfig
from pyjolt.task_manager.decorators import ScheduledJob, schedule_job
from pyjolt.task_manager.extension import TaskManager
from pyjolt.task_manager.locks import JobLockStore, LockStoreError, MemoryLockStore, RedisLockStore

if TYPE_CHECKING:
    from pyjolt.task_manager.executor import TaskExecutor


def __getattr__(name: str) -> Any:
    # TaskExecutor subclasses an APScheduler class: import it (and APScheduler) on first use.
    if name == "TaskExecutor":
        from pyjolt.task_manager.executor import TaskExecutor

        return TaskExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "JobLockStore",
    "LockStoreError",
    "MemoryLockStore",
    "RedisLockStore",
    "ScheduledJob",
    "TaskExecutor",
    "TaskManager",
    "TaskManagerConfig",
    "schedule_job",
]
