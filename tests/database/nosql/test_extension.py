"""NoSqlDatabase configuration, prefixes, and the abstract backend interface."""

from __future__ import annotations

import inspect
import subprocess
import sys
from typing import Any

import pytest

from pyjolt.database.nosql import NoSqlDatabase
from pyjolt.database.nosql.backends import AsyncNoSqlBackendBase, MongoBackend
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import make_app
from tests.database.nosql.nosql_memory_backend import MemoryBackend
from tests.database.nosql.support import SPEC_METHODS

MEMORY = "tests.database.nosql.nosql_memory_backend:MemoryBackend"


def test_backend_interface_is_exactly_the_specs() -> None:
    assert AsyncNoSqlBackendBase.__abstractmethods__ == SPEC_METHODS
    assert MongoBackend.__abstractmethods__ == frozenset()
    find_many = inspect.signature(AsyncNoSqlBackendBase.find_many).parameters
    assert [p for p in find_many if p in {"session", "limit", "skip", "sort"}] == [
        "session",
        "limit",
        "skip",
        "sort",
    ]
    assert inspect.signature(AsyncNoSqlBackendBase.update_one).parameters["upsert"].default is False

    class Partial(AsyncNoSqlBackendBase):
        async def connect(self) -> None: ...

    with pytest.raises(TypeError, match="abstract"):
        Partial()  # type: ignore[abstract]


def test_backend_from_import_string_and_defaults() -> None:
    nosqldb = NoSqlDatabase()
    make_app(EXTENSIONS=[nosqldb], NOSQL_DATABASE={"BACKEND": MEMORY, "DATABASE": "shop"})
    assert isinstance(nosqldb.backend, MemoryBackend)
    assert nosqldb.db_name == "shop"
    assert (nosqldb.db_inject_name, nosqldb.session_name) == ("db", "session")
    assert nosqldb.configs_name == "NOSQL_DATABASE"


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({}, r"NOSQL_DATABASE\['BACKEND'\].*missing"),
        ({"BACKEND": "no.such.module:Backend"}, r"NOSQL_DATABASE\['BACKEND'\].*could not be found"),
        ({"BACKEND": dict}, r"NOSQL_DATABASE\['BACKEND'\].*AsyncNoSqlBackendBase"),
        ({"BACKEND": MEMORY, "DB_INJECT_NAME": "not valid"}, r"DB_INJECT_NAME.*parameter name"),
        ({"BACKEND": MEMORY, "DB_INJECT_NAME": "s", "SESSION_NAME": "s"}, "must differ"),
        ({"BACKEND": MEMORY, "DATABSE": "typo"}, r"NOSQL_DATABASE\['DATABSE'\]"),
    ],
)
def test_invalid_config_refuses_to_start(section: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        make_app(EXTENSIONS=[NoSqlDatabase()], NOSQL_DATABASE=section)


def test_backend_before_init_app_raises() -> None:
    with pytest.raises(RuntimeError, match="Backend not connected"):
        NoSqlDatabase().backend  # noqa: B018


async def test_two_prefixed_instances_in_one_app(build_client: Any) -> None:
    orders = NoSqlDatabase(variable_prefix="ORDERS_")
    users = NoSqlDatabase("USERS_")
    await build_client(
        EXTENSIONS=[orders, users],
        ORDERS_NOSQL_DATABASE={"BACKEND": MemoryBackend, "DATABASE": "orders"},
        USERS_NOSQL_DATABASE={"BACKEND": MemoryBackend},
        USERS_NOSQL_DATABASE_DATABASE="users",  # a flat key fills the section
    )
    assert (orders.variable_prefix, users.variable_prefix) == ("ORDERS_", "USERS_")
    assert (orders.db_name, users.db_name) == ("orders", "users")
    assert orders.backend is not users.backend

    await orders.insert_one("things", {"name": "order-1"})
    await users.insert_one("things", {"name": "user-1"})
    assert [d["name"] for d in await orders.find_many("things")] == ["order-1"]
    assert [d["name"] for d in await users.find_many("things")] == ["user-1"]


async def test_lifespan_connects_and_disconnects() -> None:
    from pyjolt.testing import PyJoltTestClient

    nosqldb = NoSqlDatabase()
    application = make_app(EXTENSIONS=[nosqldb], NOSQL_DATABASE={"BACKEND": MemoryBackend})
    backend = nosqldb.backend
    assert isinstance(backend, MemoryBackend)
    assert not backend.connected
    async with PyJoltTestClient(application):
        assert backend.connected
    assert not backend.connected


def test_importing_the_extension_does_not_import_pymongo() -> None:
    code = (
        "import sys, pyjolt, pyjolt.database.nosql, pyjolt.database.nosql.backends; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'pymongo', 'bson', 'motor'}); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


async def test_missing_pymongo_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymongo", None)  # as if it were not installed
    backend = MongoBackend("mongodb://127.0.0.1:1/app", "app")
    with pytest.raises(ImportError, match=r"pyjolt\[mongo\]"):
        await backend.connect()


async def test_execute_raw_reaches_a_custom_backend(build_client: Any) -> None:
    nosqldb = NoSqlDatabase()
    await build_client(EXTENSIONS=[nosqldb], NOSQL_DATABASE={"BACKEND": MemoryBackend})
    await nosqldb.insert_many("things", [{"n": 1}, {"n": 2}])
    assert await nosqldb.execute_raw("count", "things") == 2
    await nosqldb.execute_raw("drop", "things")
    assert await nosqldb.find_many("things") == []
