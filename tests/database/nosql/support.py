"""Test support for the NoSQL tests: the mongoeco server process and test targets."""

from __future__ import annotations

import os
import select
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from pyjolt.database.nosql import NoSqlDatabase
from pyjolt.database.nosql.backends import MongoBackend
from tests.database.nosql.nosql_memory_backend import MemoryBackend
from tests.services import require_service

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DEFAULT_MONGOECO_PYTHON = REPO / ".cache" / "mongoeco-venv" / "bin" / "python"
START_TIMEOUT = 60.0


#: The abstract methods of the spec's ``AsyncNoSqlBackendBase``.
SPEC_METHODS = {
    "configure_from_app",
    "connect",
    "disconnect",
    "database_handle",
    "supports_transactions",
    "start_session",
    "with_transaction",
    "get_collection",
    "find_one",
    "find_many",
    "insert_one",
    "insert_many",
    "update_one",
    "delete_one",
    "aggregate",
    "execute_raw",
}


@dataclass
class MongoecoServer:
    process: subprocess.Popen[str] | None
    stderr: IO[str] | None
    uri: str | None
    error: str | None

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        if self.stderr is not None:
            self.stderr.close()


def start_mongoeco() -> MongoecoServer:
    python = Path(os.environ.get("PYJOLT_MONGOECO_PYTHON", DEFAULT_MONGOECO_PYTHON))
    if not python.exists():
        return MongoecoServer(
            None,
            None,
            None,
            f"mongoeco interpreter {python} not found; create it with: "
            f"~/.pyenv/versions/3.13.0/bin/python3 -m venv {DEFAULT_MONGOECO_PYTHON.parents[1]}"
            f" && {DEFAULT_MONGOECO_PYTHON.parent}/pip install 'mongoeco[wire]==4.11.0'",
        )
    # stderr goes to a file: a pipe nobody reads could fill up and stall the server.
    errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - MongoecoServer.stop closes it
    process = subprocess.Popen(
        [str(python), str(HERE / "mongoeco_server.py"), "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("READY "):
        stop_process(process)
        errors.seek(0)
        detail = errors.read()[-800:]
        errors.close()
        return MongoecoServer(
            None, None, None, f"mongoeco server ({python}) did not start: {line!r} {detail}"
        )
    port = int(line.split()[1])
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    return MongoecoServer(process, errors, uri, None)


def stop_process(process: subprocess.Popen[str]) -> None:
    """Stop the server: EOF on its stdin asks it to exit; kill it if it does not."""
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


@dataclass
class Target:
    """Where a test's NoSqlDatabase points."""

    kind: str
    backend: type[Any]
    uri: str | None
    database: str
    #: Whether this target must report transaction support (None: unknown, e.g. real MongoDB).
    transactions: bool | None

    def section(self, **overrides: Any) -> dict[str, Any]:
        section: dict[str, Any] = {"BACKEND": self.backend, "DATABASE": self.database}
        if self.uri is not None:
            section["DATABASE_URI"] = self.uri
        section.update(overrides)
        return section


def make_target(kind: str, mongoeco_server: MongoecoServer) -> Target:
    database = f"pyjolt_test_{uuid.uuid4().hex[:12]}"
    if kind == "memory":
        return Target(kind, MemoryBackend, None, database, True)
    pytest.importorskip("pymongo", reason="MongoBackend needs the 'mongo' extra")
    if kind == "mongodb":
        uri = os.environ.get("PYJOLT_TEST_MONGO_URI")
        if not uri:
            pytest.skip("set PYJOLT_TEST_MONGO_URI to run against a real MongoDB")
        return Target(kind, MongoBackend, uri, database, None)
    require_service(mongoeco_server.uri is not None, str(mongoeco_server.error))
    return Target(kind, MongoBackend, mongoeco_server.uri, database, True)


async def drop_database(ext: NoSqlDatabase) -> None:
    """Remove what a test wrote (MongoDB targets use one database per test)."""
    if isinstance(ext.backend, MongoBackend):
        await ext.execute_raw({"dropDatabase": 1})
