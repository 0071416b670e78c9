"""Tasks per second through Redis: PyJolt's TaskQueue vs plain taskiq, in the same run.

``python bench/task_queue.py`` (Redis on 127.0.0.1:6379, or ``$BENCH_REDIS_URL``). Each round,
for each side in turn: enqueue N tasks on a fresh stream (timed: the enqueue rate), then run a
worker in this process until it has taken all N (timed: the processing rate). Both sides use
a Redis stream broker with consumer-group acknowledgements and no result backend; PyJolt's
side adds what it adds in production: argument validation when enqueued and in the worker,
its retry/failure middleware, the task-ID log context. Medians over the rounds; the streams
are deleted afterwards. Bounded: ``--tasks`` x ``--rounds`` (default 1500 x 3, ~15 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
TARGET = 0.9  # PyJolt's rate / plain taskiq's rate, both phases
CONCURRENCY = 10

from pyjolt.task_queue import TaskQueue  # noqa: E402
from pyjolt.testing import make_app  # noqa: E402

queue = TaskQueue()
done = {"count": 0}


@queue.task(name="bench.add")
async def pyjolt_add(a: int, b: int) -> int:
    done["count"] += 1
    return a + b


async def plain_add(a: int, b: int) -> int:
    done["count"] += 1
    return a + b


Phase = Callable[[int], Awaitable[tuple[float, float]]]


async def run_plain(n: int) -> tuple[float, float]:
    from taskiq.receiver import Receiver
    from taskiq_redis import RedisStreamBroker

    stream = f"pyjolt-bench-plain-{uuid.uuid4().hex[:8]}"
    broker = RedisStreamBroker(REDIS_URL, queue_name=stream, consumer_group_name=stream)
    task = broker.register_task(plain_add, task_name="bench.plain_add")
    await broker.startup()
    try:
        enqueue = await _timed(lambda: _kick_all(lambda i: task.kiq(i, 1), n))
        broker.is_worker_process = True
        receiver = Receiver(
            broker,
            validate_params=True,
            max_async_tasks=CONCURRENCY,
            run_startup=False,
            max_tasks_to_execute=n,
        )
        process = await _timed(lambda: _drain(receiver, n))
    finally:
        await _delete(broker, stream)
        await broker.shutdown()
    return n / enqueue, n / process


async def run_pyjolt(n: int) -> tuple[float, float]:
    from pyjolt.task_queue.runtime import QueueReceiver

    stream = f"pyjolt-bench-{uuid.uuid4().hex[:8]}"
    app = make_app(
        EXTENSIONS=[queue],
        APP_NAME="bench",
        TASK_QUEUE={"BROKER_URL": REDIS_URL, "QUEUE_NAME": stream, "CONCURRENCY": CONCURRENCY},
    )
    from pyjolt.cli.lifespan import app_lifespan

    async with app_lifespan(app):
        try:
            enqueue = await _timed(lambda: _kick_all(lambda i: pyjolt_add.enqueue(i, 1), n))
            receiver = QueueReceiver(
                queue.broker,
                validate_params=False,
                max_async_tasks=CONCURRENCY,
                run_startup=False,
                max_tasks_to_execute=n,
            )
            queue.attach_receiver(receiver)
            process = await _timed(lambda: _drain(receiver, n))
        finally:
            await _delete(queue.broker, queue.broker_names["stream"])
    return n / enqueue, n / process


async def _kick_all(kick: Callable[[int], Awaitable[Any]], n: int) -> None:
    batch = 100  # a web app enqueues from many requests at once
    for start in range(0, n, batch):
        await asyncio.gather(*(kick(i) for i in range(start, min(n, start + batch))))


async def _drain(receiver: Any, n: int) -> None:
    done["count"] = 0
    finish = asyncio.Event()
    listener = asyncio.create_task(receiver.listen(finish))
    while done["count"] < n:
        if listener.done():
            listener.result()
            break
        await asyncio.sleep(0.005)
    finish.set()
    await asyncio.wait_for(listener, 30)


async def _timed(step: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await step()
    return time.perf_counter() - started


async def _delete(broker: Any, stream: str) -> None:
    import redis.asyncio as redis

    client = redis.Redis(connection_pool=broker.connection_pool)
    await client.delete(stream)


async def main(tasks: int, rounds: int) -> int:
    sides: dict[str, Phase] = {"taskiq": run_plain, "pyjolt": run_pyjolt}
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    for round_no in range(rounds):
        order = list(sides) if round_no % 2 == 0 else list(reversed(sides))
        for name in order:
            rates[name].append(await sides[name](tasks))
    medians = {
        name: (statistics.median(r[0] for r in got), statistics.median(r[1] for r in got))
        for name, got in rates.items()
    }
    ratio_enqueue = medians["pyjolt"][0] / medians["taskiq"][0]
    ratio_process = medians["pyjolt"][1] / medians["taskiq"][1]
    print(f"Tasks through Redis streams: {tasks} x {rounds} rounds, concurrency {CONCURRENCY}")
    print("| side | enqueue tasks/s | worker tasks/s |")
    print("| --- | ---: | ---: |")
    for name, (enq, proc) in medians.items():
        print(f"| {name} | {enq:,.0f} | {proc:,.0f} |")
    print(f"| pyjolt / taskiq | {ratio_enqueue:.2f}x | {ratio_process:.2f}x |")
    met = ratio_enqueue >= TARGET and ratio_process >= TARGET
    print(f"target >= {TARGET}x on both: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(min(args.tasks, 20000), min(args.rounds, 9))))
