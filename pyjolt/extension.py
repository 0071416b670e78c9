"""The one shape every extension has."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from pyjolt._internal.dependencies import Requirement, require
from pyjolt._internal.suggest import key_hint
from pyjolt.appcontext import AppProtocol, current_app
from pyjolt.config import invalid_config, shown_input
from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from loguru import Logger
    from pydantic_core import ErrorDetails
    from starlette.routing import BaseRoute

    from pyjolt.cli.controller import CliCommand
    from pyjolt.controller.meta import EndpointMeta, Guard

ConfigT = TypeVar("ConfigT", bound=BaseModel)
StateT = TypeVar("StateT", bound="ExtensionState[Any]")
T = TypeVar("T")


def namespace(app: AppProtocol, configs_name: str) -> str:
    """The key prefix of one extension section of one app in a shared store (Redis, SQLite):
    ``pyjolt:<APP_NAME>:<section>:``, so apps and sections never share or clear entries."""
    return f"pyjolt:{app.app_name}:{configs_name.lower()}:"


#: A readiness check: finishes when the resource answers, raises (or hangs) when it does not.
HealthCheck = Callable[[], Awaitable[object]]
#: Who hears ``BaseExtension.record`` events: ``(configs_name, event, job)`` (the built-in
#: metrics); ``job`` names the scheduled job an event is about, else None.
EventListener = Callable[[str, str, str | None], None]
_EVENT_LISTENERS: list[EventListener] = []


def add_event_listener(listener: EventListener) -> None:
    """Hear every extension event (idempotent)."""
    if listener not in _EVENT_LISTENERS:
        _EVENT_LISTENERS.append(listener)


class Finding(NamedTuple):
    """A deployment check's finding (``pyjolt check --deploy``)."""

    id: str
    severity: Literal["error", "warning"]
    message: str
    fix: str


