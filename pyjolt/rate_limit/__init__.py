"""Rate limits (``pip install "pyjolt[ratelimit]"``): ``RateLimiter`` and its config."""

from pyjolt.rate_limit.config import RateLimitConfig
from pyjolt.rate_limit.extension import RateLimiter

__all__ = ["RateLimitConfig", "RateLimiter"]
