"""login_required / role_required on methods, classes, subclasses and websockets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from pyjolt import Request, Response
from pyjolt.auth import login_required, role_required
from pyjolt.controller import Controller, before_request, get, path, socket
from pyjolt.exceptions import AuthenticationException, UnauthorizedException
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.exceptions.handler import ExceptionHandler, handles
from pyjolt.request import SocketRequest
from pyjolt.testing import make_app
from tests.auth.support import SECRET, Auth, Roles, admin_api, bearer

Decorate = Callable[[Any], Any]


async def test_method_guard_loads_user(build_client: Any, auth: Auth) -> None:
    @path("/api")
    class Api(Controller):
        @get("/me")
        @auth.login_required
        async def me(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

        @get("/open")
        async def open(self, req: Request) -> Response[Any]:
            return req.res.json({"user": req.user})

    client = await build_client(controllers=[Api], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    anonymous = await client.get("/api/me")
    assert anonymous.status_code == 401
    assert anonymous.json()["message"] == "Login required"
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert (await client.get("/api/me", headers=bearer(auth, "bob"))).json() == {"name": "bob"}
    cookie = {"auth_cookie": auth.create_signed_cookie_value("carol")}
    client.cookies.update(cookie)
    assert (await client.get("/api/me")).json() == {"name": "carol"}
    # unguarded routes never call the user loader
    loads = auth.loads
    assert (await client.get("/api/open")).json() == {"user": None}
    assert auth.loads == loads


def _login_then_role(auth: Auth) -> Decorate:
    def apply(fn: Any) -> Any:
        return auth.login_required(auth.role_required(Roles.ADMIN)(fn))

    return apply


def _role_then_login(auth: Auth) -> Decorate:
    def apply(fn: Any) -> Any:
        return auth.role_required(Roles.ADMIN)(auth.login_required(fn))

    return apply


def _role_only(auth: Auth) -> Decorate:
    return auth.role_required(Roles.ADMIN)


@pytest.mark.parametrize("order", [_login_then_role, _role_then_login, _role_only])
async def test_role_guard_any_order(
    build_client: Any, auth: Auth, order: Callable[[Auth], Decorate]
) -> None:
    guard = order(auth)

    @path("/admin")
    class Admin(Controller):
        @get("/")
        @guard
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

    client = await build_client(controllers=[Admin], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    assert (await client.get("/admin")).status_code == 401
    refused = await client.get("/admin", headers=bearer(auth, "bob"))
    assert refused.status_code == 403
    assert refused.json()["message"] == "Missing user role(s)"
    assert (await client.get("/admin", headers=bearer(auth, "carol"))).status_code == 403
    before = auth.loads
    allowed = await client.get("/admin", headers=bearer(auth, "alice"))
    assert allowed.status_code == 200
    assert allowed.json() == {"name": "alice"}
    assert auth.loads == before + 1  # loaded once even with two guards


async def test_class_guard_runs_before_hooks_and_is_inherited(
    build_client: Any, auth: Auth
) -> None:
    hooks: list[str] = []

    @auth.login_required
    class Protected(Controller):
        @before_request
        async def record(self, req: Request) -> None:
            hooks.append(req.user.name)

        @get("/base")
        async def base(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

    @path("/admin")
    @auth.role_required("admin")
    class AdminApi(Protected):
        @get("/extra")
        async def extra(self, req: Request) -> Response[Any]:
            return req.res.json({"admin": req.user.name})

    @path("/plain")
    class PlainApi(Protected):
        @get("/mine")
        async def mine(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

    client = await build_client(
        controllers=[AdminApi, PlainApi], EXTENSIONS=[auth], SECRET_KEY=SECRET
    )
    for url in ("/admin/base", "/admin/extra", "/plain/base", "/plain/mine"):
        assert (await client.get(url)).status_code == 401, url
    assert hooks == []  # guards refused before @before_request hooks ran
    bob = bearer(auth, "bob")
    assert (await client.get("/plain/mine", headers=bob)).json() == {"name": "bob"}
    assert (await client.get("/admin/extra", headers=bob)).status_code == 403
    assert (await client.get("/admin/base", headers=bob)).status_code == 403
    alice = bearer(auth, "alice")
    assert (await client.get("/admin/extra", headers=alice)).json() == {"admin": "alice"}
    assert hooks == ["bob", "alice"]


async def test_bare_decorators_on_class(build_client: Any, auth: Auth) -> None:
    @path("/users")
    @login_required
    @role_required(Roles.ADMIN)
    class UsersApi(Controller):
        @get("/")
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

    client = await build_client(controllers=[UsersApi], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    assert (await client.get("/users")).status_code == 401
    assert (await client.get("/users", headers=bearer(auth, "bob"))).status_code == 403
    assert (await client.get("/users", headers=bearer(auth, "alice"))).status_code == 200


def test_bare_decorator_without_extension_stops_startup() -> None:
    @path("/users")
    @role_required("admin")
    class UsersApi(Controller):
        @get("/")
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({})

    with pytest.raises(ConfigurationError, match="no Authentication extension"):
        make_app(controllers=[UsersApi], SECRET_KEY=SECRET)


def test_instance_decorator_needs_the_extension_registered(auth: Auth) -> None:
    @path("/users")
    class UsersApi(Controller):
        @get("/")
        @auth.login_required
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({})

    with pytest.raises(ConfigurationError, match="EXTENSIONS"):
        make_app(controllers=[UsersApi], SECRET_KEY=SECRET)


async def test_custom_exception_handlers_and_messages(build_client: Any, auth: Auth) -> None:
    class Handler(ExceptionHandler):
        @handles(AuthenticationException)
        async def login(self, req: Request, exc: AuthenticationException) -> Response[Any]:
            return req.res.redirect("/login")

        @handles(UnauthorizedException)
        async def roles(self, req: Request, exc: UnauthorizedException) -> Response[Any]:
            return req.res.json({"custom": exc.message}).status(418)

    Admin = admin_api(auth)

    client = await build_client(
        controllers=[Admin],
        EXTENSIONS=[auth],
        EXCEPTION_HANDLERS=[Handler],
        SECRET_KEY=SECRET,
        AUTHENTICATION={"UNAUTHORIZED_ERROR_MESSAGE": "Admins only"},
    )
    anonymous = await client.get("/admin")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login"
    refused = await client.get("/admin", headers=bearer(auth, "bob"))
    assert refused.status_code == 418
    assert refused.json() == {"custom": "Admins only"}


async def test_default_role_check_shapes(build_client: Any) -> None:
    class Role:
        def __init__(self, role: str) -> None:
            self.role = role

    class Member:
        roles = (Role("editor"), Role("admin"))

    users: dict[str, Any] = {
        "orm": Member(),
        "claims": {"roles": ["admin"]},
        "single": type("U", (), {"roles": Roles.ADMIN})(),
        "none": object(),
        "other": {"roles": ["user"]},
    }

    class HeaderAuth(Auth):
        async def user_loader(self, req: Any) -> Any:
            return users.get(req.headers.get("x-user", ""))

    auth = HeaderAuth()

    @path("/admin")
    class Admin(Controller):
        @get("/")
        @auth.role_required(Roles.ADMIN)
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({})

    client = await build_client(controllers=[Admin], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    got = {
        name: (await client.get("/admin", headers={"x-user": name})).status_code for name in users
    }
    assert got == {"orm": 200, "claims": 200, "single": 200, "none": 403, "other": 403}


async def test_socket_guard_refuses_before_accept(build_client: Any, auth: Auth) -> None:
    accepted: list[str] = []

    @path("/live")
    class Live(Controller):
        @socket("/ws")
        @auth.role_required("admin")
        async def feed(self, req: SocketRequest) -> None:
            accepted.append(req.user.name)
            await req.accept()
            await req.send_text(f"hello {req.user.name}")
            await req.close()

    client = await build_client(controllers=[Live], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/live/ws"):
        pass
    assert refused.value.code == 1008
    assert refused.value.reason == "Login required"
    with (
        pytest.raises(WebSocketDisconnect) as forbidden,
        client.websocket_connect("/live/ws", headers=bearer(auth, "bob")),
    ):
        pass
    assert forbidden.value.reason == "Missing user role(s)"
    assert accepted == []
    with client.websocket_connect("/live/ws", headers=bearer(auth, "alice")) as ws:
        assert ws.receive_text() == "hello alice"
    assert accepted == ["alice"]
