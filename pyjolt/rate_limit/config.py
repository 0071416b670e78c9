"""The ``RATE_LIMIT`` config section."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from pyjolt.extension import ExtensionConfig


def check_limits(value: str) -> str:
    """Parse a limit string such as ``"5/minute; 100/hour"`` (raises ValueError if invalid)."""
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError as exc:
        raise ValueError(
            f"{value!r} is not a rate limit; write e.g. '5/minute' or '10 per second; 100/hour'"
        ) from exc
    return value


class RateLimitConfig(ExtensionConfig):
    """``RATE_LIMIT = {...}``: where counters live and the limits every route gets."""

    #: ``memory://`` (one process) or ``redis://host:6379/0`` (shared by every worker)
    STORAGE_URL: str = "memory://"
    #: limits for every route not marked ``@limiter.exempt``, per client, e.g. ["100/minute"]
    DEFAULT_LIMITS: list[str] = Field(default_factory=list)
    STRATEGY: Literal["fixed-window", "moving-window", "sliding-window-counter"] = "moving-window"
    #: what one client is: its address ("ip", proxy-aware with TRUSTED_PROXIES) or its user
    KEY: Literal["ip", "user"] = "ip"
    #: storage unreachable: serve the request (True, a warning is logged) or answer 503
    FAIL_OPEN: bool = True
    #: key prefix in the storage; default ``pyjolt:ratelimit:<app name>:<section>``
    KEY_PREFIX: str | None = None
    #: seconds to wait for the storage before treating it as unreachable
    TIMEOUT: float = Field(1.0, gt=0)

    @field_validator("DEFAULT_LIMITS")
    @classmethod
    def _valid(cls, value: list[str]) -> list[str]:
        return [check_limits(v) for v in value]
