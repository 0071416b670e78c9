"""SPEC: User Authentication, Caching, Task scheduling (with the spec-shaped app)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, get, path, produces, socket
from tests.spec.specapp.api.models import User
from tests.spec.specapp.api.users import user_api
from tests.spec.specapp.authentication import UserRoles, auth
from tests.spec.specapp.extensions import cache, db


async def _add_user(email: str, role: str) -> int:
    async with db.session_scope() as session:
        user = User(fullname=email.split("@")[0], email=email, role=role)
        session.add(user)
        await session.flush()
        return user.id


# -- authentication ---------------------------------------------------------------------
async def test_login_and_role_required_on_endpoint(client: Any) -> None:
    res = await client.get("/api/v1/users/secure/1")
    assert res.status_code == 401
    assert res.json()["message"] == "Login required"
    uid = await _add_user("plain@x.io", UserRoles.USER)
    cookie = auth.create_signed_cookie_value(uid)
    assert auth.decode_signed_cookie(cookie) == str(uid)
    res = await client.get("/api/v1/users/secure/1", headers={"cookie": f"auth_cookie={cookie}"})
    assert res.status_code == 403
    assert res.json()["message"] == "Missing user role(s)"
    admin = await _add_user("admin@x.io", UserRoles.ADMIN)
    cookie = auth.create_signed_cookie_value(admin)
    res = await client.get(
        f"/api/v1/users/secure/{admin}", headers={"cookie": f"auth_cookie={cookie}"}
    )
    assert res.status_code == 200
    assert res.json() == {"id": admin, "fullname": "admin"}


async def test_login_role_required_on_controller_class(build_client: Any, spec_env: Any) -> None:
    from pyjolt.auth import login_required, role_required

    @path("/api/v1/admin", tags=["Users"])
    @login_required
    @role_required(UserRoles.ADMIN)
    class AdminApi(Controller):
        """All endpoints are protected"""

        @get("/")
        @produces(MediaType.APPLICATION_JSON)
        async def who(self, req: Request) -> Response:
            return req.response.json({"email": req.user.email}).status(HttpStatus.OK)

        @socket("/ws")
        async def ws(self, req: Request) -> None:
            await req.accept()
            await req.res.send({"type": "websocket.send", "text": req.user.email})
            await req.close()

    @path("/api/v1/admin2")
    @auth.login_required
    @auth.role_required(UserRoles.ADMIN)
    class AdminApi2(Controller):
        @get("/")
        async def who(self, req: Request) -> Response:
            return req.response.json({"email": req.user.email})

    c = await build_client(
        controllers=[AdminApi, AdminApi2], EXTENSIONS=[db, auth], SECRET_KEY="k" * 40, DEBUG=True
    )
    await db.create_all(User)
    assert (await c.get("/api/v1/admin/")).status_code == 401
    assert (await c.get("/api/v1/admin2/")).status_code == 401
    user = auth.create_signed_cookie_value(await _add_user("u@x.io", "user"))
    admin = auth.create_signed_cookie_value(await _add_user("a@x.io", "admin"))
    headers = {"cookie": f"auth_cookie={user}"}
    assert (await c.get("/api/v1/admin/", headers=headers)).status_code == 403
    headers = {"cookie": f"auth_cookie={admin}"}
    assert (await c.get("/api/v1/admin/", headers=headers)).json() == {"email": "a@x.io"}
    assert (await c.get("/api/v1/admin2/", headers=headers)).json() == {"email": "a@x.io"}


def test_auth_helper_methods(application: Any) -> None:
    hashed = auth.create_password_hash("pw-123")
    assert hashed != "pw-123"
    assert auth.check_password_hash("pw-123", hashed) is True
    assert auth.check_password_hash("wrong", hashed) is False
    token = auth.create_jwt_token({"sub": "7"}, expires_in=3600)
    assert isinstance(token, str)
    claims = auth.validate_jwt_token(token)
    assert claims is not None and claims["sub"] == "7"
    assert auth.validate_jwt_token(token + "x") is None
    assert auth.decode_signed_cookie(auth.create_signed_cookie_value("abc")) == "abc"
    assert not auth.decode_signed_cookie("tampered.value")


# -- caching ------------------------------------------------------------------------------
async def test_cache_decorator_keys_by_route_params(client: Any) -> None:
    user_api.CACHE_CALLS.clear()
    a = await client.get("/api/v1/users/cached/1")
    b = await client.get("/api/v1/users/cached/1")
    c = await client.get("/api/v1/users/cached/2")
    assert a.json() == b.json() == {"id": 1, "calls": 1}
    assert c.json() == {"id": 2, "calls": 2}
    assert user_api.CACHE_CALLS == [1, 2]
    await cache.clear()
    d = await client.get("/api/v1/users/cached/1")
    assert d.json() == {"id": 1, "calls": 3}


async def test_cache_manual_api(client: Any) -> None:
    await cache.set("k1", {"a": 1}, 60)
    assert await cache.get("k1") == {"a": 1}
    await cache.set("k2", {"b": 2}, duration=None)
    await cache.delete("k1")
    assert await cache.get("k1") is None
    await cache.clear()
    assert await cache.get("k2") is None
    res: Response[Any] = Response().json({"x": 1}).status(HttpStatus.OK)
    await cache.set("resp", res, 30)
    assert await cache.get("resp") is not None


async def test_cache_variable_prefix_and_custom_backend(build_client: Any) -> None:
    from pyjolt.caching import BaseCacheBackend, Cache, MemoryCacheBackend

    store: dict[str, dict] = {}

    class DictBackend(BaseCacheBackend):
        @classmethod
        def configure_from_app(cls, app: Any, variable_prefix: str) -> DictBackend:
            return cls()

        async def connect(self) -> None: ...

        async def disconnect(self) -> None: ...

        async def get(self, key: str) -> dict | None:
            return store.get(key)

        async def set(self, key: str, value: dict, duration: int | None = None) -> None:
            store[key] = value

        async def delete(self, key: str) -> None:
            store.pop(key, None)

        async def clear(self) -> None:
            store.clear()

    my_cache = Cache(variable_prefix="MY_CACHE_")
    await build_client(EXTENSIONS=[my_cache], MY_CACHE_CACHE={"BACKEND": DictBackend})
    await my_cache.set("z", {"v": 1})
    assert any(v for v in store.values())
    assert await my_cache.get("z") == {"v": 1}
    default_cache = Cache()
    await build_client(EXTENSIONS=[default_cache], CACHE={"DURATION": 300})
    assert isinstance(default_cache.backend, MemoryCacheBackend)


async def test_cache_flat_prefixed_keys(build_client: Any) -> None:
    # spec: 'When using a variable prefix, the configs look like: "MY_PREFIX_CACHE_BACKEND"'
    from pyjolt import BaseConfig, PyJolt, app
    from pyjolt.caching import Cache, MemoryCacheBackend
    from pyjolt.testing import PyJoltTestClient

    c = Cache(variable_prefix="MY_PREFIX_")

    class Config(BaseConfig):
        EXTENSIONS: list = [c]
        MY_PREFIX_CACHE_BACKEND: type = MemoryCacheBackend
        MY_PREFIX_CACHE_DURATION: int = 5

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    async with PyJoltTestClient(Application()):
        assert isinstance(c.backend, MemoryCacheBackend)
        assert c.config.DURATION == 5


async def test_cache_sqlite_backend(build_client: Any, tmp_path: Any) -> None:
    from pyjolt.caching import Cache, SqliteCacheBackend

    c = Cache()
    await build_client(
        EXTENSIONS=[c],
        CACHE={
            "BACKEND": SqliteCacheBackend,
            "SQLITE_PATH": str(tmp_path / "c.db"),
            "SQLITE_TABLE": "cache_entries",
            "SQLITE_WAL_CHECKPOINT_MODE": "PASSIVE",
            "SQLITE_WAL_CHECKPOINT_EVERY": 100,
            "KEY_PREFIX": "spec:",
            "DURATION": 300,
        },
    )
    await c.set("a", {"n": 1})
    assert await c.get("a") == {"n": 1}


# -- task manager -------------------------------------------------------------------------
async def test_task_manager_spec_config_and_job_methods(build_client: Any) -> None:
    from pyjolt.task_manager import TaskManager, schedule_job
    from tests.spec.specapp.scheduler import task_manager_config

    ran: list[str] = []

    class Scheduler(TaskManager):
        @schedule_job("interval", minutes=1, id="my_job")
        async def some_task(self):
            ran.append("task")

    scheduler = Scheduler()
    await build_client(EXTENSIONS=[scheduler], TASK_MANAGER=task_manager_config())
    job = scheduler.get_job("my_job")
    assert job is not None
    scheduler.pause_job("my_job")
    assert scheduler.get_job("my_job").next_run_time is None
    scheduler.resume_job(job)
    assert scheduler.get_job("my_job").next_run_time is not None

    done = asyncio.Event()

    async def once(value: str) -> None:
        ran.append(value)
        done.set()

    extra = scheduler.add_job(once, "date", args=["added"], id="extra")
    assert extra is not None
    await asyncio.wait_for(done.wait(), 10)
    assert "added" in ran
    scheduler.remove_job("my_job")
    assert scheduler.get_job("my_job") is None
    done2 = asyncio.Event()

    async def bg(a: int, *, b: int) -> None:
        ran.append(f"bg{a + b}")
        done2.set()

    scheduler.run_background_task(bg, 1, b=2)
    await asyncio.wait_for(done2.wait(), 10)
    assert "bg3" in ran


@pytest.mark.parametrize("name", ["TaskManager", "schedule_job"])
def test_task_manager_import_paths(name: str) -> None:
    import pyjolt.task_manager

    assert hasattr(pyjolt.task_manager, name)


async def test_cache_backend_as_unannotated_flat_config_key() -> None:
    # spec: "simply pass it as the config parameter ("CACHE_BACKEND")"
    from pyjolt import BaseConfig, PyJolt, app
    from pyjolt.caching import Cache, SqliteCacheBackend
    from pyjolt.testing import PyJoltTestClient

    c = Cache()

    class Config(BaseConfig):
        EXTENSIONS = [c]
        CACHE_BACKEND = SqliteCacheBackend
        CACHE_SQLITE_PATH = ":memory:"

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    async with PyJoltTestClient(Application()):
        assert isinstance(c.backend, SqliteCacheBackend)
