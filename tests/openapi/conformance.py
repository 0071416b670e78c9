"""The hypothesis settings of the schemathesis runs: bounded and deterministic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

F = TypeVar("F", bound=Callable[..., Any])


def bounded(examples: int) -> Callable[[F], F]:
    """At most ``examples`` cases per operation, no deadline, a fixed seed, no example store."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
