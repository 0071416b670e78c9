"""Declarative bases: models belong to the database named by ``create_declarative_base``."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase

from pyjolt.database.sql.query import AsyncQuery

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

DEFAULT_DB_NAME = "db"

# Every base created for a database name; weak so that bases built in tests can be collected.
_BASES: dict[str, weakref.WeakSet[type[Any]]] = {}


class SqlModel(AsyncAttrs):
    """Mixin of every base ``create_declarative_base`` returns: ``query`` and ``__db_name__``."""

    __db_name__: ClassVar[str] = DEFAULT_DB_NAME
    metadata: ClassVar[MetaData]

    @classmethod
    def query(cls, session: AsyncSession) -> AsyncQuery[Self]:
        """An ``AsyncQuery`` over this model, run with ``session``."""
        return AsyncQuery(cls, session)


def create_declarative_base(db_name: str = DEFAULT_DB_NAME) -> Any:
    """A new declarative base whose models belong to the database ``db_name``.

    Each call returns a new base with its own ``MetaData``; use one base for all the models
    of a database. The models get ``Model.query(session)`` and SQLAlchemy's ``AsyncAttrs``
    (``await user.awaitable_attrs.posts``).

    Example::

        Base = create_declarative_base("db")

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
    """
    if not isinstance(db_name, str) or not db_name:
        raise ValueError("create_declarative_base(db_name): db_name must be a non-empty string")
    base = type(
        "Base",
        (SqlModel, DeclarativeBase),
        {
            "__db_name__": db_name,
            "__module__": __name__,
            "__doc__": f"Models of database {db_name!r}.",
        },
    )
    register_base(db_name, base)
    return base


def register_base(db_name: str, base: type[Any]) -> None:
    """Record a class whose ``metadata`` holds models of ``db_name`` (see ``bases_for``)."""
    _BASES.setdefault(db_name, weakref.WeakSet()).add(base)


#: The spec's spelling.
create_declerative_base = create_declarative_base


def bases_for(db_name: str) -> list[type[Any]]:
    """The live bases created for ``db_name`` (in no particular order)."""
    return list(_BASES.get(db_name, ()))


def db_name_of(model: Any) -> str | None:
    """The database a model or base belongs to, or None for anything else."""
    if isinstance(model, type) and issubclass(model, SqlModel):
        return model.__db_name__
    return None


def metadata_for(db_name: str, models: Iterable[Any] = ()) -> list[MetaData]:
    """The ``MetaData`` of ``db_name``: from the listed models, else every base of that database."""
    found: dict[int, MetaData] = {}
    for model in models:
        if db_name_of(model) == db_name:
            found.setdefault(id(model.metadata), model.metadata)
    if not found:
        for base in bases_for(db_name):
            found.setdefault(id(base.metadata), base.metadata)
    return list(found.values())
