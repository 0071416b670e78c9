"""``DeclarativeBaseModel``: PyJolt 0.111's declarative base, kept so its models run unchanged.

New code uses ``Base = create_declarative_base("db")``; importing this name warns.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from pyjolt._internal.deprecation import warn_deprecated
from pyjolt.database.sql.models import SqlModel, register_base

if TYPE_CHECKING:
    from pyjolt.database.sql.extension import SqlDatabase

R = TypeVar("R")

# One MetaData per database for models that subclass DeclarativeBaseModel directly; an
# abstract per-database base (``__abstract__ = True`` with ``__db_name__``) gets its own.
_METADATA: weakref.WeakValueDictionary[str, MetaData] = weakref.WeakValueDictionary()


class DeclarativeBaseModel(SqlModel, DeclarativeBase):
    """PyJolt 0.111's abstract declarative base; models name their database in ``__db_name__``.

    A concrete model must define ``__db_name__`` (itself or through an abstract base of its
    own): a ``TypeError`` at class creation otherwise. ``__db_configs_name__`` may name the
    database's config section. The models of each database get their own ``MetaData``, so
    ``create_all`` and migrations of one database never see another's tables. ``Meta`` holds
    0.111's admin form options (spellings kept).

    Deprecated: write ``Base = create_declarative_base("db")`` once per database and subclass
    ``Base``; models then need no ``__db_name__``.
    """

    __abstract__ = True
    __db_configs_name__: ClassVar[str | None] = None

    class Meta:
        """Admin dashboard options of 0.111 (read by admin integrations, if any)."""

        exclude_from_create_form: ClassVar[list[str]] = []
        exclude_from_update_form: ClassVar[list[str]] = []
        exclude_from_table: ClassVar[list[str]] = []
        add_to_form: ClassVar[dict[str, Any]] = {}
        custom_labels: ClassVar[dict[str, str]] = {}
        custom_form_fields: ClassVar[list[Any]] = []
        form_fields_order: ClassVar[list[str] | None] = None
        create_validation_shema: ClassVar[type[BaseModel] | None] = None
        update_validation_shema: ClassVar[type[BaseModel] | None] = None

    def __init__(self, **kwargs: object) -> None:
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __init_subclass__(cls, **kwargs: object) -> None:
        db_name = _declared_db_name(cls)
        abstract = bool(cls.__dict__.get("__abstract__", False))
        if db_name is None and not abstract:
            raise TypeError(
                f"{cls.__name__} must define __db_name__ (the SqlDatabase it belongs to, e.g. "
                "__db_name__ = 'db'); or use Base = create_declarative_base('db')"
            )
        if db_name is not None and "metadata" not in cls.__dict__:
            inherited = cls.metadata
            if abstract and "__db_name__" in cls.__dict__:
                cls.metadata = MetaData()
            elif inherited is DeclarativeBaseModel.metadata:
                shared = _METADATA.get(db_name)
                if shared is None:
                    shared = MetaData()
                    _METADATA[db_name] = shared
                cls.metadata = shared
        super().__init_subclass__(**kwargs)
        if db_name is not None:
            register_base(db_name, cls)


def _declared_db_name(cls: type) -> str | None:
    """``__db_name__`` set by the class or a base below DeclarativeBaseModel (not the default)."""
    for klass in cls.__mro__:
        if klass is DeclarativeBaseModel:
            return None
        value = klass.__dict__.get("__db_name__")
        if isinstance(value, str) and value:
            return value
    return None


def managed_session_for_cli(
    db: SqlDatabase,
) -> Callable[[Callable[..., Awaitable[R]]], Callable[..., Awaitable[R]]]:
    """``db.managed_session_for_cli``: ``db.managed_session``, starting the engine if needed."""
    warn_deprecated(
        "db.managed_session_for_cli",
        "use @db.managed_session: CLI commands run inside the app's lifespan, which connects "
        "the database",
        stacklevel=4,
    )

    def decorator(fn: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
        managed = db.managed_session(fn)

        @functools.wraps(managed)
        async def run(*args: Any, **kwargs: Any) -> R:
            try:
                db.engine  # noqa: B018 - raises when no lifespan has started the database
            except RuntimeError:
                await db.startup()
                try:
                    return await managed(*args, **kwargs)
                finally:
                    await db.shutdown()
            return await managed(*args, **kwargs)

        return run

    return decorator
