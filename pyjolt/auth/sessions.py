"""Login cookies that expire and hide the user ID, and server-side sessions that can be revoked.

Without a session store the login cookie is the user ID encrypted and timestamped (Fernet:
AES with an HMAC, keyed from ``SECRET_KEY``): it expires after ``COOKIE_MAX_AGE`` and reads as
noise. With ``SESSION_STORE`` (Redis or an SQL database) the cookie holds a signed random
session ID; the store maps it to the user, so one session or all of a user's sessions can be
revoked, and ``logout_user`` revokes. Revoked JWT IDs (``jti``) live in the same store.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import secrets
import time
from collections.abc import Sequence
from typing import Any

TOKEN_PREFIX = "t1."
SESSION_PREFIX = "s1."

#: cookie value -> user ID, resolved by the async entry points (guards, ``current_user``) for
#: the synchronous ``decode_signed_cookie`` of the spec's ``user_loader``.
_resolved: contextvars.ContextVar[dict[str, str | None] | None] = contextvars.ContextVar(
    "pyjolt_auth_sessions", default=None
)


def _fernet_key(secret: str, purpose: str) -> bytes:
    digest = hashlib.sha256(f"pyjolt.auth:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


class LoginTokens:
    """Encrypts user IDs into login cookie values (newest key first; older keys decrypt)."""

    def __init__(self, keys: Sequence[str], purpose: str) -> None:
        try:
            from cryptography.fernet import Fernet, MultiFernet
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError('login cookies need: pip install "pyjolt[auth]"') from exc
        self._fernet = MultiFernet([Fernet(_fernet_key(k, purpose)) for k in keys])

    def encode(self, user_id: str | int) -> str:
        # without base64 padding: a cookie value with "=" would be sent quoted
        token = self._fernet.encrypt(str(user_id).encode()).decode("ascii").rstrip("=")
        return TOKEN_PREFIX + token

    @staticmethod
    def _token(value: str) -> bytes:
        raw = value[len(TOKEN_PREFIX) :]
        return (raw + "=" * (-len(raw) % 4)).encode("ascii")

    def decode(self, value: str, max_age: int | None) -> str | None:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(self._token(value), ttl=max_age).decode()
        except (InvalidToken, UnicodeError, ValueError, TypeError):
            return None

    def issued_at(self, value: str) -> float | None:
        from cryptography.fernet import InvalidToken

        try:
            return float(self._fernet.extract_timestamp(self._token(value)))
        except (InvalidToken, UnicodeError, ValueError, TypeError):
            return None


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def remember(value: str, user_id: str | None) -> None:
    cache = _resolved.get()
    if cache is None:
        cache = {}
        _resolved.set(cache)
    cache[value] = user_id


def recalled(value: str) -> tuple[bool, str | None]:
    cache = _resolved.get()
    if cache is None or value not in cache:
        return False, None
    return True, cache[value]


class SessionStore:
    """Where server-side sessions and revoked token IDs live (``SESSION_STORE``)."""

    async def create(self, session_id: str, user_id: str, ttl: int | None) -> None:
        raise NotImplementedError

    async def user_of(self, session_id: str) -> str | None:
        raise NotImplementedError

    async def revoke(self, session_id: str) -> None:
        raise NotImplementedError

    async def revoke_user(self, user_id: str) -> int:
        """Revoke every session of a user; returns how many there were."""
        raise NotImplementedError

    async def revoke_token(self, jti: str, ttl: int | None) -> None:
        raise NotImplementedError

    async def token_revoked(self, jti: str) -> bool:
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections."""


