"""``@schedule_job``: marks TaskManager methods as scheduled jobs (metadata only)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from pyjolt._internal.markers import collect_marked

F = TypeVar("F", bound=Callable[..., Any])

#: Attribute holding the ``ScheduledJob`` records of a decorated function.
JOBS_ATTR = "__pyjolt_scheduled_jobs__"


@dataclass(frozen=True)
class ScheduledJob:
    """One ``@schedule_job`` on a method: the trigger and APScheduler ``add_job`` options."""

    trigger: Any
    options: Mapping[str, Any]


def schedule_job(trigger: Any, /, **options: Any) -> Callable[[F], F]:
    """Schedule a ``TaskManager`` method when the app starts.

    Args:
        trigger: ``"interval"``, ``"cron"``, ``"date"`` (or another APScheduler trigger name
            or trigger instance).
        **options: the trigger's arguments (``minutes=1``, ``hour="*/2"``, ``run_date=...``)
            and ``add_job`` options (``id``, ``name``, ``misfire_grace_time``, ``coalesce``,
            ``max_instances``, ``jobstore``, ``executor``, ``args``, ``kwargs``). Without
            ``id`` the job id is ``"<ClassName>.<method>"``, stable across processes.
            ``timeout``: seconds a run may take before it is cancelled and logged as a
            failure (default: the section's ``JOB_TIMEOUT``; ``None``: no limit).

    The decorator records metadata and returns the same function; it can be stacked to
    schedule one method with several triggers (give each an ``id``).
    """

    if "timeout" in options:
        check_timeout(options["timeout"], "@schedule_job(timeout=...)")
    record = ScheduledJob(trigger, MappingProxyType(dict(options)))

    def decorate(fn: F) -> F:
        existing: tuple[ScheduledJob, ...] = getattr(fn, JOBS_ATTR, ())
        setattr(fn, JOBS_ATTR, (*existing, record))
        return fn

    return decorate


def check_timeout(value: Any, where: str) -> float | None:
    """``value`` as a job timeout: None or a positive number of seconds, else ``ValueError``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"{where}: expected a positive number of seconds or None, got {value!r}")
    return float(value)


def scheduled_methods(cls: type) -> list[tuple[str, tuple[ScheduledJob, ...]]]:
    """``(method name, records)`` for every decorated method of ``cls`` and its bases.

    Override rule and order: ``collect_marked`` (an override without the decorator
    unschedules the method).
    """
    return [(m.name, m.mark) for m in collect_marked(cls, JOBS_ATTR) if m.mark]


__all__ = ["ScheduledJob", "check_timeout", "schedule_job", "scheduled_methods"]
