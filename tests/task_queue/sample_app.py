"""The app of the task queue tests: tasks that write rows through the SQL extension.

The test process and its worker subprocesses (``python tests/task_queue/sample_app.py worker``)
build the same app from the JSON in ``PYJOLT_TQ_CONFIG``: ``{"TASK_QUEUE": {...},
"SQL_DATABASE": {...}}``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import String, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

if __name__ == "__main__":  # run as a script: make `tests.` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from pyjolt.database.sql import AsyncSession, SqlDatabase, create_declarative_base
from pyjolt.task_queue import TaskQueue, current_task
from pyjolt.testing import make_app

queue = TaskQueue()
db = SqlDatabase(db_name="task_queue_tests")
Base = create_declarative_base("task_queue_tests")


class Row(Base):  # type: ignore[misc, valid-type]
    """One row per key: written by an idempotent task."""

    __tablename__ = "tq_rows"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int]
    worker_pid: Mapped[int]


class Run(Base):  # type: ignore[misc, valid-type]
    """One row per run of a task (counts attempts across processes)."""

    __tablename__ = "tq_runs"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80))
    attempt: Mapped[int]


class Doubled(BaseModel):
    key: str
    doubled: int
    pid: int


async def _mark(marker: str | None) -> None:
    if marker:
        await asyncio.to_thread(Path(marker).write_text, str(os.getpid()))


@queue.task(name="tests.record")
@db.managed_session
async def record(
    key: str, value: int, session: AsyncSession, hold: float = 0.0, marker: str | None = None
) -> Doubled:
    """Writes (key, value) once, however often it runs; returns a model."""
    await _mark(marker)
    if hold:
        await asyncio.sleep(hold)
    statement = insert(Row).values(key=key, value=value, worker_pid=os.getpid())
    await session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))
    return Doubled(key=key, doubled=value * 2, pid=os.getpid())


@queue.task(name="tests.flaky", retries=3, backoff=0.2)
async def flaky(key: str, fail_times: int) -> int:
    """Fails on its first ``fail_times`` runs."""
    context = current_task()
    attempt = context.attempt if context else 0
    async with db.session_scope() as own:  # committed even when the task then fails
        own.add(Run(key=key, attempt=attempt))
    if attempt <= fail_times:
        raise RuntimeError(f"flaky failure {attempt}")
    return attempt


@queue.task(name="tests.always_fails", retries=1, backoff=0.1)
async def always_fails(key: str, password: str) -> None:
    async with db.session_scope() as session:
        session.add(Run(key=key, attempt=current_task().attempt if current_task() else 0))
    raise ValueError(f"cannot do {key}")


@queue.task(name="tests.slow", timeout=0.5)
async def slow(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return "finished"


@path("/jobs")
class JobsApi(Controller):
    @post("/<key>/<int:value>")
    async def enqueue(self, req: Request, key: str, value: int) -> Response[Any]:
        handle = await record.enqueue(key, value)
        result = await handle.result(timeout=30)
        return req.res.json({"task_id": handle.task_id, "result": result.model_dump()})

    @get("/count/<key>")
    @db.readonly_session
    async def count(self, req: Request, key: str, session: AsyncSession) -> Response[Any]:
        rows = await session.scalar(select(func.count()).select_from(Row).where(Row.key == key))
        return req.res.json({"rows": rows})


def build_app(config: dict[str, Any] | None = None) -> Any:
    config = config if config is not None else json.loads(os.environ["PYJOLT_TQ_CONFIG"])
    return make_app(
        controllers=[JobsApi],
        EXTENSIONS=[db, queue],
        APP_NAME="tq-tests",
        DEFAULT_LOGGER={"LEVEL": "DEBUG"},  # per-task lines are DEBUG
        **config,
    )


if __name__ == "__main__":
    build_app().run_cli()
