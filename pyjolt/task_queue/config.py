"""The ``TASK_QUEUE`` config section."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from pyjolt.extension import ExtensionConfig

#: Broker URL schemes and the broker each selects.
BROKER_SCHEMES: dict[str, str] = {
    "memory": "in-memory (tests, one process)",
    "redis": "Redis streams (taskiq-redis)",
    "rediss": "Redis streams over TLS (taskiq-redis)",
    "amqp": "RabbitMQ (taskiq-aio-pika)",
    "amqps": "RabbitMQ over TLS (taskiq-aio-pika)",
    "nats": "NATS JetStream (taskiq-nats)",
    "tls": "NATS JetStream over TLS (taskiq-nats)",
}
REDIS_SCHEMES = ("redis", "rediss", "unix")


def url_scheme(url: str) -> str:
    """The lower-cased scheme of ``url`` ("" when it has none)."""
    return urlsplit(url).scheme.lower()


class TaskQueueConfig(ExtensionConfig):
    """Validated ``TASK_QUEUE`` section (see ``TaskQueue`` for the meaning of each key)."""

    BROKER_URL: str = "memory://"
    RESULT_BACKEND_URL: str | None = None
    QUEUE_NAME: str | None = None
    CONCURRENCY: int = Field(10, ge=1)
    DEFAULT_RETRIES: int = Field(0, ge=0)
    DEFAULT_BACKOFF: float = Field(1.0, ge=0)
    MAX_BACKOFF: float = Field(60.0, ge=0)
    DEFAULT_TIMEOUT: float | None = Field(None, gt=0)
    REDELIVERY_TIMEOUT: float = Field(300.0, gt=0)
    SHUTDOWN_TIMEOUT: float = Field(30.0, ge=0)
    RESULT_TTL: int = Field(86400, ge=1)
    FAILED_TASKS_URL: str | None = None
    FAILED_TASKS_KEEP: int = Field(1000, ge=1)
    REDACT_ARGS: list[str] | bool = Field(
        default_factory=lambda: ["password", "secret", "token", "api_key", "authorization"]
    )
    TASK_MODULES: list[str] = Field(default_factory=list)
    KEY_PREFIX: str = "pyjolt:task_queue:"

    @field_validator("BROKER_URL")
    @classmethod
    def _broker_scheme(cls, value: str) -> str:
        scheme = url_scheme(value)
        if scheme not in BROKER_SCHEMES:
            known = ", ".join(f"{s}:// ({what})" for s, what in BROKER_SCHEMES.items())
            shown = f"{scheme}://" if scheme else repr(value)
            raise ValueError(f"unknown broker scheme {shown}; use one of {known}")
        return value

    @field_validator("RESULT_BACKEND_URL", "FAILED_TASKS_URL")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and url_scheme(value) not in REDIS_SCHEMES:
            raise ValueError("must be a Redis URL (redis://host:port/db, rediss://..., unix://...)")
        return value

    @model_validator(mode="after")
    def _backoff_bounds(self) -> TaskQueueConfig:
        if self.MAX_BACKOFF < self.DEFAULT_BACKOFF:
            raise ValueError(
                f"MAX_BACKOFF ({self.MAX_BACKOFF}) is smaller than DEFAULT_BACKOFF "
                f"({self.DEFAULT_BACKOFF}); raise MAX_BACKOFF or lower DEFAULT_BACKOFF"
            )
        return self

    def retries_for(self, retries: int | None) -> int:
        """A task's retries (``None``: ``DEFAULT_RETRIES``)."""
        return self.DEFAULT_RETRIES if retries is None else retries

    def timeout_for(self, timeout: float | None) -> float | None:
        """A task's timeout (``None``: ``DEFAULT_TIMEOUT``)."""
        return self.DEFAULT_TIMEOUT if timeout is None else timeout

    def backoff_for(self, backoff: float | None, attempt: int) -> float:
        """Seconds before retry number ``attempt`` (1 = the first): base * 2**(attempt - 1),
        at most ``MAX_BACKOFF``."""
        base = self.DEFAULT_BACKOFF if backoff is None else backoff
        return float(min(base * 2 ** max(0, attempt - 1), self.MAX_BACKOFF))

    @property
    def broker_scheme(self) -> str:
        return url_scheme(self.BROKER_URL)

    def failed_tasks_url(self) -> str | None:
        """Where failed tasks are recorded: FAILED_TASKS_URL, else a Redis result backend or
        broker; None means in the worker's memory only."""
        if self.FAILED_TASKS_URL:
            return self.FAILED_TASKS_URL
        if self.RESULT_BACKEND_URL:
            return self.RESULT_BACKEND_URL
        if self.broker_scheme in REDIS_SCHEMES:
            return self.BROKER_URL
        return None


__all__ = ["BROKER_SCHEMES", "TaskQueueConfig", "url_scheme"]
