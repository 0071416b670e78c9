"""The spec's scheduler.py."""

from typing import Any

from pyjolt.task_manager import TaskManager, schedule_job

RAN: list[str] = []


class Scheduler(TaskManager):
    @schedule_job("interval", minutes=1, id="my_job")
    async def some_task(self):
        print("Performing task")


scheduler: Scheduler = Scheduler()


def task_manager_config() -> dict[str, Any]:
    """The spec's ``TASK_MANAGER`` section (its documented defaults), with new objects each call."""
    from apscheduler.executors.asyncio import AsyncIOExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    return {
        "JOB_STORES": {"default": MemoryJobStore()},
        "EXECUTORS": {"default": AsyncIOExecutor()},
        "JOB_DEFAULTS": {"coalesce": False, "max_instances": 3},
        "DAEMON": True,
        "SCHEDULER": AsyncIOScheduler,
    }
