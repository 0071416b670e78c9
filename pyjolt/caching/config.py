"""The ``CACHE`` config section: its model (backends are built from it)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from pyjolt._internal.redis_pool import RedisPoolOptions
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import ExtensionConfig
from pyjolt.registry import ImportString

CheckpointMode = Literal["PASSIVE", "FULL", "RESTART", "TRUNCATE"]

_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _is_backend(obj: Any) -> bool:
    from pyjolt.caching.base import BaseCacheBackend  # the backends import this module

    return isinstance(obj, type) and issubclass(obj, BaseCacheBackend)


class CacheConfig(ExtensionConfig):
    """Settings of one cache (``CACHE`` or ``<prefix>CACHE``)."""

    BACKEND: Annotated[Any, ImportString("a BaseCacheBackend subclass", _is_backend)] = Field(
        default="pyjolt.caching.backends.memory:MemoryCacheBackend", validate_default=True
    )
    REDIS_URL: str | None = None
    REDIS_PASSWORD: str | None = None
    DURATION: int = Field(default=300, gt=0)
    #: Namespace of the entries; default ``pyjolt:<APP_NAME>:<section>:``.
    KEY_PREFIX: str | None = None
    SQLITE_PATH: str = "./pyjolt_cache.db"
    SQLITE_TABLE: str = "cache_entries"
    SQLITE_WAL_CHECKPOINT_MODE: CheckpointMode = "PASSIVE"
    SQLITE_WAL_CHECKPOINT_EVERY: int = Field(default=100, ge=0)
    #: Most entries kept per namespace: memory drops the least recently used, SQLite and
    #: Redis those closest to expiry (Redis counts them in a sorted set, see the backend).
    MAX_ENTRIES: int = Field(default=1024, gt=0)
    #: Redis backend: the most one operation may take (pool wait, connect, command), seconds.
    REDIS_TIMEOUT: float = Field(default=2.0, gt=0)
    #: Redis backend: most connections in the pool (callers wait for a free one).
    REDIS_MAX_CONNECTIONS: int = Field(default=50, gt=0)
    #: Redis backend: pooled connections unused this many seconds are closed.
    REDIS_IDLE_TIMEOUT: float = Field(default=60.0, gt=0)
    #: After a backend error, requests skip the cache for this many seconds; then one request
    #: at a time probes the backend (success: the cache is used again).
    RETRY_AFTER: float = Field(default=5.0, ge=0)

    @field_validator("SQLITE_TABLE")
    @classmethod
    def _check_table(cls, value: str) -> str:
        if not _TABLE_NAME.match(value):
            raise ValueError("must be a plain SQL identifier (letters, digits, underscore)")
        return value

    @field_validator("SQLITE_WAL_CHECKPOINT_MODE", mode="before")
    @classmethod
    def _upper_mode(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    def redis_pool(self) -> RedisPoolOptions:
        """The Redis backend's pool options in this section."""
        return RedisPoolOptions(
            password=self.REDIS_PASSWORD,
            timeout=self.REDIS_TIMEOUT,
            max_connections=self.REDIS_MAX_CONNECTIONS,
            idle_timeout=self.REDIS_IDLE_TIMEOUT,
        )


def require(value: str | None, key: str, backend: str, section: str) -> str:
    """A setting a backend cannot work without; raises a ConfigurationError naming it."""
    if not value:
        raise ConfigurationError(
            f"{section}[{key!r}] is required by {backend}; set it in the {section} section "
            f"(or as {section}_{key})"
        )
    return value
