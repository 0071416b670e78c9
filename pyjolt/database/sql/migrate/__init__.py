"""Alembic migrations for ``SqlDatabase``: the ``Migrate`` extension and its ``db-*`` commands."""

from __future__ import annotations

from pyjolt.database.sql.migrate.environment import MigrationEnvironment
from pyjolt.database.sql.migrate.extension import Migrate

__all__ = ["Migrate", "MigrationEnvironment"]
