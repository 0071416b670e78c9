"""``@cache.cache`` on handlers, against every backend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from pyjolt import MediaType, Request, Response
from pyjolt.caching import Cache
from pyjolt.controller import (
    Controller,
    Guard,
    add_guard,
    before_request,
    get,
    path,
    post,
    produces,
)
from pyjolt.exceptions import NotFound
from tests.caching.support import Served, count_call, one_route_api
from tests.conftest import BuildClient


class UserGuard(Guard):
    """Logs the caller in from an ``X-User`` header (None when absent)."""

    async def check(self, req: Any) -> None:
        name = req.headers.get("x-user")
        req.user = {"id": name} if name else None


class PublicUser(BaseModel):
    id: int
    name: str


def make_api(cache: Cache, calls: list[str]) -> type[Controller]:
    @path("/api")
    class Api(Controller):
        @get("/items/<int:item_id>")
        @cache.cache(duration=60, query="all")
        async def item(self, req: Request, item_id: int) -> Response[Any]:
            calls.append(f"item:{item_id}:{req.query_string}")
            return req.res.json({"id": item_id, "n": len(calls)}).set_header("X-Custom", "yes")

        @get("/me")
        @cache.cache
        async def me(self, req: Request) -> Response[Any]:
            calls.append("me")
            return req.res.json({"user": req.user, "n": len(calls)})

        @get("/short")
        @produces(MediaType.TEXT_PLAIN)
        @cache.cache(duration=1)
        async def short(self, req: Request) -> Response[Any]:
            calls.append("short")
            return req.res.text(f"n={len(calls)}")

        @get("/cookie")
        @cache.cache(duration=60)
        async def cookie(self, req: Request) -> Response[Any]:
            return count_call(req, calls, "cookie").set_cookie("session", f"s{len(calls)}")

        @get("/status/<int:code>")
        @cache.cache(duration=60)
        async def status(self, req: Request, code: int) -> Response[Any]:
            calls.append(f"status:{code}")
            if code == 404:
                raise NotFound("nope")
            res = req.res.text(f"n={len(calls)}").status(code)
            if code in (301, 302, 308):
                res.set_header("Location", "/elsewhere")
            return res

        @get("/model/<int:user_id>")
        @cache.cache(duration=60)
        async def model(self, req: Request, user_id: int) -> Response[PublicUser]:
            calls.append("model")
            return req.res.json({"id": user_id, "name": "ann", "password": "secret"})

        @get("/plain")
        @cache.cache(duration=60)
        async def plain(self, req: Request) -> dict[str, int]:
            calls.append("plain")
            return {"n": len(calls)}

        @post("/items")
        @cache.cache(duration=60)
        async def create(self, req: Request) -> Response[Any]:
            return count_call(req, calls, "post").status(201)

    add_guard(Api.me, UserGuard())
    return Api


async def test_second_request_is_a_hit_with_the_same_answer(served: Served) -> None:
    client, calls, _ = served
    first = await client.get("/api/items/1")
    second = await client.get("/api/items/1")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["x-cache"] == "MISS"
    assert second.headers["x-cache"] == "HIT"
    assert second.json() == first.json() == {"id": 1, "n": 1}
    assert second.headers["x-custom"] == "yes"
    assert second.headers["content-type"] == first.headers["content-type"]
    assert calls == ["item:1:"]


async def test_route_values_and_all_query_strings_make_separate_entries(served: Served) -> None:
    client, calls, _ = served
    assert (await client.get("/api/items/1")).json()["id"] == 1
    assert (await client.get("/api/items/2")).json()["id"] == 2
    assert (await client.get("/api/items/1?a=1&b=2")).headers["x-cache"] == "MISS"
    assert (await client.get("/api/items/1?b=2&a=1")).headers["x-cache"] == "HIT"  # reordered
    assert (await client.get("/api/items/1?a=2&b=2")).headers["x-cache"] == "MISS"
    assert (await client.get("/api/items/1?a=1&a=2&b=2")).headers["x-cache"] == "MISS"  # repeated
    assert (await client.get("/api/items/1?b=2&a=1&a=2")).headers["x-cache"] == "HIT"
    assert (await client.get("/api/items/2")).headers["x-cache"] == "HIT"
    assert len(calls) == 5


async def test_users_never_share_entries(served: Served) -> None:
    client, calls, _ = served
    ann = await client.get("/api/me", headers={"X-User": "ann"})
    bob = await client.get("/api/me", headers={"X-User": "bob"})
    anon = await client.get("/api/me")
    assert [r.headers["x-cache"] for r in (ann, bob, anon)] == ["MISS"] * 3
    assert ann.json()["user"] == {"id": "ann"}
    assert bob.json()["user"] == {"id": "bob"}
    assert anon.json()["user"] is None
    again = await client.get("/api/me", headers={"X-User": "bob"})
    assert again.headers["x-cache"] == "HIT"
    assert again.json() == bob.json()
    assert calls == ["me", "me", "me"]


async def test_entries_expire(served: Served, log_messages: Callable[[], list[str]]) -> None:
    client, _, _ = served
    assert (await client.get("/api/short")).text == "n=1"
    hit = await client.get("/api/short")
    assert (hit.headers["x-cache"], hit.text) == ("HIT", "n=1")
    assert hit.headers["content-type"] == "text/plain; charset=utf-8"
    await asyncio.sleep(1.3)
    expired = await client.get("/api/short")
    assert (expired.headers["x-cache"], expired.text) == ("MISS", "n=2")
    assert log_messages() == []  # a replayed text answer still matches @produces


async def test_set_cookie_is_never_replayed(served: Served) -> None:
    client, calls, cache = served
    first = await client.get("/api/cookie")
    second = await client.get("/api/cookie")
    assert first.headers["set-cookie"].startswith("session=s1")
    assert second.headers["set-cookie"].startswith("session=s2")
    assert [first.headers["x-cache"], second.headers["x-cache"]] == ["MISS", "MISS"]
    assert calls == ["cookie", "cookie"]
    # Stored by hand, a response with cookies loses them.
    res: Response[Any] = Response().json({"a": 1}).set_cookie("s", "v").set_header("X-Kept", "1")
    await cache.set("manual", res, 60)
    stored = await cache.get("manual")
    assert stored is not None
    names = [name.lower() for name, _ in stored["headers"]]
    assert "x-kept" in names
    assert "set-cookie" not in names


async def test_only_successes_and_permanent_redirects_are_cached(served: Served) -> None:
    client, calls, _ = served
    for code in (404, 400, 500, 302):
        answers = [await client.get(f"/api/status/{code}") for _ in range(2)]
        assert [r.status_code for r in answers] == [code, code]
        assert [r.headers.get("x-cache") for r in answers] != ["MISS", "HIT"]
    assert calls.count("status:404") == 2
    assert calls.count("status:400") == 2
    assert calls.count("status:500") == 2
    assert calls.count("status:302") == 2
    for code in (201, 301, 308):
        answers = [await client.get(f"/api/status/{code}") for _ in range(2)]
        assert [r.status_code for r in answers] == [code, code]
        assert [r.headers["x-cache"] for r in answers] == ["MISS", "HIT"]
        assert calls.count(f"status:{code}") == 1
    redirect = await client.get("/api/status/301", follow_redirects=False)
    assert redirect.headers["location"] == "/elsewhere"


async def test_response_model_shapes_hits_as_misses(served: Served) -> None:
    client, calls, _ = served
    miss = await client.get("/api/model/7")
    hit = await client.get("/api/model/7")
    assert miss.json() == {"id": 7, "name": "ann"}
    assert (hit.headers["x-cache"], hit.json()) == ("HIT", {"id": 7, "name": "ann"})
    assert calls == ["model"]


async def test_plain_return_values_and_non_get_methods(served: Served) -> None:
    client, _, _ = served
    assert (await client.get("/api/plain")).json() == {"n": 1}
    hit = await client.get("/api/plain")
    assert (hit.headers["x-cache"], hit.json()) == ("HIT", {"n": 1})
    posts = [await client.post("/api/items") for _ in range(2)]
    assert [r.json()["n"] for r in posts] == [2, 3]
    assert "x-cache" not in posts[1].headers


async def test_manual_api(served: Served) -> None:
    _, _, cache = served
    await cache.set("k", {"any": ["json", 1]})
    assert await cache.get("k") == {"any": ["json", 1]}
    await cache.delete("k")
    assert await cache.get("k") is None
    await cache.set("a", {"v": 1}, 60)
    await cache.set("b", {"v": 2}, 60)
    await cache.clear()
    assert (await cache.get("a"), await cache.get("b")) == (None, None)


async def test_clear_drops_cached_responses(served: Served) -> None:
    client, calls, cache = served
    await client.get("/api/items/3")
    await cache.clear()
    assert (await client.get("/api/items/3")).headers["x-cache"] == "MISS"
    assert len(calls) == 2


async def test_concurrent_misses_run_the_handler_once(build_client: BuildClient) -> None:
    cache = Cache()
    release = asyncio.Event()
    calls: list[int] = []

    async def slow(req: Request) -> Response[Any]:
        calls.append(1)
        await release.wait()
        return req.res.json({"calls": len(calls)})

    api = one_route_api(cache, slow, "/slow")
    client = await build_client(controllers=[api], EXTENSIONS=[cache])
    backend = cache.backend
    reads: list[str] = []
    all_read = asyncio.Event()
    original_get = backend.get

    async def counting_get(key: str) -> dict[str, Any] | None:
        reads.append(key)
        if len(reads) == 5:
            all_read.set()
        return await original_get(key)

    backend.get = counting_get  # type: ignore[method-assign]
    requests = asyncio.gather(*(client.get("/slow") for _ in range(5)))

    async def release_when_all_waiting() -> None:
        # Each request reads the (memory) cache, then joins the running flight without
        # yielding to the loop in between; so once five reads happened, four are waiting.
        await all_read.wait()
        release.set()

    answers, _ = await asyncio.gather(requests, release_when_all_waiting())
    assert calls == [1]
    assert [r.json() for r in answers] == [{"calls": 1}] * 5
    assert sorted(r.headers["x-cache"] for r in answers) == ["HIT"] * 4 + ["MISS"]


async def test_headers_set_for_this_request_win_over_stored_ones(build_client: BuildClient) -> None:
    cache = Cache()
    seen: list[int] = []

    @path("/")
    class Hooked(Controller):
        @before_request
        async def stamp(self, req: Request) -> None:
            seen.append(1)
            req.res.set_header("X-Request-No", str(len(seen)))

        @get("/page")
        @cache.cache(duration=60)
        async def page(self, req: Request) -> Response[Any]:
            return req.res.text("page").set_header("X-Stored", "kept")

    client = await build_client(controllers=[Hooked], EXTENSIONS=[cache])
    await client.get("/page")
    hit = await client.get("/page")
    assert hit.headers["x-cache"] == "HIT"
    assert hit.headers.get_list("x-request-no") == ["2"]
    assert hit.headers["x-stored"] == "kept"
