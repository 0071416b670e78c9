"""SPEC: NoSQL (MongoDB over mongoeco), Email client (aiosmtpd), AI interface (fake
OpenAI-compatible server), Middleware, Testing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, consumes, get, path, post, produces
from pyjolt.database import AsyncSession
from tests.spec.specapp.api.models import User


# -- NoSQL ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mongoeco() -> Iterator[Any]:
    from tests.database.nosql.support import start_mongoeco

    server = start_mongoeco()
    yield server
    server.stop()


class TestModel(BaseModel):
    __test__ = False
    email: str
    fullname: str
    age: int


class TestModelOut(BaseModel):
    __test__ = False
    message: str
    status: str


async def test_nosql_managed_database_and_methods(build_client: Any, mongoeco: Any) -> None:
    from pyjolt.database.nosql import AsyncNoSqlBackendBase, NoSqlDatabase
    from pyjolt.database.nosql.backends import MongoBackend
    from tests.database.nosql.support import make_target

    target = make_target("mongoeco", mongoeco)
    nosqldb: NoSqlDatabase = NoSqlDatabase()

    @path("/api/v1/users")
    class UsersApi(Controller):
        @post("/")
        @consumes(MediaType.APPLICATION_JSON)
        @produces(MediaType.APPLICATION_JSON)
        @nosqldb.managed_database
        async def create_user(
            self, req: Request, data: TestModel, db: Any, session: Any = None
        ) -> Response[TestModelOut]:
            """Consumes and produces json"""
            await db.insert_one(
                "users",
                {"email": data.email, "fullname": data.fullname, "age": data.age},
                session=session,
            )
            return req.response.json(
                {"message": "User added successfully", "status": "success"}
            ).status(200)

    client = await build_client(
        controllers=[UsersApi],
        EXTENSIONS=[nosqldb],
        NOSQL_DATABASE={
            "BACKEND": MongoBackend,
            "DATABASE_URI": target.uri,
            "DATABASE": target.database,
            "DB_INJECT_NAME": "db",
            "SESSION_NAME": "session",
        },
    )
    try:
        assert isinstance(nosqldb.backend, AsyncNoSqlBackendBase)
        assert nosqldb.variable_prefix == ""
        assert isinstance(nosqldb.db_name, str)
        res = await client.post(
            "/api/v1/users/", json={"email": "a@b.c", "fullname": "A B", "age": 3}
        )
        assert res.status_code == 200
        assert res.json() == {"message": "User added successfully", "status": "success"}
        doc = await nosqldb.find_one("users", {"email": "a@b.c"})
        assert doc["fullname"] == "A B" and doc["age"] == 3
        await nosqldb.insert_many("users", [{"email": "x", "age": 1}, {"email": "y", "age": 2}])
        many = await nosqldb.find_many("users", {"age": {"$lt": 3}})
        assert sorted(d["email"] for d in many) == ["x", "y"]
        await nosqldb.update_one("users", {"email": "x"}, {"$set": {"age": 10}})
        assert (await nosqldb.find_one("users", {"email": "x"}))["age"] == 10
        await nosqldb.delete_one("users", {"email": "y"})
        assert await nosqldb.find_one("users", {"email": "y"}) is None
        agg = await nosqldb.aggregate("users", [{"$group": {"_id": None, "n": {"$sum": 1}}}])
        assert agg[0]["n"] == 2
        assert nosqldb.get_collection("users") is not None
        assert nosqldb.database_handle() is not None
        assert (await nosqldb.execute_raw({"ping": 1}))["ok"] == 1
    finally:
        await nosqldb.execute_raw({"dropDatabase": 1})


def test_nosql_variable_prefix_and_abstract_base() -> None:
    from pyjolt.database.nosql import NoSqlDatabase
    from pyjolt.database.nosql.backends import AsyncNoSqlBackendBase

    assert NoSqlDatabase(variable_prefix="MY_PREFIX_").variable_prefix == "MY_PREFIX_"
    from tests.database.nosql.support import SPEC_METHODS

    assert AsyncNoSqlBackendBase.__abstractmethods__ >= SPEC_METHODS


# -- Email ----------------------------------------------------------------------------------
@pytest.fixture
def smtp() -> Iterator[Any]:
    from aiosmtpd.controller import Controller as SmtpController

    from tests.email.support import Recorder, authenticator
    from tests.services import free_port

    recorder = Recorder()
    port = free_port()
    controller = SmtpController(
        recorder,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    yield port, recorder
    controller.stop()


async def test_email_client_send_email_and_template(
    build_client: Any, smtp: Any, tmp_path: Any
) -> None:
    from pyjolt.email import EmailClient
    from tests.email.support import PASSWORD, USER

    port, recorder = smtp
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "welcome.html").write_text("<p>Hi {{ name }}</p>")
    email_client: EmailClient = EmailClient(configs_name="EMAIL_CLIENT")
    await build_client(
        EXTENSIONS=[email_client],
        BASE_PATH=str(tmp_path),
        EMAIL_CLIENT={
            "SENDER_NAME_OR_ADDRESS": "noreply@example.com",
            "SMTP_SERVER": "127.0.0.1",
            "SMTP_PORT": port,
            "USERNAME": USER,
            "PASSWORD": PASSWORD,
            "USE_TLS": False,
        },
    )
    await email_client.send_email(
        "to@example.com", "Subject 1", "plain body", attachments={"a.txt": b"hello"}
    )
    await email_client.send_email_with_template(
        ["x@example.com", "y@example.com"],
        "Subject 2",
        "welcome.html",
        attachments=None,
        context={"name": "Ana"},
    )
    first, second = recorder.received
    assert first.rcpt_tos == ["to@example.com"] and first.authenticated
    assert first.message["Subject"] == "Subject 1"
    assert "plain body" in first.message.get_body(("plain",)).get_content()
    assert [p.get_filename() for p in first.message.iter_attachments()] == ["a.txt"]
    assert sorted(second.rcpt_tos) == ["x@example.com", "y@example.com"]
    assert "<p>Hi Ana</p>" in second.message.get_body(("html",)).get_content()


def test_email_default_config_name_and_tls_default() -> None:
    from pyjolt.email import EmailClient, EmailClientConfig

    assert EmailClient().configs_name == "EMAIL_CLIENT"
    cfg = EmailClientConfig(
        SENDER_NAME_OR_ADDRESS="a@b.c",
        SMTP_SERVER="h",
        SMTP_PORT=587,
        USERNAME="u",
        PASSWORD="p",
    )
    assert cfg.USE_TLS is True


# -- AI interface ---------------------------------------------------------------------------
def test_ai_interface_config_defaults() -> None:
    from pyjolt.ai_interface import AiInterfaceConfig

    c = AiInterfaceConfig(API_KEY="k")
    assert c.API_BASE_URL == "https://api.openai.com/v1"
    assert c.ORGANIZATION_ID is None and c.PROJECT_ID is None
    assert c.TIMEOUT == 30 and c.MODEL == "gpt-3.5-turbo" and c.TEMPERATURE == 1.0
    assert c.RESPONSE_FORMAT == {"type": "json_object"}
    assert c.TOOL_CHOICE is False and c.MAX_RETRIES == 0
    assert c.CHAT_CONTEXT_NAME == "chat_context"


async def test_ai_interface_loader_with_managed_session_and_tools(
    build_client: Any, spec_env: Any
) -> None:
    from pyjolt.ai_interface import AiInterface, ChatContextNotFound, FailedToRunAiToolMethod, tool
    from pyjolt.exceptions import ExceptionHandler, handles
    from tests.spec.specapp.extensions import db

    class Interface(AiInterface):
        @db.managed_session
        async def chat_context_loader(self, req: Request, session: AsyncSession) -> User | None:
            chat_session_id: int | None = req.route_parameters.get("chat_session_id", None)
            if chat_session_id is None:
                return None
            return await User.query(session).filter_by(id=chat_session_id).first()

        @tool(name="get_weather", description="Weather in a city")
        async def some_tool(self, city: str, unit: str) -> Any:
            """some tool logic"""
            return {"city": city, "unit": unit}

        @tool
        async def plain_tool(self, n: int) -> int:
            """Doubles n."""
            return n * 2

    ai_interface: Interface = Interface()

    class Errors(ExceptionHandler):
        @handles(ChatContextNotFound)
        async def nf(self, req: Request, exc: ChatContextNotFound) -> Response:
            return req.response.json({"message": "no chat"}).status(HttpStatus.NOT_FOUND)

    @path("/chat")
    class ChatApi(Controller):
        @get("/<int:chat_session_id>")
        @ai_interface.with_chat_context
        async def show(self, req: Request, chat_session_id: int, chat_context: User) -> Response:
            return req.response.json({"email": chat_context.email})

    client = await build_client(
        controllers=[ChatApi],
        EXTENSIONS=[db, ai_interface],
        EXCEPTION_HANDLERS=[Errors],
        AI_INTERFACE={"API_KEY": "k", "API_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    await db.create_all(User)
    async with db.session_scope() as session:
        session.add(User(id=5, fullname="c", email="chat@x.io", role="user"))
    assert (await client.get("/chat/5")).json() == {"email": "chat@x.io"}
    res = await client.get("/chat/6")
    assert res.status_code == 404 and res.json() == {"message": "no chat"}
    tools = ai_interface.tools
    assert "get_weather" in tools and "plain_tool" in tools
    assert tools["get_weather"].description == "Weather in a city"
    assert "Doubles n" in tools["plain_tool"].description
    assert issubclass(FailedToRunAiToolMethod, Exception)


# -- Middleware -----------------------------------------------------------------------------
async def test_middleware_order_short_circuit_and_errors(build_client: Any) -> None:
    from pyjolt.exceptions import ExceptionHandler, handles
    from pyjolt.middleware import MiddlewareBase

    order: list[str] = []

    class Outer(MiddlewareBase):
        async def middleware(self, req: Request) -> Response:
            order.append("outer")
            t0 = time.perf_counter()
            try:
                return await self.next(req)
            finally:
                req.state.elapsed = time.perf_counter() - t0

    class Inner(MiddlewareBase):
        async def middleware(self, req: Request) -> Response:
            order.append("inner")
            if req.headers.get("x-short"):
                return req.response.json({"short": True}).status(HttpStatus.OK)
            if req.headers.get("x-raise"):
                raise KeyError("mw")
            res = await self.next(req)
            res.headers["x-inner"] = "1"
            return res

    class Errors(ExceptionHandler):
        @handles(KeyError)
        async def key(self, req: Request, exc: KeyError) -> Response:
            return req.response.json(
                {"handled": True, "timed": hasattr(req.state, "elapsed")}
            ).status(HttpStatus.BAD_REQUEST)

    @path("/m")
    class Api(Controller):
        @get("/")
        async def x(self, req: Request) -> Response:
            return req.response.text("x")

    c = await build_client(
        controllers=[Api], MIDDLEWARE=[Outer, Inner], EXCEPTION_HANDLERS=[Errors]
    )
    res = await c.get("/m/")
    assert res.text == "x" and res.headers["x-inner"] == "1"
    assert order == ["outer", "inner"]
    assert (await c.get("/m/", headers={"x-short": "1"})).json() == {"short": True}
    res = await c.get("/m/", headers={"x-raise": "1"})
    assert res.status_code == 400 and res.json()["handled"] is True


# -- Testing --------------------------------------------------------------------------------
async def test_pyjolt_test_client_runs_lifespan(spec_env: Any) -> None:
    from pyjolt.testing import PyJoltTestClient
    from tests.spec import specapp

    specapp.EVENTS.clear()
    async with PyJoltTestClient(specapp.Application()) as c:
        assert specapp.EVENTS == ["startup"]
        assert (await c.get("/api/v1/users/1")).status_code == 200
    assert specapp.EVENTS == ["startup", "shutdown"]


async def test_nosql_variable_prefix_section_and_rollback(build_client: Any) -> None:
    from pyjolt.database.nosql import NoSqlDatabase
    from tests.database.nosql.nosql_memory_backend import MemoryBackend

    nosqldb = NoSqlDatabase(variable_prefix="MY_PREFIX_")

    @path("/n")
    class NApi(Controller):
        @post("/")
        @nosqldb.managed_database
        async def add(self, req: Request, db: Any, session: Any = None) -> Response:
            await db.insert_one("docs", {"n": 1}, session=session)
            if req.query_params.get("fail"):
                raise RuntimeError("rollback")
            return req.response.json({"session": session is not None})

    c = await build_client(
        controllers=[NApi],
        EXTENSIONS=[nosqldb],
        MY_PREFIX_NOSQL_DATABASE={"BACKEND": MemoryBackend, "DATABASE": "d"},
    )
    assert (await c.post("/n/")).json() == {"session": True}
    assert (await c.post("/n/?fail=1")).status_code == 500
    assert len(await nosqldb.find_many("docs", {})) == 1
