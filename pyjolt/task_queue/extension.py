"""``TaskQueue``: durable background tasks on taskiq (Redis streams, RabbitMQ, NATS JetStream)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar, ParamSpec, Protocol, TypeVar, overload

from typing_extensions import Unpack

from pyjolt._internal.redact import redact_url
from pyjolt.appcontext import AppProtocol
from pyjolt.cli.controller import CliCommand
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension, HealthCheck
from pyjolt.task_queue.commands import queue_commands
from pyjolt.task_queue.config import TaskQueueConfig
from pyjolt.task_queue.errors import TaskQueueError
from pyjolt.task_queue.failures import FailedTask, FailedTaskStore
from pyjolt.task_queue.state import TaskQueueState, connect_state
from pyjolt.task_queue.tasks import Task, TaskHandle, TaskOptions, TaskSettings

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

    # -- tasks ----------------------------------------------------------------------------------

    @overload
    def task(self, fn: Callable[P, Coroutine[Any, Any, R]], /) -> Task[P, R]: ...
    @overload
    def task(self, fn: Callable[P, R], /) -> Task[P, R]: ...
    @overload
    def task(
        self, fn: None = None, /, *, name: str | None = None, **settings: Unpack[TaskSettings]
    ) -> TaskDecorator: ...

    def task(
        self,
        fn: Callable[..., Any] | None = None,
        /,
        *,
        name: str | None = None,
        **settings: Unpack[TaskSettings],
    ) -> Any:
        """Register a module-level function as a task (``@queue.task`` or ``@queue.task(...)``).

        Args:
            name: the name workers know it by (default ``"module:qualname"``).
            **settings: ``retries``, ``backoff``, ``timeout`` (``TaskSettings``): extra runs
                after a failure (default ``DEFAULT_RETRIES``); seconds before the first retry,
                doubled for each next one, capped by ``MAX_BACKOFF`` (default
                ``DEFAULT_BACKOFF``); seconds a run may take, longer ones fail with
                ``TaskTimeoutError`` (and are retried like any failure).
        """
        options = TaskOptions(name or "", **settings)  # a wrong keyword or value fails here

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
            task: Task[Any, Any] = Task(self, func, replace(options, name=task_name))
            self.tasks[task_name] = task
            if self.initialised:
                self._register(self._state(), task)
            return task

        return register(fn) if fn is not None else register

    # -- set-up ---------------------------------------------------------------------------------

    def make_state(self, app: AppProtocol, config: TaskQueueConfig) -> TaskQueueState:
        return TaskQueueState(app, config, config.QUEUE_NAME or f"pyjolt.{app.app_name}")

    def _state(self, app: AppProtocol | None = None) -> TaskQueueState:
        return self._state_as(TaskQueueState, app)

    def init_app(self, app: AppProtocol) -> None:
        """Validate the section, build this app's broker, result backend and failed-task
        store, and register the tasks with the broker."""
        super().init_app(app)
        state = self._state(app)
        cfg = state.config
        for index, module in enumerate(cfg.TASK_MODULES):
            try:
                __import__(module)
            except ImportError as exc:
                raise ConfigurationError(
                    f"{self.configs_name}['TASK_MODULES'][{index}] {module!r}: {exc}"
                ) from exc
        connect_state(self, state)
        for task in self.tasks.values():
            self._register(state, task)

    def _register(self, state: TaskQueueState, task: Task[Any, Any]) -> None:
        from pyjolt.task_queue.runtime import make_runner

        try:
            task.arguments  # noqa: B018 - builds the validators now: errors at start-up
        except TypeError as exc:
            raise ConfigurationError(str(exc)) from exc
        timeout = state.config.timeout_for(task.options.timeout)
        limit = state.config.REDELIVERY_TIMEOUT
        assert state.info is not None
        if state.info.kind in ("redis", "nats") and timeout is not None and timeout >= limit:
            raise ConfigurationError(
                f"task {task.name!r}: timeout {timeout}s is not below "
                f"{self.configs_name}['REDELIVERY_TIMEOUT'] ({limit}s): another worker would "
                "take the task while it still runs; raise REDELIVERY_TIMEOUT"
            )
        state.broker.register_task(make_runner(task, state), task_name=task.name)

    @property
    def broker(self) -> Any:
        """The taskiq broker of the current app."""
        return self._state().broker

    @property
    def broker_kind(self) -> str:
        """``"redis"``, ``"rabbitmq"``, ``"nats"`` or ``"memory"``."""
        info = self._state().info
        return info.kind if info is not None else ""

    @property
    def broker_names(self) -> Mapping[str, str]:
        """What the broker declared (stream, queue, exchange...)."""
        info = self._state().info
        return dict(info.names) if info is not None else {}

    @property
    def queue_name(self) -> str:
        return self._state().queue_name

    @property
    def failed_store(self) -> FailedTaskStore:
        return self._state().failed_store

    def attach_receiver(self, receiver: Any) -> None:
        """Set by the worker: lets the retry middleware tell shutdown from failure."""
        state = self._state()
        if state.middleware is not None and self.broker_kind != "memory":
            state.middleware.receiver = receiver

    def require_result_backend(self) -> None:
        raise TaskQueueError(
            f"{self.configs_name}['RESULT_BACKEND_URL'] is not set: task results are not "
            "kept; set it to a Redis URL to await results"
        )

    # -- lifespan -------------------------------------------------------------------------------

    async def startup(self) -> None:
        """Connect the broker, result backend and failed-task store."""
        state = self._state()
        state.broker.is_worker_process = self._is_worker()
        await state.broker.startup()
        await state.failed_store.open()
        state.started = True
        self.logger.debug(
            "TaskQueue {!r} connected to {} ({})",
            state.queue_name,
            redact_url(state.config.BROKER_URL),
            self.broker_kind,
        )

    async def shutdown(self) -> None:
        """Let in-process (memory broker) tasks finish, then disconnect."""
        state = self._state()
        state.started = False
        broker = state.broker
        try:
            if self.broker_kind == "memory" and broker._running_tasks:
                await asyncio.wait(
                    list(broker._running_tasks), timeout=state.config.SHUTDOWN_TIMEOUT
                )
            await broker.shutdown()
        finally:
            await state.failed_store.close()

    def _is_worker(self) -> bool:
        return bool(self.app.cli_command == self.worker_command)

    def health_checks(self) -> dict[str, HealthCheck]:
        """``task_queue:<section>``: the broker connection is up."""
        return {f"task_queue:{self.configs_name}": self._broker_alive}

    async def _broker_alive(self) -> None:
        if not self._state().started:
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
        state = self._state()
        if not state.started:
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
            if state.info is not None and state.info.native_delay:
                labels["delay"] = delay
        sent = await state.kicker(task.name, state.broker, labels).kiq(**payload)
        self.record("enqueued")
        has_results = self.broker_kind == "memory" or state.config.RESULT_BACKEND_URL is not None
        return TaskHandle(task, sent.task_id, state.broker.result_backend if has_results else None)

    async def failed_tasks(self, limit: int = 100) -> list[FailedTask]:
        """Tasks that failed after their retries, newest first."""
        return await self.failed_store.list(limit)

    # -- CLI ------------------------------------------------------------------------------------

    def cli_commands(self) -> Sequence[CliCommand]:
        return queue_commands(self)


__all__ = ["TaskQueue"]
