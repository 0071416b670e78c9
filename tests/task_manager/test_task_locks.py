"""Lock stores: one run per tick across processes (Redis), start-up failure, key claims."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis
import redis.exceptions

from pyjolt.task_manager import LockStoreError, RedisLockStore, TaskManager, schedule_job
from pyjolt.testing import PyJoltTestClient, make_app
from tests.caching.support import TcpProxy
from tests.services import REDIS_URL, free_port, require_port

WORKER = Path(__file__).with_name("lock_worker.py")
REPO = Path(__file__).resolve().parents[2]


def _redis_host_port() -> tuple[str, int]:
    client = redis.Redis.from_url(REDIS_URL)
    kwargs = client.connection_pool.connection_kwargs
    client.close()
    return str(kwargs.get("host", "127.0.0.1")), int(kwargs.get("port", 6379))


@pytest.fixture
def redis_prefix() -> Any:
    """A unique key prefix; its keys are deleted afterwards."""
    require_port(*_redis_host_port(), "Redis")
    prefix = f"pyjolt-test:tm:{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
async def lock_store(redis_prefix: str) -> AsyncIterator[RedisLockStore]:
    store = RedisLockStore(REDIS_URL, key_prefix=f"{redis_prefix}:")
    await store.open()
    try:
        yield store
    finally:
        await store.close()


async def test_redis_claim_is_exclusive(lock_store: RedisLockStore, redis_prefix: str) -> None:
    other = RedisLockStore(REDIS_URL, key_prefix=f"{redis_prefix}:")
    await other.open()
    try:
        assert await lock_store.acquire("job:2026-01-01T00:00:00+00:00", 60) is True
        assert await other.acquire("job:2026-01-01T00:00:00+00:00", 60) is False
        assert await other.acquire("job:2026-01-01T00:00:01+00:00", 60) is True
    finally:
        await other.close()
    async with aioredis.from_url(REDIS_URL) as client:
        ttl = await client.pttl(f"{redis_prefix}:job:2026-01-01T00:00:00+00:00")
    assert 0 < ttl <= 60_000


async def test_unreachable_lock_store_fails_startup() -> None:
    url = f"redis://jobs:s3cret@127.0.0.1:{free_port()}/0"
    store = RedisLockStore(url)
    with pytest.raises(LockStoreError, match="cannot reach Redis") as caught:
        await store.open()
    assert "jobs:***@127.0.0.1" in str(caught.value)  # the one redaction helper's form
    assert "s3cret" not in str(caught.value)
    app = make_app(EXTENSIONS=[TaskManager()], TASK_MANAGER={"LOCK_URL": url})
    with pytest.raises(LockStoreError, match="cannot reach Redis"):
        async with PyJoltTestClient(app):
            pass


async def test_redis_lock_store_skips_claims_while_redis_is_down(redis_prefix: str) -> None:
    proxy = TcpProxy(*_redis_host_port())
    await proxy.start()
    store = RedisLockStore(
        f"redis://127.0.0.1:{proxy.port}/0", key_prefix=f"{redis_prefix}:", retry_after=0.3
    )
    await store.open()
    try:
        assert await store.acquire("job:1", 60) is True
        await proxy.stop()  # Redis goes away
        with pytest.raises(redis.exceptions.ConnectionError):
            await store.acquire("job:2", 60)
        for _ in range(5):  # refused at once, Redis is not tried
            with pytest.raises(LockStoreError, match="skipped"):
                await store.acquire("job:2", 60)
        assert store.breaker.probes == 0
        await proxy.start()  # back on the same port
        await asyncio.sleep(0.3)
        assert await store.acquire("job:2", 60) is True  # one probe, the circuit closes
        assert store.breaker.probes == 1
        assert not store.breaker.is_open
        assert await store.acquire("job:2", 60) is False
    finally:
        await store.close()
        await proxy.stop()


async def _run_two_apps(names: tuple[str, str]) -> tuple[list[int], dict[str, set[str]]]:
    """Two apps in this process, each with a locked job ``tick`` (same id, same fire times),
    sharing one Redis without a LOCK_KEY_PREFIX; returns the runs of each app and the tick
    keys claimed under each app name's default namespace."""
    runs = [0, 0]

    def manager(index: int) -> TaskManager:
        class Ticks(TaskManager):
            @schedule_job("interval", seconds=0.2, id="tick")
            async def tick(self) -> None:
                runs[index] += 1

        return Ticks()

    apps = [
        make_app(
            APP_NAME=name,
            EXTENSIONS=[manager(index)],
            TASK_MANAGER={"LOCK_URL": REDIS_URL, "LOCK_TTL": 60},
        )
        for index, name in enumerate(names)
    ]
    async with PyJoltTestClient(apps[0]), PyJoltTestClient(apps[1]):
        for _ in range(300):
            if min(runs) >= 4 or sum(runs) >= 8:
                break
            await asyncio.sleep(0.05)
    keys: dict[str, set[str]] = {}
    async with aioredis.from_url(REDIS_URL) as client:
        for name in set(names):
            prefix = f"pyjolt:{name}:task_manager:"
            found = [key.decode() async for key in client.scan_iter(match=f"{prefix}*")]
            keys[name] = {key.removeprefix(prefix) for key in found}
            if found:
                await client.delete(*found)
    return runs, keys


