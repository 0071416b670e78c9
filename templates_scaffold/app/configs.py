"""Application configuration.

Values here are defaults. They are overridden, in this order, by ``.env`` next to run.py
(git-ignored; ``pyjolt new-project`` wrote a random SECRET_KEY into it), by ``.env.dev`` only in
development mode (``APP_ENV=development``), and by real environment variables. One key of a
section: ``SQL_DATABASE__DATABASE_URI=...``; a JSON object merges over the section.
"""

import os
from typing import Any, Literal

from pydantic_settings import SettingsConfigDict
from pyjolt import BaseConfig

BASE_PATH = os.path.dirname(os.path.abspath(__file__))
PROJECT_PATH = os.path.dirname(BASE_PATH)


class Config(BaseConfig):
    """Config class (must inherit from BaseConfig)."""

    model_config = SettingsConfigDict(
        env_file=[os.path.join(PROJECT_PATH, ".env")]
        + (
            [os.path.join(PROJECT_PATH, ".env.dev")]
            if os.environ.get("APP_ENV") == "development"
            else []
        )
    )

    APP_NAME: str = "__PROJECT_NAME__"
    VERSION: str = "0.1.0"
    # From .env (generated) or the environment; make a new one with
    # python -c "import secrets; print(secrets.token_urlsafe(48))"
    SECRET_KEY: str | None = None
    BASE_PATH: str = BASE_PATH
    DEBUG: bool = False  # .env.dev sets DEBUG=True in development mode (APP_ENV=development)
    HOST: str = "localhost"
    PORT: int = 8080
    LIFESPAN: Literal["on", "auto", "off"] = "on"  # uvicorn's lifespan mode (run.py)
    # The page and the API share one origin, so no CORS; a front end elsewhere: enable it and
    # list its origins (never "*" with login cookies)
    CORS_ENABLED: bool = False
    CORS_ALLOW_ORIGINS: list[str] = []

    CONTROLLERS: list[str] = [
        "app.api.home_api:HomeApi",
        "app.api.users.user_api:UserApi",
        "app.api.auth_api:AuthApi",
    ]
    CLI_CONTROLLERS: list[str] = ["app.cli.cli_controller:UtilityCLIController"]
    EXTENSIONS: list[str] = [
        "app.extensions:db",
        "app.extensions:migrate",
        "app.extensions:auth",
        "app.extensions:limiter",
    ]
    MODELS: list[str] = ["app.api.models.user_model:User"]
    EXCEPTION_HANDLERS: list[str] = ["app.api.exceptions.exception_handler:CustomExceptionHandler"]

    SQL_DATABASE: dict[str, Any] = {
        "DATABASE_URI": "sqlite+aiosqlite:///" + os.path.join(PROJECT_PATH, "app.db"),
        "ALEMBIC_MIGRATION_DIR": os.path.join(PROJECT_PATH, "migrations"),
        "SHOW_SQL": False,
    }
