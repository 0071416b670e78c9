"""Helpers of the broker tests: per-run names, worker subprocesses, clean-up of what the
brokers declared."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.services import POSTGRES_URL, REDIS_URL, require_port

SAMPLE_APP = Path(__file__).with_name("sample_app.py")
REPO = Path(__file__).resolve().parents[2]

BROKERS: dict[str, tuple[str, int, str]] = {
    "redis": ("127.0.0.1", 6379, REDIS_URL),
    "rabbitmq": ("127.0.0.1", 5672, "amqp://guest:guest@127.0.0.1:5672/"),
    "nats": ("127.0.0.1", 4222, "nats://127.0.0.1:4222"),
}


@dataclass
class QueueEnv:
    """One test's broker, queue names, PostgreSQL schema and config (shared with workers)."""

    kind: str
    run_id: str
    schema: str
    config: dict[str, Any]
    workers: list[Worker] = field(default_factory=list)

    @property
    def section(self) -> dict[str, Any]:
        section: dict[str, Any] = self.config["TASK_QUEUE"]
        return section

    def start_worker(self, tmp_path: Path, *extra: str) -> Worker:
        worker = Worker.start(self, tmp_path / f"worker-{len(self.workers)}.log", *extra)
        self.workers.append(worker)
        return worker


def make_env(kind: str) -> QueueEnv:
    host, port, url = BROKERS[kind]
    require_port(host, port, kind)
    require_port("127.0.0.1", 5432, "PostgreSQL")
    require_port("127.0.0.1", 6379, "Redis (result backend)")
    run_id = uuid.uuid4().hex[:10]
    schema = f"pyjolt_tq_{run_id}"
    config = {
        "TASK_QUEUE": {
            "BROKER_URL": url,
            "RESULT_BACKEND_URL": REDIS_URL,
            "QUEUE_NAME": f"pyjolt-test-{run_id}",
            "KEY_PREFIX": f"pyjolt:test:{run_id}:",
            "REDELIVERY_TIMEOUT": 3,
            "SHUTDOWN_TIMEOUT": 15,
            "CONCURRENCY": 4,
        },
        "SQL_DATABASE": {
            "DATABASE_URI": POSTGRES_URL,
            "CONNECT_ARGS": {"server_settings": {"search_path": schema}},
        },
    }
    return QueueEnv(kind, run_id, schema, config)


class Worker:
    """``python sample_app.py worker`` with its output in a file."""

    def __init__(self, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.proc = proc
        self.log = log

    @classmethod
    def start(cls, env: QueueEnv, log: Path, *extra: str) -> Worker:
        environ = {**os.environ, "PYJOLT_TQ_CONFIG": json.dumps(env.config)}
        paths = [str(REPO), environ.get("PYTHONPATH", "")]
        environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, str(SAMPLE_APP), "worker", *extra],
                cwd=REPO,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = cls(proc, log)
        worker.wait_for("Worker for queue", timeout=30)
        return worker

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited ({self.proc.returncode}):\n{self.output()}")
            time.sleep(0.05)
        raise AssertionError(f"worker did not log {text!r} within {timeout}s:\n{self.output()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            message = f"worker did not stop within {timeout}s:\n{self.output()}"
            raise AssertionError(message) from None


async def create_schema(env: QueueEnv) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from tests.task_queue.sample_app import Base

    connect_args = env.config["SQL_DATABASE"]["CONNECT_ARGS"]
    engine = create_async_engine(POSTGRES_URL, connect_args=connect_args)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{env.schema}"'))
            await conn.run_sync(Base.metadata.create_all)
    finally:
        await engine.dispose()


async def drop_schema(env: QueueEnv) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{env.schema}" CASCADE'))
    finally:
        await engine.dispose()


async def clean_broker(env: QueueEnv, names: dict[str, str]) -> None:
    """Delete the stream, queues or exchange this run declared, and its Redis keys."""
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = [k async for k in client.scan_iter(match=f"{env.section['KEY_PREFIX']}*")]
        if env.kind == "redis":
            keys.append(names["stream"])
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
    if env.kind == "rabbitmq":
        import aio_pika

        connection = await aio_pika.connect(env.section["BROKER_URL"])
        async with connection:
            channel = await connection.channel()
            for key in ("queue", "delay", "dead"):
                await channel.queue_delete(names[key])
            await channel.exchange_delete(names["exchange"])
    elif env.kind == "nats":
        import nats

        client_nats = await nats.connect(env.section["BROKER_URL"])
        try:
            await client_nats.jetstream().delete_stream(names["stream"])
        finally:
            await client_nats.close()
