"""The PyJolt application: a Starlette app compiled from config, controllers and extensions."""

from __future__ import annotations

import contextvars
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, TypeVar

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, NoMatchFound
from starlette.types import ASGIApp, Receive, Scope, Send

from pyjolt._compile.build import init_extensions, reports_startup_errors
from pyjolt._compile.errors import default_handlers, user_handler
from pyjolt._compile.exceptions import ExceptionLayer, fuse_outermost
from pyjolt._compile.plan import HandlerPlan
from pyjolt._compile.route_index import IndexedRouter
from pyjolt._compile.router import compile_routes
from pyjolt._compile.stack import build_stack, middleware_entries
from pyjolt._internal.deprecation import warn_deprecated
from pyjolt.appcontext import _CURRENT_APP, ExtensionLike
from pyjolt.config import (
    BaseConfig,
    check_production_secrets,
    config_as_dict,
    environment_section,
    load_config,
)
from pyjolt.cors import CORSMiddleware, make_policy
from pyjolt.enums import RunMode
from pyjolt.exceptions.errors import AppFrozenError, ConfigurationError
from pyjolt.exceptions.http import NotFound
from pyjolt.extension import BaseExtension
from pyjolt.lifecycle import FirstCall, build_lifespan
from pyjolt.log_sinks import AppLog
from pyjolt.logging import LoggerBase, add_app_sinks
from pyjolt.observability import (
    observability_routes,
    prepare_observability,
    wrap_observability,
)
from pyjolt.registry import resolve
from pyjolt.request import REQUEST_SCOPE_KEY, Request
from pyjolt.response import Response
from pyjolt.security.checks import enforce_at_start_up
from pyjolt.security.headers import wrap_hosts_and_proxies, wrap_server_errors
from pyjolt.security.origin import OriginPolicy, csrf_input, csrf_token
from pyjolt.static import STATIC_ENDPOINT, join_base, static_mount, static_url
from pyjolt.templating import Templates

A = TypeVar("A", bound=type)

_ROOT_PATH: contextvars.ContextVar[str] = contextvars.ContextVar("pyjolt_root_path", default="")
_MISSING: Any = object()


def app(import_name: str, configs: type[BaseConfig] | None = None) -> Callable[[A], A]:
    """Class decorator binding a ``PyJolt`` subclass to its module and config class."""

    def decorator(cls: A) -> A:
        if not (isinstance(cls, type) and issubclass(cls, PyJolt)):
            raise TypeError("@app decorates a subclass of PyJolt")
        cls._import_name = import_name
        cls._config_class = configs
        return cls

    return decorator


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    raise NotFound(f"No route for {scope.get('path', '')!r}")


