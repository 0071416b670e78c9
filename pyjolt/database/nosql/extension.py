"""The ``NoSqlDatabase`` extension: a NoSQL backend behind one small async API."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any, ParamSpec, TypeVar

from pydantic import field_validator, model_validator

from pyjolt._internal.imports import ImportStringError, import_string
from pyjolt.controller import injects
from pyjolt.controller.meta import get_endpoint_meta, update_endpoint_meta
from pyjolt.database.nosql.backends.base import SECTION_NAME, AsyncNoSqlBackendBase
from pyjolt.extension import BaseExtension, ExtensionConfig, HealthCheck

P = ParamSpec("P")
R = TypeVar("R")


class NoSqlDatabaseConfig(ExtensionConfig):
    """The ``NOSQL_DATABASE`` section."""

    BACKEND: type[AsyncNoSqlBackendBase]
    DATABASE_URI: str | None = None
    DATABASE: str | None = None
    DB_INJECT_NAME: str = "db"
    SESSION_NAME: str = "session"

    @field_validator("BACKEND", mode="before")
    @classmethod
    def _resolve_backend(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = import_string(value)
            except ImportStringError as exc:
                raise ValueError(str(exc)) from exc
        if not (isinstance(value, type) and issubclass(value, AsyncNoSqlBackendBase)):
            raise ValueError(
                "BACKEND must be a subclass of AsyncNoSqlBackendBase (or an import string "
                "naming one), e.g. 'pyjolt.database.nosql.backends:MongoBackend'"
            )
        return value

    @field_validator("DB_INJECT_NAME", "SESSION_NAME")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"{value!r} is not a valid parameter name")
        return value

    @model_validator(mode="after")
    def _distinct_names(self) -> NoSqlDatabaseConfig:
        if self.DB_INJECT_NAME == self.SESSION_NAME:
            raise ValueError("DB_INJECT_NAME and SESSION_NAME must differ")
        return self


class NoSqlDatabase(BaseExtension[NoSqlDatabaseConfig]):
    """A NoSQL database (MongoDB or a custom backend) for handlers and services.

    Config section ``NOSQL_DATABASE`` (``{variable_prefix}NOSQL_DATABASE`` with a prefix):

    - ``BACKEND``: a subclass of ``AsyncNoSqlBackendBase`` or an import string naming one,
      e.g. ``MongoBackend`` from ``pyjolt.database.nosql.backends`` (required).
    - ``DATABASE_URI``: connection string (required by ``MongoBackend``).
    - ``DATABASE``: database name (``MongoBackend``: defaults to the one in the URI).
    - ``DB_INJECT_NAME``: parameter ``@managed_database`` fills with this extension ("db").
    - ``SESSION_NAME``: parameter ``@managed_database`` fills with the session ("session").

    The backend connects at application start-up and disconnects at shutdown.
    """

    default_configs_name = SECTION_NAME
    config_model = NoSqlDatabaseConfig

    def __init__(self, variable_prefix: str = "") -> None:
        super().__init__(variable_prefix=variable_prefix)
        self._backend: AsyncNoSqlBackendBase | None = None
        # Wrappers made by managed_database, and the names stamped on each, so that
        # init_app can re-declare them once the configured names are known.
        self._wrapped: list[tuple[Callable[..., Any], frozenset[str]]] = []

    def init_app(self, app: Any) -> None:
        """Validate config, build the backend from it and register with ``app``."""
        super().init_app(app)
        self._backend = self.config.BACKEND.configure_from_app(app, self.variable_prefix)
        for index, (wrapper, stamped) in enumerate(self._wrapped):
            self._wrapped[index] = (wrapper, self._stamp(wrapper, stamped))

    async def startup(self) -> None:
        await self.backend.connect()
        self.logger.debug("{} connected ({})", self.configs_name, type(self.backend).__name__)

    def health_checks(self) -> dict[str, HealthCheck]:
        """``nosql:<configs_name>``: the server answers a ping."""
        return {f"nosql:{self.configs_name}": self.backend.ping}

    async def shutdown(self) -> None:
        if self._backend is not None:
            await self._backend.disconnect()

    # -- properties ------------------------------------------------------------------------

    @property
    def db_name(self) -> str:
        """The configured ``DATABASE`` name (or the backend's, e.g. from the URI)."""
        configured = self.config.DATABASE
        if configured:
            return configured
        return str(getattr(self.backend, "database_name", "") or "")

    @property
    def db_inject_name(self) -> str:
        return self._config.DB_INJECT_NAME if self._config else "db"

    @property
    def session_name(self) -> str:
        return self._config.SESSION_NAME if self._config else "session"

    @property
    def backend(self) -> AsyncNoSqlBackendBase:
        if not self._backend:
            raise RuntimeError("Backend not connected. Was init_app/connect called?")
        return self._backend

    def supports_transactions(self) -> bool:
        return self.backend.supports_transactions()

    # -- the query API (each call is independent unless given session=) ------------------

    def database_handle(self) -> Any:
        return self.backend.database_handle()

    def get_collection(self, name: str) -> Any:
        return self.backend.get_collection(name)

    async def find_one(self, collection: str, filter: Mapping[str, Any], **kwargs: Any) -> Any:
        return await self.backend.find_one(collection, filter, **kwargs)

    async def find_many(
        self, collection: str, filter: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> list[Any]:
        """Matching documents; accepts ``limit``, ``skip``, ``sort`` and ``session``."""
        return await self.backend.find_many(collection, filter, **kwargs)

    async def insert_one(self, collection: str, doc: Mapping[str, Any], **kwargs: Any) -> Any:
        return await self.backend.insert_one(collection, doc, **kwargs)

    async def insert_many(
        self, collection: str, docs: Iterable[Mapping[str, Any]], **kwargs: Any
    ) -> Any:
        return await self.backend.insert_many(collection, docs, **kwargs)

    async def update_one(
        self,
        collection: str,
        filter: Mapping[str, Any],
        update: Mapping[str, Any],
        **kwargs: Any,
    ) -> Any:
        """Update the first match; accepts ``upsert`` and ``session``."""
        return await self.backend.update_one(collection, filter, update, **kwargs)

    async def delete_one(self, collection: str, filter: Mapping[str, Any], **kwargs: Any) -> Any:
        return await self.backend.delete_one(collection, filter, **kwargs)

    async def aggregate(
        self, collection: str, pipeline: Iterable[Mapping[str, Any]], **kwargs: Any
    ) -> list[Any]:
        return await self.backend.aggregate(collection, pipeline, **kwargs)

    async def execute_raw(self, *args: Any, **kwargs: Any) -> Any:
        """Escape hatch for backend-specific commands. See MongoBackend.execute_raw."""
        return await self.backend.execute_raw(*args, **kwargs)

    # -- managed transactions --------------------------------------------------------------

    def managed_database(
        self, fn: Callable[P, Coroutine[Any, Any, R]]
    ) -> Callable[P, Coroutine[Any, Any, R]]:
        """Run the handler in one transaction, injecting this extension and the session.

        The handler receives this extension under ``DB_INJECT_NAME`` and the session under
        ``SESSION_NAME``; pass ``session=session`` to each call. The transaction commits
        when the handler returns and aborts when it raises. Without transaction support the
        session is None and each call stands alone.
        """

        @functools.wraps(fn)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            backend = self.backend
            db_key, session_key = self.db_inject_name, self.session_name

            async def call(*, session: Any) -> R:
                kwargs[db_key] = self
                kwargs[session_key] = session
                return await fn(*args, **kwargs)

            if not backend.supports_transactions():
                return await call(session=None)
            session = await backend.start_session()
            try:
                result: R = await backend.with_transaction(call, session=session)
            finally:
                await _end_session(session)
            return result

        self._wrapped.append((wrapper, self._stamp(wrapper, frozenset())))
        return wrapper

    def _stamp(self, wrapper: Callable[..., Any], previous: frozenset[str]) -> frozenset[str]:
        """Declare the injected names on ``wrapper``, replacing ones stamped earlier."""
        names = frozenset((self.db_inject_name, self.session_name))
        meta = get_endpoint_meta(wrapper)
        stale = previous - names
        if meta is not None and stale:
            update_endpoint_meta(wrapper, injects=meta.injects - stale)
        injects(wrapper, *names)
        return names


async def _end_session(session: Any) -> None:
    """Close a backend session if it has ``end_session`` (sync or async)."""
    end = getattr(session, "end_session", None)
    if end is None:
        return
    result = end()
    if inspect.isawaitable(result):
        await result
