"""Reading an ASGI scope without building a request object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def header(scope: Mapping[str, Any], name: bytes) -> str | None:
    """The first value of the header ``name`` (lower case bytes), or None."""
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def own_origin(scope: Mapping[str, Any]) -> str | None:
    """``scheme://host`` of the request as its ``Host`` header names it, or None."""
    host = header(scope, b"host")
    return None if host is None else f"{scope.get('scheme', 'http')}://{host}"
