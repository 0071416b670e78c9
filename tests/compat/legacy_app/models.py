"""Models on two databases with 0.111's DeclarativeBaseModel."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.database.sql import DeclarativeBaseModel


class DbModel(DeclarativeBaseModel):
    """Base of the main database's models."""

    __abstract__ = True
    __db_name__ = "db"


class User(DbModel):
    __tablename__ = "legacy_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(80), unique=True)
    password: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="user")

    class Meta:
        exclude_from_table = ["password"]


class AuditEntry(DeclarativeBaseModel):
    __tablename__ = "legacy_audit"
    __db_name__ = "other_db"
    __db_configs_name__ = "OTHER_DB"
    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(80))
