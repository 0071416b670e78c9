"""What a ``TaskQueue`` keeps for one app: its broker, result backend, failed-task store and
retry middleware, built when the app is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyjolt._internal.imports import optional_import
from pyjolt.appcontext import AppProtocol
from pyjolt.extension import ExtensionState
from pyjolt.task_queue.brokers import BrokerInfo, build_broker, build_result_backend
from pyjolt.task_queue.config import TaskQueueConfig
from pyjolt.task_queue.failures import FailedTaskStore, MemoryFailedTaskStore, RedisFailedTaskStore

if TYPE_CHECKING:
    from pyjolt.task_queue.extension import TaskQueue


class TaskQueueState(ExtensionState[TaskQueueConfig]):
    """What the queue knows about one app: its broker, failed-task store and middleware."""

    def __init__(self, app: AppProtocol, config: TaskQueueConfig, queue_name: str) -> None:
        super().__init__(app, config)
        self.queue_name = queue_name
        self.info: BrokerInfo | None = None
        self.store: FailedTaskStore | None = None
        self.middleware: Any = None
        self.kicker: Any = None
        self.started = False

    @property
    def broker(self) -> Any:
        assert self.info is not None, "TaskQueue.init_app builds the broker"
        return self.info.broker

    @property
    def failed_store(self) -> FailedTaskStore:
        assert self.store is not None, "TaskQueue.init_app builds the store"
        return self.store


def connect_state(queue: TaskQueue, state: TaskQueueState) -> None:
    """Build ``state``'s broker (with the retry middleware and, for the memory broker, the
    in-process receiver), result backend and failed-task store from its config."""
    cfg = state.config
    state.info = build_broker(cfg, state.queue_name, cfg.CONCURRENCY)  # names the extra
    state.kicker = optional_import("taskiq.kicker", "taskqueue").AsyncKicker
    broker = state.info.broker
    backend = build_result_backend(cfg, state.queue_name)
    if backend is not None:
        broker.with_result_backend(backend)
    from pyjolt.task_queue.runtime import QueueMiddleware, QueueReceiver

    state.middleware = QueueMiddleware(queue, state)
    broker.add_middlewares(state.middleware)
    if state.info.kind == "memory":
        receiver = QueueReceiver(
            broker,
            executor=broker.executor,
            validate_params=False,
            max_async_tasks=cfg.CONCURRENCY,
            propagate_exceptions=True,
        )
        broker.receiver = receiver
        state.middleware.receiver = receiver
    url = cfg.failed_tasks_url()
    key = f"{cfg.KEY_PREFIX}{state.queue_name}:failed"
    if url is not None:
        optional_import("redis.asyncio", "taskqueue-redis")
        state.store = RedisFailedTaskStore(url, key, cfg.FAILED_TASKS_KEEP)
    else:
        state.store = MemoryFailedTaskStore(cfg.FAILED_TASKS_KEEP)
