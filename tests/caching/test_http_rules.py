"""The cache follows a shared cache's HTTP rules and keys answers on what they depend on,
against every backend."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.caching import Cache
from pyjolt.caching.rules import storable_for
from pyjolt.controller import Controller, get, path
from tests.caching.support import Served, cached_client, count_call, stored_answers, stored_values
from tests.conftest import BuildClient

GREETINGS = {"fr": "bonjour", "de": "hallo", "en": "hello"}
#: The headers of each answer a shared cache must not store (served at ``/cc/<kind>``):
#: Cache-Control forbidding it, an Expires that leaves no time, Vary: *.
UNSTORABLE = {
    "private": {"Cache-Control": "private"},
    "private-max-age-0": {"Cache-Control": "private, max-age=0"},
    "no-store": {"Cache-Control": "no-store"},
    "no-cache": {"Cache-Control": "no-cache"},
    "max-age-0": {"Cache-Control": "public, max-age=0"},
    "s-maxage-0": {"Cache-Control": "max-age=60, s-maxage=0"},
    "expires-past": {"Expires": "Thu, 01 Jan 2015 00:00:00 GMT"},
    "expires-bad": {"Expires": "0"},
    "vary-star": {"Vary": "*"},
}


def make_api(cache: Cache, calls: list[str]) -> type[Controller]:
    @path("/")
    class Api(Controller):
        @get("/hello")
        @cache.cache(duration=60)
        async def hello(self, req: Request) -> Response[Any]:
            greeting = {"hello": GREETINGS.get(req.headers.get("accept-language", "en"), "hello")}
            return count_call(req, calls, "hello", greeting, {"Vary": "Accept-Language"})

        @get("/cc/<kind>")
        @cache.cache(duration=60)
        async def cc(self, req: Request, kind: str) -> Response[Any]:
            return count_call(req, calls, kind, headers=UNSTORABLE[kind])

        @get("/brief")
        @cache.cache(duration=60)
        async def brief(self, req: Request) -> Response[Any]:
            return count_call(
                req, calls, "brief", headers={"Cache-Control": "max-age=600, s-maxage=1"}
            )

        @get("/link")
        @cache.cache(duration=60)
        async def link(self, req: Request) -> Response[Any]:
            calls.append("link")
            host = req.headers.get("x-forwarded-host") or req.headers["host"]
            return req.res.json({"url": f"https://{host}/next"})

        @get("/search")
        @cache.cache(duration=60)
        async def search(self, req: Request, q: str = "") -> Response[Any]:
            calls.append(f"search:{q}")
            return req.res.json({"q": q, "n": len(calls)})

        @get("/all")
        @cache.cache(duration=60, query="all")
        async def all_query(self, req: Request) -> Response[Any]:
            return count_call(req, calls, f"all:{req.query_string}")

        @get("/listed")
        @cache.cache(duration=60, query=["page"])
        async def listed(self, req: Request) -> Response[Any]:
            calls.append("listed")
            return req.res.json({"page": req.query_params.get("page"), "n": len(calls)})

        @get("/tenant")
        @cache.cache(
            duration=60,
            vary_on_headers=["X-Tenant"],
            key=lambda req: req.cookies.get("region", "eu"),
        )
        async def tenant(self, req: Request) -> Response[Any]:
            calls.append("tenant")
            tenant = req.headers.get("x-tenant")
            return req.res.json({"tenant": tenant, "region": req.cookies.get("region", "eu")})

    return Api


async def test_vary_stores_one_answer_per_language(served: Served) -> None:
    client, calls, cache = served
    for lang in ("fr", "de", "en"):
        first = await client.get("/hello", headers={"Accept-Language": lang})
        assert (first.headers["x-cache"], first.json()) == ("MISS", {"hello": GREETINGS[lang]})
    for lang in ("fr", "de", "en"):
        again = await client.get("/hello", headers={"Accept-Language": lang})
        assert (again.headers["x-cache"], again.json()) == ("HIT", {"hello": GREETINGS[lang]})
        assert again.headers["vary"] == "Accept-Language"
    assert len(calls) == 3
    assert await stored_answers(cache) == 3
    assert len(await stored_values(cache)) == 4  # and the record naming the Vary headers


@pytest.mark.parametrize("directive", list(UNSTORABLE))
async def test_answers_a_shared_cache_must_not_store(served: Served, directive: str) -> None:
    client, calls, cache = served
    answers = [await client.get(f"/cc/{directive}") for _ in range(2)]
    assert [r.headers["x-cache"] for r in answers] == ["MISS", "MISS"]
    assert [r.json()["n"] for r in answers] == [1, 2]
    assert calls == [directive, directive]
    assert await stored_values(cache) == []


async def test_s_maxage_shortens_the_entry(served: Served) -> None:
    client, _, _ = served
    assert (await client.get("/brief")).json() == {"n": 1}
    hit = await client.get("/brief")
    assert (hit.headers["x-cache"], hit.json()) == ("HIT", {"n": 1})
    await asyncio.sleep(1.3)  # s-maxage=1 wins over the decorator's 60 s and max-age=600
    expired = await client.get("/brief")
    assert (expired.headers["x-cache"], expired.json()) == ("MISS", {"n": 2})


async def test_forwarded_host_is_never_replayed_to_others(served: Served) -> None:
    client, calls, _ = served
    poisoned = await client.get("/link", headers={"X-Forwarded-Host": "evil.example"})
    assert poisoned.json() == {"url": "https://evil.example/next"}
    for _ in range(2):
        clean = await client.get("/link")
        assert clean.json()["url"] != "https://evil.example/next"
    assert clean.headers["x-cache"] == "HIT"
    other_host = await client.get("/link", headers={"Host": "other.example"})
    assert (other_host.headers["x-cache"], other_host.json()["url"]) == (
        "MISS",
        "https://other.example/next",
    )
    again = await client.get("/link", headers={"X-Forwarded-Host": "evil.example"})
    assert (again.headers["x-cache"], again.json()["url"]) == ("HIT", "https://evil.example/next")
    assert calls == ["link"] * 3


async def test_junk_query_parameters_make_no_entries_in_declared_mode(served: Served) -> None:
    client, calls, cache = served
    answers = [await client.get(f"/search?q=pie&junk{i}={i}") for i in range(1000)]
    assert answers[0].headers["x-cache"] == "MISS"
    assert {r.headers["x-cache"] for r in answers[1:]} == {"HIT"}
    assert calls == ["search:pie"]
    assert await stored_answers(cache) == 1
    other = await client.get("/search?q=cake&utm=1")  # a declared parameter still counts
    assert (other.headers["x-cache"], other.json()["q"]) == ("MISS", "cake")


async def test_all_and_listed_query_modes(served: Served) -> None:
    client, calls, _ = served
    assert (await client.get("/all?b=1&a=2")).headers["x-cache"] == "MISS"
    assert (await client.get("/all?a=2&b=1")).headers["x-cache"] == "HIT"  # sorted by name
    assert (await client.get("/all?a=2&b=1&c=")).headers["x-cache"] == "MISS"
    assert (await client.get("/all?a=2&b=1&a=3")).headers["x-cache"] == "MISS"
    assert (await client.get("/listed?page=2&sort=x")).json()["page"] == "2"
    hit = await client.get("/listed?sort=y&page=2")
    assert (hit.headers["x-cache"], hit.json()["page"]) == ("HIT", "2")
    assert (await client.get("/listed?page=3")).headers["x-cache"] == "MISS"
    assert len(calls) == 5


async def test_vary_on_headers_and_key_function(served: Served) -> None:
    client, calls, _ = served
    seen = []
    for tenant, region in [("a", "eu"), ("b", "eu"), ("a", "us"), ("a", "eu"), ("b", "eu")]:
        res = await client.get(
            "/tenant", headers={"X-Tenant": tenant, "Cookie": f"region={region}"}
        )
        assert res.json() == {"tenant": tenant, "region": region}
        seen.append(res.headers["x-cache"])
    assert seen == ["MISS", "MISS", "MISS", "HIT", "HIT"]
    assert len(calls) == 3


async def test_entries_are_bounded(
    build_client: BuildClient, cache_section: dict[str, Any]
) -> None:
    section = {**cache_section, "MAX_ENTRIES": 5}
    client, calls, cache = await cached_client(build_client, make_api, section)
    for i in range(20):
        assert (await client.get(f"/all?page={i}")).headers["x-cache"] == "MISS"
    assert await stored_answers(cache) == 5
    assert (await client.get("/all?page=19")).headers["x-cache"] == "HIT"  # the newest stay
    assert (await client.get("/all?page=0")).headers["x-cache"] == "MISS"
    assert len(calls) == 21


def test_the_shortest_lifetime_wins() -> None:
    def ttl(**headers: str) -> int | None:
        res: Response[Any] = Response().json({})
        for name, value in headers.items():
            res.set_header(name.replace("_", "-"), value)
        return storable_for(res, 60)

    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert ttl() == 60
    assert ttl(cache_control="max-age=10") == 10
    assert ttl(cache_control="max-age=600") == 60
    assert ttl(cache_control="max-age=10, s-maxage=20") == 20  # s-maxage is for shared caches
    assert ttl(cache_control="public, must-revalidate") == 60
    assert ttl(expires=soon) in (29, 30)
    assert ttl(expires=soon, cache_control="max-age=5") == 5  # max-age wins over Expires
    assert ttl(cache_control="PRIVATE") is None
