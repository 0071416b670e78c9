"""The CACHE section: prefixes, several instances, user backends, start-up errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.caching import (
    Cache,
    MemoryCacheBackend,
    RedisCacheBackend,
    SqliteCacheBackend,
)
from pyjolt.controller import Controller
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import make_app
from tests.caching.support import STORED, DictBackend, one_route_api
from tests.conftest import BuildClient


def test_prefixed_flat_keys_configure_the_instance(tmp_path: Path) -> None:
    cache = Cache(variable_prefix="MY_PREFIX_")
    app = make_app(
        EXTENSIONS=[cache],
        MY_PREFIX_CACHE_BACKEND="pyjolt.caching:SqliteCacheBackend",
        MY_PREFIX_CACHE_SQLITE_PATH=str(tmp_path / "p.db"),
        MY_PREFIX_CACHE_DURATION=42,
        CACHE_DURATION=7,  # belongs to the unprefixed cache, not this one
    )
    assert cache.configs_name == "MY_PREFIX_CACHE"
    assert cache.config.DURATION == 42
    assert isinstance(cache.backend, SqliteCacheBackend)
    assert cache.backend.path == str(tmp_path / "p.db")
    # the namespace names the app and the section (issue 16: apps never share entries)
    assert cache.backend.namespace == f"pyjolt:{app.app_name}:my_prefix_cache:"


def test_defaults_are_the_specs() -> None:
    cache = Cache()
    make_app(EXTENSIONS=[cache])
    conf = cache.config
    assert isinstance(cache.backend, MemoryCacheBackend)
    assert (conf.DURATION, conf.SQLITE_PATH, conf.SQLITE_TABLE) == (
        300,
        "./pyjolt_cache.db",
        "cache_entries",
    )
    assert (conf.SQLITE_WAL_CHECKPOINT_MODE, conf.SQLITE_WAL_CHECKPOINT_EVERY) == ("PASSIVE", 100)


@pytest.mark.parametrize(
    ("section", "needle"),
    [
        ({"BACKEND": "no.such.module:Backend"}, "BACKEND"),
        ({"BACKEND": "pyjolt.caching:Cache"}, "BaseCacheBackend subclass"),
        ({"DURATION": 0}, "DURATION"),
        ({"SQLITE_WAL_CHECKPOINT_MODE": "SOMETIMES"}, "SQLITE_WAL_CHECKPOINT_MODE"),
        ({"SQLITE_TABLE": "x; DROP TABLE y"}, "SQLITE_TABLE"),
        ({"BACKEND": RedisCacheBackend}, "REDIS_URL"),
        ({"UNKNOWN_KEY": 1}, "UNKNOWN_KEY"),
    ],
)
def test_bad_config_refuses_to_start(section: dict[str, Any], needle: str) -> None:
    with pytest.raises(ConfigurationError, match=needle):
        make_app(EXTENSIONS=[Cache()], CACHE=section)


def test_decorator_rejects_bad_durations_and_sync_handlers() -> None:
    cache = Cache()
    with pytest.raises(ValueError, match="positive"):
        cache.cache(duration=0)
    with pytest.raises(TypeError, match="async"):
        cache.cache(lambda self, req: None)  # type: ignore[arg-type,return-value]


async def test_two_instances_in_one_app_and_a_user_backend(
    build_client: BuildClient, tmp_path: Path
) -> None:
    fast = Cache()
    shared = Cache(variable_prefix="SHARED_")
    mine = Cache(variable_prefix="MINE_")
    calls: list[str] = []

    def text_api(cache: Cache, name: str) -> type[Controller]:
        async def answer(req: Request) -> Response[Any]:
            calls.append(name)
            return req.res.text(name)

        return one_route_api(cache, answer, f"/{name}")

    client = await build_client(
        controllers=[text_api(fast, "fast"), text_api(shared, "shared"), text_api(mine, "mine")],
        EXTENSIONS=[fast, shared, mine],
        SHARED_CACHE={"BACKEND": SqliteCacheBackend, "SQLITE_PATH": str(tmp_path / "s.db")},
        MINE_CACHE_BACKEND="tests.caching.support:DictBackend",
        MINE_CACHE_KEY_PREFIX="user:",
    )
    assert isinstance(fast.backend, MemoryCacheBackend)
    assert isinstance(shared.backend, SqliteCacheBackend)
    assert isinstance(mine.backend, DictBackend)
    for url in ("/fast", "/shared", "/mine"):
        assert (await client.get(url)).headers["x-cache"] == "MISS"
        assert (await client.get(url)).headers["x-cache"] == "HIT"
    assert calls == ["fast", "shared", "mine"]
    assert len(STORED) == 1
    assert next(iter(STORED)).startswith("user:resp:")
    await fast.clear()
    assert (await client.get("/fast")).headers["x-cache"] == "MISS"
    assert (await client.get("/shared")).headers["x-cache"] == "HIT"
    assert (await client.get("/mine")).headers["x-cache"] == "HIT"


def test_import_pyjolt_does_not_import_redis() -> None:
    import subprocess
    import sys

    code = "import sys, pyjolt, pyjolt.caching; print('redis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
