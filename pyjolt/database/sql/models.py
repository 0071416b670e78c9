"""Declarative bases: models belong to the database their base names.

A base is a class of its own (``class Base(SqlModel, DeclarativeBase)``, ``__db_name__`` naming
the database; what type checkers accept as a base class) or one ``create_declarative_base``
makes (the spec's form).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Self, TypeAlias

from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, registry

from pyjolt.database.sql.query import AsyncQuery

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

DEFAULT_DB_NAME = "db"

# Every base created for a database name; weak so that bases built in tests can be collected.
_BASES: dict[str, weakref.WeakSet[type[SqlModel]]] = {}


class SqlModel(AsyncAttrs):
    """Mixin of every declarative base: ``query``, ``__db_name__`` and SQLAlchemy's ``AsyncAttrs``.

    A base of the database ``"db"`` that type checkers accept as a base class::

        class Base(SqlModel, DeclarativeBase):
            __db_name__ = "db"  # the default; the name of the SqlDatabase

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)

    Each such base has its own ``MetaData``; use one base for all the models of a database.
    """

    __db_name__: ClassVar[str] = DEFAULT_DB_NAME
    metadata: ClassVar[MetaData]
    registry: ClassVar[registry]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # a direct subclass of DeclarativeBase is a base (the abstract legacy one registers
        # its own subclasses); models and other subclasses are not
        if DeclarativeBase in cls.__bases__ and not cls.__dict__.get("__abstract__", False):
            register_base(_checked_db_name(cls.__db_name__, f"{cls.__name__}.__db_name__"), cls)

    @classmethod
    def query(cls, session: AsyncSession) -> AsyncQuery[Self]:
        """An ``AsyncQuery`` over this model, run with ``session``."""
        return AsyncQuery(cls, session)


#: What ``SqlDatabase.create_all`` / ``drop_all`` take: a base, a model or a ``MetaData``.
MetadataSource: TypeAlias = type[SqlModel] | type[DeclarativeBase] | MetaData


def create_declarative_base(db_name: str = DEFAULT_DB_NAME) -> type[SqlModel]:
    """A new declarative base whose models belong to the database ``db_name``.

    Each call returns a new base with its own ``MetaData``; use one base for all the models
    of a database. The models get ``Model.query(session)`` and SQLAlchemy's ``AsyncAttrs``
    (``await user.awaitable_attrs.posts``).

    Example::

        Base = create_declarative_base("db")

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)

    Type checkers do not accept a variable as a base class: for ``mypy --strict`` write the
    base as a class (see ``SqlModel``; it behaves the same), or enable ``pyjolt.mypy_plugin``.
    """
    _checked_db_name(db_name, "create_declarative_base(db_name): db_name")
    # registered by SqlModel.__init_subclass__
    return type(
        "Base",
        (SqlModel, DeclarativeBase),
        {
            "__db_name__": db_name,
            "__module__": __name__,
            "__doc__": f"Models of database {db_name!r}.",
        },
    )


def _checked_db_name(db_name: object, what: str) -> str:
    if not isinstance(db_name, str) or not db_name:
        raise ValueError(f"{what} must be a non-empty string")
    return db_name


def register_base(db_name: str, base: type[SqlModel]) -> None:
    """Record a class whose ``metadata`` holds models of ``db_name`` (see ``bases_for``)."""
    _BASES.setdefault(db_name, weakref.WeakSet()).add(base)


#: The spec's spelling.
create_declerative_base = create_declarative_base


def bases_for(db_name: str) -> list[type[SqlModel]]:
    """The live bases created for ``db_name`` (in no particular order)."""
    return list(_BASES.get(db_name, ()))


def db_name_of(model: object) -> str | None:
    """The database a model or base belongs to, or None for anything else."""
    if isinstance(model, type) and issubclass(model, SqlModel):
        return model.__db_name__
    return None


def metadata_for(db_name: str, models: Iterable[object] = ()) -> list[MetaData]:
    """The ``MetaData`` of ``db_name``: from the listed models, else every base of that database."""
    found: dict[int, MetaData] = {}
    for model in models:
        if isinstance(model, type) and issubclass(model, SqlModel) and model.__db_name__ == db_name:
            found.setdefault(id(model.metadata), model.metadata)
    if not found:
        for base in bases_for(db_name):
            found.setdefault(id(base.metadata), base.metadata)
    return list(found.values())
