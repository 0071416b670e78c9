"""The spec's configs.py (tests/spec/specapp is laid out like the spec's ``app`` folder)."""

import os
from typing import Any, List, Optional  # noqa: UP035

from pyjolt import BaseConfig, LogLevel


class Config(BaseConfig):  # must inherit from BaseConfig
    """Config class"""

    APP_NAME: str = "Test app"
    VERSION: str = "1.0"
    SECRET_KEY: str = "some-super-secret-key"
    BASE_PATH: str = os.path.dirname(__file__)
    DEBUG: bool = True

    CONTROLLERS: List[str] = [  # noqa: UP006
        "tests.spec.specapp.api.users.user_api:UsersApi",
    ]
    EXCEPTION_HANDLERS: List[str] = [  # noqa: UP006
        "tests.spec.specapp.api.exceptions.exception_handler:CustomExceptionHandler"
    ]
    MIDDLEWARE: list[str] = ["tests.spec.specapp.middleware.timing_mw:TimingMW"]
    CLI_CONTROLLERS: List[str] = [  # noqa: UP006
        "tests.spec.specapp.cli.cli_controller:UtilityCLIController"
    ]
    EXTENSIONS: List[str] = [  # noqa: UP006
        "tests.spec.specapp.extensions:db",
        "tests.spec.specapp.extensions:migrate",
        "tests.spec.specapp.authentication:auth",
        "tests.spec.specapp.scheduler:scheduler",
        "tests.spec.specapp.extensions:cache",
    ]
    MODELS: List[str] = [  # noqa: UP006
        "tests.spec.specapp.api.models.user_model:User",
        "tests.spec.specapp.api.models.user_model:Post",
    ]
    LOGGERS: Optional[List[str]] = [  # noqa: UP006, UP045
        "tests.spec.specapp.loggers.file_logger:FileLogger"
    ]
    DEFAULT_LOGGER: dict[str, Any] = {
        "LEVEL": LogLevel.DEBUG,
        "FORMAT": "<green>{time:HH:mm:ss}</green> | <level>{level}</level> | "
        "{extra[logger_name]} | <level>{message}</level>",
        "BACKTRACE": True,
        "DIAGNOSE": True,
        "COLORIZE": False,
        "SERIALIZE": False,
        "ENCODING": "utf-8",
    }
    FILE_LOGGER: dict[str, Any] = {
        "SINK": os.environ.get("SPEC_FILE_LOG", os.path.join(os.path.dirname(__file__), "x.log")),
        "LEVEL": LogLevel.TRACE,
        "FORMAT": "{extra[logger_name]} | {message}",
        "ENQUEUE": False,
        "BACKTRACE": True,
        "DIAGNOSE": True,
        "COLORIZE": False,
        "DELAY": True,
        "ROTATION": "5 MB",
        "RETENTION": "5 files",
        "COMPRESSION": "zip",
        "SERIALIZE": False,
        "ENCODING": "utf-8",
        "MODE": "a",
    }
    SQL_DATABASE = {
        "DATABASE_URI": os.environ.get("SPEC_DB_URI", "sqlite+aiosqlite:///:memory:"),
        "SESSION_NAME": "session",
        "SHOW_SQL": False,
    }
    AUTHENTICATION = {
        "AUTHENTICATION_ERROR_MESSAGE": "Login required",
        "UNAUTHORIZED_ERROR_MESSAGE": "Missing user role(s)",
    }
