"""The backend contract, through NoSqlDatabase, for MongoBackend (mongoeco / real MongoDB) and
the user-written in-memory backend."""

from __future__ import annotations

from typing import Any

import pytest

from pyjolt.database.nosql import NoSqlDatabase
from tests.database.nosql.support import Target

PEOPLE = [
    {"name": "ada", "team": "a", "age": 36},
    {"name": "bob", "team": "b", "age": 25},
    {"name": "cyd", "team": "a", "age": 41},
    {"name": "dee", "team": "b", "age": 30},
    {"name": "eve", "team": "a", "age": 22},
]


def names(docs: list[Any]) -> list[str]:
    return [d["name"] for d in docs]


async def test_insert_one_and_find_one(nosqldb: NoSqlDatabase) -> None:
    doc = {"name": "ada", "tags": ["x", "y"], "nested": {"n": 1}}
    result = await nosqldb.insert_one("people", doc)

    assert result.inserted_id is not None
    assert "_id" not in doc  # the caller's mapping is left alone
    found = await nosqldb.find_one("people", {"_id": result.inserted_id})
    assert found is not None
    assert found["_id"] == result.inserted_id
    assert (found["name"], found["tags"], found["nested"]) == ("ada", ["x", "y"], {"n": 1})
    assert await nosqldb.find_one("people", {"name": "nobody"}) is None


async def test_insert_one_keeps_given_id(nosqldb: NoSqlDatabase) -> None:
    result = await nosqldb.insert_one("people", {"_id": "ada-1", "name": "ada"})
    assert result.inserted_id == "ada-1"
    assert (await nosqldb.find_one("people", {"_id": "ada-1"}))["name"] == "ada"


async def test_insert_many_and_find_many(nosqldb: NoSqlDatabase) -> None:
    result = await nosqldb.insert_many("people", PEOPLE)

    assert len(result.inserted_ids) == len(PEOPLE)
    assert len(set(map(str, result.inserted_ids))) == len(PEOPLE)
    assert sorted(names(await nosqldb.find_many("people"))) == ["ada", "bob", "cyd", "dee", "eve"]
    team_a = await nosqldb.find_many("people", {"team": "a"})
    assert sorted(names(team_a)) == ["ada", "cyd", "eve"]
    assert await nosqldb.find_many("people", {"team": "z"}) == []


async def test_find_many_sort_skip_limit(nosqldb: NoSqlDatabase) -> None:
    await nosqldb.insert_many("people", PEOPLE)

    by_age = await nosqldb.find_many("people", sort=[("age", 1)])
    assert names(by_age) == ["eve", "bob", "dee", "ada", "cyd"]
    oldest = await nosqldb.find_many("people", sort=[("age", -1)], limit=2)
    assert names(oldest) == ["cyd", "ada"]
    page = await nosqldb.find_many("people", {}, sort=[("age", 1)], skip=1, limit=2)
    assert names(page) == ["bob", "dee"]
    multi = await nosqldb.find_many("people", sort=[("team", 1), ("age", -1)])
    assert names(multi) == ["cyd", "ada", "eve", "dee", "bob"]


async def test_find_many_with_operator_filter(nosqldb: NoSqlDatabase) -> None:
    await nosqldb.insert_many("people", PEOPLE)
    over_30 = await nosqldb.find_many("people", {"age": {"$gte": 30}}, sort=[("name", 1)])
    assert names(over_30) == ["ada", "cyd", "dee"]


async def test_update_one(nosqldb: NoSqlDatabase) -> None:
    await nosqldb.insert_many("people", PEOPLE)

    result = await nosqldb.update_one("people", {"name": "bob"}, {"$set": {"team": "c"}})
    assert (result.matched_count, result.modified_count, result.upserted_id) == (1, 1, None)
    assert (await nosqldb.find_one("people", {"name": "bob"}))["team"] == "c"

    await nosqldb.update_one("people", {"name": "bob"}, {"$inc": {"age": 2}})
    assert (await nosqldb.find_one("people", {"name": "bob"}))["age"] == 27

    missing = await nosqldb.update_one("people", {"name": "zed"}, {"$set": {"team": "c"}})
    assert (missing.matched_count, missing.modified_count, missing.upserted_id) == (0, 0, None)
    assert await nosqldb.find_one("people", {"name": "zed"}) is None


