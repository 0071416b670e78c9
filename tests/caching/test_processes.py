"""Two app processes sharing Redis or SQLite see each other's entries."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

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


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
async def test_processes_share_entries(kind: str, tmp_path: Path) -> None:
    prefix = unique_prefix()
    if kind == "redis":
        require_redis()
        section = {"BACKEND": "pyjolt.caching:RedisCacheBackend", "REDIS_URL": REDIS_URL}
    else:
        section = {
            "BACKEND": "pyjolt.caching:SqliteCacheBackend",
            "SQLITE_PATH": str(tmp_path / "c.db"),
        }
    section["KEY_PREFIX"] = prefix
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


async def clear_redis_prefix(prefix: str) -> None:
    from pyjolt.caching import RedisCacheBackend

    backend = RedisCacheBackend(REDIS_URL, key_prefix=prefix)
    await backend.connect()
    try:
        await backend.clear()
    finally:
        await backend.disconnect()
