"""The ``AUTHENTICATION`` config section."""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field

from pyjolt.extension import ExtensionConfig

Scheme = Literal["cookie", "bearer"]


class AuthenticationConfig(ExtensionConfig):
    """Keys of the ``AUTHENTICATION`` section (documented on :class:`Authentication`)."""

    # the flat form AUTHENTICATION_ERROR_MESSAGE reaches the section as ERROR_MESSAGE
    AUTHENTICATION_ERROR_MESSAGE: str = Field(
        "Login required",
        validation_alias=AliasChoices("AUTHENTICATION_ERROR_MESSAGE", "ERROR_MESSAGE"),
    )
    UNAUTHORIZED_ERROR_MESSAGE: str = "Missing user role(s)"
    COOKIE_NAME: str = Field("auth_cookie", min_length=1)
    COOKIE_SALT: str = Field("pyjolt.auth.cookie", min_length=1)
    COOKIE_MAX_AGE: int | None = Field(14 * 24 * 3600, gt=0)
    COOKIE_SLIDING: bool = False
    SESSION_STORE: str | None = None
    SESSION_NAMESPACE: str | None = None
    COOKIE_SECURE: bool = True
    COOKIE_SAMESITE: Literal["lax", "strict", "none"] = "lax"
    JWT_ALGORITHM: Literal["HS256", "HS384", "HS512"] = "HS256"
    JWT_ISSUER: str | None = None
    JWT_AUDIENCE: str | None = None
    JWT_LEEWAY: int = Field(0, ge=0)
    SECURITY_SCHEMES: list[Scheme] = Field(default_factory=lambda: _both_schemes())
    ACCEPT_LEGACY_COOKIES: bool = False


def _both_schemes() -> list[Scheme]:
    return ["cookie", "bearer"]
