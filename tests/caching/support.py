"""Helpers shared by the caching tests (kept out of conftest so tests can import them)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pyjolt import Request, Response
from pyjolt.caching import (
    BaseCacheBackend,
    Cache,
    MemoryCacheBackend,
    RedisCacheBackend,
    SqliteCacheBackend,
)
from pyjolt.caching.payload import is_payload
from pyjolt.controller import Controller, get, path
from tests.services import REDIS_URL, require_port

BACKEND_KINDS = ["memory", "sqlite", "redis"]

#: What ``cached_client`` returns: the client, the handlers' calls, the ``Cache``.
Served = tuple[Any, list[str], Cache]


def unique_prefix() -> str:
    return f"pyjolt-test:{uuid.uuid4().hex}:"


def require_redis() -> None:
    require_port("127.0.0.1", 6379, "Redis")


def backend_config(kind: str, tmp_path: Path, prefix: str | None = None) -> dict[str, Any]:
    """A ``CACHE`` section selecting ``kind`` (unique key prefix / fresh SQLite file)."""
    prefix = prefix or unique_prefix()
    if kind == "memory":
        return {"BACKEND": MemoryCacheBackend}
    if kind == "sqlite":
        return {
            "BACKEND": "pyjolt.caching:SqliteCacheBackend",
            "SQLITE_PATH": str(tmp_path / "cache.db"),
            "KEY_PREFIX": prefix,
        }
    require_redis()
    return {"BACKEND": RedisCacheBackend, "REDIS_URL": REDIS_URL, "KEY_PREFIX": prefix}


def make_backend(kind: str, tmp_path: Path, prefix: str | None = None) -> BaseCacheBackend:
    prefix = prefix or unique_prefix()
    if kind == "memory":
        return MemoryCacheBackend(max_entries=100)
    if kind == "sqlite":
        return SqliteCacheBackend(str(tmp_path / "cache.db"), namespace=prefix, checkpoint_every=3)
    require_redis()
    return RedisCacheBackend(REDIS_URL, key_prefix=prefix)


def count_call(
    req: Request,
    calls: list[str],
    name: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    """Record ``name`` in ``calls`` and answer ``body`` (by default ``{"n": <calls so far>}``)
    with ``headers``."""
    calls.append(name)
    res = req.res.json({"n": len(calls)} if body is None else body)
    for header, value in (headers or {}).items():
        res.set_header(header, value)
    return res


def one_route_api(
    cache: Cache, handler: Callable[[Request], Awaitable[Response[Any]]], route: str = "/count"
) -> type[Controller]:
    """A controller whose one GET ``route`` is cached by ``cache`` for 60 s and runs ``handler``."""

    @path("/")
    class OneRoute(Controller):
        @get(route)
        @cache.cache(duration=60)
        async def endpoint(self, req: Request) -> Response[Any]:
            return await handler(req)

    # Controllers of one app have distinct names: named after the route.
    OneRoute.__name__ = OneRoute.__qualname__ = f"OneRoute{route.replace('/', '_')}"
    return OneRoute


async def cached_client(
    build_client: Callable[..., Awaitable[Any]],
    make_api: Callable[[Cache, list[str]], type],
    section: dict[str, Any],
    *extensions: Any,
    **config: Any,
) -> Served:
    """A client of an app serving ``make_api(cache, calls)`` with a ``Cache`` on ``section``
    (``extensions`` listed before it); ``calls`` records what the handlers ran."""
    cache = Cache()
    calls: list[str] = []
    client = await build_client(
        controllers=[make_api(cache, calls)],
        EXTENSIONS=[*extensions, cache],
        CACHE=section,
        **config,
    )
    return client, calls, cache


async def assert_clear_keeps_the_other(
    first: Cache | BaseCacheBackend, second: Cache | BaseCacheBackend
) -> None:
    """``first`` and ``second`` (two caches, or two backends, sharing a store) keep one key
    apart, and ``first.clear()`` leaves ``second``'s entry; both are cleared afterwards."""
    try:
        await first.set("same-key", {"who": "first"}, 60)
        await second.set("same-key", {"who": "second"}, 60)
        assert await first.get("same-key") == {"who": "first"}
        assert await second.get("same-key") == {"who": "second"}
        await first.clear()
        assert await first.get("same-key") is None
        assert await second.get("same-key") == {"who": "second"}
    finally:
        await first.clear()
        await second.clear()


async def stored_values(cache: Cache) -> list[dict[str, Any]]:
    """Every live value the cache's backend holds (read from the store itself)."""
    backend = cache.backend
    if isinstance(backend, MemoryCacheBackend):
        keys = list(backend._data)
    elif isinstance(backend, SqliteCacheBackend):
        with contextlib.closing(sqlite3.connect(backend.path)) as db:
            rows = db.execute(
                f'SELECT key FROM "{backend.table}" WHERE namespace = ?', (backend.namespace,)
            ).fetchall()
        keys = [key for (key,) in rows]
    else:
        assert isinstance(backend, RedisCacheBackend)
        prefix = backend.key_prefix
        keys = [
            key.decode()[len(prefix) :]
            async for key in backend.client.scan_iter(match=prefix + "*")
            if not key.decode()[len(prefix) :].startswith("~")
        ]
    values = [await backend.get(key) for key in keys]
    return [value for value in values if value is not None]


async def stored_answers(cache: Cache) -> int:
    """How many replayable answers the cache holds (variant indexes not counted)."""
    return sum(1 for value in await stored_values(cache) if is_payload(value))


class TcpProxy:
    """A TCP forwarder to a real server that a test can stop and restart (a Redis outage).

    It notes when each client connection arrived (``connected``) and what each client sent,
    with the time (``sent``).
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.connected: list[float] = []
        self.sent: list[tuple[float, bytes]] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Refuse new connections and cut the open ones."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                await writer.wait_closed()
        self._writers.clear()
        if server is not None:
            # Python 3.12+ waits here for every connection to close: cut them first (above).
            await server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connected.append(time.monotonic())
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers.update((writer, up_writer))
        pumps = [
            asyncio.create_task(self._pump(reader, up_writer, self.sent)),
            asyncio.create_task(self._pump(up_reader, writer)),
        ]
        self._tasks.update(pumps)

    async def _pump(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        log: list[tuple[float, bytes]] | None = None,
    ) -> None:
        try:
            while data := await reader.read(65536):
                if log is not None:
                    log.append((time.monotonic(), data))
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


STORED: dict[str, dict[str, Any]] = {}


class DictBackend(BaseCacheBackend):
    """A user's own backend: a module-level dict, named by import string in the tests."""

    def __init__(self, label: str) -> None:
        self.label = label

    @classmethod
    def configure_from_app(cls, app: Any, variable_prefix: str) -> DictBackend:
        return cls(label=Cache.settings_for(app, variable_prefix).KEY_PREFIX or "none")

    async def connect(self) -> None:
        STORED.clear()

    async def disconnect(self) -> None:
        return None

    async def get(self, key: str) -> dict[str, Any] | None:
        return STORED.get(self.label + key)

    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        STORED[self.label + key] = value

    async def delete(self, key: str) -> None:
        STORED.pop(self.label + key, None)

    async def clear(self) -> None:
        STORED.clear()
