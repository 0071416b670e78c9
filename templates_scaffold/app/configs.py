"""Application configuration.

Values here are defaults: the environment file ``.env.dev`` next to run.py (when it exists) and
real environment variables override them (dicts as JSON, e.g. ``SQL_DATABASE='{"...": ...}'``).
"""

import os
from typing import Any

from pydantic_settings import SettingsConfigDict
from pyjolt import BaseConfig

BASE_PATH = os.path.dirname(os.path.abspath(__file__))
PROJECT_PATH = os.path.dirname(BASE_PATH)


class Config(BaseConfig):
    """Config class (must inherit from BaseConfig)."""

    model_config = SettingsConfigDict(env_file=os.path.join(PROJECT_PATH, ".env.dev"))

    APP_NAME: str = "__PROJECT_NAME__"
    VERSION: str = "0.1.0"
    # Set a long random value in production, e.g. from secrets.token_urlsafe(32).
    SECRET_KEY: str = "change-me-to-a-long-random-string"
    BASE_PATH: str = BASE_PATH
    DEBUG: bool = False  # .env.dev sets DEBUG=True for development
    HOST: str = "localhost"
    PORT: int = 8080

    CONTROLLERS: list[str] = [
        "app.api.home_api:HomeApi",
        "app.api.users.user_api:UserApi",
    ]
    CLI_CONTROLLERS: list[str] = ["app.cli.cli_controller:UtilityCLIController"]
    EXTENSIONS: list[str] = ["app.extensions:db", "app.extensions:migrate"]
    MODELS: list[str] = ["app.api.models.user_model:User"]
    EXCEPTION_HANDLERS: list[str] = ["app.api.exceptions.exception_handler:CustomExceptionHandler"]

    SQL_DATABASE: dict[str, Any] = {
        "DATABASE_URI": "sqlite+aiosqlite:///" + os.path.join(PROJECT_PATH, "app.db"),
        "ALEMBIC_MIGRATION_DIR": os.path.join(PROJECT_PATH, "migrations"),
        "SHOW_SQL": False,
    }
