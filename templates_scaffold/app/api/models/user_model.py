"""Database models (SQLAlchemy, async)."""

from pyjolt.database.sql import create_declarative_base
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

Base = create_declarative_base("db")  # the models of the database named "db"


class User(Base):
    """A user."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    fullname: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    # Argon2 hash (pyjolt.auth.create_password_hash); None: the user cannot log in
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
