"""A guard hidden by a decorator written without functools.wraps stops start-up (never public)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.exceptions.errors import RegistrationError
from pyjolt.testing import make_app
from tests.auth.support import SECRET, Auth, Roles, bearer


def careless(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A user decorator that forgets functools.wraps."""

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        return await fn(*args, **kwargs)

    return wrapper


def careful(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        return await fn(*args, **kwargs)

    return wrapper


def _controller(auth: Auth, deco: Callable[..., Any], guard: str) -> type[Controller]:
    protect = auth.login_required if guard == "login" else auth.role_required(Roles.ADMIN)

    @path("/admin")
    class AdminApi(Controller):
        @get("/data")
        @deco
        @protect
        async def data(self, req: Request) -> Response[Any]:
            return req.res.json({"secret": "admin data"})

    return AdminApi


@pytest.mark.parametrize("guard", ["login", "role"])
def test_hidden_guard_stops_start_up(auth: Auth, guard: str) -> None:
    api = _controller(auth, careless, guard)
    with pytest.raises(RegistrationError) as info:
        make_app(controllers=[api], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    message = str(info.value)
    assert "AdminApi.data" in message
    assert "functools.wraps" in message
    assert "Guard" in message or "required" in message.lower()


@pytest.mark.parametrize("guard", ["login", "role"])
async def test_guard_under_a_wrapping_decorator_still_applies(
    build_client: Any, auth: Auth, guard: str
) -> None:
    client = await build_client(
        controllers=[_controller(auth, careful, guard)], EXTENSIONS=[auth], SECRET_KEY=SECRET
    )
    assert (await client.get("/admin/data")).status_code == 401
    bob = await client.get("/admin/data", headers=bearer(auth, "bob"))
    assert bob.status_code == (200 if guard == "login" else 403)
