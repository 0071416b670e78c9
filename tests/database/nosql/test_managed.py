"""``@nosqldb.managed_database``: one transaction per handler, committed or aborted."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from pyjolt import Request, Response
from pyjolt.controller import Controller, MediaType, consumes, get, path, post
from pyjolt.controller.meta import get_endpoint_meta
from pyjolt.database.nosql import NoSqlDatabase
from pyjolt.exceptions import BadRequest
from tests.database.nosql.nosql_memory_backend import (
    NoTransactionMemoryBackend,
    SessionDroppingMemoryBackend,
)
from tests.database.nosql.support import Target, drop_database


class Order(BaseModel):
    customer: str
    items: list[str]
    fail_after_writes: bool = False


def order_api(nosqldb: NoSqlDatabase) -> type[Controller]:
    """A controller writing an order and its items in one managed transaction."""

    @path("/orders")
    class OrderApi(Controller):
        @post("/")
        @consumes(MediaType.APPLICATION_JSON)
        @nosqldb.managed_database
        async def create(
            self, req: Request, order: Order, db: Any, session: Any = None
        ) -> Response[Any]:
            assert db is nosqldb
            assert (session is None) is not nosqldb.supports_transactions()
            created = await db.insert_one("orders", {"customer": order.customer}, session=session)
            await db.insert_many(
                "items",
                [{"order": created.inserted_id, "name": n} for n in order.items],
                session=session,
            )
            await db.update_one(
                "customers",
                {"name": order.customer},
                {"$inc": {"orders": 1}},
                upsert=True,
                session=session,
            )
            if order.fail_after_writes:
                raise BadRequest("payment declined")
            return req.response.json({"id": str(created.inserted_id)}).status(201)

        @get("/count")
        async def count(self, req: Request) -> Response[Any]:
            return req.response.json(
                {
                    "orders": len(await nosqldb.find_many("orders")),
                    "items": len(await nosqldb.find_many("items")),
                    "customers": len(await nosqldb.find_many("customers")),
                }
            )

    return OrderApi


async def start(build_client: Any, target: Target) -> tuple[Any, NoSqlDatabase]:
    nosqldb = NoSqlDatabase()
    client = await build_client(
        controllers=[order_api(nosqldb)], EXTENSIONS=[nosqldb], NOSQL_DATABASE=target.section()
    )
    return client, nosqldb


async def test_managed_database_commits_on_success(build_client: Any, target: Target) -> None:
    client, nosqldb = await start(build_client, target)
    try:
        r = await client.post("/orders", json={"customer": "ada", "items": ["x", "y"]})
        assert r.status_code == 201, r.text
        assert (await client.get("/orders/count")).json() == {
            "orders": 1,
            "items": 2,
            "customers": 1,
        }
        order = await nosqldb.find_one("orders", {"customer": "ada"})
        assert str(order["_id"]) == r.json()["id"]
    finally:
        await drop_database(nosqldb)


async def test_managed_database_aborts_on_exception(build_client: Any, target: Target) -> None:
    client, nosqldb = await start(build_client, target)
    try:
        assert (
            await client.post("/orders", json={"customer": "ada", "items": ["x"]})
        ).status_code == 201
        r = await client.post(
            "/orders", json={"customer": "ada", "items": ["y", "z"], "fail_after_writes": True}
        )
        assert r.status_code == 400
        counts = (await client.get("/orders/count")).json()
        if target.transactions is not None:
            assert nosqldb.supports_transactions() is target.transactions
        if nosqldb.supports_transactions():
            assert counts == {"orders": 1, "items": 1, "customers": 1}
            assert (await nosqldb.find_one("customers", {"name": "ada"}))["orders"] == 1
        else:
            assert counts == {"orders": 2, "items": 3, "customers": 1}
    finally:
        await drop_database(nosqldb)


async def test_without_transactions_session_is_none_and_calls_stand_alone(
    build_client: Any,
) -> None:
    target = Target("memory", NoTransactionMemoryBackend, None, "memory", False)
    client, nosqldb = await start(build_client, target)
    assert not nosqldb.supports_transactions()
    r = await client.post(
        "/orders", json={"customer": "ada", "items": ["y", "z"], "fail_after_writes": True}
    )
    assert r.status_code == 400  # the handler's own asserts passed: session was None
    assert (await client.get("/orders/count")).json() == {"orders": 1, "items": 2, "customers": 1}


async def test_managed_database_declares_injected_names(build_client: Any, target: Target) -> None:
    nosqldb = NoSqlDatabase()

    @nosqldb.managed_database
    async def handler(database: Any, tx: Any) -> tuple[Any, Any]:
        return database, tx

    assert get_endpoint_meta(handler).injects == {"db", "session"}
    await build_client(
        EXTENSIONS=[nosqldb],
        NOSQL_DATABASE=target.section(DB_INJECT_NAME="database", SESSION_NAME="tx"),
    )
    try:
        # init_app re-declares the configured names on handlers decorated before it ran
        assert get_endpoint_meta(handler).injects == {"database", "tx"}
        assert handler.__name__ == "handler"
        database, tx = await handler()  # a plain async function works too
        assert database is nosqldb
        assert (tx is not None) is nosqldb.supports_transactions()
    finally:
        await drop_database(nosqldb)


async def test_managed_database_with_custom_names_in_a_controller(
    build_client: Any, target: Target
) -> None:
    nosqldb = NoSqlDatabase()

    @path("/notes")
    class NotesApi(Controller):
        @post("/<name>")
        @nosqldb.managed_database
        async def add(self, req: Request, name: str, store: Any, tx: Any) -> Response[Any]:
            await store.insert_one("notes", {"name": name}, session=tx)
            found = await store.find_one("notes", {"name": name}, session=tx)
            return req.response.json({"seen_in_transaction": found is not None})

    client = await build_client(
        controllers=[NotesApi],
        EXTENSIONS=[nosqldb],
        NOSQL_DATABASE=target.section(DB_INJECT_NAME="store", SESSION_NAME="tx"),
    )
    try:
        r = await client.post("/notes/first")
        assert r.status_code == 200, r.text
        assert r.json() == {"seen_in_transaction": True}
        assert await nosqldb.find_one("notes", {"name": "first"}) is not None
    finally:
        await drop_database(nosqldb)


async def test_backend_that_does_not_pass_session_on(build_client: Any) -> None:
    """A backend's ``with_transaction`` may call ``fn()`` without ``session``: the handler
    still gets the session of the transaction, which commits or aborts as a whole."""
    target = Target("memory", SessionDroppingMemoryBackend, None, "memory", True)
    client, nosqldb = await start(build_client, target)
    assert nosqldb.supports_transactions()
    r = await client.post("/orders", json={"customer": "ada", "items": ["x"]})
    assert r.status_code == 201, r.text
    r = await client.post(
        "/orders", json={"customer": "ada", "items": ["y", "z"], "fail_after_writes": True}
    )
    assert r.status_code == 400, r.text
    assert (await client.get("/orders/count")).json() == {"orders": 1, "items": 1, "customers": 1}
