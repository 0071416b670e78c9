"""Password hashing runs in a worker thread: a real server keeps answering meanwhile."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import httpx
import pytest
import uvicorn
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from pyjolt import Request, Response
from pyjolt.auth import PasswordHasher
from pyjolt.controller import Controller, get, path
from pyjolt.testing import make_app
from tests.auth.support import SECRET, Auth

#: Only a guard against a hang if the event loop *is* blocked; the test does not time anything.
DEADLOCK_GUARD = 30


class GatedArgon2(Argon2Hasher):
    """Argon2 that, once started, waits for another request to be answered before hashing."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()
        self.gave_up = False

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.started.set()
        if not self.release.wait(DEADLOCK_GUARD):
            self.gave_up = True  # nobody answered /ping while we waited: the loop was blocked
            raise RuntimeError("the event loop was blocked while hashing")
        return str(super().hash(password, salt=salt))


@pytest.fixture
def listening_socket() -> Iterator[socket.socket]:
    # bound and listening before the server runs: requests queue until it is ready
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock
    sock.close()


async def test_hashing_does_not_block_other_requests(listening_socket: socket.socket) -> None:
    hasher = GatedArgon2()
    auth = Auth()
    auth.password_hasher = PasswordHasher(PasswordHash((hasher,)))
    finished = threading.Event()

    @path("/")
    class Api(Controller):
        @get("/hash")
        async def hash(self, req: Request) -> Response[Any]:
            hashed = await auth.hash_password_async("correct horse")
            finished.set()
            return req.res.json({"hash": hashed})

        @get("/ping")
        async def ping(self, req: Request) -> Response[Any]:
            in_progress = hasher.started.is_set() and not finished.is_set() and not hasher.gave_up
            hasher.release.set()
            return req.res.json({"hashing_in_progress": in_progress})

    app = make_app(controllers=[Api], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    config = uvicorn.Config(app, log_config=None, log_level="warning", ws="none", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening_socket]})
    thread.start()
    port = listening_socket.getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            hashing = asyncio.create_task(client.get("/hash"))
            assert await anyio.to_thread.run_sync(hasher.started.wait, DEADLOCK_GUARD)
            ping = await client.get("/ping")
            hashed = await hashing
    finally:
        server.should_exit = True
        await anyio.to_thread.run_sync(thread.join)
    assert ping.status_code == 200
    assert ping.json() == {"hashing_in_progress": True}
    assert hashed.status_code == 200
    assert auth.check_password_hash("correct horse", hashed.json()["hash"])
