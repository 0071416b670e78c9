"""The spec's models, checked by ``mypy --strict`` with ``pyjolt.mypy_plugin`` (nox typecheck).

``Base = create_declerative_base("db")`` is a variable, which mypy refuses as a base class
unless the plugin (enabled in pyproject.toml) makes it the class it is at run time. Not a test
module: pytest does not collect it, and importing it defines the models.
"""

from typing import assert_type

from sqlalchemy import MetaData, String
from sqlalchemy.orm import Mapped, mapped_column

import pyjolt.database
from pyjolt.database import create_declerative_base
from pyjolt.database.sql import AsyncQuery, AsyncSession, create_declarative_base

Base = create_declerative_base("db")
Reports = pyjolt.database.create_declarative_base("reports")
Other = create_declarative_base()


class User(Base):
    """User model"""

    __tablename__: str = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    fullname: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(50), unique=True)


async def first_user(session: AsyncSession, user_id: int) -> User | None:
    assert_type(Base.metadata, MetaData)
    assert_type(Other.__db_name__, str)
    assert_type(User.query(session), AsyncQuery[User])
    assert_type(Report(total=1).total, int)
    return await User.query(session).filter_by(id=user_id).first()


class Report(Reports):
    __tablename__ = "reports"
    total: Mapped[int] = mapped_column(primary_key=True)
