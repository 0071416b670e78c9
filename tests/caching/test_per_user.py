"""Answers built with the auth helpers are stored per user, against every backend."""

from __future__ import annotations

import asyncio
from typing import Any

from pyjolt import Request, Response
from pyjolt.caching import Cache
from pyjolt.controller import Controller, get, path
from tests.auth.support import SECRET, Auth, bearer
from tests.caching.support import cached_client, count_call, one_route_api, stored_values
from tests.conftest import BuildClient


def make_api(cache: Cache, auth: Auth, calls: list[str]) -> type[Controller]:
    @path("/")
    class Api(Controller):
        @get("/hello")
        @cache.cache(duration=60)
        async def hello(self, req: Request) -> Response[Any]:
            calls.append("hello")
            return req.res.json({"hello": auth.cookie_user_id(req) or "anonymous"})

        @get("/me")
        @cache.cache(duration=60)
        async def me(self, req: Request) -> Response[Any]:
            calls.append("me")
            user = await auth.current_user(req)
            return req.res.json({"me": user.name if user else None})

        @get("/page")
        @cache.cache(duration=60)
        async def page(self, req: Request) -> Response[Any]:
            return count_call(req, calls, "page")

        @get("/marked")
        @cache.cache(duration=60)
        async def marked(self, req: Request) -> Response[Any]:
            return count_call(req, calls, "marked", headers={"Cache-Control": "public, max-age=60"})

        @get("/public")
        @cache.cache(duration=60, public=True)
        async def public(self, req: Request) -> Response[Any]:
            return count_call(req, calls, "public")

        @get("/salted")
        @cache.cache(duration=60)
        async def salted(self, req: Request) -> Response[Any]:
            calls.append("salted")
            cart = auth.decode_signed_cookie(req.cookies.get("cart"), salt="cart")
            return req.res.json({"cart": cart})

    return Api


async def make_client(
    build_client: BuildClient, section: dict[str, Any]
) -> tuple[Any, Auth, list[str], Cache]:
    auth = Auth()
    client, calls, cache = await cached_client(
        build_client,
        lambda cache, calls: make_api(cache, auth, calls),
        section,
        auth,
        SECRET_KEY=SECRET,
    )
    return client, auth, calls, cache


def login(auth: Auth, name: str) -> dict[str, str]:
    return {"Cookie": f"auth_cookie={auth.create_signed_cookie_value(name)}"}


async def test_cookie_user_id_answers_are_per_user(
    build_client: BuildClient, cache_section: dict[str, Any]
) -> None:
    client, auth, calls, _ = await make_client(build_client, cache_section)
    people = {"alice": login(auth, "alice"), "bob": login(auth, "bob"), "anonymous": {}}
    for _ in range(2):
        for name, headers in people.items():
            res = await client.get("/hello", headers=headers)
            assert res.json() == {"hello": name}
    again = [await client.get("/hello", headers=h) for h in people.values()]
    assert [r.headers["x-cache"] for r in again] == ["HIT"] * 3
    assert calls == ["hello"] * 3


async def test_current_user_answers_are_per_user(
    build_client: BuildClient, cache_section: dict[str, Any]
) -> None:
    client, auth, calls, _ = await make_client(build_client, cache_section)
    # The anonymous answer is stored first: logged-in users must not get it.
    order = [("anonymous", {}), ("alice", bearer(auth, "alice")), ("bob", login(auth, "bob"))]
    for _ in range(2):
        for name, headers in order:
            res = await client.get("/me", headers=headers)
            assert res.json() == {"me": None if name == "anonymous" else name}
    assert res.headers["x-cache"] == "HIT"
    assert calls == ["me"] * 3


async def test_credentials_never_get_an_entry_stored_without_them(
    build_client: BuildClient, cache_section: dict[str, Any]
) -> None:
    client, auth, calls, _ = await make_client(build_client, cache_section)
    people = [
        {},
        login(auth, "alice"),
        # The handler read no credentials: requests with a login cookie may share an answer...
        login(auth, "bob"),
        # ...but one with an Authorization header is not stored unless the answer allows it.
        bearer(auth, "carol"),
        bearer(auth, "dave"),
        {},
    ]
    answers = [await client.get("/page", headers=headers) for headers in people]
    assert [r.headers["x-cache"] for r in answers] == ["MISS", "MISS", "HIT", "MISS", "MISS", "HIT"]
    assert [r.json()["n"] for r in answers] == [1, 2, 2, 3, 4, 1]
    assert calls.count("page") == 4
    # An answer marked public is shared by requests with Authorization headers.
    first = await client.get("/marked", headers=bearer(auth, "carol"))
    shared = await client.get("/marked", headers=bearer(auth, "dave"))
    assert (shared.headers["x-cache"], shared.json()) == ("HIT", first.json())
    assert (await client.get("/marked")).headers["x-cache"] == "MISS"  # not the anonymous one
    # A route declared public shares its answers with everyone.
    first = await client.get("/public")
    for headers in (login(auth, "alice"), bearer(auth, "carol")):
        shared = await client.get("/public", headers=headers)
        assert (shared.headers["x-cache"], shared.json()) == ("HIT", first.json())


async def test_a_salted_signed_cookie_is_not_stored(
    build_client: BuildClient, cache_section: dict[str, Any]
) -> None:
    client, auth, calls, cache = await make_client(build_client, cache_section)
    cart = {"Cookie": f"cart={auth.create_signed_cookie_value('c1', salt='cart')}"}
    answers = [await client.get("/salted", headers=cart) for _ in range(2)]
    assert [r.json() for r in answers] == [{"cart": "c1"}] * 2
    assert [r.headers["x-cache"] for r in answers] == ["MISS", "MISS"]
    assert calls == ["salted", "salted"]
    assert await stored_values(cache) == []


async def test_waiting_requests_never_share_a_per_user_answer(build_client: BuildClient) -> None:
    auth, release, calls = Auth(), asyncio.Event(), []
    cache = Cache()

    async def slow(req: Request) -> Response[Any]:
        calls.append(1)
        if len(calls) == 1:
            await release.wait()  # Bob's request arrives while Alice's runs
        return req.res.json({"hello": auth.cookie_user_id(req)})

    api = one_route_api(cache, slow, "/slow")
    client = await build_client(controllers=[api], EXTENSIONS=[auth, cache], SECRET_KEY=SECRET)
    alice = asyncio.create_task(client.get("/slow", headers=login(auth, "alice")))
    while not calls:
        await asyncio.sleep(0.01)
    bob = asyncio.create_task(client.get("/slow", headers=login(auth, "bob")))
    await asyncio.sleep(0.05)
    release.set()
    answers = await asyncio.gather(alice, bob)
    assert [r.json() for r in answers] == [{"hello": "alice"}, {"hello": "bob"}]
    assert len(calls) == 2
