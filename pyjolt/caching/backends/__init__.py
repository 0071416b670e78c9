"""Built-in cache backends: memory (default), SQLite and Redis."""

from pyjolt.caching.backends.memory import MemoryCacheBackend
from pyjolt.caching.backends.redis import RedisCacheBackend
from pyjolt.caching.backends.sqlite import SqliteCacheBackend

__all__ = ["MemoryCacheBackend", "RedisCacheBackend", "SqliteCacheBackend"]
