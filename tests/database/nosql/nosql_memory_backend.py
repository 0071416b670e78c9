"""A user-written in-memory NoSQL backend, built only on the public abstract class.

It supports what the contract tests use: equality and comparison filters, ``$set``/``$inc``/
``$unset``/``$push`` updates with upsert, sort/skip/limit, ``$match``/``$group``/``$sort``
pipelines, and snapshot transactions (a session works on a copy, committed on success).
"""

from __future__ import annotations

import copy
import inspect
import uuid
from collections.abc import Callable, Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from pyjolt.database.nosql import NoSqlDatabase
from pyjolt.database.nosql.backends import AsyncNoSqlBackendBase

Store = dict[str, list[dict[str, Any]]]

_MISSING = object()


def _get(doc: Mapping[str, Any], dotted: str) -> Any:
    value: Any = doc
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _matches(doc: Mapping[str, Any], filter: Mapping[str, Any] | None) -> bool:
    for key, cond in (filter or {}).items():
        value = _get(doc, key)
        if isinstance(cond, Mapping) and cond and all(str(k).startswith("$") for k in cond):
            for op, arg in cond.items():
                if value is _MISSING and op != "$ne":
                    return False
                ok = {
                    "$eq": lambda v, a: v == a,
                    "$ne": lambda v, a: v != a,
                    "$gt": lambda v, a: v > a,
                    "$gte": lambda v, a: v >= a,
                    "$lt": lambda v, a: v < a,
                    "$lte": lambda v, a: v <= a,
                    "$in": lambda v, a: v in a,
                }[op](value, arg)
                if not ok:
                    return False
        elif value is _MISSING or value != cond:
            return False
    return True


