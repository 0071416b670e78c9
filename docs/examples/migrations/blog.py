"""A database with Alembic migrations, run from the app's command line."""

import os
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pyjolt import BaseConfig, PyJolt, app
from pyjolt.database.sql import SqlDatabase, SqlModel
from pyjolt.database.sql.migrate import Migrate

db = SqlDatabase()
migrate = Migrate(db)  # adds the db-* commands


class Base(SqlModel, DeclarativeBase):
    __db_name__ = "db"  # the models of the SqlDatabase of this name


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))


class Config(BaseConfig):
    APP_NAME: str = "Blog"
    BASE_PATH: str = os.path.dirname(__file__)
    EXTENSIONS: list[object] = [db, migrate]
    MODELS: list[str | type] = [Post]  # what autogenerate compares with the database
    SQL_DATABASE: dict[str, Any] = {
        "DATABASE_URI": "sqlite+aiosqlite:///./blog.db",
        "ALEMBIC_MIGRATION_DIR": "migrations",  # relative to BASE_PATH
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass


if __name__ == "__main__":  # python blog.py db-init
    Application().run_cli()
