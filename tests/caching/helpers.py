"""Helpers shared by the caching tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from pyjolt.caching import (
    BaseCacheBackend,
    MemoryCacheBackend,
    RedisCacheBackend,
    SqliteCacheBackend,
)
from tests.services import REDIS_URL, require_port

BACKEND_KINDS = ["memory", "sqlite", "redis"]


def unique_prefix() -> str:
    return f"pyjolt-test:{uuid.uuid4().hex}:"


def require_redis() -> None:
    require_port("127.0.0.1", 6379, "Redis")


def backend_config(kind: str, tmp_path: Path, prefix: str | None = None) -> dict[str, Any]:
    """A ``CACHE`` section selecting ``kind`` (unique key prefix / fresh SQLite file)."""
    prefix = prefix or unique_prefix()
    if kind == "memory":
        return {"BACKEND": MemoryCacheBackend}
    if kind == "sqlite":
        return {
            "BACKEND": "pyjolt.caching:SqliteCacheBackend",
            "SQLITE_PATH": str(tmp_path / "cache.db"),
            "KEY_PREFIX": prefix,
        }
    require_redis()
    return {"BACKEND": RedisCacheBackend, "REDIS_URL": REDIS_URL, "KEY_PREFIX": prefix}


def make_backend(kind: str, tmp_path: Path, prefix: str | None = None) -> BaseCacheBackend:
    prefix = prefix or unique_prefix()
    if kind == "memory":
        return MemoryCacheBackend(max_entries=100)
    if kind == "sqlite":
        return SqliteCacheBackend(str(tmp_path / "cache.db"), namespace=prefix, checkpoint_every=3)
    require_redis()
    return RedisCacheBackend(REDIS_URL, key_prefix=prefix)
