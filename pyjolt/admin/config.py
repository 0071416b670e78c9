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

    URL_PATH: str = Field(
        "/admin", pattern=r"^/[^\s?#]*[^/\s?#]$", description="Where the dashboard is mounted"
    )
    TITLE: str = Field("Admin", description="Title of the dashboard's pages")
    ROLES: list[Any] = Field(
        default_factory=list,
        description="Roles that may enter; empty: nobody with DEBUG off, any user with DEBUG on",
    )
    PERMISSIONS: dict[str, dict[Permission, list[Any]]] = Field(
        default_factory=dict,
        description="{model or '*': {view|create|edit|delete: [roles]}}; unlisted: entry roles",
    )
    MODELS: list[Any] = Field(
        default_factory=list,
        description="Models to show (classes or import strings); default: registered, else all",
    )
    MODEL_OPTIONS: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="{ModelClassName: {sqladmin ModelView option or read_only: value}}",
    )
    PAGES: dict[Page, list[Any]] = Field(
        default_factory=dict,
        description="{scheduler|email|task_queue: [roles]}; unlisted pages: entry roles",
    )
    USER_MODEL: Any = Field(None, description="User model the login form looks users up in")
    USERNAME_FIELD: str = Field("username", description="USER_MODEL column holding the login")
    PASSWORD_FIELD: str = Field(
        "password", description="USER_MODEL column holding the password hash"
    )
    SESSION_COOKIE: str = Field(
        "pyjolt_admin", min_length=1, description="The dashboard's session (CSRF) cookie"
    )

    @field_validator("MODEL_OPTIONS")
    @classmethod
    def _no_model_binding(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, options in value.items():
            if "model" in options:
                raise ValueError(f"MODEL_OPTIONS[{name!r}] may not set 'model'")
        return value
