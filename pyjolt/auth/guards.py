"""Login and role guards, and the bare ``login_required`` / ``role_required`` decorators.

Guards are metadata: the decorators attach them with :func:`pyjolt.controller.add_guard`
and return the target unchanged, so they work on controller methods, controller classes
(inherited by subclasses) and ``@socket`` handlers. The core runs them before
``@before_request`` hooks, sorted by priority: the login guard (10) always runs before the
role guard (20), whatever the decorator order.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pyjolt.controller import Guard, add_guard
from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.auth.extension import Authentication
    from pyjolt.request import AnyRequest

T = TypeVar("T")

LOGIN_PRIORITY = 10
ROLE_PRIORITY = 20

#: Names of the security schemes in the OpenAPI document.
COOKIE_SCHEME = "cookieAuth"
BEARER_SCHEME = "bearerAuth"


def find_authentication(app: AppProtocol) -> Authentication:
    """The app's one registered :class:`Authentication` extension (start-up error otherwise)."""
    from pyjolt.auth.extension import Authentication

    found = [ext for ext in app.extensions.values() if isinstance(ext, Authentication)]
    if not found:
        raise ConfigurationError(
            "login_required/role_required is used but no Authentication extension is registered: "
            "subclass pyjolt.auth.Authentication and list the instance in EXTENSIONS"
        )
    if len(found) > 1:
        names = ", ".join(type(ext).__name__ for ext in found)
        raise ConfigurationError(
            f"the bare login_required/role_required cannot choose between {names}: "
            "use the instance's decorators (@auth.login_required) instead"
        )
    return found[0]


class AuthGuard(Guard):
    """Base of the auth guards: an ``Authentication`` given now or found at start-up."""

    def __init__(self, auth: Authentication | None = None) -> None:
        self._auth = auth
        self._refresh_openapi(auth)

    @property
    def auth(self) -> Authentication:
        if self._auth is None:
            raise RuntimeError(f"{type(self).__name__} is not bound to an app yet")
        return self._auth

    def bind(self, app: AppProtocol) -> Guard:
        if self._auth is None:
            auth = find_authentication(app)
            bound = copy.copy(self)
            bound._auth = auth
        else:
            auth = self._auth
            if not any(ext is auth for ext in app.extensions.values()):
                raise ConfigurationError(
                    f"a route is guarded by {type(auth).__name__} instance that is not registered: "
                    "add it to EXTENSIONS"
                )
            bound = self
        # the OpenAPI builder may read the guard from the metadata or from the bound plan
        self._refresh_openapi(auth)
        bound._refresh_openapi(auth)
        return bound

    def _refresh_openapi(self, auth: Authentication | None) -> None:
        schemes = auth.security_schemes() if auth is not None else _default_schemes()
        self.openapi_security = tuple({name: []} for name in schemes)
        self._schemes: Mapping[str, Mapping[str, Any]] = schemes
        self.openapi_responses = self._responses(auth)

    def _responses(self, auth: Authentication | None) -> Mapping[int, str]:
        return {401: auth.authentication_message if auth is not None else "Login required"}

    def openapi_components(self) -> Mapping[str, Mapping[str, Any]]:
        return self._schemes


class LoginGuard(AuthGuard):
    """Loads the user (``user_loader``) into ``req.user``; 401 when there is none."""

    priority = LOGIN_PRIORITY

    async def check(self, req: AnyRequest) -> None:
        await self.auth.require_user(req)


class RoleGuard(AuthGuard):
    """Requires a logged-in user (loading it if needed) for whom ``role_check`` passes; 403
    when it does not."""

    priority = ROLE_PRIORITY

    def __init__(self, roles: Iterable[Any], auth: Authentication | None = None) -> None:
        self.roles = _flatten_roles(roles)
        super().__init__(auth)

    async def check(self, req: AnyRequest) -> None:
        await self.auth.require_roles(req, self.roles)

    def _responses(self, auth: Authentication | None) -> Mapping[int, str]:
        forbidden = auth.unauthorized_message if auth is not None else "Missing user role(s)"
        return {**super()._responses(auth), 403: forbidden}


def _default_schemes() -> Mapping[str, Mapping[str, Any]]:
    return {
        COOKIE_SCHEME: {"type": "apiKey", "in": "cookie", "name": "auth_cookie"},
        BEARER_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    }


def _flatten_roles(roles: Iterable[Any]) -> tuple[Any, ...]:
    flat: list[Any] = []
    for role in roles:
        if isinstance(role, list | tuple | set | frozenset):
            flat.extend(role)
        else:
            flat.append(role)
    if not flat:
        raise ValueError("role_required needs at least one role")
    return tuple(flat)


@overload
def login_required(target: T) -> T: ...
@overload
def login_required(target: None = None) -> Callable[[T], T]: ...
def login_required(target: Any = None) -> Any:
    """Require a logged-in user, using the app's registered ``Authentication`` extension.

    Works on controller classes (all their routes, and their subclasses' routes), methods and
    ``@socket`` handlers; ``@login_required`` and ``@login_required()`` are the same.
    """
    if target is None:
        return login_required
    return add_guard(target, LoginGuard())


def role_required(*roles: Any) -> Callable[[T], T]:
    """Require a logged-in user having one of ``roles`` (checked by ``role_check``), using the
    app's registered ``Authentication`` extension. Implies ``login_required``."""
    guard = RoleGuard(roles)

    def decorator(target: T) -> T:
        result: T = add_guard(target, guard)
        return result

    return decorator
