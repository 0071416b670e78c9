"""``TaskManager``: APScheduler 3.x in the app's lifespan, plus fire-and-forget tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from pyjolt._internal.imports import optional_import
from pyjolt.appcontext import AppProtocol
from pyjolt.enums import RunMode
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension, ExtensionState, Finding, HealthCheck, namespace
from pyjolt.task_manager.background import BackgroundTasks
from pyjolt.task_manager.config import TaskManagerConfig
from pyjolt.task_manager.decorators import check_timeout, scheduled_methods
from pyjolt.task_manager.locks import JobLockStore, RedisLockStore

#: Interval jobs are anchored here when runs are locked, so every process computes the
#: same fire times (a lock key is "<job id>:<fire time>").
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class TaskState(ExtensionState[TaskManagerConfig]):
    """One app's scheduler, its executors, lock store and background tasks."""

    def __init__(self, app: AppProtocol, config: TaskManagerConfig) -> None:
        super().__init__(app, config)
        self.scheduler: Any = None
        self.scheduler_used = False
        self.task_executors: list[Any] = []
        self.lock_store: JobLockStore | None = None
        #: per-job ``timeout`` given to ``@schedule_job``/``add_job`` (others: JOB_TIMEOUT)
        self.job_timeouts: dict[str, float | None] = {}
        self.background = BackgroundTasks(lambda: app.logger)

    @property
    def locking(self) -> bool:
        return self.config.LOCK_URL is not None or self.config.LOCK_STORE is not None


