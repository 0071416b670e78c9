"""The contract every cache backend satisfies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.caching.config import CacheConfig


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
    """

    @classmethod
    @abstractmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        """Create a configured backend instance using app config."""

    @classmethod
    def from_config(
        cls,
        config: CacheConfig,
        namespace: str,
        *,
        app: AppProtocol,
        variable_prefix: str,
        section: str = "CACHE",
    ) -> BaseCacheBackend:
        """Create the backend from its validated section; ``namespace`` prefixes its keys and
        ``section`` names the section in error messages.

        Built-in backends construct themselves from ``config``; the default hands over to
        ``configure_from_app(app, variable_prefix)``.
        """
        return cls.configure_from_app(app, variable_prefix)

    @classmethod
    def from_registered_cache(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        """``from_config`` with the section of the ``Cache`` registered on ``app`` under
        ``<variable_prefix>CACHE`` (how built-in backends implement ``configure_from_app``)."""
        from pyjolt.caching.extension import Cache, CacheState

        state = Cache.registered_state(app, variable_prefix)
        assert isinstance(state, CacheState)  # registered_state checks Cache.state_class
        return cls.from_config(
            state.config,
            state.namespace,
            app=app,
            variable_prefix=variable_prefix,
            section=f"{variable_prefix}CACHE",
        )

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
