"""JSON Web Tokens with PyJWT (HMAC, algorithm pinned) and bearer-token parsing."""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pyjolt._internal.imports import optional_import

#: HMAC algorithms and the key length (bytes) RFC 7518 asks of each.
HMAC_ALGORITHMS: Final[Mapping[str, int]] = {"HS256": 32, "HS384": 48, "HS512": 64}


class JwtCodec:
    """Creates and validates signed tokens with one pinned algorithm.

    Args:
        secret_key: Signs new tokens and verifies tokens.
        fallbacks: Older keys that still verify tokens (key rotation); never used to sign.
        algorithm: ``HS256`` (default), ``HS384`` or ``HS512``; tokens with any other ``alg``
            header (including ``none``) are refused.
        issuer: When set, written as ``iss`` and required on validation.
        audience: When set, written as ``aud`` and required on validation.
        leeway: Seconds of clock skew tolerated for ``exp``/``iat``.
    """

    def __init__(
        self,
        secret_key: str,
        fallbacks: Sequence[str] = (),
        *,
        algorithm: str = "HS256",
        issuer: str | None = None,
        audience: str | None = None,
        leeway: int = 0,
    ) -> None:
        if algorithm not in HMAC_ALGORITHMS:
            raise ValueError(
                f"unsupported JWT algorithm {algorithm!r}; use one of {list(HMAC_ALGORITHMS)}"
            )
        self._keys = (secret_key, *fallbacks)
        self.algorithm = algorithm
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway

    def encode(self, payload: Mapping[str, Any], expires_in: int = 3600) -> str:
        """A token carrying ``payload`` plus ``iat`` (now) and ``exp`` (now + ``expires_in``)."""
        jwt = optional_import("jwt", "auth")
        now = int(time.time())
        claims: dict[str, Any] = dict(payload)
        claims["iat"] = now
        claims["exp"] = now + int(expires_in)
        if self.issuer is not None:
            claims["iss"] = self.issuer
        if self.audience is not None:
            claims["aud"] = self.audience
        with warnings.catch_warnings():
            # short keys are reported once at start-up (an error outside DEBUG), not per token
            warnings.simplefilter("ignore", _insecure_key_warning())
            token: str = jwt.encode(claims, self._keys[0], algorithm=self.algorithm)
        return token

    def decode(self, token: Any) -> dict[str, Any] | None:
        """The claims of a valid token; None if it is tampered, expired, unsigned or garbage."""
        if isinstance(token, bytes):
            try:
                token = token.decode("ascii")
            except UnicodeDecodeError:
                return None
        if not isinstance(token, str) or not token:
            return None
        jwt = optional_import("jwt", "auth")
        required = ["exp", "iat"]
        if self.issuer is not None:
            required.append("iss")
        if self.audience is not None:
            required.append("aud")
        for key in self._keys:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", _insecure_key_warning())
                    claims: dict[str, Any] = jwt.decode(
                        token,
                        key,
                        algorithms=[self.algorithm],
                        issuer=self.issuer,
                        audience=self.audience,
                        leeway=self.leeway,
                        options={"require": required, "verify_iat": True},
                    )
            except jwt.InvalidSignatureError:
                continue  # maybe signed with an older key
            except jwt.PyJWTError:
                return None
            except (ValueError, TypeError):
                return None
            if not isinstance(claims, dict):
                return None
            return claims
        return None


class _NoWarning(Warning):
    """Stands in when PyJWT has no key-length warning (nothing to silence)."""


def _insecure_key_warning() -> type[Warning]:
    # PyJWT >= 2.10 warns about HMAC keys shorter than RFC 7518 asks; older versions do not
    category: type[Warning] = getattr(
        optional_import("jwt.warnings", "auth"), "InsecureKeyLengthWarning", _NoWarning
    )
    return category


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None.

    Args:
        headers: Request headers (``req.headers``; works for HTTP and websocket requests).
    """
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or " " in token:
        return None
    return token
