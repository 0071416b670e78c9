"""The ``SQL_DATABASE`` config section (what ``SqlDatabase`` validates for each app)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from pyjolt.extension import ExtensionConfig


class SqlDatabaseConfig(ExtensionConfig):
    """The ``SQL_DATABASE`` section (or the section named by ``configs_name``)."""

    DATABASE_URI: str = Field(description="Async URL, e.g. sqlite+aiosqlite:///./app.db")
    NICE_NAME: str | None = Field(None, description="Display name of the database")
    SESSION_NAME: str = "session"
    SHOW_SQL: bool = False
    POOL_SIZE: int | None = Field(None, ge=1)
    MAX_OVERFLOW: int | None = Field(None, ge=-1)
    POOL_TIMEOUT: float | None = Field(None, gt=0)
    POOL_RECYCLE: int | None = None
    POOL_PRE_PING: bool = False
    POOL_USE_LIFO: bool = False
    ECHO_POOL: bool = False
    CONNECT_ARGS: dict[str, Any] = Field(default_factory=dict)
    ENGINE_OPTIONS: dict[str, Any] = Field(default_factory=dict)
    EXPIRE_ON_COMMIT: bool = False
    AUTOFLUSH: bool = True
    MAX_PER_PAGE: int = Field(100, ge=1)
    CHECK_ON_STARTUP: bool = False
    ALEMBIC_MIGRATION_DIR: str | None = None
    ALEMBIC_DATABASE_URI_SYNC: str | None = None

    @field_validator("SESSION_NAME")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError("SESSION_NAME must be a valid Python parameter name")
        return value
