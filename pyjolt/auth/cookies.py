"""Signed cookie values with itsdangerous: a salt per purpose, expiry and key rotation."""

from __future__ import annotations

from collections.abc import Sequence

from itsdangerous import BadData, URLSafeTimedSerializer

#: Salt used when the caller names no purpose.
DEFAULT_COOKIE_SALT = "pyjolt.auth.cookie"


class CookieSigner:
    """Signs and verifies short string values (a user id, a session id).

    Args:
        secret_key: The key that signs new values.
        fallbacks: Older keys that still verify values (key rotation); never used to sign.
        salt: Default purpose; values signed for one purpose do not verify for another.
        max_age: Default maximum age in seconds (``None``: values never expire).
    """

    def __init__(
        self,
        secret_key: str,
        fallbacks: Sequence[str] = (),
        *,
        salt: str = DEFAULT_COOKIE_SALT,
        max_age: int | None = None,
    ) -> None:
        # itsdangerous signs with the last key and tries all of them when verifying
        self._keys: list[str] = [*reversed(list(fallbacks)), secret_key]
        self.salt = salt
        self.max_age = max_age
        self._serializers: dict[str, URLSafeTimedSerializer] = {}

    def _serializer(self, salt: str | None) -> URLSafeTimedSerializer:
        purpose = self.salt if salt is None else salt
        serializer = self._serializers.get(purpose)
        if serializer is None:
            serializer = URLSafeTimedSerializer(self._keys, salt=purpose)
            self._serializers[purpose] = serializer
        return serializer

    def sign(self, value: str | int, *, salt: str | None = None) -> str:
        """Return ``value`` (as a string) signed and timestamped, safe to put in a cookie."""
        return self._serializer(salt).dumps(str(value))

    def unsign(
        self, signed: str | bytes | None, *, salt: str | None = None, max_age: int | None = None
    ) -> str | None:
        """Return the original string, or None when ``signed`` is tampered, expired or garbage.

        ``max_age`` overrides the signer's default for this call.
        """
        if not isinstance(signed, str | bytes) or not signed:
            return None
        age = self.max_age if max_age is None else max_age
        try:
            value = self._serializer(salt).loads(signed, max_age=age)
        except (BadData, UnicodeError, ValueError, TypeError):
            return None
        return value if isinstance(value, str) else None
