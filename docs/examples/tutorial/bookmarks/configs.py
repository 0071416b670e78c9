"""Step 1: the configuration. Environment variables override every key."""

import os
from typing import Any

from pyjolt import BaseConfig


class Config(BaseConfig):
    APP_NAME: str = "Bookmarks"
    BASE_PATH: str = os.path.dirname(__file__)
    # SECRET_KEY comes from the environment (a long random value; see the page)
    CONTROLLERS: list[str | type] = ["bookmarks.api:AccountApi", "bookmarks.api:BookmarksApi"]
    EXTENSIONS: list[str | object] = [
        "bookmarks.extensions:db",
        "bookmarks.extensions:migrate",
        "bookmarks.authentication:auth",
        "bookmarks.extensions:cache",
        "bookmarks.extensions:queue",
    ]
    MODELS: list[str | type] = ["bookmarks.models:User", "bookmarks.models:Bookmark"]
    SQL_DATABASE: dict[str, Any] = {
        "DATABASE_URI": "sqlite+aiosqlite:///./bookmarks.db",  # relative to BASE_PATH
        "ALEMBIC_MIGRATION_DIR": "migrations",
    }
    CACHE: dict[str, Any] = {"DURATION": 60}  # memory backend; "BACKEND"/"REDIS_URL" for Redis
    TASK_QUEUE: dict[str, Any] = {"BROKER_URL": "memory://"}  # redis://... in production
    HEALTH: bool = True  # /health/live and /health/ready
