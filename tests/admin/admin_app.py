"""The app the admin tests drive: users and notes in SQLite, gadgets in PostgreSQL, a
scheduler with one hourly job, logins through an ``Authentication`` subclass.

``create_app_from_env`` is the uvicorn factory of the browser tests (the PostgreSQL schema and
the SQLite file come from the environment).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt.admin import AdminDashboard
from pyjolt.auth import Authentication
from pyjolt.database.sql import SqlDatabase, create_declarative_base
from pyjolt.request import AnyRequest
from pyjolt.task_manager import TaskManager, schedule_job
from pyjolt.testing import make_app
from tests.services import POSTGRES_URL

SECRET = "admin-tests-Zq8v1Lr4Xk2Pw7Ns5Jd9Hf3Gb6Tc0Ym-Ua1Ie"
LiteBase = create_declarative_base("admin_lite")
PgBase = create_declarative_base("admin_pg")


class AdminUser(LiteBase):
    __tablename__ = "admin_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password: Mapped[str] = mapped_column(String(200))
    role_names: Mapped[str] = mapped_column(String(100), default="")

    @property
    def roles(self) -> list[str]:
        return [r for r in self.role_names.split(",") if r]


class Note(LiteBase):
    __tablename__ = "admin_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(Text)


class Gadget(PgBase):
    __tablename__ = "admin_gadgets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    price: Mapped[int] = mapped_column(Integer)


lite = SqlDatabase("admin_lite", "LITE_DATABASE")
pg = SqlDatabase("admin_pg", "PG_DATABASE")


class AdminAuth(Authentication):
    async def user_loader(self, req: AnyRequest) -> Any:
        user_id = self.cookie_user_id(req)
        if user_id is None:
            return None
        async with AsyncSession(lite.engine) as session:
            return await session.get(AdminUser, int(user_id))


class Jobs(TaskManager):
    """One hourly job; ``ran`` is set each time it runs."""

    ran = asyncio.Event()

    @schedule_job("interval", hours=1, id="hourly-report")
    async def report(self) -> None:
        type(self).ran.set()


auth = AdminAuth()
jobs = Jobs()
dashboard = AdminDashboard()


def create_app(
    sqlite_path: str, pg_schema: str | None = None, *, debug: bool = False, **config: Any
) -> Any:
    """The app: ``pg_schema`` None leaves PostgreSQL out (a second SQLite file instead)."""
    if pg_schema is None:
        pg_section: dict[str, Any] = {"DATABASE_URI": f"sqlite+aiosqlite:///{sqlite_path}.pg"}
    else:
        pg_section = {
            "DATABASE_URI": POSTGRES_URL,
            "CONNECT_ARGS": {"server_settings": {"search_path": pg_schema}},
        }
    admin = {
        "ROLES": ["admin", "viewer"],
        "USER_MODEL": AdminUser,
        "PERMISSIONS": {"Gadget": {p: ["admin"] for p in ("create", "edit", "delete")}},
        "PAGES": {"scheduler": ["admin"]},
        "MODEL_OPTIONS": {"AdminUser": {"column_exclude_list": ["password"]}},
    }
    settings: dict[str, Any] = {
        "APP_NAME": "admin_tests",
        "DEBUG": debug,
        "SECRET_KEY": SECRET,
        "EXTENSIONS": [lite, pg, auth, jobs, dashboard],
        "LITE_DATABASE": {"DATABASE_URI": f"sqlite+aiosqlite:///{sqlite_path}"},
        "PG_DATABASE": pg_section,
        "AUTHENTICATION": {"COOKIE_SECURE": False},
        "ADMIN": admin,
        "ALLOWED_HOSTS": ["testserver", "127.0.0.1", "localhost"],
    }
    settings.update(config)
    return make_app(**settings)


def create_app_from_env() -> Any:
    return create_app(os.environ["ADMIN_TEST_SQLITE"], os.environ.get("ADMIN_TEST_PG_SCHEMA"))