async def test_update_one_upsert(nosqldb: NoSqlDatabase) -> None:
    result = await nosqldb.update_one(
        "people", {"name": "zed"}, {"$set": {"team": "z", "age": 50}}, upsert=True
    )
    assert result.matched_count == 0
    assert result.upserted_id is not None
    found = await nosqldb.find_one("people", {"_id": result.upserted_id})
    assert (found["name"], found["team"], found["age"]) == ("zed", "z", 50)

    again = await nosqldb.update_one("people", {"name": "zed"}, {"$set": {"age": 51}}, upsert=True)
    assert (again.matched_count, again.upserted_id) == (1, None)
    assert len(await nosqldb.find_many("people", {"name": "zed"})) == 1


async def test_delete_one(nosqldb: NoSqlDatabase) -> None:
    await nosqldb.insert_many("people", PEOPLE)

    assert (await nosqldb.delete_one("people", {"team": "a"})).deleted_count == 1
    assert len(await nosqldb.find_many("people", {"team": "a"})) == 2
    assert (await nosqldb.delete_one("people", {"name": "nobody"})).deleted_count == 0
    assert len(await nosqldb.find_many("people")) == 4


async def test_aggregate_group(nosqldb: NoSqlDatabase) -> None:
    await nosqldb.insert_many("people", PEOPLE)

    rows = await nosqldb.aggregate(
        "people",
        [
            {"$match": {"age": {"$gte": 25}}},
            {"$group": {"_id": "$team", "count": {"$sum": 1}, "total": {"$sum": "$age"}}},
            {"$sort": {"_id": 1}},
        ],
    )
    assert rows == [
        {"_id": "a", "count": 2, "total": 77},
        {"_id": "b", "count": 2, "total": 55},
    ]
    assert await nosqldb.aggregate("people", [{"$match": {"team": "z"}}]) == []


async def test_handles(nosqldb: NoSqlDatabase, target: Target) -> None:
    assert nosqldb.database_handle() is not None
    assert nosqldb.get_collection("people") is not None
    assert nosqldb.db_name == target.database
    assert nosqldb.variable_prefix == ""
    assert nosqldb.backend is not None


async def test_transactions_supported_as_expected(nosqldb: NoSqlDatabase, target: Target) -> None:
    if target.transactions is not None:
        assert nosqldb.supports_transactions() is target.transactions
    session = await nosqldb.backend.start_session()
    assert (session is not None) is nosqldb.supports_transactions()
    if session is not None and hasattr(session, "end_session"):
        result = session.end_session()
        if result is not None:
            await result


async def test_with_transaction_commits(nosqldb: NoSqlDatabase) -> None:
    async def work(name: str, *, session: Any) -> str:
        await nosqldb.insert_one("people", {"name": name}, session=session)
        await nosqldb.update_one("people", {"name": name}, {"$set": {"ok": True}}, session=session)
        return "done"

    assert await nosqldb.backend.with_transaction(work, "ada") == "done"
    found = await nosqldb.find_one("people", {"name": "ada"})
    assert found is not None
    assert found["ok"] is True


async def test_with_transaction_aborts_on_error(nosqldb: NoSqlDatabase) -> None:
    await nosqldb.insert_one("people", {"name": "kept"})

    async def work(*, session: Any) -> None:
        await nosqldb.insert_one("people", {"name": "ada"}, session=session)
        await nosqldb.delete_one("people", {"name": "kept"}, session=session)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await nosqldb.backend.with_transaction(work)
    remaining = names(await nosqldb.find_many("people"))
    if nosqldb.supports_transactions():
        assert remaining == ["kept"]
    else:  # each call stood alone
        assert remaining == ["ada"]
