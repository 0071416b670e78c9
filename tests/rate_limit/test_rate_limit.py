"""Rate limits: 429 with Retry-After, per client, defaults and exemptions, Redis shared across
processes, storage down (fail open or 503), configuration errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from loguru import logger

from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import PyJoltTestClient
from tests.rate_limit.app import build
from tests.services import REDIS_URL, require_port


async def test_limit_then_429_with_retry_after() -> None:
    async with PyJoltTestClient(build()) as client:
        statuses = [(await client.get("/limited")).status_code for _ in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        res = await client.get("/limited")
        assert res.status_code == 429
        assert 1 <= int(res.headers["retry-after"]) <= 60
        assert res.json()["message"].startswith("Rate limit 5 per 1 minute exceeded")
        # another route is not counted with it
        assert (await client.get("/other")).status_code == 200


async def test_each_client_has_its_own_counter() -> None:
    async with PyJoltTestClient(build(TRUSTED_PROXIES=["127.0.0.1", "testclient"])) as client:
        for ip in ("203.0.113.1", "203.0.113.2"):
            codes = [
                (await client.get("/limited", headers={"x-forwarded-for": ip})).status_code
                for _ in range(6)
            ]
            assert codes == [200] * 5 + [429], ip
        for user in ("alice", "bob"):
            codes = [
                (await client.post("/per-user", headers={"x-user": user})).status_code
                for _ in range(3)
            ]
            assert codes == [200, 200, 429]


async def test_default_limits_and_exempt() -> None:
    app = build(RATE_LIMIT={"DEFAULT_LIMITS": ["3/minute"]})
    async with PyJoltTestClient(app) as client:
        codes = [(await client.get("/other")).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        free = [(await client.get("/free")).status_code for _ in range(5)]
        assert free == [200] * 5


@pytest.mark.parametrize(
    ("section", "words"),
    [
        (
            {"DEFAULT_LIMITS": ["lots"]},
            ["RATE_LIMIT['DEFAULT_LIMITS']", "'lots' is not a rate limit", "5/minute"],
        ),
        ({"STORAGE_URL": "mongodb://x"}, ["STORAGE_URL", "redis://"]),
        ({"STRATEGY": "leaky"}, ["STRATEGY"]),
    ],
)
def test_bad_config_stops_start_up(section: dict[str, Any], words: list[str]) -> None:
    with pytest.raises(ConfigurationError) as info:
        build(RATE_LIMIT=section)
    for word in words:
        assert word in str(info.value)


def test_bad_limit_on_a_decorator() -> None:
    from pyjolt.rate_limit import RateLimiter

    with pytest.raises(ValueError, match="is not a rate limit"):
        RateLimiter().limit("often")


async def test_storage_down_fails_open_with_one_warning() -> None:
    warnings: list[str] = []
    sink = logger.add(lambda m: warnings.append(str(m)), level="WARNING")
    try:
        app = build(RATE_LIMIT={"STORAGE_URL": "redis://127.0.0.1:1/0", "TIMEOUT": 0.5})
        async with PyJoltTestClient(app) as client:
            codes = [(await client.get("/limited")).status_code for _ in range(8)]
    finally:
        logger.remove(sink)
    assert codes == [200] * 8
    assert len([w for w in warnings if "Rate limit storage unreachable" in w]) == 1


async def test_storage_down_fail_closed_is_503() -> None:
    app = build(
        RATE_LIMIT={"STORAGE_URL": "redis://127.0.0.1:1/0", "TIMEOUT": 0.5, "FAIL_OPEN": False}
    )
    async with PyJoltTestClient(app) as client:
        res = await client.get("/limited")
    assert res.status_code == 503
    assert res.json()["message"] == "Rate limit storage unavailable"


def test_redis_counters_shared_by_two_server_processes(
    uvicorn_server: Callable[..., str],
) -> None:
    require_port("127.0.0.1", 6379, "Redis")
    env = {"RL_STORAGE": REDIS_URL, "RL_PREFIX": f"pyjolt-test:{uuid.uuid4().hex}"}
    first = uvicorn_server("tests.rate_limit.app:Application", "--factory", env=env)
    second = uvicorn_server("tests.rate_limit.app:Application", "--factory", env=env)
    answers = []
    for i in range(7):
        base = first if i % 2 == 0 else second
        answers.append(httpx.get(base + "/limited", timeout=5))
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    assert len({a.json()["pid"] for a in answers[:5]}) == 2  # both processes served
    assert all(int(a.headers["retry-after"]) >= 1 for a in answers[5:])
