"""A cache backend that is down never takes the app down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyjolt import Request, Response
from pyjolt.caching import Cache, RedisCacheBackend
from pyjolt.controller import Controller
from tests.caching.support import TcpProxy, one_route_api, require_redis, unique_prefix
from tests.conftest import BuildClient
from tests.services import free_port


def counter_api(cache: Cache, calls: list[int]) -> type[Controller]:
    """``GET /count`` answers how many times it ran."""

    async def count(req: Request) -> Response[Any]:
        calls.append(1)
        return req.res.json({"n": len(calls)})

    return one_route_api(cache, count)


async def test_unreachable_redis_serves_uncached_and_logs_once(
    build_client: BuildClient, log_messages: Callable[[], list[str]]
) -> None:
    cache = Cache()
    calls: list[int] = []
    section = {
        "BACKEND": RedisCacheBackend,
        "REDIS_URL": f"redis://:hunter2@127.0.0.1:{free_port()}/0",
        "REDIS_TIMEOUT": 1,
        "RETRY_AFTER": 0,  # try Redis on every request, to show it is logged once
    }
    client = await build_client(
        controllers=[counter_api(cache, calls)], EXTENSIONS=[cache], CACHE=section
    )
    answers = [await client.get("/count") for _ in range(4)]
    assert [r.status_code for r in answers] == [200] * 4
    assert [r.json()["n"] for r in answers] == [1, 2, 3, 4]
    assert [r.headers["x-cache"] for r in answers] == ["MISS"] * 4
    logs = log_messages()
    assert sum("unavailable at start-up" in m for m in logs) == 1
    cache_lines = [m for m in logs if m.startswith("CACHE:")]
    assert len(cache_lines) == 1, logs  # one line for the outage, none for the failed retries
    assert not any("hunter2" in m for m in logs)
    assert any("***@127.0.0.1" in m for m in logs)


async def test_redis_outage_and_recovery(
    build_client: BuildClient, log_messages: Callable[[], list[str]]
) -> None:
    require_redis()
    proxy = TcpProxy("127.0.0.1", 6379)
    await proxy.start()
    cache = Cache()
    calls: list[int] = []
    section = {
        "BACKEND": RedisCacheBackend,
        "REDIS_URL": f"redis://127.0.0.1:{proxy.port}/0",
        "KEY_PREFIX": unique_prefix(),
        "REDIS_TIMEOUT": 1,
        "RETRY_AFTER": 0,
    }
    try:
        client = await build_client(
            controllers=[counter_api(cache, calls)], EXTENSIONS=[cache], CACHE=section
        )
        assert (await client.get("/count")).headers["x-cache"] == "MISS"
        assert (await client.get("/count")).headers["x-cache"] == "HIT"
        await cache.clear()
        await proxy.stop()  # Redis "stops"
        down = [await client.get("/count") for _ in range(2)]
        assert [(r.status_code, r.headers["x-cache"], r.json()["n"]) for r in down] == [
            (200, "MISS", 2),
            (200, "MISS", 3),
        ]
        failed = [m for m in log_messages() if "requests skip the cache" in m]
        assert len(failed) == 1, failed  # once for the outage, not per request
        await proxy.start()  # and comes back on the same port
        back = [await client.get("/count") for _ in range(2)]
        assert [(r.headers["x-cache"], r.json()["n"]) for r in back] == [("MISS", 4), ("HIT", 4)]
    finally:
        if cache.initialised:
            await cache.clear()
        await proxy.stop()


async def test_backend_errors_never_fail_requests(build_client: BuildClient) -> None:
    from pyjolt.caching import MemoryCacheBackend

    class Broken(MemoryCacheBackend):
        async def get(self, key: str) -> dict[str, Any] | None:
            raise OSError("disk on fire")

        async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
            raise OSError("disk on fire")

    cache = Cache()
    calls: list[int] = []
    client = await build_client(
        controllers=[counter_api(cache, calls)], EXTENSIONS=[cache], CACHE={"BACKEND": Broken}
    )
    answers = [await client.get("/count") for _ in range(2)]
    assert [(r.status_code, r.json()["n"]) for r in answers] == [(200, 1), (200, 2)]
    assert await cache.get("anything") is None
