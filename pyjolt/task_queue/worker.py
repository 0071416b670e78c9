"""``python cli.py worker``: take tasks from the broker inside the started app."""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING, Any

from loguru import logger as _logger

from pyjolt.appcontext import app_context

if TYPE_CHECKING:
    from pyjolt.task_queue.extension import TaskQueue


def _show_task_id(record: Any) -> None:
    # The default format prints {extra[logger_name]}: the task ID rides along in it, so every
    # line logged while a task runs names the task, whatever logger the code used.
    extra = record["extra"]
    task_id = extra.get("task_id")
    if task_id and "logger_name" in extra and not extra.get("_task_tagged"):
        extra["logger_name"] = f"{extra['logger_name']} [task {task_id}]"
        extra["_task_tagged"] = True


async def run_worker(
    queue: TaskQueue, *, concurrency: int, shutdown_timeout: float, max_tasks: int | None = None
) -> int:
    """Run until SIGTERM/SIGINT (or ``max_tasks`` deliveries); returns the exit code.

    On a signal the worker stops taking tasks and waits up to ``shutdown_timeout`` seconds for
    the running ones; those still running then are abandoned without acknowledgement, so the
    broker delivers them again (to another worker, or this one after a restart).
    """
    from pyjolt.task_queue.runtime import QueueReceiver

    broker = queue.broker
    log = queue.logger.bind(logger_name="pyjolt.task_queue")
    receiver = QueueReceiver(
        broker,
        executor=None,
        validate_params=False,
        max_async_tasks=concurrency,
        max_prefetch=0,
        propagate_exceptions=True,
        run_startup=False,  # the app's lifespan started the broker
        max_tasks_to_execute=max_tasks,
        wait_tasks_timeout=shutdown_timeout,
    )
    queue.attach_receiver(receiver)
    finish = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, _stop, finish, sig, log)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # not the main thread / not supported
            pass
    _logger.configure(patcher=_show_task_id)
    log.info(
        "Worker for queue {} on {} ({} task(s), concurrency {})",
        queue.queue_name,
        queue.broker_kind,
        len(queue.tasks),
        concurrency,
    )
    try:
        # Tasks run with this app as the current one: extensions shared by several apps
        # (one SqlDatabase, one Cache) use this app's engine and backends inside them.
        with app_context(queue.app):
            await receiver.listen(finish)
        abandoned = await receiver.abandon()
        if abandoned:
            log.warning(
                "Worker stopped with {} task(s) unfinished after {}s; the broker will "
                "deliver them again",
                abandoned,
                shutdown_timeout,
            )
        else:
            log.info("Worker stopped")
    finally:
        _logger.configure(patcher=None)
        for sig in installed:
            loop.remove_signal_handler(sig)
        queue.attach_receiver(None)
    return 0


def _stop(finish: asyncio.Event, sig: int, log: Any) -> None:
    if not finish.is_set():
        log.info("Worker got {}: finishing running tasks", signal.Signals(sig).name)
    finish.set()


__all__ = ["run_worker"]
