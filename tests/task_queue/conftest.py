"""Fixtures of the broker tests: a queue environment per broker, cleaned up afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.services import slow_once
from tests.task_queue.support import QueueEnv, clean_broker, create_schema, drop_schema, make_env

#: The slowest multi-process tests (kill -9 and redelivery on three brokers) run once per CI run.
once = slow_once


# On Python 3.12 and 3.13 the round trip runs on Redis only; all three brokers on 3.11.
@pytest.fixture(
    params=["redis", pytest.param("rabbitmq", marks=once), pytest.param("nats", marks=once)]
)
async def queue_env(request: pytest.FixtureRequest) -> AsyncIterator[QueueEnv]:
    from tests.task_queue.sample_app import build_app, queue

    env = make_env(request.param)
    await create_schema(env)
    try:
        yield env
    finally:
        for worker in env.workers:
            if worker.proc.poll() is None:
                worker.proc.kill()
                worker.proc.wait()
        build_app(env.config)  # the names this run's broker declared
        await clean_broker(env, dict(queue.broker_names))
        await drop_schema(env)
