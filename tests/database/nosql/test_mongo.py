"""MongoBackend specifics over the wire protocol: indexes, raw commands, lifecycle, config."""

from __future__ import annotations

import gc
import warnings
from typing import Any

import pytest

from pyjolt import PyJolt
from pyjolt.database.nosql import NoSqlDatabase
from pyjolt.database.nosql.backends import MongoBackend
from pyjolt.database.nosql.backends.mongo import database_from_uri
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.database.nosql.support import Target, drop_database
from tests.services import free_port


async def test_unique_index_rejects_duplicates(mongodb: NoSqlDatabase) -> None:
    from pymongo.errors import BulkWriteError, DuplicateKeyError

    users = mongodb.get_collection("users")
    await users.create_index("email", unique=True)
    await mongodb.insert_one("users", {"email": "ada@example.com"})

    with pytest.raises(DuplicateKeyError) as info:
        await mongodb.insert_one("users", {"email": "ada@example.com"})
    assert info.value.code == 11000
    with pytest.raises(BulkWriteError) as bulk:
        await mongodb.insert_many(
            "users", [{"email": "bob@example.com"}, {"email": "ada@example.com"}]
        )
    assert bulk.value.details["writeErrors"][0]["code"] == 11000
    with pytest.raises(DuplicateKeyError):
        await mongodb.update_one(
            "users", {"email": "bob@example.com"}, {"$set": {"email": "ada@example.com"}}
        )
    assert sorted(d["email"] for d in await mongodb.find_many("users")) == [
        "ada@example.com",
        "bob@example.com",
    ]


async def test_native_handles(mongodb: NoSqlDatabase) -> None:
    from bson import ObjectId
    from pymongo.asynchronous.collection import AsyncCollection
    from pymongo.asynchronous.database import AsyncDatabase

    db = mongodb.database_handle()
    assert isinstance(db, AsyncDatabase)
    assert db.name == mongodb.db_name
    collection = mongodb.get_collection("users")
    assert isinstance(collection, AsyncCollection)
    assert collection.full_name == f"{mongodb.db_name}.users"

    result = await mongodb.insert_one("users", {"name": "ada"})
    assert isinstance(result.inserted_id, ObjectId)
    assert await collection.count_documents({"name": "ada"}) == 1


async def test_execute_raw_command_and_callable(mongodb: NoSqlDatabase) -> None:
    from pymongo import InsertOne, UpdateOne

    assert (await mongodb.execute_raw({"ping": 1}))["ok"] == 1.0
    assert (await mongodb.execute_raw("ping"))["ok"] == 1.0

    bulk = await mongodb.execute_raw(
        lambda db: db["users"].bulk_write(
            [InsertOne({"name": "ada", "n": 1}), UpdateOne({"name": "ada"}, {"$inc": {"n": 1}})]
        )
    )
    assert (bulk.inserted_count, bulk.modified_count) == (1, 1)
    counted = await mongodb.execute_raw({"count": "users", "query": {"n": 2}})
    assert counted["n"] == 1

    async def names(db: Any, prefix: str) -> list[str]:
        return [d["name"] async for d in db["users"].find({"name": {"$regex": f"^{prefix}"}})]

    assert await mongodb.execute_raw(names, "a") == ["ada"]
    with pytest.raises(TypeError):
        await mongodb.execute_raw()


async def test_transaction_writes_are_isolated_until_commit(mongodb: NoSqlDatabase) -> None:
    if not mongodb.supports_transactions():
        pytest.skip("this MongoDB deployment has no transactions (standalone server)")
    seen_outside: list[Any] = []

    async def work(*, session: Any) -> None:
        await mongodb.insert_one("users", {"name": "ada"}, session=session)
        assert await mongodb.find_one("users", {"name": "ada"}, session=session) is not None
        seen_outside.append(await mongodb.find_one("users", {"name": "ada"}))

    await mongodb.backend.with_transaction(work)
    assert seen_outside == [None]
    assert await mongodb.find_one("users", {"name": "ada"}) is not None


async def test_connects_at_startup_and_closes_at_shutdown(mongo_target: Target) -> None:
    nosqldb = NoSqlDatabase()
    application = make_app(EXTENSIONS=[nosqldb], NOSQL_DATABASE=mongo_target.section())
    backend = nosqldb.backend
    assert isinstance(backend, MongoBackend)
    with pytest.raises(RuntimeError, match="not connected"):
        backend.database_handle()

    async with PyJoltTestClient(application):
        assert backend.client is not None
        await nosqldb.insert_one("users", {"name": "ada"})
        await drop_database(nosqldb)

    with pytest.raises(RuntimeError, match="not connected"):
        nosqldb.database_handle()
    assert not backend.supports_transactions()


def mongo_app(uri: str) -> tuple[NoSqlDatabase, PyJolt]:
    """An app (not started) with a NoSqlDatabase on MongoBackend (by import string) at ``uri``."""
    nosqldb = NoSqlDatabase()
    section = {"BACKEND": "pyjolt.database.nosql.backends:MongoBackend", "DATABASE_URI": uri}
    return nosqldb, make_app(EXTENSIONS=[nosqldb], NOSQL_DATABASE=section)


async def test_unreachable_server_fails_startup() -> None:
    pytest.importorskip("pymongo", reason="MongoBackend needs the 'mongo' extra")
    port = free_port()  # nothing listens there
    nosqldb, application = mongo_app(f"mongodb://127.0.0.1:{port}/app?serverSelectionTimeoutMS=200")
    with warnings.catch_warnings():
        # PyMongo leaks the socket of a connection attempt cancelled by client.close()
        # (PYTHON-5867, mongodb/mongo-python-driver#2858): collect it here, quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        with pytest.raises(Exception, match=f"127.0.0.1:{port}"):
            async with PyJoltTestClient(application):
                pass
        gc.collect()
    assert nosqldb.backend._client is None


def test_database_defaults_to_the_uri_path() -> None:
    nosqldb, _ = mongo_app("mongodb://user:pw@127.0.0.1:27017,127.0.0.2/shop?replicaSet=rs0")
    assert nosqldb.db_name == "shop"
    assert isinstance(nosqldb.backend, MongoBackend)


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("mongodb://h:1/shop", "shop"),
        ("mongodb+srv://u:p@cluster0.example.net/shop?retryWrites=true", "shop"),
        ("mongodb://h:1/?directConnection=true", None),
        ("mongodb://h:1", None),
        ("not a uri", None),
    ],
)
def test_database_from_uri(uri: str, expected: str | None) -> None:
    assert database_from_uri(uri) == expected


def test_missing_uri_or_database_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"NOSQL_DATABASE\['DATABASE_URI'\]"):
        make_app(EXTENSIONS=[NoSqlDatabase()], NOSQL_DATABASE={"BACKEND": MongoBackend})
    with pytest.raises(ConfigurationError, match=r"NOSQL_DATABASE\['DATABASE'\]"):
        mongo_app("mongodb://127.0.0.1:1")
