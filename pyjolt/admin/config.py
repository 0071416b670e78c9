"""The ``ADMIN`` config section."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from pyjolt.extension import ExtensionConfig

#: What a role may do with a model: ``view`` (list, details, export), ``create`` (and
#: import), ``edit``, ``delete``.
Permission = Literal["view", "create", "edit", "delete"]
PERMISSIONS: tuple[Permission, ...] = ("view", "create", "edit", "delete")
#: The extension pages, shown when their extension is in the app.
Page = Literal["scheduler", "email", "task_queue"]


class AdminConfig(ExtensionConfig):
    """Keys of the ``ADMIN`` section (documented on :class:`AdminDashboard`)."""

    URL_PATH: str = Field("/admin", pattern=r"^/[^\s?#]*[^/\s?#]$")
    TITLE: str = "Admin"
    ROLES: list[Any] = Field(default_factory=list)
    PERMISSIONS: dict[str, dict[Permission, list[Any]]] = Field(default_factory=dict)
    MODELS: list[Any] = Field(default_factory=list)
    MODEL_OPTIONS: dict[str, dict[str, Any]] = Field(default_factory=dict)
    PAGES: dict[Page, list[Any]] = Field(default_factory=dict)
    USER_MODEL: Any = None
    USERNAME_FIELD: str = "username"
    PASSWORD_FIELD: str = "password"
    SESSION_COOKIE: str = Field("pyjolt_admin", min_length=1)

    @field_validator("MODEL_OPTIONS")
    @classmethod
    def _no_model_binding(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, options in value.items():
            if "model" in options:
                raise ValueError(f"MODEL_OPTIONS[{name!r}] may not set 'model'")
        return value
