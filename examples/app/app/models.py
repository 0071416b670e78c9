"""Database models."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.database import create_declerative_base

Base = create_declerative_base("db")


class User(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    fullname: Mapped[str] = mapped_column(String(60))
    email: Mapped[str] = mapped_column(String(120), unique=True)
