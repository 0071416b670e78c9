"""The ``NOSQL_DATABASE`` config section (backends are built from it)."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator, model_validator

from pyjolt._internal.imports import ImportStringError, import_string
from pyjolt.database.nosql.backends.base import AsyncNoSqlBackendBase
from pyjolt.extension import ExtensionConfig


class NoSqlDatabaseConfig(ExtensionConfig):
    """The ``NOSQL_DATABASE`` section."""

    BACKEND: type[AsyncNoSqlBackendBase]
    DATABASE_URI: str | None = None
    DATABASE: str | None = None
    DB_INJECT_NAME: str = "db"
    SESSION_NAME: str = "session"

    @field_validator("BACKEND", mode="before")
    @classmethod
    def _resolve_backend(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = import_string(value)
            except ImportStringError as exc:
                raise ValueError(str(exc)) from exc
        if not (isinstance(value, type) and issubclass(value, AsyncNoSqlBackendBase)):
            raise ValueError(
                "BACKEND must be a subclass of AsyncNoSqlBackendBase (or an import string "
                "naming one), e.g. 'pyjolt.database.nosql.backends:MongoBackend'"
            )
        return value

    @field_validator("DB_INJECT_NAME", "SESSION_NAME")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"{value!r} is not a valid parameter name")
        return value

    @model_validator(mode="after")
    def _distinct_names(self) -> NoSqlDatabaseConfig:
        if self.DB_INJECT_NAME == self.SESSION_NAME:
            raise ValueError("DB_INJECT_NAME and SESSION_NAME must differ")
        return self
