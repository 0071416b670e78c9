"""The shared stores' Redis client: one attempt per operation, a bounded pool, idle closing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis.exceptions

from pyjolt._internal.redis_pool import RedisStore
from tests.caching.support import require_redis
from tests.services import REDIS_URL


class Silent:
    """A TCP server that accepts and reads but never answers (a frozen Redis), or with
    ``hang_up`` closes each connection at once (a Redis going away)."""

    def __init__(self, hang_up: bool = False) -> None:
        self.hang_up = hang_up
        self.connections = 0
        self.received = b""
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)
        if self.hang_up:
            writer.close()
            return
        while data := await reader.read(65536):
            self.received += data

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()


@pytest.fixture(params=[False, True], ids=["frozen", "hangs-up"])
async def silent(request: pytest.FixtureRequest) -> AsyncIterator[Silent]:
    server = Silent(hang_up=request.param)
    yield server
    await server.stop()


async def test_one_attempt_within_the_timeout(silent: Silent) -> None:
    port = await silent.start()
    store = RedisStore(
        f"redis://127.0.0.1:{port}/0", timeout=0.5, max_connections=5, idle_timeout=60
    )
    try:
        error = TimeoutError if not silent.hang_up else redis.exceptions.ConnectionError
        with pytest.raises(error):
            await store.run(lambda client: client.get("k"))
    finally:
        await store.aclose()
    # redis-py's default policy retries three times (four connections when Redis hangs up)
    assert silent.connections == 1
    assert silent.received.count(b"GET") <= 1


async def test_pool_is_bounded_and_idle_connections_are_closed() -> None:
    require_redis()
    store = RedisStore(REDIS_URL, timeout=10, max_connections=3, idle_timeout=0.2)
    seen: list[int] = []

    async def slow(client: object) -> object:
        idle, in_use = store.connection_counts()
        seen.append(idle + in_use)
        return await client.blpop(["pyjolt-test:nothing"], timeout=0.2)  # type: ignore[attr-defined]

    try:
        results = await asyncio.gather(*(store.run(slow) for _ in range(9)))
        assert results == [None] * 9  # all served, waiting for a free connection
        assert max(seen) <= 3
        assert max(store.connection_counts()) <= 3
        assert len(store.pool._available_connections) == 3  # never more than the bound
        assert store.connection_counts() == (3, 0)
        store.start()  # the idle-closing task
        for _ in range(200):
            if store.connection_counts() == (0, 0):
                break
            await asyncio.sleep(0.05)
        assert store.connection_counts() == (0, 0)
        assert await store.run(lambda client: client.ping()) is True  # reconnects on use
        assert store.connection_counts() == (1, 0)
    finally:
        await store.aclose()
