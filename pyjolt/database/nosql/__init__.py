"""NoSQL databases: the ``NoSqlDatabase`` extension and its backends (MongoDB built in)."""

from __future__ import annotations

from pyjolt.database.nosql.backends.base import AsyncNoSqlBackendBase
from pyjolt.database.nosql.config import NoSqlDatabaseConfig
from pyjolt.database.nosql.extension import NoSqlDatabase

__all__ = ["AsyncNoSqlBackendBase", "NoSqlDatabase", "NoSqlDatabaseConfig"]
