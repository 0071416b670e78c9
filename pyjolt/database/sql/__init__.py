"""SQL databases with SQLAlchemy's asyncio API: the ``SqlDatabase`` extension, models, queries.

Needs the ``db`` extra (``pip install "pyjolt[db]"``; add ``postgres`` for asyncpg).
"""

from __future__ import annotations

from pyjolt._internal.deprecation import deprecated_names
from pyjolt._internal.imports import optional_import

optional_import("sqlalchemy.ext.asyncio", "db")

from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from pyjolt.database.sql.config import SqlDatabaseConfig  # noqa: E402
from pyjolt.database.sql.extension import SqlDatabase  # noqa: E402
from pyjolt.database.sql.models import (  # noqa: E402
    SqlModel,
    create_declarative_base,
    create_declerative_base,
)
from pyjolt.database.sql.query import AsyncQuery, PaginationError, QueryError  # noqa: E402

__all__ = [
    "AsyncQuery",
    "AsyncSession",
    "PaginationError",
    "QueryError",
    "SqlDatabase",
    "SqlDatabaseConfig",
    "SqlModel",
    "create_declarative_base",
    "create_declerative_base",
]


def _declarative_base_model() -> type:
    from pyjolt.database.sql.legacy import DeclarativeBaseModel

    return DeclarativeBaseModel


# PyJolt 0.111's names: served with a DeprecationWarning naming the current way.
__getattr__ = deprecated_names(
    __name__,
    {
        "DeclarativeBaseModel": (
            _declarative_base_model,
            "write `Base = create_declarative_base('db')` once per database and subclass Base",
        )
    },
)
