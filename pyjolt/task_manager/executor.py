"""``TaskExecutor``: the default executor; runs jobs on the app's loop, once per tick.

Imported lazily (it subclasses APScheduler's ``AsyncIOExecutor``).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from loguru import logger as _default_logger

from pyjolt._internal.imports import optional_import
from pyjolt.task_manager.locks import JobLockStore, LockStoreError

_aps_asyncio = optional_import("apscheduler.executors.asyncio", "scheduler")
_aps_events = optional_import("apscheduler.events", "scheduler")
_aps_util = optional_import("apscheduler.util", "scheduler")
_AsyncIOExecutor: Any = _aps_asyncio.AsyncIOExecutor


class TaskExecutor(_AsyncIOExecutor):  # type: ignore[misc]
    """Runs coroutine jobs on the event loop and plain functions in a worker thread.

    Compared with ``AsyncIOExecutor`` it: claims each scheduled run from a lock store (when
    the TaskManager has one) so a run happens once across processes; logs a failing job
    through the app logger with the job's id and function name; and lets running jobs
    finish within a grace period at shutdown (``drain``). A run longer than its timeout
    (``timeouts[job.id]``, else ``default_timeout``; None: no limit) is cancelled and logged,
    and counts as a failed run (``EVENT_JOB_ERROR`` with a ``TimeoutError``), so it frees its
    ``max_instances`` slot for later ticks. A plain function's worker thread cannot be stopped:
    the run is reported as timed out, the thread finishes on its own.
    """

    def __init__(self) -> None:
        super().__init__()
        self.lock_store: JobLockStore | None = None
        self.lock_ttl: float = 300.0
        self._logger_override: Any = None
        self.default_timeout: float | None = None
        self.timeouts: Mapping[str, float | None] = {}

    def configure(
        self,
        *,
        lock_store: JobLockStore | None,
        lock_ttl: float,
        logger: Any,
        default_timeout: float | None = None,
        timeouts: Mapping[str, float | None] | None = None,
    ) -> None:
        """Set by the TaskManager at start-up (``timeouts``: per job id, read at each run)."""
        self.lock_store = lock_store
        self.lock_ttl = lock_ttl
        self._logger_override = logger
        self.default_timeout = default_timeout
        self.timeouts = timeouts if timeouts is not None else {}

    @property
    def logger(self) -> Any:
        """The app logger once the TaskManager has started (loguru's logger before)."""
        return self._logger_override if self._logger_override is not None else _default_logger

    def start(self, scheduler: Any, alias: str) -> None:
        super().start(scheduler, alias)
        self._alias = alias

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        task = self._eventloop.create_task(self._run(job, list(run_times)), name=f"job {job.id}")
        self._pending_futures.add(task)
        task.add_done_callback(functools.partial(self._finished, job.id))

    def _finished(self, job_id: str, task: asyncio.Task[list[Any]]) -> None:
        self._pending_futures.discard(task)
        if task.cancelled():
            self._run_job_success(job_id, [])
            return
        exc = task.exception()
        if exc is not None:  # _run catches job errors; this is a bug in the executor path
            self.logger.opt(exception=exc).error("Scheduled job {!r}: executor error", job_id)
            self._run_job_success(job_id, [])
            return
        self._run_job_success(job_id, task.result())

    async def _run(self, job: Any, run_times: list[datetime]) -> list[Any]:
        events: list[Any] = []
        alias = job._jobstore_alias
        for run_time in run_times:
            if job.misfire_grace_time is not None:
                late = datetime.now(UTC) - run_time
                if late > timedelta(seconds=job.misfire_grace_time):
                    events.append(
                        _aps_events.JobExecutionEvent(
                            _aps_events.EVENT_JOB_MISSED, job.id, alias, run_time
                        )
                    )
                    self.logger.warning(
                        "Scheduled job {!r} missed its run at {} by {}", job.id, run_time, late
                    )
                    continue
            timeout = self.timeouts.get(job.id, self.default_timeout)
            if not await self._claim(job, run_time, timeout):
                continue
            scope = asyncio.timeout(timeout)
            try:
                async with scope:
                    retval = await self._call(job)
            except Exception as exc:
                events.append(
                    _aps_events.JobExecutionEvent(
                        _aps_events.EVENT_JOB_ERROR,
                        job.id,
                        alias,
                        run_time,
                        exception=exc,
                        traceback=traceback.format_exc(),
                    )
                )
                if scope.expired():
                    self.logger.error(
                        "Scheduled job {!r} ({}) cancelled: still running after its timeout of {}s",
                        job.id,
                        _aps_util.get_callable_name(job.func),
                        timeout,
                    )
                    continue
                self.logger.opt(exception=exc).error(
                    "Scheduled job {!r} ({}) failed: {!r}",
                    job.id,
                    _aps_util.get_callable_name(job.func),
                    exc,
                )
            else:
                events.append(
                    _aps_events.JobExecutionEvent(
                        _aps_events.EVENT_JOB_EXECUTED, job.id, alias, run_time, retval=retval
                    )
                )
        return events

    async def _call(self, job: Any) -> Any:
        if _aps_util.iscoroutinefunction_partial(job.func):
            return await job.func(*job.args, **job.kwargs)
        ctx = contextvars.copy_context()
        call = functools.partial(ctx.run, job.func, *job.args, **job.kwargs)
        return await asyncio.get_running_loop().run_in_executor(None, call)

    async def _claim(self, job: Any, run_time: datetime, run_limit: float | None) -> bool:
        store = self.lock_store
        if store is None:
            return True
        key = f"{job.id}:{run_time.astimezone(UTC).isoformat()}"
        # A hanging store must not hold the job's max_instances slot: the claim gets the run's
        # own time limit (a claim older than LOCK_TTL would be worthless anyway).
        limit = self.lock_ttl if run_limit is None else min(run_limit, self.lock_ttl)
        try:
            async with asyncio.timeout(limit):
                return await store.acquire(key, self.lock_ttl)
        except (LockStoreError, TimeoutError) as exc:  # the store is down or hangs: no traceback
            reason = str(exc) or f"the lock store gave no answer within {limit}s"
            self.logger.error("Scheduled job {!r}: run at {} skipped: {}", job.id, run_time, reason)
            return False
        except Exception as exc:
            # Running without the lock could run the tick twice; skipping is the safe side.
            self.logger.opt(exception=exc).error(
                "Scheduled job {!r}: lock store failed, run at {} skipped: {!r}",
                job.id,
                run_time,
                exc,
            )
            return False

    @property
    def running(self) -> int:
        """Number of job submissions still running."""
        return sum(1 for f in getattr(self, "_pending_futures", ()) if not f.done())

    async def drain(self, grace: float) -> None:
        """Wait up to ``grace`` seconds for running jobs, then cancel the rest."""
        pending = {f for f in getattr(self, "_pending_futures", ()) if not f.done()}
        if not pending:
            return
        _, still_running = await asyncio.wait(pending, timeout=grace)
        if still_running:
            self.logger.warning(
                "Task manager: cancelling {} job(s) still running after {}s",
                len(still_running),
                grace,
            )
            for fut in still_running:
                fut.cancel()
            await asyncio.wait(still_running)


__all__ = ["TaskExecutor"]
