"""PyJolt 0.111's auth helpers: ``AuthUtils`` and its signed-cookie format.

0.111 signed a cookie as ``VALUE|SIG`` with ``SIG = urlsafe_b64(HMAC-SHA256(SECRET_KEY, VALUE))``:
no expiry, no salt. With ``AUTHENTICATION["ACCEPT_LEGACY_COOKIES"]`` on, such cookies still log
users in after an upgrade and are re-issued in the current format on that answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import weakref
from collections.abc import Iterable, Mapping
from contextvars import ContextVar, Token
from typing import Any

from pyjolt.auth.cookies import DEFAULT_COOKIE_SALT, CookieSigner
from pyjolt.auth.passwords import check_password_hash, create_password_hash
from pyjolt.auth.sessions import TOKEN_PREFIX, LoginTokens
from pyjolt.auth.tokens import JwtCodec

# Keys for which an app turned ACCEPT_LEGACY_COOKIES on (AuthUtils is static: it asks here).
_ENABLED: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()
# (raw cookie, value) of 0.111 cookies accepted while a user is being loaded.
_ACCEPTED: ContextVar[list[tuple[str, str]] | None] = ContextVar(
    "pyjolt_legacy_cookies", default=None
)


def legacy_signature(value: str, secret_key: str) -> str:
    """The ``SIG`` part of a 0.111 cookie for ``value``."""
    digest = hmac.new(secret_key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def verify_legacy_cookie(cookie_value: Any, secret_keys: Iterable[str]) -> str | None:
    """The value of a valid 0.111 cookie, or None (tampered, other key, malformed)."""
    if not isinstance(cookie_value, str) or "|" not in cookie_value:
        return None
    value, _, signature = cookie_value.rpartition("|")
    try:
        signature.encode("ascii")
    except UnicodeEncodeError:
        return None
    for key in secret_keys:
        if hmac.compare_digest(legacy_signature(value, key), signature):
            _note_accepted(cookie_value, value)
            return value
    return None


def enable_legacy_cookies(owner: Any, secret_keys: Iterable[str]) -> None:
    """Accept 0.111 cookies signed with ``secret_keys`` for as long as ``owner`` lives."""
    _ENABLED[owner] = tuple(secret_keys)


def legacy_cookies_enabled(secret_key: str) -> bool:
    return any(secret_key in keys for keys in list(_ENABLED.values()))


def track_accepted() -> Token[list[tuple[str, str]] | None]:
    """Start recording the 0.111 cookies accepted in this context (around ``user_loader``)."""
    return _ACCEPTED.set([])


def accepted_since(token: Token[list[tuple[str, str]] | None]) -> list[tuple[str, str]]:
    """Stop recording; the ``(raw cookie, value)`` pairs accepted since ``track_accepted``."""
    accepted = _ACCEPTED.get() or []
    _ACCEPTED.reset(token)
    return accepted


def _note_accepted(raw: str, value: str) -> None:
    accepted = _ACCEPTED.get()
    if accepted is not None:
        accepted.append((raw, value))


def cookie_names(cookies: Mapping[str, str], raw: str) -> list[str]:
    """Names of the request cookies holding ``raw``."""
    return [name for name, value in cookies.items() if value == raw]


class AuthUtils:
    """PyJolt 0.111's static auth helpers, on top of the current ones.

    Cookies are signed in the current format (itsdangerous, the ``Authentication`` extension's
    default salt), so ``auth.decode_signed_cookie`` reads them too, and login cookies of
    ``auth.login_user`` are read; ``decode_signed_cookie``
    also reads 0.111 cookies while an app with that ``SECRET_KEY`` has
    ``ACCEPT_LEGACY_COOKIES`` on. Passwords: Argon2 for new hashes, 0.111's bcrypt hashes
    verify. Tokens are HS256 JWTs; ``validate_jwt_token`` returns None for a bad token.

    Deprecated: use the ``Authentication`` extension's methods (``auth.login_user``,
    ``auth.decode_signed_cookie``, ``auth.create_jwt_token``...) and
    ``pyjolt.auth.create_password_hash`` / ``check_password_hash``.
    """

    @staticmethod
    def create_signed_cookie_value(value: str | int, secret_key: str) -> str:
        return CookieSigner(secret_key).sign(value)

    @staticmethod
    def decode_signed_cookie(cookie_value: str | None, secret_key: str) -> str | None:
        if isinstance(cookie_value, str) and cookie_value.startswith(TOKEN_PREFIX):
            # a login cookie of ``auth.login_user`` (encrypted user ID)
            return LoginTokens([secret_key], DEFAULT_COOKIE_SALT).decode(cookie_value, None)
        decoded = CookieSigner(secret_key).unsign(cookie_value)
        if decoded is None and legacy_cookies_enabled(secret_key):
            decoded = verify_legacy_cookie(cookie_value, [secret_key])
        return decoded

    @staticmethod
    def create_password_hash(password: str) -> str:
        return create_password_hash(password)

    @staticmethod
    def check_password_hash(password: str, hashed_password: str) -> bool:
        return check_password_hash(password, hashed_password)

    @staticmethod
    def create_jwt_token(
        payload: Mapping[str, Any], secret_key: str, expires_in: int = 3600
    ) -> str:
        return JwtCodec(secret_key).encode(payload, expires_in)

    @staticmethod
    def validate_jwt_token(token: str | None, secret_key: str) -> dict[str, Any] | None:
        return JwtCodec(secret_key).decode(token)
