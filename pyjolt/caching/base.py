"""The contract every cache backend satisfies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class BaseCacheBackend(ABC):
    """Abstract cache backend.

    Values are JSON-compatible dicts; backends store them as JSON, never pickle. Keys given
    to a backend are already namespaced by the caller's purpose; the backend adds its own
    ``KEY_PREFIX`` so ``clear()`` removes only this cache's entries.

    Subclasses implement ``configure_from_app`` (read settings, e.g. with
    ``pyjolt.caching.cache_settings(app, variable_prefix)``), ``connect`` / ``disconnect``
    and ``get`` / ``set`` / ``delete`` / ``clear``. Errors raised by these methods are caught
    by the ``Cache`` extension: the request then runs uncached.
    """

    @classmethod
    @abstractmethod
    def configure_from_app(cls, app: Any, variable_prefix: str) -> BaseCacheBackend:
        """Create a configured backend instance using app config."""

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

    async def ping(self) -> None:  # noqa: B027 - optional hook
        """Raise when the store does not answer (readiness check); in-process stores do."""

    def describe(self) -> str:
        """A short description for logs (never contains secrets)."""
        return type(self).__name__
