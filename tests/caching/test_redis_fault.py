"""A frozen Redis under load (SIGSTOP for 15 s), with real uvicorn and a redis-server of its own.

The app's Redis connections pass through a TCP proxy in this process that notes each new
connection and every command sent, with the time, so probes can be counted while Redis is
frozen. Slow (about 30 s): runs once per CI run, in the Python 3.11 session.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import redis.asyncio as aioredis

from tests.caching.fault_app import SETTINGS
from tests.caching.support import TcpProxy
from tests.services import free_port, port_open, require_service

pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11) and os.environ.get("PYJOLT_SLOW_ALL") != "1",
    reason="slow fault test: runs once per CI run, in the Python 3.11 session",
)

TIMEOUT = float(SETTINGS["REDIS_TIMEOUT"])
RETRY_AFTER = float(SETTINGS["RETRY_AFTER"])
MAX_CONNECTIONS = int(SETTINGS["REDIS_MAX_CONNECTIONS"])
IDLE_TIMEOUT = float(SETTINGS["REDIS_IDLE_TIMEOUT"])
FROZEN = 15.0  # seconds Redis stays stopped
CLIENTS = 12  # concurrent HTTP clients
#: allowed on top of REDIS_TIMEOUT (a shared, busy test machine); a retry would add a whole
#: REDIS_TIMEOUT, a missing breaker REDIS_TIMEOUT to every request
MARGIN = 0.3
#: commands sent within this long after SIGSTOP were let through before the first failure
#: opened the circuit; later ones are probes
SETTLE = TIMEOUT + 0.3


@dataclass
class RedisServer:
    proc: subprocess.Popen[bytes]
    port: int


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A redis-server of this test's own on a free port (it gets stopped and continued)."""
    binary = shutil.which("redis-server")
    require_service(binary is not None, "redis-server binary (apt-get install redis-server)")
    assert binary is not None
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", port):
            assert proc.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield RedisServer(proc, port)
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.terminate()
        proc.wait(timeout=10)


