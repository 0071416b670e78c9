"""The ``SqlDatabase`` extension: an async SQLAlchemy engine, sessions and session decorators."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any, ClassVar, TypeVar, cast

from sqlalchemy import MetaData
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pyjolt._internal.dependencies import Requirement, driver_requirement
from pyjolt.appcontext import AppProtocol
from pyjolt.database.sql.config import SqlDatabaseConfig
from pyjolt.database.sql.engines import (
    check_async_driver,
    create_engine,
    engine_options,
    make_sessionmaker,
    resolve_database_url,
)
from pyjolt.database.sql.injection import SessionWrappers
from pyjolt.database.sql.models import DEFAULT_DB_NAME, MetadataSource, metadata_for
from pyjolt.database.sql.readonly import make_readonly, readonly_connection, readonly_engine_options
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension, ExtensionState, HealthCheck

__all__ = ["SqlDatabase", "SqlState", "resolve_database_url"]

R = TypeVar("R")


class SqlState(ExtensionState[SqlDatabaseConfig]):
    """One app's database: its resolved URL, and the engines and session factories."""

    def __init__(self, app: AppProtocol, config: SqlDatabaseConfig, url: URL) -> None:
        super().__init__(app, config)
        self.url = url
        self.engine: AsyncEngine | None = None
        self.sessionmaker: async_sessionmaker[AsyncSession] | None = None
        #: the read-only pool and its sessions (None: read-only per use, see readonly.py)
        self.readonly_engine: AsyncEngine | None = None
        self.readonly_sessionmaker: async_sessionmaker[AsyncSession] | None = None
        #: the shutdown disposed of the engines (a start-up makes new ones)
        self.disposed = False


