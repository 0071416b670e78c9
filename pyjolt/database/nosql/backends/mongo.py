"""MongoDB backend on PyMongo's async API (``AsyncMongoClient``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from pyjolt._internal.dependencies import Requirement
from pyjolt._internal.imports import optional_import
from pyjolt.database.nosql.backends.base import (
    AsyncNoSqlBackendBase,
    Document,
    Pipeline,
    SortSpec,
)
from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.database.nosql.config import NoSqlDatabaseConfig

#: Collection a transaction probe reads from at start-up (never written).
_PROBE_COLLECTION = "__pyjolt_transaction_probe__"


def database_from_uri(uri: str) -> str | None:
    """The default database in a MongoDB URI's path (``mongodb://host/<db>?opts``), if any."""
    _, sep, rest = uri.partition("://")
    if not sep:
        return None
    _, slash, path = rest.partition("/")
    name = path.partition("?")[0] if slash else ""
    return name or None


class MongoBackend(AsyncNoSqlBackendBase):
    """MongoDB through ``pymongo.AsyncMongoClient`` (install ``pyjolt[mongo]``).

    Reads ``DATABASE_URI`` (required) and ``DATABASE`` (default: the database in the URI's
    path) from the ``NOSQL_DATABASE`` section. Client options go in the URI query string.
    At ``connect`` it pings the server and probes whether multi-document transactions work
    (replica sets and sharded clusters: yes; a standalone ``mongod``: no).
    """

    #: checked when the app is built (a missing pymongo names ``pip install "pyjolt[mongo]"``)
    requires = (Requirement("pymongo", "mongo"),)

    def __init__(self, uri: str, database: str, **client_options: Any) -> None:
        self.uri = uri
        self.database_name = database
        self.client_options = client_options
        self._client: Any = None
        self._db: Any = None
        self._transactions = False

    @classmethod
    def from_config(
        cls,
        config: NoSqlDatabaseConfig,
        section: str,
        *,
        app: AppProtocol,
        variable_prefix: str,
    ) -> MongoBackend:
        uri = config.DATABASE_URI
        if not uri:
            raise ConfigurationError(
                f"{section}['DATABASE_URI'] is required by MongoBackend: set it to a "
                "connection string such as 'mongodb://127.0.0.1:27017/mydb'"
            )
        database = config.DATABASE or database_from_uri(uri)
        if not database:
            raise ConfigurationError(
                f"{section}['DATABASE'] is not set and DATABASE_URI names no database: "
                "set DATABASE or add '/<database>' to the URI"
            )
        return cls(uri, database)

    @classmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> AsyncNoSqlBackendBase:
        return cls.from_registered_database(app, variable_prefix)

    # -- lifecycle -------------------------------------------------------------------------

    async def connect(self) -> None:
        pymongo = optional_import("pymongo", "mongo")
        if self._client is not None:
            return
        client = pymongo.AsyncMongoClient(self.uri, **self.client_options)
        try:
            await client.admin.command("ping")
            self._db = client.get_database(self.database_name)
            self._client = client
            self._transactions = await self._probe_transactions()
        except BaseException:
            self._client = self._db = None
            await client.close()
            raise

    async def _probe_transactions(self) -> bool:
        """Run a read in a transaction: a standalone server refuses it (IllegalOperation)."""
        errors = optional_import("pymongo.errors", "mongo")
        try:
            async with (
                self._client.start_session() as session,
                await session.start_transaction(),
            ):
                await self._db[_PROBE_COLLECTION].find_one({}, session=session)
        except (errors.OperationFailure, errors.ConfigurationError):
            return False
        return True

    async def ping(self) -> None:
        await self.client.admin.command("ping")

    async def disconnect(self) -> None:
        client, self._client, self._db = self._client, None, None
        self._transactions = False
        if client is not None:
            await client.close()

    @property
    def client(self) -> Any:
        """The ``AsyncMongoClient`` (raises when not connected)."""
        if self._client is None:
            raise RuntimeError("MongoBackend is not connected: was the application started?")
        return self._client

    def database_handle(self) -> Any:
        """The ``AsyncDatabase`` named by ``DATABASE``."""
        self.client  # noqa: B018 - raises when not connected
        return self._db

    def supports_transactions(self) -> bool:
        return self._transactions

    async def start_session(self) -> Any:
        """A new ``AsyncClientSession`` (the caller ends it), or None without transactions."""
        if not self._transactions:
            return None
        return self.client.start_session()

    async def with_transaction(
        self, fn: Callable[..., Any], *args: Any, session: Any = None, **kwargs: Any
    ) -> Any:
        if not self._transactions:
            return await _maybe_await(fn(*args, session=None, **kwargs))
        own = session is None
        if own:
            session = self.client.start_session()
        try:
            async with await session.start_transaction():
                return await _maybe_await(fn(*args, session=session, **kwargs))
        finally:
            if own:
                await session.end_session()

    # -- data ------------------------------------------------------------------------------

    def get_collection(self, name: str) -> Any:
        """The ``AsyncCollection`` ``name``."""
        return self.database_handle()[name]

    async def find_one(
        self, collection: str, filter: Document, *, session: Any = None, **kwargs: Any
    ) -> Any:
        return await self.get_collection(collection).find_one(filter, session=session, **kwargs)

    async def find_many(
        self,
        collection: str,
        filter: Document | None = None,
        *,
        session: Any = None,
        limit: int | None = None,
        skip: int | None = None,
        sort: SortSpec | None = None,
        **kwargs: Any,
    ) -> list[Any]:
        cursor = self.get_collection(collection).find(filter or {}, session=session, **kwargs)
        if sort is not None:
            cursor = cursor.sort(list(sort))
        if skip:
            cursor = cursor.skip(skip)
        if limit:
            cursor = cursor.limit(limit)
        docs: list[Any] = await cursor.to_list()
        return docs

    async def insert_one(
        self, collection: str, doc: Document, *, session: Any = None, **kwargs: Any
    ) -> Any:
        # PyMongo adds "_id" to the mapping it gets: insert a copy, leave the caller's intact.
        return await self.get_collection(collection).insert_one(
            dict(doc), session=session, **kwargs
        )

    async def insert_many(
        self, collection: str, docs: Iterable[Document], *, session: Any = None, **kwargs: Any
    ) -> Any:
        return await self.get_collection(collection).insert_many(
            [dict(doc) for doc in docs], session=session, **kwargs
        )

    async def update_one(
        self,
        collection: str,
        filter: Document,
        update: Document,
        *,
        upsert: bool = False,
        session: Any = None,
        **kwargs: Any,
    ) -> Any:
        return await self.get_collection(collection).update_one(
            filter, update, upsert=upsert, session=session, **kwargs
        )

    async def delete_one(
        self, collection: str, filter: Document, *, session: Any = None, **kwargs: Any
    ) -> Any:
        return await self.get_collection(collection).delete_one(filter, session=session, **kwargs)

    async def aggregate(
        self, collection: str, pipeline: Pipeline, *, session: Any = None, **kwargs: Any
    ) -> list[Any]:
        cursor = await self.get_collection(collection).aggregate(
            list(pipeline), session=session, **kwargs
        )
        docs: list[Any] = await cursor.to_list()
        return docs

    async def execute_raw(self, *args: Any, **kwargs: Any) -> Any:
        """Run a database command, or call a function with the database.

        ``execute_raw({"collMod": "users", ...})`` / ``execute_raw("ping")`` runs
        ``AsyncDatabase.command(*args, **kwargs)`` (``session=`` accepted);
        ``execute_raw(fn, *rest)`` awaits ``fn(database, *rest, **kwargs)``, e.g.
        ``execute_raw(lambda db: db.users.bulk_write([...]))``.
        """
        if not args:
            raise TypeError("execute_raw() needs a command (str or mapping) or a callable")
        first, rest = args[0], args[1:]
        if callable(first):
            return await _maybe_await(first(self.database_handle(), *rest, **kwargs))
        return await self.database_handle().command(first, *rest, **kwargs)


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value
