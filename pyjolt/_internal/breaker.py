"""A circuit breaker for calls to a shared store (the Redis cache, the scheduler's lock store).

Closed: every call goes through. The first failure opens it: calls are refused at once
(``CircuitOpenError``) for ``retry_after`` seconds. Then exactly one call at a time is let
through as a probe (the others are still refused): its success closes the circuit, its
failure opens it again for ``retry_after`` seconds. A probe that is cancelled frees its slot
without a verdict, so the next call probes.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class CircuitOpenError(ConnectionError):
    """The store failed recently: the call was not attempted."""


class CircuitBreaker:
    """See the module docstring. ``on_open(exc)`` is called once each time the circuit opens
    from closed (not on failed probes); ``on_close(seconds_open, probes)`` when a probe
    succeeds. Both are meant for one log line each.
    """

    def __init__(
        self,
        retry_after: float,
        *,
        on_open: Callable[[BaseException], None] | None = None,
        on_close: Callable[[float, int], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.retry_after = retry_after
        self._on_open = on_open
        self._on_close = on_close
        self._clock = clock
        self._opened_at: float | None = None
        self._retry_at = 0.0
        self._probing = False
        #: probes let through since the circuit opened (for logs and tests)
        self.probes = 0

    @property
    def is_open(self) -> bool:
        """True from a failure until a probe succeeds."""
        return self._opened_at is not None

    def trip(self) -> None:
        """Open the circuit without a call (e.g. the store was unreachable at start-up);
        ``on_open`` is not called: the caller logs its own message."""
        if self._opened_at is None:
            self._opened_at = self._clock()
            self.probes = 0
        self._retry_at = self._clock() + self.retry_after

    async def call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation()`` if the circuit lets it through, else raise ``CircuitOpenError``.

        The operation's own errors are re-raised after they are counted.
        """
        if self._opened_at is None:
            try:
                return await operation()
            except Exception as exc:
                if self._opened_at is None:  # late failures of earlier calls change nothing
                    self._opened_at = self._clock()
                    self._retry_at = self._opened_at + self.retry_after
                    self.probes = 0
                    if self._on_open is not None:
                        self._on_open(exc)
                raise
        if self._probing or self._clock() < self._retry_at:
            raise CircuitOpenError(
                f"skipped: the store failed, next try in {self._seconds_left():.1f}s"
            )
        self._probing = True
        self.probes += 1
        try:
            result = await operation()
        except Exception:
            self._retry_at = self._clock() + self.retry_after
            raise
        else:
            opened_at, self._opened_at = self._opened_at, None
            if self._on_close is not None and opened_at is not None:
                self._on_close(self._clock() - opened_at, self.probes)
            return result
        finally:  # also when cancelled: no verdict, the next call probes
            self._probing = False

    def _seconds_left(self) -> float:
        return max(0.0, self._retry_at - self._clock())


__all__ = ["CircuitBreaker", "CircuitOpenError"]