class RedisSessionStore(SessionStore):
    """Sessions as Redis keys with a TTL; a set per user lists their session IDs."""

    def __init__(self, url: str, namespace: str) -> None:
        try:
            import redis.asyncio as redis
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError('SESSION_STORE on Redis needs: pip install "pyjolt[cache]"') from exc
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._ns = namespace

    async def create(self, session_id: str, user_id: str, ttl: int | None) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(f"{self._ns}:s:{session_id}", user_id, ex=ttl)
        pipe.sadd(f"{self._ns}:u:{user_id}", session_id)
        if ttl:
            pipe.expire(f"{self._ns}:u:{user_id}", ttl)
        await pipe.execute()

    async def user_of(self, session_id: str) -> str | None:
        value = await self._redis.get(f"{self._ns}:s:{session_id}")
        return value.decode() if value is not None else None

    async def revoke(self, session_id: str) -> None:
        user = await self.user_of(session_id)
        await self._redis.delete(f"{self._ns}:s:{session_id}")
        if user is not None:
            await self._redis.srem(f"{self._ns}:u:{user}", session_id)

    async def revoke_user(self, user_id: str) -> int:
        key = f"{self._ns}:u:{user_id}"
        ids = [i.decode() for i in await self._redis.smembers(key)]
        if ids:
            await self._redis.delete(*(f"{self._ns}:s:{i}" for i in ids))
        await self._redis.delete(key)
        return len(ids)

    async def revoke_token(self, jti: str, ttl: int | None) -> None:
        await self._redis.set(f"{self._ns}:jti:{jti}", "1", ex=ttl)

    async def token_revoked(self, jti: str) -> bool:
        return bool(await self._redis.exists(f"{self._ns}:jti:{jti}"))

    async def close(self) -> None:
        await self._redis.aclose()


class SqlSessionStore(SessionStore):
    """Sessions in two tables of an SQL database (created on first use)."""

    def __init__(self, url: str, namespace: str) -> None:
        try:
            import sqlalchemy as sa
            from sqlalchemy.ext.asyncio import create_async_engine
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError('SESSION_STORE in SQL needs: pip install "pyjolt[db]"') from exc
        self._sa = sa
        self._engine = create_async_engine(url)
        meta = sa.MetaData()
        table = namespace.replace(":", "_").replace("-", "_")
        self._sessions = sa.Table(
            f"{table}_sessions",
            meta,
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("user_id", sa.String(255), index=True, nullable=False),
            sa.Column("expires", sa.Float, nullable=True),
        )
        self._tokens = sa.Table(
            f"{table}_revoked_tokens",
            meta,
            sa.Column("jti", sa.String(255), primary_key=True),
            sa.Column("expires", sa.Float, nullable=True),
        )
        self._meta = meta
        self._ready = False

    async def _conn(self) -> Any:
        if not self._ready:
            async with self._engine.begin() as conn:
                await conn.run_sync(self._meta.create_all)
            self._ready = True
        return self._engine.begin()

    @staticmethod
    def _expiry(ttl: int | None) -> float | None:
        return time.time() + ttl if ttl else None

    async def create(self, session_id: str, user_id: str, ttl: int | None) -> None:
        async with await self._conn() as conn:
            await conn.execute(
                self._sessions.insert().values(
                    id=session_id, user_id=user_id, expires=self._expiry(ttl)
                )
            )

    async def user_of(self, session_id: str) -> str | None:
        sa, t = self._sa, self._sessions
        async with await self._conn() as conn:
            row = (
                await conn.execute(sa.select(t.c.user_id, t.c.expires).where(t.c.id == session_id))
            ).first()
        if row is None or (row.expires is not None and row.expires < time.time()):
            return None
        return str(row.user_id)

    async def revoke(self, session_id: str) -> None:
        async with await self._conn() as conn:
            await conn.execute(self._sessions.delete().where(self._sessions.c.id == session_id))

    async def revoke_user(self, user_id: str) -> int:
        async with await self._conn() as conn:
            result = await conn.execute(
                self._sessions.delete().where(self._sessions.c.user_id == user_id)
            )
        return int(result.rowcount or 0)

    async def revoke_token(self, jti: str, ttl: int | None) -> None:
        async with await self._conn() as conn:
            await conn.execute(self._tokens.insert().values(jti=jti, expires=self._expiry(ttl)))

    async def token_revoked(self, jti: str) -> bool:
        sa, t = self._sa, self._tokens
        async with await self._conn() as conn:
            row = (await conn.execute(sa.select(t.c.jti).where(t.c.jti == jti))).first()
        return row is not None

    async def close(self) -> None:
        await self._engine.dispose()


def make_store(url: str, namespace: str) -> SessionStore:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisSessionStore(url, namespace)
    return SqlSessionStore(url, namespace)
