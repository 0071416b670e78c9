"""User authentication and authorisation: the ``Authentication`` extension, route guards and
helpers for signed cookies, password hashes and JWTs.

PyJWT and pwdlib come with the ``auth`` extra (``pip install "pyjolt[auth]"``); they are
imported only when a token or password helper is used.
"""

from __future__ import annotations

from pyjolt._internal.deprecation import deprecated_names
from pyjolt.auth.config import AuthenticationConfig
from pyjolt.auth.cookies import CookieSigner
from pyjolt.auth.extension import Authentication
from pyjolt.auth.guards import LoginGuard, RoleGuard, login_required, role_required
from pyjolt.auth.passwords import (
    PasswordHasher,
    check_password_hash,
    check_password_hash_and_update_async,
    check_password_hash_async,
    create_password_hash,
    hash_password_async,
    password_needs_rehash,
)
from pyjolt.auth.tokens import JwtCodec, bearer_token

__all__ = [
    "Authentication",
    "AuthenticationConfig",
    "CookieSigner",
    "JwtCodec",
    "LoginGuard",
    "PasswordHasher",
    "RoleGuard",
    "bearer_token",
    "check_password_hash",
    "check_password_hash_and_update_async",
    "check_password_hash_async",
    "create_password_hash",
    "hash_password_async",
    "login_required",
    "password_needs_rehash",
    "role_required",
]


def _auth_utils() -> type:
    from pyjolt.auth.legacy import AuthUtils

    return AuthUtils


# PyJolt 0.111's names: served with a DeprecationWarning naming the current way.
__getattr__ = deprecated_names(
    __name__,
    {
        "AuthUtils": (
            _auth_utils,
            "use the Authentication extension's methods (auth.login_user, "
            "auth.decode_signed_cookie, auth.create_jwt_token, auth.validate_jwt_token) and "
            "pyjolt.auth.create_password_hash / check_password_hash",
        )
    },
)
