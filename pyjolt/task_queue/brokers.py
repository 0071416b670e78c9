"""The taskiq broker and result backend chosen by the config's URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pyjolt._internal.imports import optional_import
from pyjolt.task_queue.config import TaskQueueConfig


@dataclass(frozen=True)
class BrokerInfo:
    """What the extension needs to know about the broker it built."""

    broker: Any
    kind: str  # "memory", "redis", "rabbitmq", "nats"
    #: The broker delays a message itself (``delay`` label); otherwise the worker waits.
    native_delay: bool
    #: Names of what the broker declared (queue, stream...), for tests and operators.
    names: dict[str, str]


def _slug(text: str, keep: str = ".") -> str:
    return re.sub(rf"[^A-Za-z0-9_{re.escape(keep)}-]+", "_", text).strip("_") or "pyjolt"


def build_broker(cfg: TaskQueueConfig, queue_name: str, concurrency: int) -> BrokerInfo:
    """A new broker for ``cfg.BROKER_URL`` (scheme checked by the config model)."""
    scheme = cfg.broker_scheme
    if scheme == "memory":
        taskiq = optional_import("taskiq", "taskqueue")
        broker = taskiq.InMemoryBroker(cast_types=False, max_async_tasks=concurrency)
        return BrokerInfo(broker, "memory", False, {"queue": queue_name})
    if scheme in ("redis", "rediss"):
        optional_import("taskiq_redis", "taskqueue-redis")  # named even once the module is loaded
        from pyjolt.task_queue.redis_stream import RedisStreamBroker

        stream = _slug(queue_name, ".:")
        broker = RedisStreamBroker(
            cfg.BROKER_URL,
            queue_name=stream,
            consumer_group_name=f"{stream}:workers",
            consumer_id="0",  # a group created after the first enqueue still sees it
            idle_timeout=int(cfg.REDELIVERY_TIMEOUT * 1000),
            xread_block=1000,
            xread_count=concurrency,
            unacknowledged_batch_size=concurrency,
        )
        return BrokerInfo(broker, "redis", False, {"stream": stream})
    if scheme in ("amqp", "amqps"):
        pika = optional_import("taskiq_aio_pika", "taskqueue-rabbitmq")
        name = _slug(queue_name)
        broker = pika.AioPikaBroker(
            cfg.BROKER_URL,
            qos=concurrency,
            exchange=pika.Exchange(name=name),
            task_queues=[pika.Queue(name=name, type=pika.QueueType.CLASSIC)],
            dead_letter_queue=pika.Queue(name=f"{name}.dead", type=pika.QueueType.CLASSIC),
            delay_queue=pika.Queue(name=f"{name}.delay", type=pika.QueueType.CLASSIC),
        )
        names = {"exchange": name, "queue": name, "delay": f"{name}.delay", "dead": f"{name}.dead"}
        return BrokerInfo(broker, "rabbitmq", True, names)
    nats = optional_import("taskiq_nats", "taskqueue-nats")
    api = optional_import("nats.js.api", "taskqueue-nats")
    stream = _slug(queue_name, "")
    subject = _slug(queue_name)
    durable = f"{stream}_workers"
    broker = nats.PullBasedJetStreamBroker(
        servers=cfg.BROKER_URL,
        subject=subject,
        stream_name=stream,
        durable=durable,
        stream_config=api.StreamConfig(
            name=stream, subjects=[subject], retention=api.RetentionPolicy.WORK_QUEUE
        ),
        consumer_config=api.ConsumerConfig(
            durable_name=durable,
            ack_policy=api.AckPolicy.EXPLICIT,
            ack_wait=cfg.REDELIVERY_TIMEOUT,
            max_ack_pending=-1,
        ),
        pull_consume_batch=1,
        pull_consume_timeout=1.0,
    )
    return BrokerInfo(broker, "nats", False, {"stream": stream, "subject": subject})


def build_result_backend(cfg: TaskQueueConfig, queue_name: str) -> Any | None:
    """A Redis result backend (JSON, never pickle) when ``RESULT_BACKEND_URL`` is set."""
    if cfg.RESULT_BACKEND_URL is None:
        return None
    backend = optional_import("taskiq_redis", "taskqueue-redis")
    serializers = optional_import("taskiq.serializers", "taskqueue")
    return backend.RedisAsyncResultBackend(
        cfg.RESULT_BACKEND_URL,
        result_ex_time=cfg.RESULT_TTL,
        serializer=serializers.JSONSerializer(),
        prefix_str=f"{cfg.KEY_PREFIX}{queue_name}:result",
    )


__all__ = ["BrokerInfo", "build_broker", "build_result_backend"]
