"""The ``NoSqlDatabase`` extension: a NoSQL backend behind one small async API."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, ParamSpec, TypeVar

from pyjolt._internal.dependencies import Requirement
from pyjolt.appcontext import AppProtocol
from pyjolt.controller import injects
from pyjolt.controller.meta import get_endpoint_meta, update_endpoint_meta
from pyjolt.database.nosql.backends.base import (
    SECTION_NAME,
    AsyncNoSqlBackendBase,
    Document,
    Pipeline,
)
from pyjolt.database.nosql.config import NoSqlDatabaseConfig
from pyjolt.extension import BaseExtension, ExtensionState, HealthCheck

P = ParamSpec("P")
R = TypeVar("R")


class NoSqlState(ExtensionState[NoSqlDatabaseConfig]):
    """One app's NoSQL backend."""

    def __init__(self, app: AppProtocol, config: NoSqlDatabaseConfig) -> None:
        super().__init__(app, config)
        self.backend: AsyncNoSqlBackendBase | None = None


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

    state_class = NoSqlState

    def dependencies(self, config: NoSqlDatabaseConfig) -> list[Requirement]:
        """The backend's packages (``pymongo`` for ``MongoBackend``)."""
        return [*self.requires, *getattr(config.BACKEND, "requires", ())]

    def __init__(
        self, variable_prefix: str | None = None, *, configs_name: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        # Wrappers made by managed_database, and the names stamped on each, so that
        # init_app can re-declare them once the configured names are known.
        self._wrapped: list[tuple[Callable[..., Any], frozenset[str]]] = []

    def init_app(self, app: AppProtocol) -> None:
        """Validate config, register with ``app`` and build the backend from the config."""
        super().init_app(app)
        state = self._state(app)
        backend_cls = state.config.BACKEND
        built = backend_cls.from_config(
            state.config, self.configs_name, app=app, variable_prefix=self.variable_prefix
        )
        state.backend = self.build_backend(backend_cls, built, AsyncNoSqlBackendBase)  # type: ignore[type-abstract]
        for index, (wrapper, stamped) in enumerate(self._wrapped):
            self._wrapped[index] = (wrapper, self._stamp(wrapper, stamped))

    def make_state(self, app: AppProtocol, config: NoSqlDatabaseConfig) -> NoSqlState:
        return NoSqlState(app, config)

    def _state(self, app: AppProtocol | None = None) -> NoSqlState:
        return self._state_as(NoSqlState, app)

    @classmethod
    def settings_for(cls, app: AppProtocol, variable_prefix: str = "") -> NoSqlDatabaseConfig:
        """The validated ``<variable_prefix>NOSQL_DATABASE`` section (for
        ``configure_from_app`` of user backends)."""
        config: NoSqlDatabaseConfig = cls.registered_state(app, variable_prefix).config
        return config

    async def startup(self) -> None:
        await self.backend.connect()
        self.logger.debug("{} connected ({})", self.configs_name, type(self.backend).__name__)

    def health_checks(self) -> dict[str, HealthCheck]:
        """``nosql:<configs_name>``: the server answers a ping."""
        return {f"nosql:{self.configs_name}": self.backend.ping}

    async def shutdown(self) -> None:
        backend = self._state().backend
        if backend is not None:
            await backend.disconnect()

    # -- properties ------------------------------------------------------------------------

    @property
    def db_name(self) -> str:
        """The configured ``DATABASE`` name (or the backend's, e.g. from the URI)."""
        configured = self.config.DATABASE
        if configured:
            return configured
        return str(getattr(self.backend, "database_name", "") or "")

    def _config_or_none(self) -> NoSqlDatabaseConfig | None:
        app = self._current_app_or_none()
        return self._state(app).config if app is not None else None

    @property
    def db_inject_name(self) -> str:
        config = self._config_or_none()
        return config.DB_INJECT_NAME if config else "db"

    @property
    def session_name(self) -> str:
        config = self._config_or_none()
        return config.SESSION_NAME if config else "session"

    @property
    def backend(self) -> AsyncNoSqlBackendBase:
        """The current app's backend."""
        app = self._current_app_or_none()
        backend = self._state(app).backend if app is not None else None
        if backend is None:
            raise RuntimeError("Backend not connected. Was init_app/connect called?")
        return backend

    def supports_transactions(self) -> bool:
        return self.backend.supports_transactions()

    # -- the query API (each call is independent unless given session=) ------------------

    def database_handle(self) -> Any:
        return self.backend.database_handle()

    def get_collection(self, name: str) -> Any:
        return self.backend.get_collection(name)

    async def find_one(self, collection: str, filter: Document, **kwargs: Any) -> Any:
        return await self.backend.find_one(collection, filter, **kwargs)

    async def find_many(
        self, collection: str, filter: Document | None = None, **kwargs: Any
    ) -> list[Any]:
        """Matching documents; accepts ``limit``, ``skip``, ``sort`` and ``session``."""
        return await self.backend.find_many(collection, filter, **kwargs)

    async def insert_one(self, collection: str, doc: Document, **kwargs: Any) -> Any:
        return await self.backend.insert_one(collection, doc, **kwargs)

    async def insert_many(self, collection: str, docs: Iterable[Document], **kwargs: Any) -> Any:
        return await self.backend.insert_many(collection, docs, **kwargs)

    async def update_one(
        self, collection: str, filter: Document, update: Document, **kwargs: Any
    ) -> Any:
        """Update the first match; accepts ``upsert`` and ``session``."""
        return await self.backend.update_one(collection, filter, update, **kwargs)

    async def delete_one(self, collection: str, filter: Document, **kwargs: Any) -> Any:
        return await self.backend.delete_one(collection, filter, **kwargs)

    async def aggregate(self, collection: str, pipeline: Pipeline, **kwargs: Any) -> list[Any]:
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
            session: Any = None

            async def call(*_: Any, **passed: Any) -> R:
                # The spec's ``with_transaction(fn, *args, session=None, **kwargs)`` lets a
                # backend call ``fn()`` without passing ``session`` on: use the one started.
                kwargs[db_key] = self
                kwargs[session_key] = passed.get("session", session)
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
