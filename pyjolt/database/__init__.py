"""Databases: SQL in ``pyjolt.database.sql``, NoSQL in ``pyjolt.database.nosql``.

The names below load lazily, so ``import pyjolt.database`` imports neither SQLAlchemy nor PyMongo.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyjolt.database.sql import (
        AsyncQuery,
        AsyncSession,
        PaginationError,
        SqlDatabase,
        create_declarative_base,
        create_declerative_base,
    )

_LAZY: dict[str, str] = {
    "AsyncQuery": "pyjolt.database.sql",
    "AsyncSession": "pyjolt.database.sql",
    "PaginationError": "pyjolt.database.sql",
    "SqlDatabase": "pyjolt.database.sql",
    "create_declarative_base": "pyjolt.database.sql",
    "create_declerative_base": "pyjolt.database.sql",
}

__all__ = [
    "AsyncQuery",
    "AsyncSession",
    "PaginationError",
    "SqlDatabase",
    "create_declarative_base",
    "create_declerative_base",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pyjolt.database' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