class PyJolt(Starlette):
    """The application. Build it with ``Application()``; it is a Starlette app.

    Building reads the config, resolves the registry, initialises the extensions, compiles the
    controllers into routes, calls Starlette's constructor once and builds the middleware stack.
    As in Starlette, ``add_middleware`` and ``add_exception_handler`` still work until the app
    starts (its first lifespan or request).
    """

    _import_name: str = "__main__"
    _config_class: type[BaseConfig] | None = None

    @reports_startup_errors
    def __init__(
        self,
        *,
        configs: type[BaseConfig] | None = None,
        import_name: str | None = None,
        cli_mode: bool = False,
    ) -> None:
        if cli_mode:
            warn_deprecated(
                "PyJolt(cli_mode=True)",
                "build the app as usual and call app.run_cli(): commands run in RunMode.CLI "
                "(app.run_mode, app.cli_command)",
            )
        #: Built by a 0.111-style ``cli.py`` (``Application(cli_mode=True)``): ``run_mode`` is
        #: then always ``RunMode.CLI``.
        self.cli_mode = cli_mode
        self._frozen = False
        self._cli_command: str | None = None
        config_class = configs or type(self)._config_class or BaseConfig
        self.import_name = import_name or type(self)._import_name
        self._configs: dict[str, Any] = config_as_dict(load_config(config_class))
        self._debug_build = bool(self._configs["DEBUG"])
        if not self._debug_build:
            check_production_secrets(self._configs)
        # relative config paths (templates, static, SQLite files, migrations) are taken from
        # BASE_PATH, so it is made absolute once, whatever folder the app is started from
        self._configs["BASE_PATH"] = os.path.abspath(
            self._configs.get("BASE_PATH") or self._default_base_path()
        )
        self._logger_classes: list[type[LoggerBase]] = resolve("LOGGERS", self._configs["LOGGERS"])
        self._log = AppLog(self, self.app_name)
        self.logger = self._log.logger
        self.ensure_logging()
        self.request_class: type[Request] = self._configs["REQUEST_CLASS"]
        self.response_class: type[Response[Any]] = self._configs["RESPONSE_CLASS"]
        self.extensions: dict[str, BaseExtension[Any]] = {}
        #: What each extension knows about this app (its per-app state), by section name.
        self.extension_states: dict[str, object] = {}
        self.templates = Templates(
            join_base(self.root_path, self._configs["TEMPLATES_DIR"]),
            strict=bool(self._configs["TEMPLATES_STRICT"]),
            globals={"url_for": self.url_for},
            request_globals={"csrf_token": csrf_token, "csrf_input": csrf_input},
        )
        debug = bool(self._configs["DEBUG"])
        self.debug = debug
        self.models: list[type[Any]] = resolve("MODELS", self._configs["MODELS"])
        prepare_observability(self)
        init_extensions(self, config_class, self._logger_classes)
        self.cli_controllers = [
            c(self) for c in resolve("CLI_CONTROLLERS", self._configs["CLI_CONTROLLERS"])
        ]
        # before the routes: a guard would otherwise report a missing Authentication first
        entries = middleware_entries(self, self._configs["MIDDLEWARE"])
        controllers = resolve("CONTROLLERS", self._configs["CONTROLLERS"])
        self.origin_policy = OriginPolicy(self._configs)
        compiled = compile_routes(self, controllers, debug=debug)
        self.handler_plans: list[HandlerPlan] = compiled.plans
        self._url_index = compiled.url_index
        #: endpoint name -> the guards that run before it
        self.endpoint_guards = compiled.guards
        routes: list[BaseRoute] = list(compiled.routes)
        mount = static_mount(self._configs["STATIC_URL"], self.static_files_path)
        if mount is not None:
            routes.append(mount)
        # Documentation routes: OPEN_API on, and DEBUG on or OPEN_API_IN_PRODUCTION chosen.
        if self._configs["OPEN_API"] and (debug or self._configs["OPEN_API_IN_PRODUCTION"]):
            from pyjolt.openapi import openapi_routes

            routes.extend(openapi_routes(self))
        routes.extend(observability_routes(self))
        for extension in self.extensions.values():  # e.g. a mounted admin: engines exist now
            routes.extend(extension.routes(self))
        handlers = default_handlers(self)
        for handler_class in resolve("EXCEPTION_HANDLERS", self._configs["EXCEPTION_HANDLERS"]):
            instance = handler_class(self)
            for exc_class, method in instance.handled():
                handlers[exc_class] = user_handler(self, method)
        self._middleware_labels: dict[int, str] = {id(mw): label for mw, label in entries}
        lifespan = build_lifespan(self)
        self._first_call = FirstCall(self, lifespan)
        super().__init__(
            debug=debug,
            middleware=[mw for mw, _ in entries],
            exception_handlers=handlers,
            lifespan=lifespan,
        )
        self.router = IndexedRouter(
            routes, redirect_slashes=False, default=_not_found, lifespan=lifespan
        )
        self._frozen = True
        # built now, so bad middleware options stop the build; rebuilt by late additions
        self.middleware_stack = self.build_middleware_stack()
        #: logged when the app starts serving (the lifespan), not by CLI commands
        self.startup_warnings: list[str] = [] if debug else enforce_at_start_up(self)

    def _default_base_path(self) -> str:
        module = sys.modules.get(self.import_name)
        file = getattr(module, "__file__", None)
        return os.path.dirname(os.path.abspath(file)) if file else os.getcwd()

    def build_middleware_stack(self) -> ASGIApp:
        """ServerError (+ security headers) -> hosts, proxies -> observability -> CORS -> user
        middleware (with the exception handlers) -> router.

        See ``pyjolt._compile.stack`` for how plain ASGI middleware and ``MiddlewareBase``
        combine; CORS sits outside both, so error answers carry CORS headers too (its check
        runs in the outermost exception layer, before the exception handling).
        """
        app = build_stack(
            self.router,
            self.user_middleware,
            dict(self.exception_handlers),
            debug=self.debug,
            labels=self._middleware_labels,
        )
        if self._configs["CORS_ENABLED"]:
            cors = CORSMiddleware(app, pyjolt_app=self, default=make_policy(self._configs, None))
            if isinstance(app, ExceptionLayer) and app.cross_origin is None:
                app.cross_origin = cors.cross_origin  # the same check, without a layer
            else:
                app = cors
        app = wrap_observability(self, app)
        app = wrap_hosts_and_proxies(app, self._configs)
        return fuse_outermost(wrap_server_errors(app, self._configs, debug=self.debug))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._first_call.done:  # a request before any lifespan starts the app once
            await self._first_call.run(scope["type"])
        root = scope.get("root_path")
        token = _ROOT_PATH.set(root) if root else None
        app_token = _CURRENT_APP.set(self)
        try:
            # Starlette.__call__, inlined: one coroutine frame less per request
            scope["app"] = self
            stack = self.middleware_stack
            if stack is None:
                stack = self.middleware_stack = self.build_middleware_stack()
            await stack(scope, receive, send)
        finally:
            _CURRENT_APP.reset(app_token)
            if token is not None:
                _ROOT_PATH.reset(token)
            # The request sits in the scope and its response builder points back at it:
            # reference cycles that only the cyclic GC would free, with pauses under load.
            # Break them once the exception handlers are done with the request.
            req = scope.pop(REQUEST_SCOPE_KEY, None)
            if req is not None:
                req._res = None

    async def stop_started_lifespan(self) -> None:
        """Run the shutdown of a lifespan started on a first request (an app mounted without
        its lifespan forwarded); nothing otherwise. Call it from the parent's shutdown."""
        await self._first_call.stop()

    def add_extension(self, extension: ExtensionLike) -> None:
        """Register an initialised extension (called by ``BaseExtension.init_app``)."""
        if not isinstance(extension, BaseExtension):
            raise TypeError(f"{extension!r} is not a pyjolt BaseExtension")
        if self._frozen:
            raise AppFrozenError(
                "extensions must be listed in EXTENSIONS; the app is already built"
            )
        name = extension.configs_name
        if name in self.extensions and self.extensions[name] is not extension:
            raise ConfigurationError(
                f"two extensions use the config section {name!r}; give one a different configs_name"
            )
        self.extensions[name] = extension

    def add_middleware(self, middleware_class: Any, *args: Any, **kwargs: Any) -> None:
        """Add an outermost middleware, as in Starlette: allowed until the app starts.

        The stack is rebuilt (and checked) at once, so bad options fail here.
        """
        self._check_not_started("add middleware")
        mw = Middleware(middleware_class, *args, **kwargs)
        self.user_middleware.insert(0, mw)
        self._middleware_labels[id(mw)] = (
            f"add_middleware({getattr(middleware_class, '__name__', middleware_class)})"
        )
        self._rebuild_stack()

    def add_exception_handler(self, exc_class_or_status_code: Any, handler: Any) -> None:
        """Register a Starlette-style handler ``(request, exc) -> response`` until start."""
        self._check_not_started("add exception handlers")
        self.exception_handlers[exc_class_or_status_code] = handler
        self._rebuild_stack()

    def _check_not_started(self, what: str) -> None:
        if self._first_call.started:
            # Starlette's own error
            raise RuntimeError(f"Cannot {what} after an application has started")

    def _rebuild_stack(self) -> None:
        self.middleware_stack = None
        self.middleware_stack = self.build_middleware_stack()

    # -- logging ---------------------------------------------------------------------------
    def ensure_logging(self) -> None:
        """Add this app's sinks if they are not there (idempotent); at build and start-up.

        Only this app's sinks: other apps' sinks and loguru's other handlers are left alone
        (``pyjolt.log_sinks`` says which records each app's sinks take).
        """
        self._log.add(lambda: add_app_sinks(self, self._logger_classes))

    async def release_logging(self) -> None:
        """Remove the sinks this app added (at the end of its lifespan, unless kept)."""
        self._log.release()

    def keep_logging(self) -> AbstractContextManager[None]:
        """Keep this app's sinks open for the block, past the app's lifespan.

        A server run wraps itself in it: the server's last lines ("Application shutdown
        complete", "Finished server process") come after the lifespan has ended.
        """
        return self._log.hold(lambda: add_app_sinks(self, self._logger_classes))

    # -- the spec's API --------------------------------------------------------------------
    def get_conf(self, config_name: str, default: Any = _MISSING) -> Any:
        """A config value; raises ``ConfigurationError`` if missing and no default is given."""
        if config_name in self._configs:
            return self._configs[config_name]
        if config_name.isupper():
            # A section the config class does not declare, given in the environment (as JSON,
            # or key by key as NAME__KEY variables).
            value = environment_section(config_name, os.environ)
            if value is not None:
                self._configs[config_name] = value
                return value
        if default is _MISSING:
            raise ConfigurationError(
                f"config key {config_name!r} is not set; add it to your config class or environment"
            )
        return default

    def url_for(self, endpoint: str, **values: Any) -> str:
        """URL of ``"Controller.method"`` (or ``"Static.get"`` with ``filename``)."""
        root = _ROOT_PATH.get()
        if endpoint == STATIC_ENDPOINT:
            if "filename" not in values:
                raise ValueError("url_for('Static.get') needs filename=...")
            return static_url(self, values["filename"], root)
        entry = self._url_index.get(endpoint)
        if entry is None:
            raise NoMatchFound(endpoint, values)
        from pyjolt._compile.routes import build_url

        route, params = entry
        return build_url(route, endpoint, params, values, root)

    def run_cli(self) -> None:
        """Run a CLI command from ``sys.argv`` inside the app's lifespan (no server)."""
        from pyjolt.cli.runner import run_cli

        raise SystemExit(run_cli(self))

    @contextmanager
    def running_command(self, name: str) -> Iterator[None]:
        """Mark the block as a CLI command run: ``run_mode`` is ``RunMode.CLI`` inside it.

        ``run_cli`` wraps the command's lifespan in it, so start-up code sees the mode
        (the scheduler stays off for a command).
        """
        previous = self._cli_command
        self._cli_command = name
        try:
            yield
        finally:
            self._cli_command = previous

    @property
    def run_mode(self) -> RunMode:
        """``RunMode.CLI`` while ``run_cli`` runs a command (or for an app built with 0.111's
        ``cli_mode=True``), ``RunMode.SERVER`` otherwise."""
        return RunMode.SERVER if self._cli_command is None and not self.cli_mode else RunMode.CLI

    @property
    def cli_command(self) -> str | None:
        """The name of the CLI command being run, or None when serving."""
        return self._cli_command

    @property
    def configs(self) -> dict[str, Any]:
        return self._configs

    @property
    def root_path(self) -> str:
        """The app's base folder (``BASE_PATH``)."""
        return str(self._configs["BASE_PATH"])

    @property
    def app(self) -> PyJolt:
        return self

    @property
    def static_files_path(self) -> str:
        return join_base(self.root_path, self._configs["STATIC_DIR"])

    @property
    def version(self) -> str:
        return str(self._configs["VERSION"])

    @property
    def app_name(self) -> str:
        return str(self._configs["APP_NAME"])
