"""The interface every NoSQL backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.database.nosql.config import NoSqlDatabaseConfig

#: Name of the config section, after the variable prefix (``MY_PREFIX_NOSQL_DATABASE``).
SECTION_NAME = "NOSQL_DATABASE"

#: A document, a query filter or an update: field names to values.
Document: TypeAlias = Mapping[str, Any]
#: An aggregation pipeline: its stages, in order.
Pipeline: TypeAlias = Iterable[Document]
#: A sort order: ``(field, 1)`` ascending, ``(field, -1)`` descending.
SortSpec: TypeAlias = Iterable[tuple[str, int]]


class AsyncNoSqlBackendBase(ABC):
    """Minimal async adapter interface a backend must implement.

    Write results follow PyMongo's result objects: ``insert_one`` returns an object with
    ``inserted_id``, ``insert_many`` one with ``inserted_ids``, ``update_one`` one with
    ``matched_count``, ``modified_count`` and ``upserted_id``, ``delete_one`` one with
    ``deleted_count``. Documents are mappings; ``find_many`` and ``aggregate`` return lists.
    """

    @classmethod
    @abstractmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> AsyncNoSqlBackendBase:
        """Build the backend from the app's config (the spec's entry point for user backends).

        Raise ``ConfigurationError`` naming the key when the config is wrong;
        ``NoSqlDatabase.settings_for(app, variable_prefix)`` gives the validated section.
        """

    @classmethod
    def from_config(
        cls,
        config: NoSqlDatabaseConfig,
        section: str,
        *,
        app: AppProtocol,
        variable_prefix: str,
    ) -> AsyncNoSqlBackendBase:
        """Build the backend from its validated section (what ``NoSqlDatabase`` calls).

        ``section`` names the config section in error messages. Built-in backends construct
        themselves from ``config``; the default hands over to ``configure_from_app``.
        """
        return cls.configure_from_app(app, variable_prefix)

    @classmethod
    def from_registered_database(
        cls, app: AppProtocol, variable_prefix: str
    ) -> AsyncNoSqlBackendBase:
        """``from_config`` with the section of the ``NoSqlDatabase`` registered on ``app``
        for ``variable_prefix`` (how built-in backends implement ``configure_from_app``)."""
        from pyjolt.database.nosql.extension import NoSqlDatabase

        state = NoSqlDatabase.registered_state(app, variable_prefix)
        section = f"{variable_prefix}{SECTION_NAME}"
        return cls.from_config(state.config, section, app=app, variable_prefix=variable_prefix)

    @abstractmethod
    async def connect(self) -> None:
        """Open clients and pools (called at application start-up)."""

    async def ping(self) -> None:  # noqa: B027 - optional hook
        """Raise when the server does not answer (readiness check)."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Close what ``connect`` opened (called at application shutdown)."""

    @abstractmethod
    def database_handle(self) -> Any:
        """Return an object representing the 'database' to use inside handlers.

        For backends without a database concept, return a client/root handle.
        """

    @abstractmethod
    def supports_transactions(self) -> bool:
        """Whether ``start_session`` / ``with_transaction`` give multi-operation transactions."""

    @abstractmethod
    async def start_session(self) -> Any:
        """Return a session/context object usable in transactions (or None if unsupported)."""

    @abstractmethod
    async def with_transaction(
        self, fn: Callable[..., Any], *args: Any, session: Any = None, **kwargs: Any
    ) -> Any:
        """Execute fn inside a transaction if supported; otherwise call fn directly.

        ``fn`` is awaited as ``fn(*args, session=session, **kwargs)``; with transactions the
        transaction is committed when it returns and aborted when it raises.
        """

    @abstractmethod
    def get_collection(self, name: str) -> Any:
        """Return the backend's native collection handle."""

    @abstractmethod
    async def find_one(
        self, collection: str, filter: Document, *, session: Any = None, **kwargs: Any
    ) -> Any:
        """The first document matching ``filter``, or None."""

    @abstractmethod
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
        """Documents matching ``filter`` (all when None), sorted, skipped and limited."""

    @abstractmethod
    async def insert_one(
        self, collection: str, doc: Document, *, session: Any = None, **kwargs: Any
    ) -> Any:
        """Insert one document; the result has ``inserted_id``."""

    @abstractmethod
    async def insert_many(
        self, collection: str, docs: Iterable[Document], *, session: Any = None, **kwargs: Any
    ) -> Any:
        """Insert documents; the result has ``inserted_ids``."""

    @abstractmethod
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
        """Update the first match; the result has ``matched_count``, ``modified_count``,
        ``upserted_id``."""

    @abstractmethod
    async def delete_one(
        self, collection: str, filter: Document, *, session: Any = None, **kwargs: Any
    ) -> Any:
        """Delete the first match; the result has ``deleted_count``."""

    @abstractmethod
    async def aggregate(
        self, collection: str, pipeline: Pipeline, *, session: Any = None, **kwargs: Any
    ) -> list[Any]:
        """Run an aggregation pipeline and return all resulting documents."""

    @abstractmethod
    async def execute_raw(self, *args: Any, **kwargs: Any) -> Any:
        """Backend escape hatch for commands that don't fit the generic surface.

        For MongoDB, this could be db.command(...), collection.bulk_write(...), etc.
        """