class ExtensionConfig(BaseModel):
    """Base of extension config models: unknown keys are an error, keys are UPPER_CASE."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, populate_by_name=True)


@dataclass(eq=False)
class ExtensionState(Generic[ConfigT]):
    """What one extension knows about one app: the app and the validated config section.

    Extensions subclass it to add what they build for that app (backend, engine, scheduler,
    clients). It lives in ``app.extension_states[configs_name]``, so one extension instance
    serves several apps, each with its own state. A subclass may be a dataclass too
    (``@dataclass(eq=False, kw_only=True)``) declaring its fields after these two.
    """

    app: AppProtocol
    config: ConfigT


class BaseExtension(Generic[ConfigT]):
    """Base class of all extensions.

    Lifecycle: ``init_app(app)`` while the app is built (validate config, register),
    ``await startup()`` in the lifespan (open pools and clients), ``await shutdown()``
    (close them), in reverse ``EXTENSIONS`` order.

    Per-app state: ``init_app`` stores an ``ExtensionState`` (``state_class``) on the app;
    ``state_for(app)`` returns it. Inside a request, WebSocket or lifespan the extension works
    with the app serving it; elsewhere (tests, scripts) with the app it was initialised for
    last.

    Config: the section named ``configs_name`` (default: ``default_configs_name``) is a dict
    in the app config, e.g. ``CACHE = {"BACKEND": ...}``; flat keys ``CACHE_BACKEND = ...`` are
    merged into it. With ``variable_prefix="MY_"`` the section is ``MY_CACHE``.
    """

    #: Section name used when none is given (e.g. "SQL_DATABASE").
    default_configs_name: ClassVar[str] = ""
    #: Pydantic model validating the section; None = no config.
    config_model: ClassVar[type[BaseModel] | None] = None
    #: The per-app state class ``init_app`` builds (subclasses add their own fields).
    state_class: ClassVar[type[ExtensionState[Any]]] = ExtensionState
    #: Third-party modules the extension needs and the extra that installs them, checked when
    #: the app is built (a missing one stops start-up with the ``pip install`` that fixes it).
    requires: ClassVar[tuple[Requirement, ...]] = ()

    def __init__(
        self, *, configs_name: str | None = None, variable_prefix: str | None = None
    ) -> None:
        base = configs_name or self.default_configs_name or type(self).__name__.upper()
        self._variable_prefix = variable_prefix or ""
        self._configs_name = configs_name if configs_name else f"{self._variable_prefix}{base}"
        # The app initialised last (kept alive like the state it owns): what the extension
        # works with outside any app's request or lifespan.
        self._last_app: AppProtocol | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> BaseExtension[ConfigT]:
        # Pydantic deep-copies config defaults (``EXTENSIONS = [ext]``): the app must
        # initialise the very instance the user holds, not a copy.
        return self

    @property
    def configs_name(self) -> str:
        return self._configs_name

    @property
    def variable_prefix(self) -> str:
        return self._variable_prefix

    # -- per-app state --------------------------------------------------------------------
    def _current_app_or_none(self) -> AppProtocol | None:
        app = current_app()
        if app is not None and app.extensions.get(self._configs_name) is self:
            return app
        return self._last_app

    def _current_app(self) -> AppProtocol:
        app = self._current_app_or_none()
        if app is None:
            raise RuntimeError(f"{type(self).__name__} is not initialised: list it in EXTENSIONS")
        return app

    @property
    def initialised(self) -> bool:
        """True once ``init_app`` ran for an app."""
        return self._current_app_or_none() is not None

    def state_for(self, app: AppProtocol) -> ExtensionState[ConfigT]:
        """What this extension knows about ``app`` (raises if it was not initialised there)."""
        state = app.extension_states.get(self._configs_name)
        if (
            not isinstance(state, ExtensionState)
            or app.extensions.get(self._configs_name) is not self
        ):
            raise RuntimeError(
                f"{type(self).__name__} ({self._configs_name}) is not initialised for app "
                f"{app.app_name!r}: list it in that app's EXTENSIONS"
            )
        return state

    def _state_as(self, cls: type[StateT], app: AppProtocol | None = None) -> StateT:
        """The typed state of ``app`` (default: the current app)."""
        state = self.state_for(app if app is not None else self._current_app())
        if not isinstance(state, cls):
            raise TypeError(
                f"{type(self).__name__} state is {type(state).__name__}, not {cls.__name__}"
            )
        return state

    @classmethod
    def registered_state(cls, app: AppProtocol, variable_prefix: str = "") -> ExtensionState[Any]:
        """The state of the ``cls`` registered on ``app`` for ``variable_prefix`` (section
        ``<variable_prefix><default_configs_name>``): how a user backend's
        ``configure_from_app(app, variable_prefix)`` reaches its validated section."""
        section = f"{variable_prefix}{cls.default_configs_name}"
        state = app.extension_states.get(section)
        if not isinstance(state, cls.state_class):
            raise ConfigurationError(
                f"no {cls.__name__} is registered for the section {section!r}: list "
                f"{cls.__name__}({variable_prefix!r}) in EXTENSIONS"
            )
        return state

    def build_backend(self, backend_cls: type[Any], built: object, expected: type[T]) -> T:
        """Check that ``backend_cls`` (the ``BACKEND`` setting) built an ``expected``."""
        if not isinstance(built, expected):
            raise ConfigurationError(
                f"{self._configs_name}['BACKEND']: {backend_cls.__name__} built "
                f"{type(built).__name__}, not a {expected.__name__} instance"
            )
        return built

    def make_state(self, app: AppProtocol, config: ConfigT) -> ExtensionState[ConfigT]:
        """Build this app's state from the validated config (subclasses add their objects)."""
        return self.state_class(app, config)

    @property
    def app(self) -> AppProtocol:
        """The app being served (see the class docstring for which one)."""
        return self._current_app()

    @property
    def config(self) -> ConfigT:
        """The validated config section of the current app."""
        return self.state_for(self._current_app()).config

    @property
    def logger(self) -> Logger:
        return self._current_app().logger

    def read_section(self, app: AppProtocol) -> dict[str, Any]:
        """The raw config section: the dict under ``configs_name`` plus flat prefixed keys."""
        name = self._configs_name
        section = app.get_conf(name, None)
        if section is None:
            section = {}
        if isinstance(section, BaseModel):
            # `SQL_DATABASE: SqlDatabaseConfig = {...}`: the config loader already built the
            # model; keep the keys the user gave, so defaults still come from config_model
            section = section.model_dump(exclude_unset=True)
        if not isinstance(section, Mapping):
            raise ConfigurationError(
                f"{name} must be a dict, the extension's config model or a JSON object in the "
                f"environment, got {type(section).__name__}"
            )
        merged = dict(section)
        prefix = name + "_"
        for key, value in app.configs.items():
            if key.startswith(prefix) and key[len(prefix) :].isupper():
                merged.setdefault(key[len(prefix) :], value)
        return merged

    def config_names(self) -> dict[str, Collection[str] | None]:
        """What this extension reads from the app config: its section with the keys it accepts
        (None: any key). Start-up uses it to spot misspelt sections and keys."""
        model = self.config_model
        if model is None:
            return {self._configs_name: None}
        keys = set(model.model_fields)
        keys.update(f.alias for f in model.model_fields.values() if f.alias)
        return {self._configs_name: keys}

    def dependencies(self, config: ConfigT) -> list[Requirement]:
        """Modules this extension needs with ``config`` (``requires``, plus e.g. the database
        driver a URL names); checked when the app is built."""
        return list(self.requires)

    def validate_config(self, raw: Mapping[str, Any]) -> ConfigT:
        """Validate a section with ``config_model``; errors name the section, key and fix."""
        model = self.config_model
        if model is None:
            return raw  # type: ignore[return-value]
        try:
            return model.model_validate(dict(raw))  # type: ignore[return-value]
        except ValidationError as exc:
            name = self._configs_name
            known = self.config_names().get(name) or ()

            def line(key: str, err: ErrorDetails) -> str:
                if err["type"] == "extra_forbidden" and len(err["loc"]) == 1:
                    return f"{name}[{key!r}] is not a setting of {name}; {key_hint(key, known)}"
                return f"{name}[{key or '(section)'!r}]: {err['msg']} ({shown_input(err, 'got')})"

            fix = f"Fix the {name} section in your config class or environment."
            raise invalid_config("extension config", exc, line, fix) from exc

    def init_app(self, app: AppProtocol) -> None:
        """Read and validate config, build the app's state, register with ``app``.

        Safe to call for several apps: each gets its own state.
        """
        config = self.validate_config(self.read_section(app))
        require(self.dependencies(config), f"{type(self).__name__} ({self._configs_name})")
        state = self.make_state(app, config)
        app.add_extension(self)
        app.extension_states[self._configs_name] = state
        self._last_app = app

    async def startup(self) -> None:
        """Open connections and pools (called in the app's lifespan)."""

    async def shutdown(self) -> None:
        """Close what ``startup`` opened."""

    def health_checks(self) -> Mapping[str, HealthCheck]:
        """Readiness checks by name (``"sql:SQL_DATABASE"``), asked by the readiness endpoint.

        Each runs with a timeout; override to add checks (return ``{}`` for none).
        """
        return {}

    def record(self, event: str, *, job: str | None = None) -> None:
        """Count an event of this extension (``"hit"``, ``"miss"``, ``"run"``, ``"failure"``)
        for the metrics; costs nothing when metrics are off. ``job``: the job it is about (a
        scheduled job's id), counted per job as well."""
        for listener in _EVENT_LISTENERS:
            listener(self.configs_name, event, job)

    def route_guards(self, app: AppProtocol, meta: EndpointMeta) -> Sequence[Guard]:
        """Guards this extension adds to a route of ``app`` at start-up (e.g. default rate
        limits); ``meta`` is what the route's decorators said."""
        return ()

    def routes(self, app: AppProtocol) -> Sequence[BaseRoute]:
        """Routes (e.g. a mounted sub-app) this extension adds to ``app``; asked once every
        extension of the app is initialised, so their engines and clients exist."""
        return ()

    def deploy_checks(self, app: AppProtocol) -> Sequence[Finding]:
        """What this extension finds unsafe for a deployment of ``app`` (``check --deploy``)."""
        return ()

    def cli_commands(self) -> Sequence[CliCommand]:
        """Commands this extension adds to the app's CLI (``python cli.py <name>``)."""
        return ()
