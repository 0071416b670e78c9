"""``TaskQueue``: durable background tasks on taskiq (Redis streams, RabbitMQ, NATS JetStream)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, ClassVar, ParamSpec, Protocol, TypeVar, overload

from pyjolt._internal.imports import optional_import
from pyjolt._internal.redact import redact_url
from pyjolt.appcontext import AppProtocol
from pyjolt.cli.controller import Argument, CliCommand
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension, HealthCheck
from pyjolt.task_queue.brokers import BrokerInfo, build_broker, build_result_backend
from pyjolt.task_queue.config import TaskQueueConfig
from pyjolt.task_queue.errors import TaskQueueError
from pyjolt.task_queue.failures import (
    FailedTask,
    FailedTaskStore,
    MemoryFailedTaskStore,
    RedisFailedTaskStore,
)
from pyjolt.task_queue.tasks import Task, TaskHandle, TaskOptions

P = ParamSpec("P")
R = TypeVar("R")


class TaskDecorator(Protocol):
    """What ``@queue.task(...)`` returns: a coroutine function's task returns its awaited
    value, a plain function's its return value."""

    @overload
    def __call__(self, fn: Callable[P, Coroutine[Any, Any, R]], /) -> Task[P, R]: ...
    @overload
    def __call__(self, fn: Callable[P, R], /) -> Task[P, R]: ...


