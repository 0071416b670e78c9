"""Database models (SQLAlchemy, async)."""

from pyjolt.database.sql import SqlModel
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(SqlModel, DeclarativeBase):
    """The base of the models of the database named "db" (the SqlDatabase's db_name)."""

    __db_name__ = "db"


class User(Base):
    """A user."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    fullname: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    # Argon2 hash (pyjolt.auth.create_password_hash); None: the user cannot log in
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
