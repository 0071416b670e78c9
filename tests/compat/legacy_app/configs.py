"""0.111-style config: sections typed with PyJolt's own config models and typed dicts."""

import os
from typing import Any

from pyjolt import BaseConfig
from pyjolt.database.sql import SqlDatabaseConfig
from pyjolt.email import EmailConfig
from pyjolt.logging import LoggerConfig

APP = "tests.compat.legacy_app"


class Config(BaseConfig):
    APP_NAME: str = "Legacy 0.111 app"
    VERSION: str = "1.0"
    BASE_PATH: str = os.path.dirname(__file__)  # the tests point it elsewhere (env BASE_PATH)
    DEBUG: bool = BaseConfig.value_to_bool(os.environ.get("LEGACY_APP_DEBUG", "False"))

    SQL_DATABASE: SqlDatabaseConfig = {  # type: ignore[assignment]
        "DATABASE_URI": "sqlite+aiosqlite:///./main.db",
        "NICE_NAME": "Main database",
        "SESSION_NAME": "session",
        "MAX_PER_PAGE": 500,
        "ALEMBIC_MIGRATION_DIR": "migrations",
        "ALEMBIC_DATABASE_URI_SYNC": "sqlite:///./main.db",
    }
    OTHER_DB: SqlDatabaseConfig = {  # type: ignore[assignment]
        "DATABASE_URI": "sqlite+aiosqlite:///./other.db",
        "NICE_NAME": "Audit log",
        "SESSION_NAME": "audit_session",
        "ALEMBIC_MIGRATION_DIR": "other_migrations",
        "ALEMBIC_DATABASE_URI_SYNC": "sqlite:///./other.db",
    }
    EMAIL_CLIENT: EmailConfig = {
        "SENDER_NAME_OR_ADDRESS": "Legacy <noreply@example.com>",
        "SMTP_SERVER": "127.0.0.1",
        "SMTP_PORT": 2525,
        "USE_TLS": False,
    }
    DEFAULT_LOGGER: LoggerConfig = {"LEVEL": "WARNING", "COLORIZE": False}
    AUTHENTICATION: dict[str, Any] = {"ACCEPT_LEGACY_COOKIES": True}

    EXTENSIONS: list[str] = [
        f"{APP}.extensions:db",
        f"{APP}.extensions:other_db",
        f"{APP}.extensions:migrate",
        f"{APP}.extensions:other_migrate",
        f"{APP}.extensions:email",
        f"{APP}.authentication:auth",
    ]
    MODELS: list[str] = [f"{APP}.models:User", f"{APP}.models:AuditEntry"]
    CONTROLLERS: list[str] = [
        f"{APP}.api:UsersApi",
        f"{APP}.api:AuthApi",
        f"{APP}.api:AuditApi",
    ]
    CLI_CONTROLLERS: list[str] = [f"{APP}.cli:UtilityCLI"]
