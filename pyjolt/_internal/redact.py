"""Redaction for logs and records: URLs without passwords, arguments without secrets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REDACTED = "***"


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (for logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:{REDACTED}@{netloc}"))


def redact_mapping(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """A copy of ``values`` where keys containing one of ``names`` (case-insensitive) are
    ``***``, in nested mappings too."""
    needles = tuple(n.lower() for n in names)
    out: dict[str, Any] = {}
    for key, value in values.items():
        if any(n in str(key).lower() for n in needles):
            out[key] = REDACTED
        elif isinstance(value, Mapping):
            out[key] = redact_mapping(value, needles)
        else:
            out[key] = value
    return out


__all__ = ["REDACTED", "redact_mapping", "redact_url"]
