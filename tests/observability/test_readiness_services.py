"""Readiness against real PostgreSQL and Redis, and against closed ports."""

from typing import Any

import pytest

from pyjolt.caching import Cache, RedisCacheBackend
from pyjolt.database.sql import SqlDatabase
from tests.services import POSTGRES_URL, REDIS_URL, free_port, require_port


def _services() -> None:
    require_port("127.0.0.1", 5432, "PostgreSQL")
    require_port("127.0.0.1", 6379, "Redis")


def _config(pg_url: str, redis_url: str) -> dict[str, Any]:
    return {
        "HEALTH": True,
        "HEALTH_TIMEOUT": 3,
        "EXTENSIONS": [SqlDatabase(), Cache()],
        "SQL_DATABASE": {"DATABASE_URI": pg_url},
        "CACHE": {"BACKEND": RedisCacheBackend, "REDIS_URL": redis_url, "REDIS_TIMEOUT": 1},
    }


async def test_ready_with_real_postgresql_and_redis(build_client: Any) -> None:
    _services()
    client = await build_client(**_config(POSTGRES_URL, REDIS_URL))
    res = await client.get("/health/ready")
    assert res.status_code == 200, res.text
    assert res.json()["checks"] == {
        "sql:SQL_DATABASE": {"status": "ok"},
        "cache:CACHE": {"status": "ok"},
    }


@pytest.mark.parametrize("down", ["sql:SQL_DATABASE", "cache:CACHE"])
async def test_503_names_the_service_that_is_down(build_client: Any, down: str) -> None:
    """PostgreSQL on a closed port, or Redis down: the check of that one fails."""
    _services()
    closed_postgres = POSTGRES_URL.replace(":5432/", f":{free_port()}/")
    closed_redis = f"redis://127.0.0.1:{free_port()}/0"
    postgres = closed_postgres if down == "sql:SQL_DATABASE" else POSTGRES_URL
    redis = closed_redis if down == "cache:CACHE" else REDIS_URL
    client = await build_client(**_config(postgres, redis))
    res = await client.get("/health/ready")
    assert res.status_code == 503
    checks = res.json()["checks"]
    up = "cache:CACHE" if down == "sql:SQL_DATABASE" else "sql:SQL_DATABASE"
    assert checks[down]["status"] == "fail"
    assert checks[up] == {"status": "ok"}