class TaskManager(BaseExtension[TaskManagerConfig]):
    """Scheduled jobs (``@schedule_job`` methods, ``add_job``) and background tasks.

    Subclass it, decorate methods with ``@schedule_job("interval", minutes=1, id="x")`` and
    list the instance in ``EXTENSIONS``. The scheduler (APScheduler 3.x ``AsyncIOScheduler``)
    starts with the app; at shutdown new runs stop, running jobs and background tasks get
    ``SHUTDOWN_TIMEOUT`` seconds to finish, then are cancelled. A failing job is logged
    (job id and function) and the scheduler goes on.

    Timeouts: a run still going after ``JOB_TIMEOUT`` seconds (or the job's own
    ``@schedule_job(..., timeout=s)`` / ``add_job(..., timeout=s)``; ``None`` for no limit) is
    cancelled and logged as an ERROR naming the job and the timeout, so a hung job never keeps
    its ``max_instances`` slots: later ticks run. A plain (sync) function runs in a thread that
    cannot be stopped; its run is reported as timed out and the thread finishes on its own.
    Metrics (``METRICS``): each finished run counts as ``run`` or ``failure`` (errors and
    timeouts) in ``pyjolt_extension_events_total``, and per job id in
    ``pyjolt_job_events_total{extension, job, event}``. A run that raises, is cancelled or
    times out frees its ``max_instances`` slot; so does a lock claim that hangs (it is given
    up after the job's timeout, or ``LOCK_TTL``, and the run skipped).

    Several processes: each process runs its own scheduler, so without a lock store every
    process runs every job. With ``LOCK_URL`` (or ``LOCK_STORE``) each run is claimed in the
    shared store first and happens once in the whole deployment; interval jobs without a
    ``start_date`` are then anchored to the Unix epoch (UTC) so all processes agree on the
    fire times (``jitter`` breaks that agreement: do not combine it with a lock store).
    Jobs added with ``add_job`` need an explicit ``id`` to be locked across processes.

    Config (``TASK_MANAGER``):
        JOB_STORES: APScheduler job stores by alias (default ``{"default": MemoryJobStore()}``).
            ``@schedule_job`` methods live in their own in-memory store, re-created at start.
        EXECUTORS: executors by alias (default ``{"default": TaskExecutor()}``, an
            ``AsyncIOExecutor`` subclass that plain ``AsyncIOExecutor()`` entries are replaced
            with; with a lock store every executor must be a ``TaskExecutor``).
        JOB_DEFAULTS: ``add_job`` defaults (default ``{"coalesce": False, "max_instances": 3}``).
        DAEMON: passed to the scheduler (default True; only thread-based schedulers use it).
        SCHEDULER: ``AsyncIOScheduler`` or a subclass, or its import string.
        TIMEZONE: the scheduler's time zone (default: the machine's).
        LOCK_URL: ``redis://host:port/db``: claim each run in Redis (one run per tick).
        LOCK_STORE: a ``JobLockStore`` instance (or import string) instead of ``LOCK_URL``.
        LOCK_KEY_PREFIX: Redis key prefix of the claims (default
            ``"pyjolt:<APP_NAME>:<section>:"``, e.g. ``"pyjolt:MyApp:task_manager:"``).
        LOCK_TTL: seconds a claim is kept (default 300).
        LOCK_TIMEOUT: the most one claim may take, seconds (default 2; one attempt).
        LOCK_RETRY_AFTER: after a failed claim, runs are skipped without trying Redis for this
            many seconds, then one claim tries again (default 5).
        LOCK_MAX_CONNECTIONS / LOCK_IDLE_TIMEOUT: the Redis pool's bound (10) and how long an
            unused connection stays open (60 s).
        SHUTDOWN_TIMEOUT: grace period in seconds for running jobs and tasks (default 10).
        JOB_TIMEOUT: seconds a scheduled run may take before it is cancelled (default 300;
            None: no limit); a job's own ``timeout`` wins.
    """

    default_configs_name: ClassVar[str] = "TASK_MANAGER"
    config_model = TaskManagerConfig
    #: Job store alias holding the ``@schedule_job`` methods.
    METHODS_JOBSTORE: ClassVar[str] = "pyjolt.methods"

    # -- set-up -------------------------------------------------------------------------

    def make_state(self, app: AppProtocol, config: TaskManagerConfig) -> TaskState:
        state = TaskState(app, config)
        self._lock_store_factory(state)  # validates LOCK_URL / LOCK_STORE now, not at start
        state.scheduler = self._build_scheduler(state)
        return state

    def deploy_checks(self, app: AppProtocol) -> Sequence[Finding]:
        workers = int(app.configs.get("WORKERS") or 1)
        cfg = self.state_for(app).config
        if workers > 1 and cfg.LOCK_URL is None and cfg.LOCK_STORE is None:
            return (
                Finding(
                    "task_manager.W001", "warning",
                    f"{workers} workers and no {self.configs_name} LOCK_URL: every worker "
                    "runs every scheduled job",
                    f"set {self.configs_name}['LOCK_URL'] to a Redis URL (one run per tick)",
                ),
            )  # fmt: skip
        return ()

    def _state(self) -> TaskState:
        return self._state_as(TaskState)

    def _scheduler_class(self, config: TaskManagerConfig) -> type:
        aps = optional_import("apscheduler.schedulers.asyncio", "scheduler")
        value: type | None = config.SCHEDULER
        if value is None:
            return aps.AsyncIOScheduler  # type: ignore[no-any-return]
        if not issubclass(value, aps.AsyncIOScheduler):
            raise ConfigurationError(
                f"{self.configs_name}['SCHEDULER']: expected AsyncIOScheduler or a subclass "
                f"(jobs run on the app's event loop), got {value!r}"
            )
        return value

    def _build_scheduler(self, state: TaskState) -> Any:
        from pyjolt.task_manager.executor import TaskExecutor

        memory = optional_import("apscheduler.jobstores.memory", "scheduler")
        cfg = state.config
        jobstores = dict(cfg.JOB_STORES or {})
        if self.METHODS_JOBSTORE in jobstores:
            raise ConfigurationError(
                f"{self.configs_name}['JOB_STORES']: alias {self.METHODS_JOBSTORE!r} is reserved"
            )
        jobstores.setdefault("default", memory.MemoryJobStore())
        jobstores[self.METHODS_JOBSTORE] = memory.MemoryJobStore()
        executors = dict(cfg.EXECUTORS or {})
        executors.setdefault("default", TaskExecutor())
        aps_executors = optional_import("apscheduler.executors.asyncio", "scheduler")
        for alias, executor in executors.items():
            # The spec's documented default; TaskExecutor is the same executor plus locking,
            # logging and the shutdown grace period.
            if type(executor) is aps_executors.AsyncIOExecutor:
                executors[alias] = TaskExecutor()
        if state.locking:
            for alias, executor in executors.items():
                if not isinstance(executor, TaskExecutor):
                    raise ConfigurationError(
                        f"{self.configs_name}['EXECUTORS'][{alias!r}]: with a lock store "
                        f"(LOCK_URL/LOCK_STORE) executors must be TaskExecutor instances "
                        f"(pyjolt.task_manager.TaskExecutor), got {executor!r}"
                    )
        state.task_executors = [e for e in executors.values() if isinstance(e, TaskExecutor)]
        options: dict[str, Any] = {
            "jobstores": jobstores,
            "executors": executors,
            "job_defaults": cfg.job_defaults(),
            "daemon": cfg.DAEMON,
        }
        if cfg.TIMEZONE:
            options["timezone"] = cfg.TIMEZONE
        try:
            scheduler = self._scheduler_class(cfg)(**options)
        except ConfigurationError:
            raise
        except Exception as exc:
            raise ConfigurationError(
                f"{self.configs_name}: cannot create the scheduler: {exc}"
            ) from exc
        self._add_method_jobs(scheduler, state)
        return scheduler

    def _add_method_jobs(self, scheduler: Any, state: TaskState) -> None:
        owner = type(self).__name__
        seen: dict[str, str] = {}
        for name, records in scheduled_methods(type(self)):
            func = getattr(self, name)
            for index, record in enumerate(records):
                options = dict(record.options)
                options.setdefault("id", f"{owner}.{name}" + (f"[{index}]" if index else ""))
                options.setdefault("jobstore", self.METHODS_JOBSTORE)
                options.setdefault("replace_existing", True)
                job_id = str(options["id"])
                if job_id in seen:
                    raise ConfigurationError(
                        f"@schedule_job on {owner}.{name}: job id {job_id!r} is also used by "
                        f"{owner}.{seen[job_id]}; give each job its own id"
                    )
                seen[job_id] = name
                if "timeout" in options:
                    state.job_timeouts[job_id] = options.pop("timeout")
                _align(state.locking, record.trigger, options)
                try:
                    scheduler.add_job(func, record.trigger, **options)
                except Exception as exc:
                    raise ConfigurationError(f"@schedule_job on {owner}.{name}: {exc}") from exc

    def _lock_store_factory(self, state: TaskState) -> JobLockStore | None:
        cfg = state.config
        if cfg.LOCK_URL is not None and cfg.LOCK_STORE is not None:
            raise ConfigurationError(f"{self.configs_name}: set LOCK_URL or LOCK_STORE, not both")
        if cfg.LOCK_URL is not None:
            optional_import("redis.asyncio", "cache")
            prefix = cfg.LOCK_KEY_PREFIX or namespace(state.app, self.configs_name)
            return RedisLockStore(
                cfg.LOCK_URL,
                key_prefix=prefix,
                timeout=cfg.LOCK_TIMEOUT,
                retry_after=cfg.LOCK_RETRY_AFTER,
                max_connections=cfg.LOCK_MAX_CONNECTIONS,
                idle_timeout=cfg.LOCK_IDLE_TIMEOUT,
            )
        store: JobLockStore | None = cfg.LOCK_STORE
        return store

    # -- lifespan -----------------------------------------------------------------------

    async def startup(self) -> None:
        """Open the lock store and start the scheduler (a fresh one for each lifespan)."""
        state = self._state()
        app = state.app
        if app.run_mode is RunMode.CLI:
            # A CLI command runs the lifespan without a server: scheduled jobs stay off.
            app.logger.debug("{}: scheduler not started for a CLI command", type(self).__name__)
            return
        if state.scheduler_used:
            state.scheduler = self._build_scheduler(state)
        state.scheduler_used = True
        store = self._lock_store_factory(state)
        if store is not None:
            await store.open()
        state.lock_store = store
        for executor in state.task_executors:
            executor.configure(
                lock_store=store,
                lock_ttl=state.config.LOCK_TTL,
                logger=app.logger,
                default_timeout=state.config.JOB_TIMEOUT,
                timeouts=state.job_timeouts,
            )
        events = optional_import("apscheduler.events", "scheduler")
        state.scheduler.add_listener(
            lambda ev: self.record("failure" if ev.exception else "run", job=str(ev.job_id)),
            events.EVENT_JOB_EXECUTED | events.EVENT_JOB_ERROR,
        )
        state.scheduler.start()

    def health_checks(self) -> dict[str, HealthCheck]:
        """``scheduler:<name>``: the scheduler runs; ``locks:<name>``: the lock store answers."""
        checks: dict[str, HealthCheck] = {f"scheduler:{self.configs_name}": self._scheduler_running}
        lock_store = self._state().lock_store
        if lock_store is not None:
            checks[f"locks:{self.configs_name}"] = lock_store.ping
        return checks

    async def _scheduler_running(self) -> None:
        state = self._state()
        if state.app.run_mode is RunMode.CLI:
            return  # a CLI command runs no scheduler on purpose
        if state.scheduler is None or not state.scheduler.running:
            raise RuntimeError("the scheduler is not running")

    async def shutdown(self) -> None:
        """Stop new runs, give running jobs and tasks the grace period, then stop."""
        state = self._state()
        timeout = state.config.SHUTDOWN_TIMEOUT
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        scheduler = state.scheduler
        try:
            if scheduler is not None and scheduler.running:
                scheduler.pause()
                await asyncio.gather(*(ex.drain(timeout) for ex in state.task_executors))
            await state.background.drain(max(0.0, deadline - loop.time()))
            if scheduler is not None and scheduler.running:
                scheduler.shutdown(wait=False)
                # AsyncIOScheduler shuts down in a loop callback; let it run.
                for _ in range(100):
                    if not scheduler.running:
                        break
                    await asyncio.sleep(0)
        finally:
            store, state.lock_store = state.lock_store, None
            if store is not None:
                await store.close()

    # -- jobs ---------------------------------------------------------------------------

    @property
    def scheduler(self) -> Any:
        """The current app's APScheduler scheduler (for anything this class does not wrap)."""
        return self._state().scheduler

    def add_job(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Add a job; arguments as APScheduler's ``add_job(func, trigger, ..., **trigger_args)``,
        plus ``timeout=`` (seconds, or None for no limit; default ``JOB_TIMEOUT``)."""
        trigger = kwargs.get("trigger", args[0] if args else None)
        state = self._state()
        has_timeout = "timeout" in kwargs
        timeout = check_timeout(kwargs.pop("timeout", None), "add_job(timeout=...)")
        if state.locking:
            if kwargs.get("id") is None and len(args) < 4:
                state.app.logger.warning(
                    "TaskManager.add_job({}) without id: its runs cannot be locked across "
                    "processes (the generated id differs per process)",
                    getattr(func, "__qualname__", func),
                )
            _align(True, trigger, kwargs)
        job = state.scheduler.add_job(func, *args, **kwargs)
        if has_timeout:
            state.job_timeouts[str(job.id)] = timeout
        return job

    def get_job(self, job: str | Any, job_store: str | None = None) -> Any | None:
        """The job with this id (or the current state of this ``Job``), or None."""
        return self.scheduler.get_job(_job_id(job), job_store)

    def get_jobs(self, job_store: str | None = None) -> list[Any]:
        """All jobs (of one job store, or of all)."""
        return list(self.scheduler.get_jobs(job_store))

    def remove_job(self, job: str | Any, job_store: str | None = None) -> None:
        """Remove a job by id or ``Job``; raises ``JobLookupError`` if there is none."""
        self.scheduler.remove_job(_job_id(job), job_store)
        self._state().job_timeouts.pop(_job_id(job), None)

    def pause_job(self, job: str | Any, job_store: str | None = None) -> Any:
        """Stop a job's runs until ``resume_job``; returns the ``Job``."""
        return self.scheduler.pause_job(_job_id(job), job_store)

    def resume_job(self, job: str | Any, job_store: str | None = None) -> Any | None:
        """Resume a paused job; returns the ``Job`` (None if it has no run left)."""
        return self.scheduler.resume_job(_job_id(job), job_store)

    # -- background tasks ---------------------------------------------------------------

    def run_background_task(self, func: Any, /, *args: Any, **kwargs: Any) -> asyncio.Task[Any]:
        """Start ``func(*args, **kwargs)`` now without waiting for it.

        A coroutine function (or a coroutine object) runs on the event loop, a plain function
        in a worker thread. The task is kept referenced until it ends; an exception is logged
        with the function's name; pending tasks are awaited at shutdown (``SHUTDOWN_TIMEOUT``).
        Returns the ``asyncio.Task`` (await it if you do want the result).
        """
        return self._state().background.spawn(func, *args, **kwargs)

    @property
    def pending_background_tasks(self) -> int:
        """Number of background tasks not finished yet."""
        return len(self._state().background)


def _align(locking: bool, trigger: Any, options: dict[str, Any]) -> None:
    """Anchor interval jobs to the epoch when runs are locked (same fire times everywhere)."""
    if locking and trigger == "interval" and options.get("start_date") is None:
        options["start_date"] = _EPOCH
        options.setdefault("timezone", "UTC")


def _job_id(job: str | Any) -> str:
    return job if isinstance(job, str) else str(job.id)


__all__ = ["TaskManager"]
