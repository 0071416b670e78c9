"""SQLite cache: a table in a WAL-mode database file, shared safely by several processes."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from pyjolt._internal.files import resolve_path
from pyjolt.caching.base import BaseCacheBackend, CacheSetup
from pyjolt.caching.config import CheckpointMode
from pyjolt.caching.payload import decode, encode

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol

T = TypeVar("T")

#: Seconds a writer waits for another process's lock before failing.
BUSY_TIMEOUT = 5.0


class SqliteCacheBackend(BaseCacheBackend):
    """Cache rows ``(namespace, key, value JSON, expires_at)`` in one SQLite table.

    The stdlib ``sqlite3`` connection lives on one worker thread, so the event loop never
    blocks on disk. The database runs in WAL mode with a busy timeout, so several app
    processes can share the file. Every ``checkpoint_every`` writes, expired rows are purged
    and the WAL is checkpointed with ``checkpoint_mode``. Expiry uses wall-clock time, which
    every process agrees on.

    A namespace holds at most ``max_entries`` rows: past that, expired rows go first, then
    those closest to expiry. Tags are rows of ``<table>_tags``, shared by every process.
    """

    supports_tags = True

    def __init__(
        self,
        path: str = "./pyjolt_cache.db",
        table: str = "cache_entries",
        *,
        namespace: str = "pyjolt:cache:",
        checkpoint_mode: CheckpointMode = "PASSIVE",
        checkpoint_every: int = 100,
        max_entries: int = 1024,
    ) -> None:
        self.path, self.table, self.namespace = path, table, namespace
        self.max_entries = max_entries
        self.checkpoint_mode = checkpoint_mode
        self.checkpoint_every = checkpoint_every
        # opened by open(), on the backend's one worker thread
        self._conn: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._writes = 0

    @classmethod
    def from_config(cls, setup: CacheSetup) -> SqliteCacheBackend:
        config = setup.config
        return cls(
            _file_path(setup.app.root_path, config.SQLITE_PATH),
            config.SQLITE_TABLE,
            namespace=setup.namespace,
            checkpoint_mode=config.SQLITE_WAL_CHECKPOINT_MODE,
            checkpoint_every=config.SQLITE_WAL_CHECKPOINT_EVERY,
            max_entries=config.MAX_ENTRIES,
        )

    @classmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        return cls.from_registered_cache(app, variable_prefix)

    # -- lifecycle ------------------------------------------------------------------------
    async def connect(self) -> None:
        if self._conn is not None:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyjolt-cache-sqlite")
        try:
            self._conn = await self._run(self._open)
        except BaseException:
            self._executor.shutdown(wait=False)
            self._executor = None
            raise

    async def disconnect(self) -> None:
        if self._executor is None:
            return
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._run(conn.close)
        executor, self._executor = self._executor, None
        executor.shutdown(wait=False)

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{self.table}" ('
                " namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                " expires_at REAL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
            )
            conn.execute(
                f'CREATE INDEX IF NOT EXISTS "{self.table}_expires_at"'
                f' ON "{self.table}" (expires_at)'
            )
            conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{self.table}_tags" ('
                " namespace TEXT NOT NULL, tag TEXT NOT NULL, key TEXT NOT NULL,"
                " expires_at REAL, PRIMARY KEY (namespace, tag, key)) WITHOUT ROWID"
            )
        except BaseException:
            conn.close()
            raise
        return conn

    # -- operations -----------------------------------------------------------------------
    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self._run(self._get, key)
        return None if raw is None else decode(raw)

    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        raw = encode(value)
        await self._run(self._set, key, raw, duration)

    async def delete(self, key: str) -> None:
        await self._run(
            self._execute,
            f'DELETE FROM "{self.table}" WHERE namespace = ? AND key = ?',
            (self.namespace, key),
        )

    async def clear(self) -> None:
        await self._run(self._clear)

    async def add_tags(self, key: str, tags: Sequence[str], duration: int | None) -> None:
        expires_at = None if duration is None else time.time() + duration
        rows = [(self.namespace, tag, key, expires_at) for tag in tags]
        await self._run(self._add_tags, rows)

    async def tagged_keys(self, tag: str) -> frozenset[str]:
        return await self._run(self._tagged_keys, tag)

    async def forget_tags(self, tags: Collection[str]) -> None:
        await self._run(self._delete_in, "_tags", "tag", list(tags))

    async def delete_many(self, keys: Collection[str]) -> None:
        await self._run(self._delete_in, "", "key", list(keys))

    async def purge_expired(self) -> int:
        """Delete every expired row (of all namespaces); returns how many went."""
        return await self._run(self._purge)

    async def checkpoint(self) -> None:
        """Checkpoint the WAL now with the configured mode."""
        await self._run(self._checkpoint)

    # -- worker-thread side ---------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(
                "SqliteCacheBackend is not connected (startup did not run or failed)"
            )
        return self._conn

    def _get(self, key: str) -> str | None:
        db = self._db()
        row = db.execute(
            f'SELECT value, expires_at FROM "{self.table}" WHERE namespace = ? AND key = ?',
            (self.namespace, key),
        ).fetchone()
        if row is None:
            return None
        value, expires_at = row
        if expires_at is not None and expires_at <= time.time():
            db.execute(
                f'DELETE FROM "{self.table}" WHERE namespace = ? AND key = ? AND expires_at <= ?',
                (self.namespace, key, time.time()),
            )
            return None
        return str(value)

    def _set(self, key: str, raw: str, duration: int | None) -> None:
        expires_at = None if duration is None else time.time() + duration
        self._db().execute(
            f'INSERT OR REPLACE INTO "{self.table}" (namespace, key, value, expires_at)'
            " VALUES (?, ?, ?, ?)",
            (self.namespace, key, raw, expires_at),
        )
        self._bound()
        self._writes += 1
        if self.checkpoint_every and self._writes % self.checkpoint_every == 0:
            self._purge()
            self._checkpoint()

    def _bound(self) -> None:
        """Keep at most ``max_entries`` rows in the namespace (expired, then soonest first)."""
        db, table, ns = self._db(), self.table, self.namespace
        (count,) = db.execute(
            f'SELECT COUNT(*) FROM "{table}" WHERE namespace = ?', (ns,)
        ).fetchone()
        if count <= self.max_entries:
            return
        db.execute(
            f'DELETE FROM "{table}" WHERE namespace = ? AND expires_at <= ?', (ns, time.time())
        )
        db.execute(
            f'DELETE FROM "{table}" WHERE namespace = ? AND key IN (SELECT key FROM "{table}"'
            " WHERE namespace = ? ORDER BY expires_at IS NULL, expires_at LIMIT max(0,"
            f' (SELECT COUNT(*) FROM "{table}" WHERE namespace = ?) - ?))',
            (ns, ns, ns, self.max_entries),
        )

    def _clear(self) -> None:
        for table in (self.table, f"{self.table}_tags"):
            self._db().execute(f'DELETE FROM "{table}" WHERE namespace = ?', (self.namespace,))

    def _add_tags(self, rows: list[tuple[str, str, str, float | None]]) -> None:
        self._db().executemany(
            f'INSERT INTO "{self.table}_tags" (namespace, tag, key, expires_at) VALUES'
            " (?, ?, ?, ?) ON CONFLICT (namespace, tag, key) DO UPDATE SET expires_at ="
            " CASE WHEN excluded.expires_at IS NULL OR expires_at IS NULL THEN NULL"
            " ELSE max(expires_at, excluded.expires_at) END",
            rows,
        )

    def _tagged_keys(self, tag: str) -> frozenset[str]:
        rows = self._db().execute(
            f'SELECT key FROM "{self.table}_tags" WHERE namespace = ? AND tag = ?',
            (self.namespace, tag),
        )
        return frozenset(str(key) for (key,) in rows)

    def _delete_in(self, suffix: str, column: str, values: list[str]) -> None:
        db = self._db()
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            marks = ",".join("?" * len(chunk))
            db.execute(
                f'DELETE FROM "{self.table}{suffix}" WHERE namespace = ? AND {column} IN ({marks})',
                (self.namespace, *chunk),
            )

    def _execute(self, sql: str, params: tuple[Any, ...]) -> None:
        self._db().execute(sql, params)

    def _purge(self) -> int:
        now = time.time()
        self._db().execute(
            f'DELETE FROM "{self.table}_tags" WHERE expires_at IS NOT NULL AND expires_at <= ?',
            (now,),
        )
        cur = self._db().execute(
            f'DELETE FROM "{self.table}" WHERE expires_at IS NOT NULL AND expires_at <= ?', (now,)
        )
        return cur.rowcount

    def _checkpoint(self) -> None:
        self._db().execute(f"PRAGMA wal_checkpoint({self.checkpoint_mode})").fetchall()

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            raise RuntimeError(
                "SqliteCacheBackend is not connected (startup did not run or failed)"
            )
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def describe(self) -> str:
        return (
            f"SqliteCacheBackend(path={self.path!r}, table={self.table!r}, "
            f"namespace={self.namespace!r}, max_entries={self.max_entries})"
        )


def _file_path(base: str, path: str) -> str:
    """A relative database file is taken from ``BASE_PATH``; ``:memory:`` and ``file:`` URIs
    are left as they are."""
    if path == ":memory:" or path.startswith("file:"):
        return path
    return resolve_path(base, path)
