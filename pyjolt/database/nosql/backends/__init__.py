"""NoSQL backends: the abstract interface and the MongoDB implementation."""

from __future__ import annotations

from pyjolt.database.nosql.backends.base import AsyncNoSqlBackendBase
from pyjolt.database.nosql.backends.mongo import MongoBackend

__all__ = ["AsyncNoSqlBackendBase", "MongoBackend"]
