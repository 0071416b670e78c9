"""Two app processes sharing Redis or SQLite see each other's entries."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from pyjolt.testing import PyJoltTestClient, make_app
from tests.caching import shared_app
from tests.caching.support import require_redis, unique_prefix
from tests.services import REDIS_URL

SCRIPT = Path(__file__).with_name("shared_app.py")
REPO = Path(__file__).resolve().parents[2]


async def run_app_process(section: dict[str, Any], url: str, hash_seed: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": hash_seed}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        json.dumps(section),
        url,
        cwd=str(REPO),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode == 0, stderr.decode()
    result: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
    return result


def shared_section(kind: str, tmp_path: Path, prefix: str) -> dict[str, Any]:
    if kind == "redis":
        require_redis()
        return {
            "BACKEND": "pyjolt.caching:RedisCacheBackend",
            "REDIS_URL": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    return {
        "BACKEND": "pyjolt.caching:SqliteCacheBackend",
        "SQLITE_PATH": str(tmp_path / "c.db"),
        "KEY_PREFIX": prefix,
    }


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_processes_share_entries(kind: str, tmp_path: Path) -> None:
    prefix = unique_prefix()
    section = shared_section(kind, tmp_path, prefix)
    try:
        # Different hash seeds and query orders: the key must not depend on either.
        first = await run_app_process(section, "/who/5?a=1&b=2", "1")
        second = await run_app_process(section, "/who/5?b=2&a=1", "2")
        other = await run_app_process(section, "/who/6?a=1&b=2", "3")
    finally:
        if kind == "redis":
            await clear_redis_prefix(prefix)
    assert first["status"] == second["status"] == 200
    assert (first["x_cache"], second["x_cache"], other["x_cache"]) == ("MISS", "HIT", "MISS")
    assert second["body"] == first["body"]  # served from the first process's entry
    assert other["body"]["pid"] != first["body"]["pid"]


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_another_process_invalidates_by_tag_and_route(kind: str, tmp_path: Path) -> None:
    """Process B drops entries by tag, then by route values; this process (A) then misses."""
    prefix = unique_prefix()
    section = shared_section(kind, tmp_path, prefix)
    app = make_app(controllers=[shared_app.Api], EXTENSIONS=[shared_app.cache], CACHE=section)
    try:
        async with PyJoltTestClient(app) as client:

            async def seen(url: str) -> str:
                return str((await client.get(url)).headers["x-cache"])

            assert [await seen("/who/5"), await seen("/who/5"), await seen("/who/6")] == [
                "MISS",
                "HIT",
                "MISS",
            ]
            assert await run_app_process(section, "tags:who:5", "1") == {"dropped": 1}
            assert [await seen("/who/5"), await seen("/who/6")] == ["MISS", "HIT"]
            assert await seen("/who/6?x=1") == "MISS"  # another entry of the same route values
            assert await run_app_process(section, "route:6", "2") == {"dropped": 2}
            assert [await seen("/who/6"), await seen("/who/6?x=1"), await seen("/who/5")] == [
                "MISS",
                "MISS",
                "HIT",
            ]
    finally:
        if kind == "redis":
            await clear_redis_prefix(prefix)


async def clear_redis_prefix(prefix: str) -> None:
    from pyjolt.caching import RedisCacheBackend

    backend = RedisCacheBackend(REDIS_URL, key_prefix=prefix)
    await backend.connect()
    try:
        await backend.clear()
    finally:
        await backend.disconnect()