class TaskQueue(BaseExtension[TaskQueueConfig]):
    """Durable tasks: enqueue in a handler, run in ``python cli.py worker`` processes.

    ``queue = TaskQueue()`` at module level, ``@queue.task(retries=3)`` on module functions,
    ``handle = await send_mail.enqueue(to="a@b.c")`` in a handler, ``await handle.result()``.
    Delivery is at-least-once: a task whose worker dies is run again, so make tasks
    idempotent (a unique key, an upsert, a "done" check).

    Config (``TASK_QUEUE``):
        BROKER_URL: ``redis://`` (Redis streams), ``amqp://`` (RabbitMQ), ``nats://``
            (NATS JetStream) or ``memory://`` (default: in this process, for tests).
        RESULT_BACKEND_URL: ``redis://...`` where results are kept (``RESULT_TTL`` seconds,
            default one day); the memory broker keeps them itself.
        QUEUE_NAME: queue/stream name (default ``pyjolt.<APP_NAME>``).
        CONCURRENCY: tasks a worker runs at once (default 10; ``worker --concurrency``).
        DEFAULT_RETRIES (0), DEFAULT_BACKOFF (1 s, doubled per retry), MAX_BACKOFF (60 s),
            DEFAULT_TIMEOUT (None): defaults of ``@task`` options.
        REDELIVERY_TIMEOUT: seconds an unacknowledged task waits before Redis or NATS give it
            to another worker (default 300); tasks must finish well within it.
        SHUTDOWN_TIMEOUT: seconds a stopping worker waits for running tasks (default 30).
        FAILED_TASKS_URL: Redis URL of the failed-task list (default: the result backend's
            or the broker's Redis); FAILED_TASKS_KEEP: its length (default 1000).
        REDACT_ARGS: argument names hidden in failure records (default password, secret,
            token, api_key, authorization; True hides every value).
        TASK_MODULES: modules imported at start-up so their tasks are registered.
        KEY_PREFIX: Redis key prefix of results and failures (default ``pyjolt:task_queue:``).
    """

    default_configs_name: ClassVar[str] = "TASK_QUEUE"
    config_model = TaskQueueConfig
    #: Name of the CLI command that runs a worker.
    worker_command: ClassVar[str] = "worker"

    def __init__(
        self, *, configs_name: str | None = None, variable_prefix: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        self.tasks: dict[str, Task[Any, Any]] = {}
        self._info: BrokerInfo | None = None
        self._queue_name = ""
        self._store: FailedTaskStore | None = None
        self._middleware: Any = None
        self._kicker: Any = None
        self._started = False

    # -- tasks ----------------------------------------------------------------------------------

    @overload
    def task(self, fn: Callable[P, Coroutine[Any, Any, R]], /) -> Task[P, R]: ...
    @overload
    def task(self, fn: Callable[P, R], /) -> Task[P, R]: ...
    @overload
    def task(
        self,
        fn: None = None,
        /,
        *,
        name: str | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        timeout: float | None = None,
    ) -> TaskDecorator: ...

    def task(
        self,
        fn: Callable[..., Any] | None = None,
        /,
        *,
        name: str | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Register a module-level function as a task (``@queue.task`` or ``@queue.task(...)``).

        Args:
            name: the name workers know it by (default ``"module:qualname"``).
            retries: extra runs after a failure (default ``DEFAULT_RETRIES``).
            backoff: seconds before the first retry, doubled for each next one, capped by
                ``MAX_BACKOFF`` (default ``DEFAULT_BACKOFF``).
            timeout: seconds a run may take; longer ones fail with ``TaskTimeoutError``
                (and are retried like any failure).
        """
        if retries is not None and retries < 0:
            raise ValueError("@task(retries=...) must be >= 0")
        if backoff is not None and backoff < 0:
            raise ValueError("@task(backoff=...) must be >= 0")
        if timeout is not None and timeout <= 0:
            raise ValueError("@task(timeout=...) must be > 0")

        def register(func: Callable[..., Any]) -> Task[Any, Any]:
            if not callable(func):
                raise TypeError(f"@task decorates a function, got {func!r}")
            task_name = name or f"{func.__module__}:{func.__qualname__}"
            if "<locals>" in task_name and name is None:
                raise TypeError(
                    f"@task on {func.__qualname__}: tasks must be module-level functions "
                    "(workers import them by name), or pass name=..."
                )
            if task_name in self.tasks:
                raise ConfigurationError(f"@task: two tasks are named {task_name!r}")
            options = TaskOptions(task_name, retries=retries, backoff=backoff, timeout=timeout)
            task: Task[Any, Any] = Task(self, func, options)
            self.tasks[task_name] = task
            if self._info is not None:
                self._register(task)
            return task

        return register(fn) if fn is not None else register

    def retries_of(self, task: Task[Any, Any]) -> int:
        value = task.options.retries
        return self.config.DEFAULT_RETRIES if value is None else value

    def timeout_of(self, task: Task[Any, Any]) -> float | None:
        value = task.options.timeout
        return self.config.DEFAULT_TIMEOUT if value is None else value

    def backoff_delay(self, task: Task[Any, Any] | None, attempt: int) -> float:
        """Seconds before retry number ``attempt`` (1 = first retry): base * 2**(attempt-1)."""
        cfg = self.config
        base = (
            cfg.DEFAULT_BACKOFF
            if task is None or task.options.backoff is None
            else (task.options.backoff)
        )
        return float(min(base * 2 ** max(0, attempt - 1), cfg.MAX_BACKOFF))

    def redact_arguments(self, arguments: dict[str, Any]) -> dict[str, Any]:
        from pyjolt.task_queue.runtime import redact

        return redact(arguments, self.config.REDACT_ARGS)

    # -- set-up ---------------------------------------------------------------------------------

    def init_app(self, app: AppProtocol) -> None:
        super().init_app(app)
        cfg = self.config
        for index, module in enumerate(cfg.TASK_MODULES):
            try:
                __import__(module)
            except ImportError as exc:
                raise ConfigurationError(
                    f"{self.configs_name}['TASK_MODULES'][{index}] {module!r}: {exc}"
                ) from exc
        self._queue_name = cfg.QUEUE_NAME or f"pyjolt.{app.app_name}"
        self._kicker = optional_import("taskiq.kicker", "taskqueue").AsyncKicker
        self._info = build_broker(cfg, self._queue_name, cfg.CONCURRENCY)
        broker = self._info.broker
        backend = build_result_backend(cfg, self._queue_name)
        if backend is not None:
            broker.with_result_backend(backend)
        from pyjolt.task_queue.runtime import QueueMiddleware, QueueReceiver

        self._middleware = QueueMiddleware(self, self._info.native_delay)
        broker.add_middlewares(self._middleware)
        if self._info.kind == "memory":
            receiver = QueueReceiver(
                broker,
                executor=broker.executor,
                validate_params=False,
                max_async_tasks=cfg.CONCURRENCY,
                propagate_exceptions=True,
            )
            broker.receiver = receiver
            self._middleware.receiver = receiver
        url = cfg.failed_tasks_url()
        key = f"{cfg.KEY_PREFIX}{self._queue_name}:failed"
        self._store = (
            RedisFailedTaskStore(url, key, cfg.FAILED_TASKS_KEEP)
            if url is not None
            else MemoryFailedTaskStore(cfg.FAILED_TASKS_KEEP)
        )
        if url is not None:
            optional_import("redis.asyncio", "taskqueue-redis")
        for task in self.tasks.values():
            self._register(task)

    def _register(self, task: Task[Any, Any]) -> None:
        from pyjolt.task_queue.runtime import make_runner

        assert self._info is not None
        try:
            task.arguments  # noqa: B018 - builds the validators now: errors at start-up
        except TypeError as exc:
            raise ConfigurationError(str(exc)) from exc
        timeout = self.timeout_of(task)
        limit = self.config.REDELIVERY_TIMEOUT
        if self._info.kind in ("redis", "nats") and timeout is not None and timeout >= limit:
            raise ConfigurationError(
                f"task {task.name!r}: timeout {timeout}s is not below "
                f"{self.configs_name}['REDELIVERY_TIMEOUT'] ({limit}s): another worker would "
                "take the task while it still runs; raise REDELIVERY_TIMEOUT"
            )
        self._info.broker.register_task(make_runner(task), task_name=task.name)

    @property
    def broker(self) -> Any:
        """The taskiq broker (exists after ``init_app``)."""
        if self._info is None:
            raise RuntimeError(f"{type(self).__name__} is not initialised: list it in EXTENSIONS")
        return self._info.broker

    @property
    def broker_kind(self) -> str:
        return self._info.kind if self._info is not None else ""

    @property
    def broker_names(self) -> Mapping[str, str]:
        """What the broker declared (stream, queue, exchange...)."""
        return dict(self._info.names) if self._info is not None else {}

    @property
    def queue_name(self) -> str:
        return self._queue_name

    @property
    def failed_store(self) -> FailedTaskStore:
        if self._store is None:
            raise RuntimeError(f"{type(self).__name__} is not initialised: list it in EXTENSIONS")
        return self._store

    def attach_receiver(self, receiver: Any) -> None:
        """Set by the worker: lets the retry middleware tell shutdown from failure."""
        if self._middleware is not None and self.broker_kind != "memory":
            self._middleware.receiver = receiver

    def require_result_backend(self) -> None:
        raise TaskQueueError(
            f"{self.configs_name}['RESULT_BACKEND_URL'] is not set: task results are not "
            "kept; set it to a Redis URL to await results"
        )

    # -- lifespan -------------------------------------------------------------------------------

    async def startup(self) -> None:
        """Connect the broker, result backend and failed-task store."""
        broker = self.broker
        broker.is_worker_process = self._is_worker()
        await broker.startup()
        await self.failed_store.open()
        self._started = True
        self.logger.debug(
            "TaskQueue {!r} connected to {} ({})",
            self._queue_name,
            redact_url(self.config.BROKER_URL),
            self.broker_kind,
        )

    async def shutdown(self) -> None:
        """Let in-process (memory broker) tasks finish, then disconnect."""
        self._started = False
        broker = self.broker
        try:
            if self.broker_kind == "memory" and broker._running_tasks:
                await asyncio.wait(
                    list(broker._running_tasks), timeout=self.config.SHUTDOWN_TIMEOUT
                )
            await broker.shutdown()
        finally:
            await self.failed_store.close()

    def _is_worker(self) -> bool:
        return bool(self.app.cli_command == self.worker_command)

    def health_checks(self) -> dict[str, HealthCheck]:
        """``task_queue:<section>``: the broker connection is up."""
        return {f"task_queue:{self.configs_name}": self._broker_alive}

    async def _broker_alive(self) -> None:
        if not self._started:
            raise RuntimeError("the task queue is not connected")
        broker, kind = self.broker, self.broker_kind
        if kind == "redis":
            await broker._shared().ping()
        elif kind == "rabbitmq":
            connection = broker.write_conn
            if connection is None or connection.is_closed:
                raise RuntimeError("the RabbitMQ connection is closed")
        elif kind == "nats" and not broker.client.is_connected:
            raise RuntimeError("the NATS connection is closed")

    # -- enqueueing -----------------------------------------------------------------------------

    async def enqueue(
        self,
        task: Task[Any, Any],
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        delay: float | None = None,
    ) -> TaskHandle[Any]:
        """Validate and send ``task``; what ``Task.enqueue`` calls."""
        payload = task.arguments.dump(tuple(args), kwargs)
        if not self._started:
            raise TaskQueueError(
                f"{type(self).__name__}: the queue is not connected; enqueue inside the running "
                "app (a handler, a lifespan hook, a CLI command or PyJoltTestClient)"
            )
        labels: dict[str, Any] = {}
        if delay is not None and delay > 0:
            if self.broker_kind not in ("rabbitmq", "memory"):
                raise TaskQueueError(
                    f"delayed enqueue is not supported by the {self.broker_kind} broker "
                    f"({self.configs_name}['BROKER_URL']); use RabbitMQ (amqp://), or a "
                    "scheduler (TaskManager) that enqueues at the right time"
                )
            labels["eta"] = time.time() + delay
            if self._info is not None and self._info.native_delay:
                labels["delay"] = delay
        sent = await self._kicker(task.name, self.broker, labels).kiq(**payload)
        self.record("enqueued")
        backend = self.broker.result_backend if self._has_results() else None
        return TaskHandle(task, sent.task_id, backend)

    def _has_results(self) -> bool:
        return self.broker_kind == "memory" or self.config.RESULT_BACKEND_URL is not None

    async def failed_tasks(self, limit: int = 100) -> list[FailedTask]:
        """Tasks that failed after their retries, newest first."""
        return await self.failed_store.list(limit)

    # -- CLI ------------------------------------------------------------------------------------

    def cli_commands(self) -> Sequence[CliCommand]:
        return (
            CliCommand(
                self.worker_command,
                self._worker_command,
                "Run a task queue worker until SIGTERM (finishes running tasks first).",
                (
                    Argument(
                        "concurrency",
                        int,
                        "tasks run at once (default: TASK_QUEUE CONCURRENCY)",
                        None,
                        False,
                        True,
                    ),
                ),
            ),
            CliCommand(
                "tasks-failed",
                self._failed_command,
                "List tasks that failed after their retries (newest first).",
                (Argument("limit", int, "how many to list", 20, False, True),),
            ),
        )

    async def _worker_command(self, concurrency: int | None = None) -> int:
        from pyjolt.task_queue.worker import run_worker

        if self.broker_kind == "memory":
            raise TaskQueueError(
                f"{self.configs_name}['BROKER_URL'] is memory://: tasks run inside the web "
                "process; set a redis://, amqp:// or nats:// URL to run workers"
            )
        return await run_worker(
            self,
            concurrency=concurrency or self.config.CONCURRENCY,
            shutdown_timeout=self.config.SHUTDOWN_TIMEOUT,
        )

    async def _failed_command(self, limit: int = 20) -> int:
        failed = await self.failed_tasks(limit)
        if not failed:
            print("No failed tasks.")
        for item in failed:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(item.failed_at))
            print(
                f"{when}Z  {item.task_id}  {item.task_name}  attempts={item.attempts}  "
                f"{item.error}  args={item.arguments}"
            )
        return 0


__all__ = ["TaskQueue"]
