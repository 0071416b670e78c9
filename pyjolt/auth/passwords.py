"""Password hashing with pwdlib: Argon2 for new hashes, old bcrypt hashes still verify.

Hashing is slow on purpose; the ``*_async`` forms run it in a worker thread (at most
``HASHING_THREADS`` at once, since each Argon2 hash takes tens of MiB of memory), so the
event loop keeps answering other requests meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar

from pyjolt._internal.imports import optional_import

if TYPE_CHECKING:
    from pwdlib import PasswordHash

R = TypeVar("R")

#: How many hashes may be computed at once per event loop by the async forms.
HASHING_THREADS = max(2, min(8, os.cpu_count() or 2))

#: bcrypt only ever looked at the first 72 bytes; old hashes were made from that prefix.
_BCRYPT_MAX_BYTES = 72

_limiter: RunVar[anyio.CapacityLimiter] = RunVar("pyjolt_auth_hashing_limiter")


def _to_bytes(password: str | bytes) -> bytes:
    if isinstance(password, bytes):
        return password
    if not isinstance(password, str):
        raise TypeError(f"password must be str or bytes, got {type(password).__name__}")
    # surrogatepass: a lone surrogate (from a broken client) is still hashable, not a crash
    return password.encode("utf-8", "surrogatepass")


def _legacy_bcrypt_hasher() -> Any:
    bcrypt_mod = optional_import("pwdlib.hashers.bcrypt", "auth")

    class LegacyBcryptHasher(bcrypt_mod.BcryptHasher):  # type: ignore[misc, name-defined]
        """Verifies bcrypt hashes the way bcrypt always did: only the first 72 bytes count."""

        def verify(self, password: str | bytes, hash: str | bytes) -> bool:
            return bool(super().verify(_to_bytes(password)[:_BCRYPT_MAX_BYTES], hash))

    return LegacyBcryptHasher()


def default_password_hash() -> PasswordHash:
    """pwdlib's ``PasswordHash`` with Argon2 (current) and bcrypt (verify and upgrade)."""
    pwdlib = optional_import("pwdlib", "auth")
    argon2_mod = optional_import("pwdlib.hashers.argon2", "auth")
    password_hash: PasswordHash = pwdlib.PasswordHash(
        (argon2_mod.Argon2Hasher(), _legacy_bcrypt_hasher())
    )
    return password_hash


class PasswordHasher:
    """Hashes and verifies passwords.

    Args:
        password_hash: A pwdlib ``PasswordHash``; its first hasher makes new hashes, the
            others only verify. Default: Argon2id, then bcrypt.
    """

    def __init__(self, password_hash: PasswordHash | None = None) -> None:
        self._password_hash = password_hash
        self._dummy_hash: str | None = None

    @property
    def password_hash(self) -> PasswordHash:
        if self._password_hash is None:
            self._password_hash = default_password_hash()
        return self._password_hash

    def hash(self, password: str | bytes) -> str:
        """Hash ``password`` (any length, any content) with the current hasher."""
        return self.password_hash.hash(_to_bytes(password))

    def verify(self, password: str | bytes, hashed_password: str | bytes | None) -> bool:
        """True if ``password`` matches; False for a wrong password or a malformed hash."""
        return self.verify_and_update(password, hashed_password)[0]

    def verify_and_update(
        self, password: str | bytes, hashed_password: str | bytes | None
    ) -> tuple[bool, str | None]:
        """Verify, and when the hash is outdated (bcrypt, old parameters) return a new one.

        A missing hash (``None``: no such user) is checked against a dummy hash, so an unknown
        user takes as long as a wrong password and login timing does not tell which users
        exist: pass ``user.password if user else None``.

        Returns:
            ``(matches, new_hash)``; store ``new_hash`` in place of the old one when not None.
        """
        if not isinstance(hashed_password, str | bytes) or not hashed_password:
            if self._dummy_hash is None:
                self._dummy_hash = self.hash("pyjolt-dummy-password")
            self.password_hash.verify(b"wrong", self._dummy_hash)
            return False, None
        if not isinstance(password, str | bytes):
            return False, None
        secret = _to_bytes(password)
        try:
            return self.password_hash.verify_and_update(secret, hashed_password)
        except Exception:
            # unknown or corrupt hash: a refusal, never a 500 on the login form
            return False, None

    def needs_rehash(self, hashed_password: str | bytes) -> bool:
        """True when the hash was not made by the current hasher with its current parameters."""
        current = self.password_hash.current_hasher
        try:
            if not current.identify(hashed_password):
                return True
            return bool(current.check_needs_rehash(hashed_password))
        except Exception:
            return True

    async def hash_async(self, password: str | bytes) -> str:
        """``hash`` in a worker thread."""
        return await _run_in_thread(self.hash, password)

    async def verify_async(
        self, password: str | bytes, hashed_password: str | bytes | None
    ) -> bool:
        """``verify`` in a worker thread."""
        return await _run_in_thread(self.verify, password, hashed_password)

    async def verify_and_update_async(
        self, password: str | bytes, hashed_password: str | bytes | None
    ) -> tuple[bool, str | None]:
        """``verify_and_update`` in a worker thread."""
        return await _run_in_thread(self.verify_and_update, password, hashed_password)


def _hashing_limiter() -> anyio.CapacityLimiter:
    try:
        return _limiter.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(HASHING_THREADS)
        _limiter.set(limiter)
        return limiter


async def _run_in_thread(fn: Callable[..., R], *args: Any) -> R:
    return await anyio.to_thread.run_sync(partial(fn, *args), limiter=_hashing_limiter())


_default_hasher = PasswordHasher()


def create_password_hash(password: str | bytes) -> str:
    """Hash a password with Argon2id (blocks: prefer :func:`hash_password_async` in handlers)."""
    return _default_hasher.hash(password)


def check_password_hash(password: str | bytes, hashed_password: str | bytes | None) -> bool:
    """True if ``password`` matches ``hashed_password`` (Argon2 or bcrypt); never raises."""
    return _default_hasher.verify(password, hashed_password)


def password_needs_rehash(hashed_password: str | bytes) -> bool:
    """True when a stored hash should be replaced (e.g. an old bcrypt hash)."""
    return _default_hasher.needs_rehash(hashed_password)


async def hash_password_async(password: str | bytes) -> str:
    """Hash a password in a worker thread, leaving the event loop free."""
    return await _default_hasher.hash_async(password)


async def check_password_hash_async(
    password: str | bytes, hashed_password: str | bytes | None
) -> bool:
    """Verify a password in a worker thread, leaving the event loop free."""
    return await _default_hasher.verify_async(password, hashed_password)


async def check_password_hash_and_update_async(
    password: str | bytes, hashed_password: str | bytes | None
) -> tuple[bool, str | None]:
    """Verify in a worker thread; also return a new hash when the stored one is outdated."""
    return await _default_hasher.verify_and_update_async(password, hashed_password)


__all__ = [
    "HASHING_THREADS",
    "PasswordHasher",
    "check_password_hash",
    "check_password_hash_and_update_async",
    "check_password_hash_async",
    "create_password_hash",
    "default_password_hash",
    "hash_password_async",
    "password_needs_rehash",
]
