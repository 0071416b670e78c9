"""Shared pieces of the PyJolt 0.111 compatibility tests."""

from __future__ import annotations

import base64
import hashlib
import hmac


def signed_the_0111_way(value: str | int, key: str) -> str:
    """A cookie value exactly as PyJolt 0.111 wrote it (COMPAT-0111.md)."""
    text = str(value)
    digest = hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return f"{text}|{base64.urlsafe_b64encode(digest).decode('utf-8')}"
