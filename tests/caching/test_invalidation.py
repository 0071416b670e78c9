"""Dropping entries after a write: by tag and by route values, against every backend."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.appcontext import app_context
from pyjolt.caching import Cache
from pyjolt.controller import Controller, get, path
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.caching.support import BACKEND_KINDS, backend_config, cached_client
from tests.conftest import BuildClient


def make_api(cache: Cache, calls: list[str]) -> type[Controller]:
    @path("/")
    class Notes(Controller):
        @get("/users/<int:user_id>/notes/<int:note_id>")
        @cache.cache(duration=60, tags=["notes", "user:{user_id}"])
        async def note(self, req: Request, user_id: int, note_id: int) -> Response[Any]:
            calls.append(f"note:{user_id}:{note_id}")
            lang = req.headers.get("accept-language", "en")
            res = req.res.json({"user": user_id, "note": note_id, "lang": lang})
            return res.set_header("Vary", "Accept-Language")

        @get("/users/<int:user_id>")
        @cache.cache(duration=60, tags=["user:{user_id}"])
        async def user(self, req: Request, user_id: int) -> Response[Any]:
            calls.append(f"user:{user_id}")
            return req.res.json({"user": user_id})

    return Notes


URLS = ["/users/1/notes/1", "/users/1/notes/2", "/users/2/notes/1", "/users/1", "/users/2"]


async def test_tags_and_route_values_drop_their_entries(
    build_client: BuildClient, cache_section: dict[str, Any]
) -> None:
    client, calls, cache = await cached_client(build_client, make_api, cache_section)

    async def states() -> list[str]:
        return [(await client.get(url)).headers["x-cache"] for url in URLS]

    assert await states() == ["MISS"] * 5
    assert await states() == ["HIT"] * 5
    # Keys dropped: a note (Vary) is its variant and the record naming the Vary headers.
    assert await cache.invalidate_tags("user:1") == 2 + 2 + 1
    assert await states() == ["MISS", "MISS", "HIT", "MISS", "HIT"]
    # Both variants of a Vary answer (and the record naming them) go together.
    fr = {"Accept-Language": "fr"}
    assert (await client.get("/users/2/notes/1", headers=fr)).headers["x-cache"] == "MISS"
    assert await cache.invalidate_route("Notes.note", user_id=2, note_id=1) == 1 + 2
    assert (await client.get("/users/2/notes/1", headers=fr)).headers["x-cache"] == "MISS"
    assert await states() == ["HIT", "HIT", "MISS", "HIT", "HIT"]
    # By handler, one route value: that user's notes only.
    notes = client.app.handler_plans[0].controller.note
    await cache.invalidate_route(notes, user_id=1)
    assert await states() == ["MISS", "MISS", "HIT", "HIT", "HIT"]
    assert await cache.invalidate_tags("notes") == 2 + 2 + 3  # note 2/1 in two languages
    assert await states() == ["MISS", "MISS", "MISS", "HIT", "HIT"]
    await cache.invalidate_route(notes)
    await cache.invalidate_route("Notes.user")
    assert await states() == ["MISS"] * 5
    assert len(calls) == 5 + 3 + 1 + 1 + 1 + 2 + 3 + 5  # one run per MISS above


async def test_tags_must_name_route_values(build_client: BuildClient) -> None:
    _, _, cache = await cached_client(build_client, make_api, {})
    with pytest.raises(ValueError, match=r"no endpoint named 'Nope\.x'.*Notes\.note"):
        await cache.invalidate_route("Nope.x")
    with pytest.raises(ValueError, match=r"write route values as \{name\}"):
        cache.cache(tags=["user:{0}"])
    with pytest.raises(ValueError, match="is not a format string"):
        cache.cache(tags=["user:{id"])

    def broken_api(cache: Cache, calls: list[str]) -> type[Controller]:
        @path("/things")
        class Things(Controller):
            @get("/<int:n>")
            @cache.cache(duration=60, tags=["thing:{missing}"])
            async def thing(self, req: Request, n: int) -> Response[Any]:
                return req.res.json({"n": n})

        return Things

    with pytest.raises(
        ConfigurationError,
        match=r"Things.thing: @cache.cache tag 'thing:\{missing\}' names missing, which is not "
        r"a route value of '/things/<int:n>'; use one of \['n'\]",
    ):
        await cached_client(build_client, broken_api, {})


@pytest.mark.parametrize("kind", BACKEND_KINDS)
async def test_two_app_names_keep_their_tags_apart(kind: str, tmp_path: Path) -> None:
    section = backend_config(kind, tmp_path)
    section.pop("KEY_PREFIX", None)  # the default namespace (with the app name) is tested
    cache, calls = Cache(), []
    suffix = uuid.uuid4().hex[:8]
    apps = [
        make_app(
            APP_NAME=f"{name}-{suffix}",
            controllers=[make_api(cache, calls)],
            EXTENSIONS=[cache],
            CACHE=section,
        )
        for name in ("first", "second")
    ]
    async with PyJoltTestClient(apps[0]) as first, PyJoltTestClient(apps[1]) as second:
        try:
            for client in (first, second):
                assert (await client.get("/users/1")).headers["x-cache"] == "MISS"
            with app_context(apps[0]):
                assert await cache.invalidate_tags("user:1") == 1
            assert (await first.get("/users/1")).headers["x-cache"] == "MISS"
            assert (await second.get("/users/1")).headers["x-cache"] == "HIT"
        finally:
            for app in apps:
                with app_context(app):
                    await cache.clear()


async def test_a_backend_without_tags_still_caches(build_client: BuildClient) -> None:
    section = {"BACKEND": "tests.caching.support:DictBackend"}
    client, calls, cache = await cached_client(build_client, make_api, section)
    assert [(await client.get("/users/1")).headers["x-cache"] for _ in range(2)] == ["MISS", "HIT"]
    with pytest.raises(NotImplementedError, match="does not support tags"):
        await cache.invalidate_tags("user:1")
    assert calls == ["user:1"]
