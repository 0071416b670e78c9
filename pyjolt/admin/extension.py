"""``AdminDashboard``: sqladmin mounted on the app, behind PyJolt's authentication."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sqladmin import Admin, ModelView
from sqlalchemy import inspect, select
from starlette.routing import BaseRoute, Mount
from starlette.types import ASGIApp

from pyjolt._internal.dependencies import Requirement
from pyjolt._internal.imports import import_string
from pyjolt.admin.access import ACTION_PERMISSION, DashboardLogin, RoleGrants
from pyjolt.admin.config import AdminConfig
from pyjolt.admin.csrf import csrf_input
from pyjolt.admin.pages import PAGE_EXTENSIONS, find_extension, page_view
from pyjolt.admin.views import DatabaseSessions, database_models, model_view
from pyjolt.database.sql import SqlDatabase
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension, Finding

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.auth import Authentication

TEMPLATES = Path(__file__).parent / "templates"


class AdminDashboard(BaseExtension[AdminConfig]):
    """An admin dashboard (sqladmin) for the models of every ``SqlDatabase`` of the app.

    Mounted when the app is built: each model gets list (search, sort, pages), details,
    create, edit and delete (see ``pyjolt.admin.views`` for the options); pages for the
    ``TaskManager`` (jobs: pause, resume, run now), ``EmailClient`` (a test message) and
    ``TaskQueue`` (recent failures) when the app has them. List it after the extensions it
    shows. Users log in with the app's ``Authentication`` (its ``user_loader`` and password
    check; the app's own login cookie works too). Every form carries a CSRF token.

    Config section ``ADMIN``:
        URL_PATH: where the dashboard is mounted ("/admin").
        TITLE: its title ("Admin").
        ROLES: roles that may enter (checked with ``Authentication.role_check``). Empty:
            with DEBUG on, any logged-in user (anyone, without an ``Authentication``); with
            DEBUG off the dashboard refuses everyone (a deploy-check finding says so).
        PERMISSIONS: ``{model: {"view"|"create"|"edit"|"delete": [roles]}}``, model by class
            name or sqladmin identity, ``"*"`` for every model; what is not listed is allowed
            to everyone who may enter.
        PAGES: ``{"scheduler"|"email"|"task_queue": [roles]}``; unlisted pages: everyone who
            may enter.
        MODELS: models (classes or import strings) to show; default: those marked with
            ``register_model``, else all.
        MODEL_OPTIONS: ``{ClassName: {sqladmin ModelView option: value}}``.
        USER_MODEL: the user model (class or import string) the login form looks up, by
            ``USERNAME_FIELD`` ("username"), checking ``PASSWORD_FIELD`` ("password", a hash
            made by ``Authentication.create_password_hash``). Or override
            ``check_credentials``.
        SESSION_COOKIE: the dashboard's session cookie ("pyjolt_admin"; it holds the CSRF
            token, signed with ``SECRET_KEY``).
    """

    default_configs_name: ClassVar[str] = "ADMIN"
    config_model = AdminConfig
    requires = (Requirement("sqladmin", "admin"),)

    def __init__(
        self, *, configs_name: str | None = None, variable_prefix: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        #: model -> options given to ``register_model`` on this dashboard
        self._registered: dict[type[Any], dict[str, Any]] = {}
        self._dummy_hash: str | None = None

    def register_model(self, model: Any = None, /, **options: Any) -> Any:
        """Show ``model`` (``@admin.register_model`` or ``@admin.register_model(**options)``,
        options as in ``ADMIN['MODEL_OPTIONS']``); records only."""

        def record(cls: Any) -> Any:
            self._registered[cls] = {**self._registered.get(cls, {}), **options}
            return cls

        return record(model) if model is not None else record

    # -- build -------------------------------------------------------------------------------
    def locked(self, app: AppProtocol) -> bool:
        """True when nobody may enter: DEBUG off and no ``ROLES``."""
        return not app.debug and not self.state_for(app).config.ROLES

    def routes(self, app: AppProtocol) -> Sequence[BaseRoute]:
        config = self.state_for(app).config
        auth = _authentication(app)
        if auth is None and not app.debug:
            raise ConfigurationError(
                f"{type(self).__name__} needs the app's Authentication extension when DEBUG "
                "is off: list your Authentication subclass in EXTENSIONS before it"
            )
        login = DashboardLogin(
            app,
            auth,
            roles=list(config.ROLES),
            locked=self.locked(app),
            check_credentials=self.check_credentials,
            policy=app.origin_policy,  # type: ignore[attr-defined]
            session_cookie=config.SESSION_COOKIE,
            path=config.URL_PATH,
            secure=auth.config.COOKIE_SECURE if auth is not None else not app.debug,
        )
        models = self._models(app, config)
        pages = {
            page: ext
            for page in PAGE_EXTENSIONS
            if (ext := find_extension(app.extensions, page)) is not None
        }
        views = [
            model_view(model, DatabaseSessions(db), self._options(model, config))
            for model, db in models
        ]
        _check_identities(views)
        rules = {view.identity: _model_rules(view, config) for view in views}
        rules.update({page: _page_rules(page, config) for page in pages})
        mounts = _Mounts()
        admin = _Dashboard(
            mounts,  # type: ignore[arg-type]
            session_maker=views[0].session_maker if views else None,
            base_url=config.URL_PATH,
            title=config.TITLE,
            templates_dir=str(TEMPLATES),
            authentication_backend=login,
            authorization_backend=RoleGrants(login, rules),
            debug=app.debug,
        )
        admin.templates.env.globals["csrf_input"] = csrf_input
        for view in views:
            admin.add_view(view)
        for page, ext in pages.items():
            admin.add_view(page_view(page, ext))
        return mounts.routes

    def _models(self, app: AppProtocol, config: AdminConfig) -> list[tuple[type[Any], Any]]:
        databases = [e for e in app.extensions.values() if isinstance(e, SqlDatabase)]
        listed = [import_string(m) if isinstance(m, str) else m for m in config.MODELS] or list(
            self._registered
        )
        return database_models(databases, app.models, listed)

    def _options(self, model: type[Any], config: AdminConfig) -> dict[str, Any]:
        return {**self._registered.get(model, {}), **config.MODEL_OPTIONS.get(model.__name__, {})}

    async def check_credentials(self, username: str, password: str) -> Any:
        """The id of the user with these credentials, or None (``USER_MODEL`` looked up in
        its database; the password checked by ``Authentication``)."""
        app = self.app
        config, auth = self.config, _authentication(app)
        if auth is None or config.USER_MODEL is None:
            return None
        model = config.USER_MODEL
        model = import_string(model) if isinstance(model, str) else model
        ((_, db),) = database_models(
            [e for e in app.extensions.values() if isinstance(e, SqlDatabase)],
            [],
            [model],
        )
        column = getattr(model, config.USERNAME_FIELD)
        async with DatabaseSessions(db)() as session:
            user = (await session.execute(select(model).where(column == username))).scalar()
        hashed = getattr(user, config.PASSWORD_FIELD, None) if user is not None else None
        if not isinstance(hashed, str):
            # as slow as a wrong password, so answers do not tell which usernames exist
            if self._dummy_hash is None:
                self._dummy_hash = await auth.hash_password_async(secrets.token_urlsafe(16))
            await auth.check_password_hash_async(password, self._dummy_hash)
            return None
        if not await auth.check_password_hash_async(password, hashed):
            return None
        (key,) = inspect(model).primary_key
        return getattr(user, key.key)

    def deploy_checks(self, app: AppProtocol) -> Sequence[Finding]:
        if not app.debug and not self.state_for(app).config.ROLES:
            return [
                Finding(
                    "admin.W001",
                    "warning",
                    f"{self.configs_name}['ROLES'] is empty: the admin dashboard refuses "
                    "everyone while DEBUG is off",
                    f"set {self.configs_name}['ROLES'] to the roles that may enter, e.g. ['admin']",
                )
            ]
        return []


class _Mounts:
    """Stands in for the app in sqladmin's ``Admin``: what it mounts becomes one of the routes
    the app is built with."""

    def __init__(self) -> None:
        self.routes: list[BaseRoute] = []

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        self.routes.append(Mount(path, app=app, name=name))


class _Dashboard(Admin):
    """sqladmin's ``Admin`` keeping each model view's own session maker (its database)."""

    def add_model_view(self, view: type[ModelView]) -> None:
        sessions = view.session_maker
        super().add_model_view(view)
        view.session_maker = sessions


def _authentication(app: AppProtocol) -> Authentication | None:
    from pyjolt.auth import Authentication

    return next((e for e in app.extensions.values() if isinstance(e, Authentication)), None)


def _roles(value: list[Any] | None) -> tuple[Any, ...] | None:
    return tuple(value) if value is not None else None


def _model_rules(view: type[ModelView], config: AdminConfig) -> dict[str, tuple[Any, ...] | None]:
    given = (
        config.PERMISSIONS.get(view.model.__name__)
        or config.PERMISSIONS.get(view.identity)
        or config.PERMISSIONS.get("*")
        or {}
    )
    return {action: _roles(given.get(perm)) for action, perm in ACTION_PERMISSION.items()}  # type: ignore[call-overload]


def _page_rules(page: str, config: AdminConfig) -> dict[str, tuple[Any, ...] | None]:
    return {"list": _roles(config.PAGES.get(page))}  # type: ignore[call-overload]


def _check_identities(views: list[type[ModelView]]) -> None:
    seen: dict[str, type[Any]] = {}
    for view in views:
        other = seen.setdefault(view.identity, view.model)
        if other is not view.model:
            raise ConfigurationError(
                f"ADMIN: models {other.__module__}.{other.__qualname__} and "
                f"{view.model.__module__}.{view.model.__qualname__} both show as "
                f"{view.identity!r}; list only one in ADMIN['MODELS'] or rename one"
            )
