"""Response caching: the ``Cache`` extension and its backends (memory, SQLite, Redis)."""

from pyjolt.caching.backends.memory import MemoryCacheBackend
from pyjolt.caching.backends.redis import RedisCacheBackend
from pyjolt.caching.backends.sqlite import SqliteCacheBackend
from pyjolt.caching.base import BaseCacheBackend
from pyjolt.caching.config import CacheConfig
from pyjolt.caching.extension import Cache
from pyjolt.caching.keys import response_key, user_identity

__all__ = [
    "BaseCacheBackend",
    "Cache",
    "CacheConfig",
    "MemoryCacheBackend",
    "RedisCacheBackend",
    "SqliteCacheBackend",
    "response_key",
    "user_identity",
]
