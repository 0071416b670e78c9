"""Who may open the dashboard (PyJolt's ``Authentication``) and what they may do there.

``DashboardLogin`` is sqladmin's authentication backend: it loads the user with the app's
``user_loader`` (so the app's own login cookie or session works), requires one of
``ADMIN['ROLES']`` to enter and logs users in with the app's password check.
``RoleGrants`` is sqladmin's authorization backend: each view's actions are allowed to the
roles ``ADMIN['PERMISSIONS']`` / ``ADMIN['PAGES']`` give them.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqladmin.authentication import AuthenticationBackend
from sqladmin.authorization import AuthorizationBackend
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pyjolt.admin.csrf import CsrfMiddleware
from pyjolt.request import Request as PyJoltRequest
from pyjolt.response import Response as PyJoltResponse

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.auth import Authentication
    from pyjolt.security.origin import OriginPolicy

#: sqladmin action -> the permission (``ADMIN['PERMISSIONS']``) that allows it
ACTION_PERMISSION = {
    "list": "view",
    "details": "view",
    "export": "view",
    "create": "create",
    "import": "create",
    "edit": "edit",
    "delete": "delete",
}
_USER = "pyjolt_admin_user"
_ALLOWED = "pyjolt_admin_allowed"
_UNKNOWN = object()
#: ``(username, password) -> user id or None``
CredentialCheck = Callable[[str, str], Awaitable[Any]]


class DashboardLogin(AuthenticationBackend):
    """Enter with a user of the app's ``Authentication`` who has an entry role.

    Without an ``Authentication`` extension the dashboard is open, which the extension allows
    only with DEBUG on; ``locked`` shuts it for everyone (DEBUG off and no ``ROLES``).
    """

    def __init__(
        self,
        app: AppProtocol,
        auth: Authentication | None,
        *,
        roles: list[Any],
        locked: bool,
        check_credentials: CredentialCheck,
        policy: OriginPolicy,
        session_cookie: str,
        path: str,
        secure: bool,
    ) -> None:
        super().__init__(
            # no SECRET_KEY is allowed only with DEBUG on: sessions then last one process
            secret_key=str(app.configs.get("SECRET_KEY") or secrets.token_urlsafe(32)),
            session_cookie=session_cookie,
            path=path,
            https_only=secure,
            same_site="lax",
        )
        self.middlewares.append(Middleware(CsrfMiddleware, policy=policy))
        self.app = app
        self.auth = auth
        self.roles = roles
        self.locked = locked
        self.check_credentials = check_credentials

    async def user(self, request: Request) -> Any:
        """The app's user of this request (``Authentication.current_user``), or None."""
        if self.auth is None:
            return None
        user = getattr(request.state, _USER, _UNKNOWN)
        if user is _UNKNOWN:
            user = await self.auth.current_user(PyJoltRequest(request.scope, request.receive))
            setattr(request.state, _USER, user)
        return user

    async def authenticate(self, request: Request) -> bool:
        if self.locked:
            raise HTTPException(403, "The admin dashboard is closed: set ADMIN['ROLES']")
        if self.auth is None:
            return True
        user = await self.user(request)
        if user is None:
            return False
        # no ROLES (allowed only with DEBUG on): any logged-in user
        if self.roles and not await self.auth.role_check(user, self.roles):
            raise HTTPException(403, self.auth.unauthorized_message)
        return True

    async def get_user_id(self, request: Request) -> Any:
        user = await self.user(request)
        return getattr(user, "id", None) if user is not None else None

    async def login(self, request: Request) -> Response | bool:
        if self.locked:
            raise HTTPException(403, "The admin dashboard is closed: set ADMIN['ROLES']")
        if self.auth is None:
            return True
        form = await request.form()
        username, password = form.get("username"), form.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            return False
        user_id = await self.check_credentials(username, password)
        if user_id is None:
            return False
        res = PyJoltResponse(self.app, PyJoltRequest(request.scope, request.receive))
        self.auth.login_user(res, user_id)
        return await _with_cookies(res, RedirectResponse(request.url_for("admin:index"), 302))

    async def logout(self, request: Request) -> Response | bool:
        request.session.clear()
        if self.auth is None:
            return False
        res = PyJoltResponse(self.app, PyJoltRequest(request.scope, request.receive))
        self.auth.logout_user(res)
        return await _with_cookies(res, RedirectResponse(request.url_for("admin:login"), 302))


async def _with_cookies(res: PyJoltResponse[Any], response: Response) -> Response:
    """``response`` with the cookies ``res`` set, after ``res``'s before-send hooks ran (a
    server-side session is stored before its cookie leaves)."""
    await res._run_before_send()
    for value in res.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", value)
    return response


class RoleGrants(AuthorizationBackend):
    """Allows each ``(view, action)`` to the roles configured for it (None: anyone who may
    enter). The user's roles are checked once per request, in ``load``."""

    def __init__(
        self,
        login: DashboardLogin,
        rules: Mapping[str, Mapping[str, tuple[Any, ...] | None]],
    ) -> None:
        self.login = login
        #: view identity -> sqladmin action -> roles (None: every user who may enter)
        self.rules = rules

    async def load(self, request: Request) -> None:
        auth = self.login.auth
        user = await self.login.user(request)
        verdicts: dict[tuple[Any, ...], bool] = {}
        allowed: set[tuple[str, str]] = set()
        for identity, actions in self.rules.items():
            for action, roles in actions.items():
                if roles is None or auth is None:
                    allowed.add((identity, action))
                    continue
                if roles not in verdicts:
                    verdicts[roles] = user is not None and await auth.role_check(user, list(roles))
                if verdicts[roles]:
                    allowed.add((identity, action))
        setattr(request.state, _ALLOWED, allowed)

    def has_permission(
        self, request: Request, identity: str, action: str, obj: Any | None = None
    ) -> bool:
        allowed = getattr(request.state, _ALLOWED, None)
        return allowed is not None and (identity, action) in allowed
