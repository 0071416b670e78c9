"""The spec's app/api/models/user_model.py."""

from sqlalchemy import ForeignKey, Integer, String  # noqa: F401
from sqlalchemy.orm import Mapped, mapped_column, relationship  # noqa: F401

from pyjolt.database import create_declerative_base

Base = create_declerative_base("db")


class User(Base):
    """
    User model
    """

    __tablename__: str = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    fullname: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(50), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="user")


class Post(Base):
    """Second model (the spec's join example)."""

    __tablename__: str = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(50))
