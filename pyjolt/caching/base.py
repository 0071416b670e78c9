"""The contract every cache backend satisfies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.caching.config import CacheConfig


@dataclass(frozen=True)
class CacheSetup:
    """What the ``Cache`` of one app hands a backend class to build its backend."""

    #: The validated section.
    config: CacheConfig
    #: The prefix of this cache's keys (``KEY_PREFIX``, default ``pyjolt:<APP_NAME>:<section>:``).
    namespace: str
    app: AppProtocol
    variable_prefix: str
    #: The section's name, for error messages.
    section: str = "CACHE"


class BaseCacheBackend(ABC):
    """Abstract cache backend.

    Values are JSON-compatible dicts; backends store them as JSON, never pickle. Keys given
    to a backend are already namespaced by the caller's purpose; the backend adds its own
    namespace (``KEY_PREFIX``, default ``pyjolt:<APP_NAME>:<section>:``) so ``clear()``
    removes only this cache's entries.

    The ``Cache`` extension builds its backend with ``from_config`` (the validated section
    and the namespace). Its default calls the spec's ``configure_from_app(app,
    variable_prefix)``, which user backends implement; inside it,
    ``Cache.settings_for(app, variable_prefix)`` gives the validated section. Subclasses also
    implement ``connect`` / ``disconnect`` and ``get`` / ``set`` / ``delete`` / ``clear``.
    Errors raised by these methods are caught by the ``Cache`` extension: the request then
    runs uncached.

    Tags (``supports_tags``): a backend that implements ``add_tags``, ``tagged_keys``,
    ``forget_tags`` (and, better than one ``delete`` per key, ``delete_many``) gets
    ``store(..., tags)`` and ``invalidate_tags`` from this class. Without them, entries are
    stored untagged and ``invalidate_tags`` raises ``NotImplementedError``.
    """

    #: Whether ``add_tags`` / ``tagged_keys`` / ``forget_tags`` are implemented.
    supports_tags: ClassVar[bool] = False

    @classmethod
    @abstractmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        """Create a configured backend instance using app config."""

    @classmethod
    def from_config(cls, setup: CacheSetup) -> BaseCacheBackend:
        """Create the backend for one cache of one app (see ``CacheSetup``).

        Built-in backends construct themselves from ``setup.config``; the default hands over
        to ``configure_from_app(app, variable_prefix)``.
        """
        return cls.configure_from_app(setup.app, setup.variable_prefix)

    @classmethod
    def from_registered_cache(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        """``from_config`` with the section of the ``Cache`` registered on ``app`` under
        ``<variable_prefix>CACHE`` (how built-in backends implement ``configure_from_app``)."""
        from pyjolt.caching.extension import Cache, CacheState

        state = Cache.registered_state(app, variable_prefix)
        assert isinstance(state, CacheState)  # registered_state checks Cache.state_class
        section = f"{variable_prefix}CACHE"
        setup = CacheSetup(state.config, state.namespace, app, variable_prefix, section)
        return cls.from_config(setup)

    @abstractmethod
    async def connect(self) -> None:
        """Establish any required connections (no-op for memory)."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Tear down connections (no-op for memory)."""

    @abstractmethod
    async def get(self, key: str) -> dict[str, Any] | None:
        """Return the cached payload dict or None."""

    @abstractmethod
    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        """Store a payload dict under key with an optional TTL in seconds (None: no expiry)."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Delete a cached entry if present."""

    @abstractmethod
    async def clear(self) -> None:
        """Clear this cache's namespace (and nothing else)."""

    # -- tags -----------------------------------------------------------------------------
    async def store(
        self, key: str, value: dict[str, Any], duration: int | None, tags: Sequence[str] = ()
    ) -> None:
        """``set`` the entry and file it under ``tags`` (a backend may do both at once)."""
        await self.set(key, value, duration)
        if tags:
            await self.add_tags(key, tags, duration)

    async def add_tags(self, key: str, tags: Sequence[str], duration: int | None) -> None:
        """File ``key`` under each tag (kept at least ``duration`` seconds)."""
        raise NotImplementedError(f"{self.describe()} does not support tags")

    async def tagged_keys(self, tag: str) -> frozenset[str]:
        """The keys filed under ``tag`` (some may have expired since)."""
        raise NotImplementedError(f"{self.describe()} does not support tags")

    async def forget_tags(self, tags: Collection[str]) -> None:
        """Drop the tags' key lists (the entries themselves stay)."""
        raise NotImplementedError(f"{self.describe()} does not support tags")

    async def delete_many(self, keys: Collection[str]) -> None:
        """Delete several entries."""
        for key in keys:
            await self.delete(key)

    async def invalidate_tags(self, tags: Collection[str], *, match_all: bool = False) -> int:
        """Delete the entries filed under any of ``tags`` (every one of them with
        ``match_all``); returns how many keys were filed under them."""
        if not tags:
            return 0
        found = [await self.tagged_keys(tag) for tag in tags]
        keys = frozenset.intersection(*found) if match_all else frozenset.union(*found)
        if keys:
            await self.delete_many(keys)
        if not match_all:
            await self.forget_tags(tags)
        return len(keys)

    async def ping(self) -> None:  # noqa: B027 - optional hook
        """Raise when the store does not answer (readiness check); in-process stores do."""

    def describe(self) -> str:
        """A short description for logs (never contains secrets)."""
        return type(self).__name__
