"""The ``TASK_MANAGER`` config section."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator

from pyjolt.extension import ExtensionConfig
from pyjolt.registry import ImportString
from pyjolt.task_manager.locks import JobLockStore

DEFAULT_JOB_DEFAULTS: dict[str, Any] = {"coalesce": False, "max_instances": 3}


class TaskManagerConfig(ExtensionConfig):
    """Validated ``TASK_MANAGER`` section (see ``TaskManager`` for the meaning of each key)."""

    JOB_STORES: dict[str, Any] | None = None
    EXECUTORS: dict[str, Any] | None = None
    JOB_DEFAULTS: dict[str, Any] = Field(default_factory=dict)
    DAEMON: bool = True
    #: an ``AsyncIOScheduler`` subclass (checked when the scheduler is built: APScheduler is
    #: imported lazily)
    SCHEDULER: Annotated[
        Any, ImportString("a scheduler class", lambda obj: obj is None or isinstance(obj, type))
    ] = None
    TIMEZONE: str | None = None
    LOCK_URL: str | None = None
    LOCK_STORE: Annotated[
        Any,
        ImportString("a JobLockStore", lambda obj: obj is None or isinstance(obj, JobLockStore)),
    ] = None
    #: None: ``pyjolt:<APP_NAME>:<section>:`` (apps and sections never share claims).
    LOCK_KEY_PREFIX: str | None = None
    LOCK_TTL: float = Field(300.0, gt=0)
    #: the most one claim in Redis may take, seconds (one attempt, no retry)
    LOCK_TIMEOUT: float = Field(2.0, gt=0)
    #: after a failed claim, claims are refused (runs skipped) this long; then one tries again
    LOCK_RETRY_AFTER: float = Field(5.0, ge=0)
    #: most connections in the lock store's pool
    LOCK_MAX_CONNECTIONS: int = Field(10, gt=0)
    #: pooled connections unused this many seconds are closed
    LOCK_IDLE_TIMEOUT: float = Field(60.0, gt=0)
    SHUTDOWN_TIMEOUT: float = Field(10.0, ge=0)
    #: seconds a scheduled run may take before it is cancelled (None: no limit)
    JOB_TIMEOUT: float | None = Field(300.0, gt=0)

    @field_validator("LOCK_URL")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a Redis URL (redis://host:port/db, rediss://..., unix://...)")
        return value

    def job_defaults(self) -> dict[str, Any]:
        """The spec's defaults overlaid with the configured ``JOB_DEFAULTS``."""
        return {**DEFAULT_JOB_DEFAULTS, **self.JOB_DEFAULTS}


__all__ = ["TaskManagerConfig"]
