"""Configuration of the example app (override any key with an environment variable)."""

import os

from pyjolt import BaseConfig


class Config(BaseConfig):
    APP_NAME: str = "PyJolt example"
    VERSION: str = "1.0"
    # development only: with DEBUG off this placeholder is refused; set SECRET_KEY in the
    # environment (python -c "import secrets; print(secrets.token_urlsafe(48))")
    SECRET_KEY: str = "example-secret-key-change-me-please-0123456789"
    BASE_PATH: str = os.path.dirname(__file__)
    DEBUG: bool = True
    HOST: str = "127.0.0.1"
    PORT: int = 8080
    CONTROLLERS: list[str] = ["app.api.users:UsersApi", "app.api.pages:PagesApi"]
    EXTENSIONS: list[str] = ["app.extensions:db", "app.extensions:cache"]
    MODELS: list[str] = ["app.models:User"]
    EXCEPTION_HANDLERS: list[str] = ["app.api.errors:ErrorHandler"]
    SQL_DATABASE: dict[str, object] = {
        "DATABASE_URI": "sqlite+aiosqlite:///"
        + os.path.join(os.path.dirname(__file__), "example.db"),
    }
    CACHE: dict[str, object] = {"DURATION": 30}
