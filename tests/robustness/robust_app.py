"""A realistic app attacked by the robustness tests (also served by uvicorn)."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, Field

from pyjolt import MediaType, Request, Response
from pyjolt.auth import Authentication
from pyjolt.caching import Cache
from pyjolt.controller import (
    Controller,
    consumes,
    delete,
    get,
    max_body_size,
    path,
    post,
    put,
    socket,
)
from pyjolt.request import AnyRequest
from pyjolt.testing import make_app
from tests.converters import ConverterRoutes
from tests.cors_api import CorsApi
from tests.form_routes import FormRoutes
from tests.sockets import EchoSocket

SECRET = "gGFRxwb5bCqo-mYopueVCU3dyEKoWvlGSmaqPtl5GZNAXdRh05eu64cb"  # 56 characters
HERE = os.path.dirname(os.path.abspath(__file__))

#: name -> roles
USERS: dict[str, list[str]] = {"alice": ["admin", "user"], "bob": ["user"], "carol": []}


class User(BaseModel):
    id: str
    roles: list[str]


class Auth(Authentication):
    """Signed cookie or bearer JWT naming a user of ``USERS``."""

    async def user_loader(self, req: AnyRequest) -> Any:
        name = self.cookie_user_id(req)
        if name is None:
            claims = self.bearer_claims(req)
            name = claims.get("sub") if claims else None
        if isinstance(name, str) and name in USERS:
            return User(id=name, roles=USERS[name])
        return None


auth = Auth()
cache = Cache()


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    price: float = Field(ge=0)
    qty: int = 1
    tags: list[str] = []


@path("/api")
class ItemApi(ConverterRoutes, EchoSocket, FormRoutes):
    """The converter routes (``tests/converters.py``), the echo websocket
    (``tests/sockets.py``), the form and upload routes (``tests/form_routes.py``) and the routes
    below."""

    @get("/items/<int:item_id>")
    async def get_item(self, req: Request, item_id: int) -> Response:
        return req.res.json({"id": item_id})

    @get("/query")
    async def query(self, req: Request) -> Response:
        return req.res.json({"params": dict(req.query_params), "raw": req.query_string})

    @get("/headers")
    async def headers(self, req: Request) -> Response:
        return req.res.json(
            {"ua": req.headers.get("user-agent"), "x": req.headers.getlist("x-dup")}
        )

    @post("/items")
    @consumes(MediaType.APPLICATION_JSON)
    async def create(self, req: Request, item: Item) -> Response:
        return req.res.json(item.model_dump()).status(201)

    @put("/items/<int:item_id>")
    @consumes(MediaType.APPLICATION_JSON)
    async def replace(self, req: Request, item_id: int, item: Item) -> Response:
        return req.res.json({"id": item_id, **item.model_dump()})

    @post("/bulk")
    @consumes(MediaType.APPLICATION_JSON)
    async def bulk(self, req: Request, items: list[Item]) -> Response:
        return req.res.json({"count": len(items)})

    @post("/raw")
    async def raw(self, req: Request) -> Response:
        data = await req.json()
        return req.res.json({"type": type(data).__name__})

    @post("/small")
    @max_body_size(64)
    @consumes(MediaType.APPLICATION_JSON)
    async def small(self, req: Request, item: Item) -> Response:
        return req.res.json({"ok": True})

    @delete("/items/<int:item_id>")
    async def remove(self, req: Request, item_id: int) -> Response:
        return req.res.no_content()

    @get("/boom")
    async def boom(self, req: Request) -> Response:
        raise RuntimeError("kaboom secret-internal-detail")

    @post("/boom")
    async def boom_post(self, req: Request) -> Response:
        await req.body()
        raise RuntimeError("kaboom after body")

    @get("/page")
    async def page(self, req: Request) -> Response:
        return await req.res.html("page.html", {"title": req.query_params.get("t", "x")})


@path("/secure")
class SecureApi(Controller):
    @get("/me")
    @auth.login_required
    async def me(self, req: Request) -> Response:
        return req.res.json({"user": req.user.id})

    @get("/admin-a")
    @auth.role_required("admin")
    @auth.login_required
    async def admin_a(self, req: Request) -> Response:
        return req.res.json({"admin": req.user.id})

    @get("/admin-b")
    @auth.login_required
    @auth.role_required("admin")
    async def admin_b(self, req: Request) -> Response:
        return req.res.json({"admin": req.user.id})

    @get("/admin-only")
    @auth.role_required("admin")
    async def admin_only(self, req: Request) -> Response:
        return req.res.json({"admin": req.user.id})

    @post("/login/<name>")
    async def login(self, req: Request, name: str) -> Response:
        return auth.login_user(req.res.json({"ok": True}), name)

    @socket("/ws")
    @auth.login_required
    async def ws(self, req: Any) -> None:
        await req.accept()
        await req.send_text(f"hi {req.user.id}")
        await req.close()

    @socket("/admin-ws")
    @auth.role_required("admin")
    async def admin_ws(self, req: Any) -> None:
        await req.accept()
        await req.send_text("admin")
        await req.close()


COUNTER = {"n": 0}


@path("/cached")
class CachedApi(Controller):
    @get("/me")
    @auth.login_required
    @cache.cache(duration=60)
    async def me(self, req: Request) -> Response:
        COUNTER["n"] += 1
        return req.res.json({"user": req.user.id, "n": COUNTER["n"]})

    @get("/public")
    @cache.cache(duration=60, query="all")  # it reads req.query_params itself
    async def public(self, req: Request) -> Response:
        COUNTER["n"] += 1
        return req.res.json({"q": dict(req.query_params), "n": COUNTER["n"]})

    @get("/maybe-user")
    @cache.cache(duration=60)
    async def maybe_user(self, req: Request) -> Response:
        # the user is loaded by the handler after the cache lookup
        user = await auth.current_user(req)
        COUNTER["n"] += 1
        return req.res.json({"user": user.id if user else None, "n": COUNTER["n"]})

    @get("/item/<int:item_id>")
    @cache.cache(duration=60)
    async def item(self, req: Request, item_id: int) -> Response:
        COUNTER["n"] += 1
        return req.res.json({"id": item_id, "n": COUNTER["n"]})

    @get("/setcookie")
    @cache.cache(duration=60)
    async def setcookie(self, req: Request) -> Response:
        COUNTER["n"] += 1
        return req.res.json({"n": COUNTER["n"]}).set_cookie("sid", f"s{COUNTER['n']}")


CONTROLLERS = [ItemApi, SecureApi, CachedApi, CorsApi]

BASE_CONFIG: dict[str, Any] = {
    "SECRET_KEY": SECRET,
    "BASE_PATH": HERE,
    "EXTENSIONS": [auth, cache],
    "AUTHENTICATION": {"COOKIE_SECURE": False, "COOKIE_MAX_AGE": 3600},
    "CACHE": {"DURATION": 60},
    "CORS_ALLOW_ORIGINS": ["https://app.example"],
    "MAX_BODY_SIZE": 64 * 1024,
}


def build(**overrides: Any) -> Any:
    """The app (DEBUG False by default)."""
    return make_app(controllers=CONTROLLERS, **{**BASE_CONFIG, **overrides})


def Application() -> Any:  # uvicorn --factory target
    return build()
