"""40 concurrent wrong-password logins: only 401/429 answers, the pool is not exhausted and
another database endpoint keeps answering 200; unknown users cost a password check too."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import String, select, text
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt import MediaType, Request, Response
from pyjolt.auth import Authentication
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.database.sql import AsyncSession, SqlDatabase, create_declarative_base
from pyjolt.rate_limit import RateLimiter
from pyjolt.request import AnyRequest
from pyjolt.testing import PyJoltTestClient, make_app

db = SqlDatabase()
limiter = RateLimiter()
Base = create_declarative_base()


class Account(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100), unique=True)
    password: Mapped[str] = mapped_column(String(200))


class Auth(Authentication):
    async def user_loader(self, req: AnyRequest) -> Any:
        return self.cookie_user_id(req)


auth = Auth()


class Login(BaseModel):
    email: str
    password: str


@path("/api")
class LoginApi(Controller):
    @post("/login")
    @consumes(MediaType.APPLICATION_JSON)
    @limiter.limit("5/minute")
    @db.readonly_session
    async def login(self, req: Request, data: Login, session: AsyncSession) -> Response:
        account = await session.scalar(select(Account).where(Account.email == data.email))
        hashed = account.password if account else None
        if not await auth.check_password_hash_async(data.password, hashed):  # type: ignore[arg-type]
            return req.res.json({"message": "wrong email or password"}).status(401)
        return auth.login_user(req.res.json({"ok": True}), str(account.id))  # type: ignore[union-attr]

    @get("/ping")
    @db.readonly_session
    async def ping(self, req: Request, session: AsyncSession) -> Response:
        return req.res.json({"one": await session.scalar(text("SELECT 1"))})


async def test_login_flood(tmp_path: Path) -> None:
    app = make_app(
        controllers=[LoginApi],
        EXTENSIONS=[db, auth, limiter],
        SECRET_KEY=secrets.token_urlsafe(48),
        SQL_DATABASE={
            "DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'flood.db'}",
            # SQLAlchemy's defaults, stated: the rate limit keeps the logins in flight (each
            # holding a connection through its password check) below the pool's size
            "POOL_SIZE": 5,
            "MAX_OVERFLOW": 10,
            "POOL_TIMEOUT": 10,
        },
    )
    async with PyJoltTestClient(app) as client:
        await db.create_all(Base)
        async with db.session_scope() as session:
            session.add(
                Account(email="ada@example.com", password=await auth.hash_password_async("pw1"))
            )
        logins = [
            client.post(
                "/api/login",
                json={
                    "email": "ada@example.com" if i % 2 else "nobody@example.com",
                    "password": "x",
                },
            )
            for i in range(40)
        ]
        pings = [client.get("/api/ping") for _ in range(10)]
        answers = await asyncio.gather(*logins, *pings)
    login_codes = sorted(a.status_code for a in answers[:40])
    assert set(login_codes) <= {401, 429}
    assert login_codes.count(401) == 5
    assert all(
        a.status_code == 429 and a.headers["retry-after"] for a in answers if a.status_code == 429
    )
    assert [a.status_code for a in answers[40:]] == [200] * 10
