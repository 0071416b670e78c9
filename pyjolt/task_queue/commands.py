"""The task queue's CLI commands: ``worker`` (run a worker) and ``tasks-failed``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from pyjolt.cli.controller import Argument, CliCommand
from pyjolt.task_queue.errors import TaskQueueError

if TYPE_CHECKING:
    from pyjolt.task_queue.extension import TaskQueue


def queue_commands(queue: TaskQueue) -> tuple[CliCommand, ...]:
    """The commands ``queue`` adds to the app's CLI."""

    async def worker(concurrency: int | None = None) -> int:
        from pyjolt.task_queue.worker import run_worker

        if queue.broker_kind == "memory":
            raise TaskQueueError(
                f"{queue.configs_name}['BROKER_URL'] is memory://: tasks run inside the web "
                "process; set a redis://, amqp:// or nats:// URL to run workers"
            )
        return await run_worker(
            queue,
            concurrency=concurrency or queue.config.CONCURRENCY,
            shutdown_timeout=queue.config.SHUTDOWN_TIMEOUT,
        )

    async def failed(limit: int = 20) -> int:
        items = await queue.failed_tasks(limit)
        if not items:
            print("No failed tasks.")
        for item in items:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(item.failed_at))
            print(
                f"{when}Z  {item.task_id}  {item.task_name}  attempts={item.attempts}  "
                f"{item.error}  args={item.arguments}"
            )
        return 0

    concurrency = Argument(
        "concurrency", int, "tasks run at once (default: TASK_QUEUE CONCURRENCY)", None, False, True
    )
    return (
        CliCommand(
            queue.worker_command,
            worker,
            "Run a task queue worker until SIGTERM (finishes running tasks first).",
            (concurrency,),
        ),
        CliCommand(
            "tasks-failed",
            failed,
            "List tasks that failed after their retries (newest first).",
            (Argument("limit", int, "how many to list", 20, False, True),),
        ),
    )