class SqlDatabase(BaseExtension[SqlDatabaseConfig]):
    """An SQL database reached through SQLAlchemy's asyncio engine.

    Config keys (section ``SQL_DATABASE`` unless ``configs_name`` says otherwise):
        DATABASE_URI: async URL (``sqlite+aiosqlite:///./app.db``,
            ``postgresql+asyncpg://user:pass@host/db``); required. A relative SQLite path
            (``sqlite+aiosqlite:///./app.db``) is taken from the app's ``BASE_PATH``, whatever
            folder the server or CLI is started from.
        NICE_NAME: display name of the database (admin pages, logs); default ``db_name``.
        SESSION_NAME: parameter name the session decorators inject (default ``"session"``).
        SHOW_SQL: log every SQL statement through the app logger (default False).
        POOL_SIZE, MAX_OVERFLOW, POOL_TIMEOUT, POOL_RECYCLE, POOL_PRE_PING, POOL_USE_LIFO,
            ECHO_POOL: connection pool options (SQLAlchemy's defaults when unset).
        CONNECT_ARGS: extra arguments for the driver's connect(); ENGINE_OPTIONS: extra
            keyword arguments for ``create_async_engine``.
        EXPIRE_ON_COMMIT (default False), AUTOFLUSH (default True): session options.
        MAX_PER_PAGE: upper bound of ``per_page`` in ``AsyncQuery.paginate`` (default 100).
        CHECK_ON_STARTUP: open one connection at start-up so a bad URL fails the start.
        ALEMBIC_MIGRATION_DIR, ALEMBIC_DATABASE_URI_SYNC: read by ``Migrate``.

    The build checks the URL and its driver; the engines are made at start-up (or when
    ``engine`` is first asked for after the build; they connect on first use), checked there
    and disposed of at ``shutdown``. Read-only sessions use a second pool whose connections are
    made read-only once, when they open (``pyjolt.database.sql.readonly``), so they cost no
    extra statement per request. One instance serves several apps: each app has its own URL,
    engines and sessions.
    """

    default_configs_name: ClassVar[str] = "SQL_DATABASE"
    config_model = SqlDatabaseConfig

    def __init__(
        self,
        db_name: str = DEFAULT_DB_NAME,
        configs_name: str | None = None,
        *,
        variable_prefix: str | None = None,
        session_name: str | None = None,
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        self.db_name = db_name
        self._session_name = session_name
        self._wrappers = SessionWrappers()

    def __repr__(self) -> str:
        return f"<SqlDatabase {self.db_name!r} ({self.configs_name})>"

    # -- configuration ------------------------------------------------------------------------

    def init_app(self, app: AppProtocol) -> None:
        """Validate the section, resolve the URL, register with ``app``, make the engines."""
        raw = self.read_section(app)
        if not raw.get("DATABASE_URI"):
            raise ConfigurationError(
                f"{self.configs_name}['DATABASE_URI'] is required by "
                f"SqlDatabase({self.db_name!r}): "
                f"set e.g. {self.configs_name} = {{'DATABASE_URI': 'sqlite+aiosqlite:///./app.db'}}"
            )
        super().init_app(app)
        self._wrappers.rename(self.session_name)
        # the engines are made at start-up, or before when first asked for (`db.engine` after
        # the build: an admin or a mounting app can take them then); they connect on first use

    def make_state(self, app: AppProtocol, config: SqlDatabaseConfig) -> SqlState:
        url = resolve_database_url(config.DATABASE_URI, self.configs_name, app.root_path)
        check_async_driver(url, self.configs_name)
        return SqlState(app, config, url)

    def _state(self, app: AppProtocol | None = None) -> SqlState:
        return self._state_as(SqlState, app)

    def _config_or_none(self) -> SqlDatabaseConfig | None:
        app = self._current_app_or_none()
        return self._state(app).config if app is not None else None

    def dependencies(self, config: SqlDatabaseConfig) -> list[Requirement]:
        """The async driver that ``DATABASE_URI`` names (asyncpg, aiosqlite, aiomysql...)."""
        scheme = config.DATABASE_URI.partition("://")[0]
        driver = driver_requirement(scheme, f"{self.configs_name}['DATABASE_URI'] {scheme}")
        return [*self.requires, *([driver] if driver else [])]

    @property
    def session_name(self) -> str:
        """The parameter name the session decorators inject."""
        config = self._config_or_none()
        if config is not None and (
            "SESSION_NAME" in config.model_fields_set or not self._session_name
        ):
            return config.SESSION_NAME
        return self._session_name or "session"

    @property
    def nice_name(self) -> str:
        """The display name: ``NICE_NAME``, else ``db_name``."""
        config = self._config_or_none()
        return (config.NICE_NAME if config is not None else None) or self.db_name

    @property
    def url(self) -> URL:
        """The resolved database URL (render with ``hide_password`` before logging it)."""
        return self._state().url

    def url_for_app(self, app: AppProtocol) -> URL:
        """The resolved database URL of ``app``."""
        return self._state(app).url

    @property
    def dialect_name(self) -> str:
        return self.url.get_backend_name()

    def models_metadata(self) -> list[MetaData]:
        """``MetaData`` of this database's models: from ``MODELS`` or every base of ``db_name``."""
        return metadata_for(self.db_name, self.app.models)

    # -- lifecycle ------------------------------------------------------------------------------

    def engine_options(self, config: SqlDatabaseConfig | None = None) -> dict[str, Any]:
        """Keyword arguments for ``create_async_engine`` built from ``config`` (default: the
        current app's)."""
        return engine_options(config if config is not None else self.config)

    def _create_engine(self, state: SqlState, options: dict[str, Any]) -> AsyncEngine:
        logger = state.app.logger if state.config.SHOW_SQL else None
        return create_engine(
            state.url, options, configs_name=self.configs_name, db_name=self.db_name,
            sql_logger=logger,
        )  # fmt: skip

    def _make_sessionmaker(
        self, config: SqlDatabaseConfig, engine: AsyncEngine
    ) -> async_sessionmaker[AsyncSession]:
        return make_sessionmaker(config, engine, self.configs_name)

    def _open_engines(self, state: SqlState) -> None:
        """Create the engines (read-write and read-only pools) and the session factories."""
        if state.engine is not None:
            return
        config = state.config
        options = self.engine_options(config)
        engine = self._create_engine(state, options)
        readonly_options = readonly_engine_options(state.url, options)
        if readonly_options is not None:
            readonly = self._create_engine(state, readonly_options)
            make_readonly(readonly)
            state.readonly_engine = readonly
            state.readonly_sessionmaker = self._make_sessionmaker(config, readonly)
        state.engine = engine
        state.sessionmaker = self._make_sessionmaker(config, engine)

    async def startup(self) -> None:
        """Make the engines (or use those made when first asked for after the build); with
        ``CHECK_ON_STARTUP`` open one connection so a bad URL fails the start."""
        state = self._state()
        state.disposed = False
        self._open_engines(state)
        engine = self.engine
        if state.config.CHECK_ON_STARTUP:
            async with engine.connect():
                pass
        state.app.logger.debug(
            "SqlDatabase {!r} engine ready: {}",
            self.db_name,
            state.url.render_as_string(hide_password=True),
        )

    async def shutdown(self) -> None:
        """Dispose of the engines (closes pooled connections)."""
        state = self._state()
        state.disposed = True
        engine, state.engine, state.sessionmaker = state.engine, None, None
        readonly, state.readonly_engine = state.readonly_engine, None
        state.readonly_sessionmaker = None
        for one in (engine, readonly):
            if one is not None:
                await one.dispose()

    def health_checks(self) -> dict[str, HealthCheck]:
        """``sql:<configs_name>``: one ``SELECT 1`` through the pool."""
        return {f"sql:{self.configs_name}": self._ping}

    async def _ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")

    @property
    def engine(self) -> AsyncEngine:
        """The ``AsyncEngine``: made at start-up or when first asked for after the build,
        disposed of at shutdown (a later start-up makes a new one)."""
        state = self._state()
        if state.engine is None and not state.disposed:
            self._open_engines(state)
        engine = state.engine
        if engine is None:
            raise RuntimeError(
                f"{self!r} has no engine: it was disposed of at the app's shutdown; "
                "run inside the app (server, PyJoltTestClient or CLI)"
            )
        return engine

    @property
    def readonly_engine(self) -> AsyncEngine:
        """The engine of the read-only pool (the main engine for databases without one)."""
        engine = self.engine  # first: makes the engines when they are not made yet
        return self._state().readonly_engine or engine

    def _metadata(self, models: tuple[MetadataSource, ...]) -> list[MetaData]:
        if not models:
            return self.models_metadata()
        found: dict[int, MetaData] = {}
        for model in models:
            metadata = cast(MetaData, getattr(model, "metadata", model))
            found.setdefault(id(metadata), metadata)
        return list(found.values())

    async def create_all(self, *models: MetadataSource) -> None:
        """Create missing tables of ``models`` (bases, models or ``MetaData``; default: all).

        Handy in tests and small apps; use ``Migrate`` for schemas that evolve.
        """
        async with self.engine.begin() as connection:
            for metadata in self._metadata(models):
                await connection.run_sync(metadata.create_all)

    async def drop_all(self, *models: MetadataSource) -> None:
        """Drop the tables of ``models`` (bases, models or ``MetaData``; default: all)."""
        async with self.engine.begin() as connection:
            for metadata in self._metadata(models):
                await connection.run_sync(metadata.drop_all)

    # -- sessions -------------------------------------------------------------------------------

    def create_session(self, **options: Any) -> AsyncSession:
        """A new ``AsyncSession``; the caller must close it (prefer the decorators)."""
        self.engine  # noqa: B018 - makes the engines, or raises the explanatory error
        factory = self._state().sessionmaker
        assert factory is not None
        return factory(**options)

    @asynccontextmanager
    async def session_scope(self) -> AsyncIterator[AsyncSession]:
        """``async with db.session_scope() as s``: commit on success, roll back on error, close."""
        session = self.create_session()
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        finally:
            await session.close()

    @asynccontextmanager
    async def readonly_scope(self) -> AsyncIterator[AsyncSession]:
        """``async with db.readonly_scope() as s``: a session whose writes fail; never commits.

        The session takes a connection of the read-only pool at its first statement.
        """
        engine = self.engine  # first: makes the engines when they are not made yet
        readonly_factory = self._state().readonly_sessionmaker
        if readonly_factory is not None:
            session = readonly_factory()
            try:
                yield session
            finally:
                await session.close()
            return
        async with readonly_connection(engine) as connection:
            session = self.create_session(bind=connection, join_transaction_mode="rollback_only")
            try:
                yield session
            finally:
                await session.close()

    def managed_session(
        self, fn: Callable[..., Awaitable[R]]
    ) -> Callable[..., Coroutine[Any, Any, R]]:
        """Inject a session under ``SESSION_NAME``: commit on return, roll back on any error.

        Works on controller handlers and on plain async functions. If the caller already passes
        a session under that name, the function joins it and the caller manages it.
        """
        return self._wrap(fn, readonly=False)

    @property
    def managed_session_for_cli(
        self,
    ) -> Callable[[Callable[..., Awaitable[R]]], Callable[..., Awaitable[R]]]:
        """PyJolt 0.111's decorator for CLI commands: ``managed_session`` that also starts the
        engine when nothing has (and stops it after). Deprecated: use ``@db.managed_session``;
        CLI commands run inside the app's lifespan, which starts the database."""
        from pyjolt.database.sql.legacy import managed_session_for_cli

        return managed_session_for_cli(self)

    def readonly_session(
        self, fn: Callable[..., Awaitable[R]]
    ) -> Callable[..., Coroutine[Any, Any, R]]:
        """Inject a read-only session under ``SESSION_NAME``: writes fail, nothing is committed."""
        return self._wrap(fn, readonly=True)

    def _wrap(
        self, fn: Callable[..., Awaitable[R]], *, readonly: bool
    ) -> Callable[..., Coroutine[Any, Any, R]]:
        scope = self.readonly_scope if readonly else self.session_scope
        kind = "readonly_session" if readonly else "managed_session"
        return self._wrappers.wrap(fn, scope, self.session_name, kind=kind)
