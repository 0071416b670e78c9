"""The same contract, run against every backend (Redis against the real server)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from pathlib import Path

from pyjolt.caching import (
    BaseCacheBackend,
    MemoryCacheBackend,
    RedisCacheBackend,
    SqliteCacheBackend,
)
from tests.caching.support import assert_clear_keeps_the_other, make_backend, unique_prefix

PAYLOAD = {"status": 200, "body": "aGk=", "nested": {"list": [1, 2.5, "x", None, True]}}


async def test_set_then_get_round_trips(backend: BaseCacheBackend) -> None:
    await backend.set("k1", PAYLOAD, 60)
    assert await backend.get("k1") == PAYLOAD


async def test_missing_key_is_none(backend: BaseCacheBackend) -> None:
    assert await backend.get("never-set") is None


async def test_set_replaces_and_get_returns_a_copy(backend: BaseCacheBackend) -> None:
    await backend.set("k", {"n": 1}, 60)
    await backend.set("k", {"n": 2}, 60)
    got = await backend.get("k")
    assert got == {"n": 2}
    assert got is not None
    got["n"] = 3
    assert await backend.get("k") == {"n": 2}


async def test_delete_removes_only_that_key(backend: BaseCacheBackend) -> None:
    await backend.set("a", {"v": "a"}, 60)
    await backend.set("b", {"v": "b"}, 60)
    await backend.delete("a")
    await backend.delete("not-there")
    assert await backend.get("a") is None
    assert await backend.get("b") == {"v": "b"}


async def test_clear_empties_the_namespace(backend: BaseCacheBackend) -> None:
    for i in range(5):
        await backend.set(f"k{i}", {"i": i}, 60)
    await backend.clear()
    assert [await backend.get(f"k{i}") for i in range(5)] == [None] * 5


async def test_entries_expire(backend: BaseCacheBackend) -> None:
    await backend.set("short", {"v": 1}, 1)
    await backend.set("long", {"v": 2}, 60)
    await backend.set("forever", {"v": 3}, None)
    await asyncio.sleep(1.3)
    assert await backend.get("short") is None
    assert await backend.get("long") == {"v": 2}
    assert await backend.get("forever") == {"v": 3}


async def test_clear_leaves_other_namespaces(kind: str, tmp_path: Path) -> None:
    if kind == "memory":
        first: BaseCacheBackend = MemoryCacheBackend()
        second: BaseCacheBackend = MemoryCacheBackend()
    else:
        first = make_backend(kind, tmp_path, unique_prefix())
        second = make_backend(kind, tmp_path, unique_prefix())
    await first.connect()
    await second.connect()
    try:
        await assert_clear_keeps_the_other(first, second)
    finally:
        await first.disconnect()
        await second.disconnect()


async def test_memory_is_bounded_lru() -> None:
    backend = MemoryCacheBackend(max_entries=3)
    for key in ("a", "b", "c"):
        await backend.set(key, {"k": key}, 60)
    assert await backend.get("a") == {"k": "a"}  # a is now the most recently used
    await backend.set("d", {"k": "d"}, 60)
    assert len(backend) == 3
    assert await backend.get("b") is None
    assert [await backend.get(k) for k in ("a", "c", "d")] == [{"k": "a"}, {"k": "c"}, {"k": "d"}]


async def test_sqlite_stores_json_in_wal_mode_and_purges(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    backend = SqliteCacheBackend(str(path), "my_cache", namespace="ns:", checkpoint_every=2)
    await backend.connect()
    try:
        await backend.set("gone", {"v": 0}, 1)
        await asyncio.sleep(1.2)
        await backend.set("kept", {"v": 1}, 60)  # second write: purge + checkpoint
        with contextlib.closing(sqlite3.connect(path)) as db:
            mode = db.execute("PRAGMA journal_mode").fetchone()[0]
            rows = db.execute("SELECT namespace, key, value FROM my_cache").fetchall()
        assert mode == "wal"
        assert rows == [("ns:", "kept", '{"v":1}')]
        assert json.loads(rows[0][2]) == {"v": 1}
    finally:
        await backend.disconnect()


async def test_sqlite_shares_entries_between_connections(tmp_path: Path) -> None:
    one = SqliteCacheBackend(str(tmp_path / "s.db"), namespace="x:")
    two = SqliteCacheBackend(str(tmp_path / "s.db"), namespace="x:")
    await one.connect()
    await two.connect()
    try:
        await one.set("k", {"from": "one"}, 60)
        assert await two.get("k") == {"from": "one"}
        await two.delete("k")
        assert await one.get("k") is None
    finally:
        await one.disconnect()
        await two.disconnect()


async def test_redis_stores_json_with_ttl_and_clear_spares_foreign_keys(tmp_path: Path) -> None:
    backend = make_backend("redis", tmp_path)
    assert isinstance(backend, RedisCacheBackend)
    await backend.connect()
    foreign = f"{unique_prefix()}other"
    try:
        await backend.set("k", {"v": [1, "two"]}, 30)
        raw = await backend.client.get(backend.key_prefix + "k")
        assert json.loads(raw) == {"v": [1, "two"]}
        assert 0 < await backend.client.ttl(backend.key_prefix + "k") <= 30
        await backend.client.set(foreign, "keep me")
        await backend.client.set(backend.key_prefix[:-1] + "-lookalike", "keep me too")
        await backend.clear()
        assert await backend.get("k") is None
        assert await backend.client.get(foreign) == b"keep me"
        assert await backend.client.get(backend.key_prefix[:-1] + "-lookalike") == b"keep me too"
    finally:
        await backend.client.delete(foreign, backend.key_prefix[:-1] + "-lookalike")
        await backend.disconnect()


async def test_sqlite_checkpoints_every_n_writes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    wal = tmp_path / "w.db-wal"
    backend = SqliteCacheBackend(
        str(path), namespace="n:", checkpoint_mode="TRUNCATE", checkpoint_every=3
    )
    await backend.connect()
    try:
        await backend.set("a", {"v": "x" * 1000}, 60)
        await backend.set("b", {"v": "y" * 1000}, 60)
        assert wal.stat().st_size > 0
        await backend.set("c", {"v": "z" * 1000}, 60)  # third write: TRUNCATE checkpoint
        assert wal.stat().st_size == 0
        assert await backend.get("a") == {"v": "x" * 1000}
    finally:
        await backend.disconnect()