def _sorted(docs: list[dict[str, Any]], keys: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    for key, direction in reversed(list(keys)):
        docs = sorted(docs, key=lambda d, k=key: _get(d, k), reverse=direction < 0)
    return docs


def _apply_update(doc: dict[str, Any], update: Mapping[str, Any]) -> None:
    for op, fields in update.items():
        for key, arg in fields.items():
            if op == "$set":
                doc[key] = copy.deepcopy(arg)
            elif op == "$inc":
                doc[key] = doc.get(key, 0) + arg
            elif op == "$unset":
                doc.pop(key, None)
            elif op == "$push":
                doc.setdefault(key, []).append(copy.deepcopy(arg))
            else:
                raise ValueError(f"unsupported update operator {op}")


def _field(doc: Mapping[str, Any], expr: Any) -> Any:
    if isinstance(expr, str) and expr.startswith("$"):
        value = _get(doc, expr[1:])
        return None if value is _MISSING else value
    return expr


def _group(docs: list[dict[str, Any]], spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for doc in docs:
        groups.setdefault(_field(doc, spec["_id"]), []).append(doc)
    out = []
    for key, members in groups.items():
        row: dict[str, Any] = {"_id": key}
        for name, acc in spec.items():
            if name == "_id":
                continue
            ((op, expr),) = acc.items()
            values = [_field(d, expr) for d in members]
            if op == "$sum":
                row[name] = sum(values)
            elif op == "$avg":
                row[name] = sum(values) / len(values)
            elif op == "$push":
                row[name] = values
            elif op == "$max":
                row[name] = max(values)
            elif op == "$min":
                row[name] = min(values)
            else:
                raise ValueError(f"unsupported accumulator {op}")
        out.append(row)
    return out


class MemorySession:
    """A snapshot of the store that a transaction works on."""

    def __init__(self) -> None:
        self.data: Store | None = None
        self.ended = False

    def end_session(self) -> None:
        self.ended = True


class MemoryBackend(AsyncNoSqlBackendBase):
    """Collections are lists of dicts; ``_id`` defaults to a random hex string."""

    transactions = True
    #: Whether ``with_transaction`` hands ``session`` on to ``fn`` (a backend may not).
    passes_session = True

    def __init__(self, database: str) -> None:
        self.database_name = database
        self._store: Store = {}
        self.connected = False

    @classmethod
    def configure_from_app(cls, app: Any, variable_prefix: str) -> MemoryBackend:
        return cls(NoSqlDatabase.settings_for(app, variable_prefix).DATABASE or "memory")

    async def connect(self) -> None:
        self.connected = True

    async def disconnect(self) -> None:
        self.connected = False
        self._store = {}

    def database_handle(self) -> Any:
        return self._store

    def supports_transactions(self) -> bool:
        return self.transactions

    async def start_session(self) -> Any:
        return MemorySession() if self.transactions else None

    async def with_transaction(
        self, fn: Callable[..., Any], *args: Any, session: Any = None, **kwargs: Any
    ) -> Any:
        if not self.transactions:
            result = fn(*args, session=None, **kwargs)
            return await result if inspect.isawaitable(result) else result
        session = session or MemorySession()
        session.data = copy.deepcopy(self._store)
        try:
            if self.passes_session:
                result = fn(*args, session=session, **kwargs)
            else:
                result = fn(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except BaseException:
            session.data = None
            raise
        self._store, session.data = session.data, None
        return result

    def _docs(self, collection: str, session: Any) -> list[dict[str, Any]]:
        if not self.connected:
            raise RuntimeError("MemoryBackend is not connected")
        store = session.data if session is not None and session.data is not None else self._store
        return store.setdefault(collection, [])

    def get_collection(self, name: str) -> Any:
        return self._docs(name, None)

    async def find_one(
        self, collection: str, filter: Mapping[str, Any], *, session: Any = None, **kwargs: Any
    ) -> Any:
        found = await self.find_many(collection, filter, session=session, limit=1)
        return found[0] if found else None

    async def find_many(
        self,
        collection: str,
        filter: Mapping[str, Any] | None = None,
        *,
        session: Any = None,
        limit: int | None = None,
        skip: int | None = None,
        sort: Iterable[tuple[str, int]] | None = None,
        **kwargs: Any,
    ) -> list[Any]:
        docs = [d for d in self._docs(collection, session) if _matches(d, filter)]
        if sort is not None:
            docs = _sorted(docs, sort)
        docs = docs[skip or 0 :]
        if limit:
            docs = docs[:limit]
        return copy.deepcopy(docs)

    async def insert_one(
        self, collection: str, doc: Mapping[str, Any], *, session: Any = None, **kwargs: Any
    ) -> Any:
        result = await self.insert_many(collection, [doc], session=session)
        return SimpleNamespace(inserted_id=result.inserted_ids[0], acknowledged=True)

    async def insert_many(
        self,
        collection: str,
        docs: Iterable[Mapping[str, Any]],
        *,
        session: Any = None,
        **kwargs: Any,
    ) -> Any:
        target = self._docs(collection, session)
        ids = []
        for doc in docs:
            stored = copy.deepcopy(dict(doc))
            stored.setdefault("_id", uuid.uuid4().hex)
            if any(d["_id"] == stored["_id"] for d in target):
                raise KeyError(f"duplicate _id {stored['_id']!r}")
            target.append(stored)
            ids.append(stored["_id"])
        return SimpleNamespace(inserted_ids=ids, acknowledged=True)

    async def update_one(
        self,
        collection: str,
        filter: Mapping[str, Any],
        update: Mapping[str, Any],
        *,
        upsert: bool = False,
        session: Any = None,
        **kwargs: Any,
    ) -> Any:
        for doc in self._docs(collection, session):
            if _matches(doc, filter):
                before = copy.deepcopy(doc)
                _apply_update(doc, update)
                modified = int(doc != before)
                return SimpleNamespace(matched_count=1, modified_count=modified, upserted_id=None)
        upserted_id = None
        if upsert:
            new = {k: v for k, v in filter.items() if not isinstance(v, Mapping)}
            _apply_update(new, update)
            upserted_id = (await self.insert_one(collection, new, session=session)).inserted_id
        return SimpleNamespace(matched_count=0, modified_count=0, upserted_id=upserted_id)

    async def delete_one(
        self, collection: str, filter: Mapping[str, Any], *, session: Any = None, **kwargs: Any
    ) -> Any:
        docs = self._docs(collection, session)
        for index, doc in enumerate(docs):
            if _matches(doc, filter):
                del docs[index]
                return SimpleNamespace(deleted_count=1)
        return SimpleNamespace(deleted_count=0)

    async def aggregate(
        self,
        collection: str,
        pipeline: Iterable[Mapping[str, Any]],
        *,
        session: Any = None,
        **kwargs: Any,
    ) -> list[Any]:
        docs = copy.deepcopy(self._docs(collection, session))
        for stage in pipeline:
            ((op, arg),) = stage.items()
            if op == "$match":
                docs = [d for d in docs if _matches(d, arg)]
            elif op == "$group":
                docs = _group(docs, arg)
            elif op == "$sort":
                docs = _sorted(docs, arg.items())
            elif op == "$limit":
                docs = docs[:arg]
            else:
                raise ValueError(f"unsupported stage {op}")
        return docs

    async def execute_raw(self, *args: Any, **kwargs: Any) -> Any:
        """``execute_raw("count", collection)`` / ``execute_raw("drop", collection)``."""
        command, collection = args
        if command == "count":
            return len(self._docs(collection, kwargs.get("session")))
        if command == "drop":
            self._store.pop(collection, None)
            return None
        raise ValueError(f"unknown command {command!r}")


class NoTransactionMemoryBackend(MemoryBackend):
    """The same store without transactions: sessions are None, calls stand alone."""

    transactions = False


class SessionDroppingMemoryBackend(MemoryBackend):
    """A user backend whose ``with_transaction`` runs its transaction with the session it is
    given but calls ``fn(*args, **kwargs)`` without passing ``session`` on (the spec's
    signature allows it)."""

    passes_session = False
