"""The app as lower layers and extensions see it, and which app serves the current task.

``AppProtocol`` is the typed view of ``PyJolt`` for code below ``pyjolt.application`` in the
import layers (extensions, controllers, the CLI): they type their ``app`` with it instead of
``Any`` and never import the application module. ``current_app()`` names the app whose
request, WebSocket or lifespan is running in this task; one module-level extension serving
two apps uses it to pick that app's state.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from loguru import Logger
    from starlette.datastructures import State

    from pyjolt.enums import RunMode
    from pyjolt.request import Request
    from pyjolt.response import Response
    from pyjolt.templating import Templates


class ExtensionLike(Protocol):
    """What the app needs to register an extension."""

    @property
    def configs_name(self) -> str: ...


class AppProtocol(Protocol):
    """The public surface of a built PyJolt app that extensions and controllers use."""

    @property
    def app_name(self) -> str: ...

    @property
    def import_name(self) -> str: ...

    @property
    def debug(self) -> bool: ...

    @property
    def logger(self) -> Logger: ...

    @property
    def configs(self) -> dict[str, Any]: ...

    @property
    def root_path(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def static_files_path(self) -> str: ...

    @property
    def templates(self) -> Templates: ...

    @property
    def state(self) -> State: ...

    @property
    def run_mode(self) -> RunMode:
        """``RunMode.CLI`` while ``run_cli`` runs a command, ``RunMode.SERVER`` otherwise."""

    @property
    def cli_command(self) -> str | None:
        """The name of the CLI command being run, or None when serving."""

    @property
    def request_class(self) -> type[Request]: ...

    @property
    def response_class(self) -> type[Response[Any]]: ...

    @property
    def extensions(self) -> Mapping[str, object]:
        """Registered extensions by config section name."""

    @property
    def extension_states(self) -> dict[str, object]:
        """What each extension knows about this app, by config section name."""

    @property
    def models(self) -> list[type[Any]]:
        """The resolved ``MODELS`` list."""

    def get_conf(self, config_name: str, default: Any = ...) -> Any:
        """A config value; raises ``ConfigurationError`` if missing and no default is given."""

    def url_for(self, endpoint: str, **values: Any) -> str: ...

    def add_extension(self, extension: ExtensionLike) -> None: ...


_CURRENT_APP: ContextVar[AppProtocol | None] = ContextVar("pyjolt_current_app", default=None)


def current_app() -> AppProtocol | None:
    """The app whose request, WebSocket or lifespan runs in this task (None outside one)."""
    return _CURRENT_APP.get()


@contextmanager
def app_context(app: AppProtocol) -> Iterator[None]:
    """Make ``app`` the current app inside the block (the app does this for every scope)."""
    token = _CURRENT_APP.set(app)
    try:
        yield
    finally:
        _CURRENT_APP.reset(token)
