"""Two caches in one app, and one cache in two apps, never share settings or entries."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from pyjolt.appcontext import app_context
from pyjolt.caching import Cache, MemoryCacheBackend
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.caching.support import BACKEND_KINDS, assert_clear_keeps_the_other, backend_config


def _section(kind: str, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    section = backend_config(kind, tmp_path)
    section.pop("KEY_PREFIX", None)  # the default namespace is what is tested
    return {**section, **extra}


@pytest.mark.parametrize("kind", BACKEND_KINDS)
async def test_two_caches_keep_their_settings_and_namespaces(kind: str, tmp_path: Path) -> None:
    pages, fragments = Cache(configs_name="PAGES"), Cache(configs_name="FRAGMENTS")
    name = f"two-caches-{uuid.uuid4().hex[:8]}"
    app = make_app(
        APP_NAME=name,
        EXTENSIONS=[pages, fragments],
        PAGES=_section(kind, tmp_path, MAX_ENTRIES=500, DURATION=60),
        FRAGMENTS=_section(kind, tmp_path, DURATION=30),
    )
    assert (pages.config.MAX_ENTRIES, pages.config.DURATION) == (500, 60)
    assert (fragments.config.MAX_ENTRIES, fragments.config.DURATION) == (1024, 30)
    if kind == "memory":
        assert isinstance(pages.backend, MemoryCacheBackend)
        assert isinstance(fragments.backend, MemoryCacheBackend)
        assert (pages.backend.max_entries, fragments.backend.max_entries) == (500, 1024)
    assert pages.namespace == f"pyjolt:{name}:pages:"
    assert fragments.namespace == f"pyjolt:{name}:fragments:"
    async with PyJoltTestClient(app):
        await assert_clear_keeps_the_other(pages, fragments)


@pytest.mark.parametrize("kind", BACKEND_KINDS)
async def test_one_cache_in_two_apps_on_one_store(kind: str, tmp_path: Path) -> None:
    cache = Cache()
    suffix = uuid.uuid4().hex[:8]
    section = _section(kind, tmp_path)
    first = make_app(APP_NAME=f"first-{suffix}", EXTENSIONS=[cache], CACHE=section)
    second = make_app(
        APP_NAME=f"second-{suffix}", EXTENSIONS=[cache], CACHE={**section, "DURATION": 7}
    )
    async with PyJoltTestClient(first), PyJoltTestClient(second):
        try:
            with app_context(first):
                assert cache.config.DURATION == 300
                await cache.set("k", {"app": "first"})
            with app_context(second):
                assert cache.config.DURATION == 7
                assert await cache.get("k") is None
                await cache.set("k", {"app": "second"})
                await cache.clear()
            with app_context(first):
                assert await cache.get("k") == {"app": "first"}
        finally:
            for app in (first, second):
                with app_context(app):
                    await cache.clear()


def test_missing_redis_url_names_the_cache_section() -> None:
    with pytest.raises(ConfigurationError, match=r"PAGES\['REDIS_URL'\] is required"):
        make_app(
            EXTENSIONS=[Cache(configs_name="PAGES")],
            PAGES={"BACKEND": "pyjolt.caching:RedisCacheBackend"},
        )
