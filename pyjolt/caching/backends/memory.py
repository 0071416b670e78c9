"""In-process cache: a bounded LRU with per-entry expiry."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from pyjolt.caching.base import BaseCacheBackend, CacheSetup
from pyjolt.caching.payload import decode, encode

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol


class MemoryCacheBackend(BaseCacheBackend):
    """Per-process cache holding at most ``max_entries`` entries.

    The least recently used entry is dropped when the cache is full; expired entries are
    dropped when read and before anything is evicted. Entries are kept as JSON text, so a
    caller can never mutate a cached value in place. Tags live with their entries: an
    evicted or expired entry leaves its tags.
    """

    supports_tags = True

    def __init__(self, max_entries: int = 1024, *, namespace: str = "") -> None:
        self.max_entries = max_entries
        #: The cache this store belongs to (each ``Cache`` of each app has its own store).
        self.namespace = namespace
        self._data: OrderedDict[str, tuple[float | None, str]] = OrderedDict()
        self._tags: dict[str, set[str]] = {}
        self._key_tags: dict[str, set[str]] = {}

    @classmethod
    def from_config(cls, setup: CacheSetup) -> MemoryCacheBackend:
        return cls(max_entries=setup.config.MAX_ENTRIES, namespace=setup.namespace)

    @classmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        return cls.from_registered_cache(app, variable_prefix)

    async def connect(self) -> None:
        return None

    async def disconnect(self) -> None:
        await self.clear()

    async def get(self, key: str) -> dict[str, Any] | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires_at, raw = entry
        if expires_at is not None and expires_at <= time.monotonic():
            self._drop(key)
            return None
        self._data.move_to_end(key)
        return decode(raw)

    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        raw = encode(value)
        expires_at = None if duration is None else time.monotonic() + duration
        self._data[key] = (expires_at, raw)
        self._data.move_to_end(key)
        if len(self._data) > self.max_entries:
            self._purge_expired()
            while len(self._data) > self.max_entries:
                self._drop(next(iter(self._data)))

    async def delete(self, key: str) -> None:
        self._drop(key)

    async def clear(self) -> None:
        self._data.clear()
        self._tags.clear()
        self._key_tags.clear()

    async def add_tags(self, key: str, tags: Sequence[str], duration: int | None) -> None:
        if key not in self._data:
            return  # evicted at once (a cache of size 0 or 1)
        for tag in tags:
            self._tags.setdefault(tag, set()).add(key)
        self._key_tags.setdefault(key, set()).update(tags)

    async def tagged_keys(self, tag: str) -> frozenset[str]:
        return frozenset(self._tags.get(tag, ()))

    async def forget_tags(self, tags: Collection[str]) -> None:
        for tag in tags:
            for key in self._tags.pop(tag, ()):
                self._key_tags.get(key, set()).discard(tag)

    def _drop(self, key: str) -> None:
        self._data.pop(key, None)
        for tag in self._key_tags.pop(key, ()):
            keys = self._tags.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tags[tag]

    def __len__(self) -> int:
        return len(self._data)

    def _purge_expired(self) -> None:
        now = time.monotonic()
        for key in [k for k, (exp, _) in self._data.items() if exp is not None and exp <= now]:
            self._drop(key)

    def describe(self) -> str:
        return f"MemoryCacheBackend(namespace={self.namespace!r}, max_entries={self.max_entries})"
