"""Models and helpers shared by the SQL tests."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pyjolt.database.sql import create_declarative_base


def make_models(db_name: str = "db") -> SimpleNamespace:
    """A fresh declarative base with ``User`` and ``Post`` (one user, many posts)."""
    base = create_declarative_base(db_name)

    class User(base):  # type: ignore[misc, valid-type]
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)
        fullname: Mapped[str] = mapped_column(String(30))
        email: Mapped[str] = mapped_column(String(50), unique=True)
        posts: Mapped[list[Post]] = relationship(back_populates="author")

    class Post(base):  # type: ignore[misc, valid-type]
        __tablename__ = "posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(String(50))
        user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        author: Mapped[User] = relationship(back_populates="posts")

    return SimpleNamespace(Base=base, User=User, Post=Post)


def sqlite_tables(path: Path) -> set[str]:
    """The names of the tables in the SQLite file at ``path``."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}
