"""The ``NOSQL_DATABASE`` config section (backends are built from it)."""

from __future__ import annotations

from typing import Annotated

from pydantic import field_validator, model_validator

from pyjolt.database.nosql.backends.base import AsyncNoSqlBackendBase
from pyjolt.extension import ExtensionConfig
from pyjolt.registry import ImportString


class NoSqlDatabaseConfig(ExtensionConfig):
    """The ``NOSQL_DATABASE`` section."""

    BACKEND: Annotated[
        type[AsyncNoSqlBackendBase],
        ImportString(
            "an AsyncNoSqlBackendBase subclass, e.g. 'pyjolt.database.nosql.backends:MongoBackend'",
            lambda obj: isinstance(obj, type) and issubclass(obj, AsyncNoSqlBackendBase),
        ),
    ]
    DATABASE_URI: str | None = None
    DATABASE: str | None = None
    DB_INJECT_NAME: str = "db"
    SESSION_NAME: str = "session"

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