async def test_two_app_names_on_one_redis_do_not_share_job_locks() -> None:
    require_port(*_redis_host_port(), "Redis")
    tag = uuid.uuid4().hex[:8]
    a, b = f"jobs-a-{tag}", f"jobs-b-{tag}"
    runs, keys = await _run_two_apps((a, b))
    # Each app claims every tick in its own namespace, so both run it.
    assert min(runs) >= 4, runs
    assert all(key.startswith("tick:") for key in keys[a] | keys[b])
    assert len(keys[a] & keys[b]) >= 3  # the same ticks, claimed once in each namespace
    assert runs == [len(keys[a]), len(keys[b])]

    # Control: the same app name twice shares one namespace: each tick runs once in total.
    same = f"jobs-same-{tag}"
    runs, keys = await _run_two_apps((same, same))
    assert sum(runs) == len(keys[same]) >= 4, (runs, keys)


def _start_worker(prefix: str, mode: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), REDIS_URL, prefix, mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _stop(proc: subprocess.Popen[str]) -> dict[str, Any]:
    try:
        out, err = proc.communicate(input="", timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"worker did not stop: {err[-2000:]}") from None
    assert proc.returncode == 0, err[-2000:]
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _wait(check: Any, what: str, limit: float = 45.0) -> None:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit}s waiting for: {what}")
        time.sleep(0.1)


def test_two_processes_run_each_tick_once(redis_prefix: str) -> None:
    """Two app processes share a Redis lock store: every tick runs once in total.

    As a control, two processes without a lock store (same fire times) both run each tick.
    """
    locked, unlocked = f"{redis_prefix}:locked", f"{redis_prefix}:unlocked"
    procs = {
        "locked": [_start_worker(locked, "locked") for _ in range(2)],
        "unlocked": [_start_worker(unlocked, "unlocked") for _ in range(2)],
    }
    results: dict[str, list[dict[str, Any]]] = {}
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for prefix in (locked, unlocked):
            _wait(lambda p=prefix: client.scard(f"{p}:ready") == 2, f"{prefix} workers started")
        # enough ticks after both are up
        start = {p: int(client.get(f"{p}:runs") or 0) for p in (locked, unlocked)}
        _wait(
            lambda: (
                int(client.get(f"{locked}:runs") or 0) >= start[locked] + 4
                and int(client.get(f"{unlocked}:runs") or 0) >= start[unlocked] + 8
            ),
            "four more ticks",
        )
    finally:
        client.close()
        for mode, group in procs.items():
            results[mode] = [_stop(proc) for proc in group]

    with redis.Redis.from_url(REDIS_URL) as check:
        locked_runs = int(check.get(f"{locked}:runs") or 0)
        unlocked_runs = int(check.get(f"{unlocked}:runs") or 0)

    # With the lock: both processes submitted the same ticks, each ran in one process only.
    a, b = results["locked"]
    shared = set(a["submitted"]) & set(b["submitted"])
    assert len(shared) >= 3, "the two processes did not compete for the same ticks"
    executed = Counter(a["executed"] + b["executed"])
    assert executed, "no tick ran"
    assert max(executed.values()) == 1, f"ticks ran more than once: {executed}"
    assert sum(executed.values()) == locked_runs  # the job itself counted each run once
    assert set(executed) >= shared - {max(shared)}  # claimed ticks were run, none lost

    # Without a lock store: each process runs every tick (per-process behaviour).
    c, d = results["unlocked"]
    both = Counter(c["executed"]) & Counter(d["executed"])
    assert len(both) >= 3, "control: ticks should run in both unlocked processes"
    assert len(c["executed"]) + len(d["executed"]) == unlocked_runs