@dataclass
class Load:
    """Clients asking for cached items in a loop; every answer noted (start, seconds, X-Cache)."""

    base: str
    answers: list[tuple[float, float, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    running: bool = True

    async def client(self, http: httpx.AsyncClient, number: int) -> None:
        item = number
        while self.running:
            item = (item + 7) % 40
            start = time.monotonic()
            res = await http.get(f"/item/{item}")
            seconds = time.monotonic() - start
            if res.status_code != 200 or res.json() != {"n": item}:
                self.errors.append(f"{res.status_code} {res.text[:100]}")
            self.answers.append((start, seconds, res.headers.get("x-cache", "")))
            await asyncio.sleep(0.05)

    def between(self, start: float, end: float) -> list[tuple[float, float, str]]:
        return [a for a in self.answers if start <= a[0] < end]


def commands(proxy: TcpProxy, start: float, end: float) -> list[float]:
    """Times at which the app sent a cache command (GET, or the EVAL of a write) between
    start and end."""
    return [
        at
        for at, data in proxy.sent
        if start <= at < end
        for _ in range(sum(data.count(b"\r\n%s\r\n" % name) for name in (b"GET", b"EVAL")))
    ]


def attempts(connects: list[float], sent: list[float]) -> list[list[tuple[float, str]]]:
    """Connection attempts and commands grouped into tries: events within REDIS_TIMEOUT of
    the first event of a group belong to it."""
    events = sorted([(at, "connect") for at in connects] + [(at, "command") for at in sent])
    groups: list[list[tuple[float, str]]] = []
    for event in events:
        if groups and event[0] - groups[-1][0][0] < TIMEOUT:
            groups[-1].append(event)
        else:
            groups.append([event])
    return groups


async def app_connections(monitor: aioredis.Redis) -> int:
    """Connections Redis has, apart from the monitor's own."""
    info = await monitor.info("clients")
    return int(info["connected_clients"]) - 1


async def test_frozen_redis_under_load(
    redis_server: RedisServer, uvicorn_server: Callable[..., str]
) -> None:
    port = redis_server.port
    proxy = TcpProxy("127.0.0.1", port)
    await proxy.start()
    monitor = aioredis.Redis(port=port, socket_timeout=5)
    env = {
        "FAULT_REDIS_URL": f"redis://127.0.0.1:{proxy.port}/0",
        "FAULT_KEY_PREFIX": f"pyjolt-fault:{uuid.uuid4().hex}:",
    }
    # in a thread: the proxy runs on this loop and must forward the app's start-up PING
    base = await asyncio.to_thread(
        uvicorn_server, "tests.caching.fault_app:Application", "--factory", "--no-access-log",
        env=env,
    )  # fmt: skip
    load = Load(base)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        clients = [asyncio.create_task(load.client(http, n)) for n in range(CLIENTS)]
        try:
            await asyncio.sleep(3)  # warm: every item stored, then hits
            busy_pool = await app_connections(monitor)
            stopped = time.monotonic()
            redis_server.proc.send_signal(signal.SIGSTOP)
            await asyncio.sleep(FROZEN)
            continued = time.monotonic()
            redis_server.proc.send_signal(signal.SIGCONT)
            await asyncio.sleep(RETRY_AFTER + 2)
            busy_pool = max(busy_pool, await app_connections(monitor))
        finally:
            load.running = False
            await asyncio.gather(*clients, return_exceptions=True)
    after_load = time.monotonic()

    # The pool shrinks back once the load is over (idle connections closed).
    idle_pool = busy_pool
    while idle_pool > 0 and time.monotonic() - after_load < IDLE_TIMEOUT * 1.5 + 10:
        await asyncio.sleep(0.2)
        idle_pool = await app_connections(monitor)
    await monitor.aclose()
    await proxy.stop()

    assert not load.errors, load.errors[:5]
    warm = load.between(0, stopped)
    assert sum(1 for a in warm if a[2] == "HIT") > len(warm) / 2, "the cache was not in use"

    # While Redis is frozen: answers come at once (the cache is skipped), p99 within the timeout.
    frozen = sorted(seconds for _, seconds, _ in load.between(stopped, continued))
    p99 = frozen[math.ceil(0.99 * len(frozen)) - 1]
    print(
        f"\nfrozen {FROZEN}s: {len(frozen)} answers, p50 {frozen[len(frozen) // 2]:.3f}s, "
        f"p99 {p99:.3f}s, max {frozen[-1]:.3f}s (REDIS_TIMEOUT {TIMEOUT}s)"
    )
    assert len(frozen) >= 300  # enough answers for a p99
    assert p99 <= TIMEOUT + MARGIN

    # Once the circuit is open: at most one probe per RETRY_AFTER, one at a time. A probe is a
    # new connection (its handshake hangs) and/or a command; one probe's events lie within
    # REDIS_TIMEOUT of each other.
    probes = attempts(
        [at for at in proxy.connected if stopped + SETTLE <= at < continued],
        commands(proxy, stopped + SETTLE, continued),
    )
    starts = [probe[0][0] for probe in probes]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    print(
        f"probes while frozen: {len(probes)} {[[kind for _, kind in p] for p in probes]}, "
        f"gaps {[round(g, 2) for g in gaps]}; commands in the first {SETTLE}s: "
        f"{len(commands(proxy, stopped, stopped + SETTLE))}"
    )
    assert 1 <= len(probes) <= math.ceil((FROZEN - SETTLE) / RETRY_AFTER)
    assert all(gap >= RETRY_AFTER - 0.05 for gap in gaps), gaps
    for probe in probes:  # one connection attempt and one command at the most
        kinds = [kind for _, kind in probe]
        assert kinds.count("connect") <= 1 and kinds.count("command") <= 1, probes

    # Redis continued: hits again within RETRY_AFTER.
    first_hit = min(s + d for s, d, x in load.between(continued, after_load) if x == "HIT")
    print(f"first hit {first_hit - continued:.2f}s after SIGCONT")
    assert first_hit - continued <= RETRY_AFTER + MARGIN

    print(f"Redis connections: under load {busy_pool}, {IDLE_TIMEOUT}s+ after it {idle_pool}")
    assert 1 <= busy_pool <= MAX_CONNECTIONS
    assert idle_pool == 0
