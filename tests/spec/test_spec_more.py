"""SPEC: route-not-found handling, STRICT_SLASHES, route parameters, two SQL databases with
their own session names, quick aborts without a handler, CLI float arguments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt import HttpStatus, Request, Response, abort
from pyjolt.controller import Controller, get, path
from pyjolt.database import AsyncSession, create_declerative_base
from pyjolt.exception import NotFound
from pyjolt.exceptions import ExceptionHandler, handles

OtherBase = create_declerative_base("other")


class Note(OtherBase):
    __tablename__: str = "spec_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(50))


MainBase = create_declerative_base("maindb")


class Item(MainBase):
    __tablename__: str = "spec_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@path("/p")
class ParamApi(Controller):
    @get("/<int:user_id>/<string:name>")
    async def show(self, req: Request, user_id: int, name: str) -> Response:
        return req.response.json(
            {"params": req.route_parameters, "type": type(user_id).__name__, "name": name}
        )

    @get("/abort")
    async def aborted(self, req: Request) -> Response:
        abort("nope")

    @get("/abort404")
    async def aborted404(self, req: Request) -> Response:
        abort(msg="gone", status_code=HttpStatus.NOT_FOUND, status="fail", data={"k": 1})

    @get("/slash/")
    async def slash(self, req: Request) -> Response:
        return req.response.text("slash")


class NotFoundHandler(ExceptionHandler):
    @handles(NotFound)
    async def nf(self, req: Request, exc: NotFound) -> Response:
        return req.response.json({"custom": True, "path": req.path}).status(HttpStatus.NOT_FOUND)


async def test_route_parameters_and_types(build_client: Any) -> None:
    c = await build_client(controllers=[ParamApi])
    res = await c.get("/p/5/bob")
    assert res.json() == {"params": {"user_id": 5, "name": "bob"}, "type": "int", "name": "bob"}
    assert (await c.get("/p/x/bob")).status_code == 404


async def test_not_found_is_handled_by_exception_handler(build_client: Any) -> None:
    c = await build_client(controllers=[ParamApi], EXCEPTION_HANDLERS=[NotFoundHandler])
    res = await c.get("/nothing/here")
    assert res.status_code == 404
    assert res.json() == {"custom": True, "path": "/nothing/here"}


async def test_abort_without_handler(build_client: Any) -> None:
    c = await build_client(controllers=[ParamApi])
    res = await c.get("/p/abort")
    assert res.status_code == 400
    assert res.json()["message"] == "nope" and res.json()["status"] == "error"
    res = await c.get("/p/abort404")
    assert res.status_code == 404
    assert res.json() == {"status": "fail", "message": "gone", "data": {"k": 1}}


async def test_strict_slashes(build_client: Any) -> None:
    c = await build_client(controllers=[ParamApi])
    assert (await c.get("/p/slash")).text == "slash"
    assert (await c.get("/p/slash/")).text == "slash"
    c = await build_client(controllers=[ParamApi], STRICT_SLASHES=True)
    assert (await c.get("/p/slash/")).text == "slash"
    assert (await c.get("/p/slash")).status_code == 404


async def test_two_databases_with_own_session_names(build_client: Any, tmp_path: Path) -> None:
    from pyjolt.database.sql import SqlDatabase

    db = SqlDatabase(db_name="maindb")
    other = SqlDatabase(db_name="other", configs_name="MY_DATABASE")

    @path("/two")
    class TwoApi(Controller):
        @get("/")
        @db.managed_session
        @other.managed_session
        async def both(
            self, req: Request, session: AsyncSession, other_session: AsyncSession
        ) -> Response:
            session.add(Item(name="i"))
            other_session.add(Note(text="n"))
            await session.flush()
            await other_session.flush()
            return req.response.json({"ok": session is not other_session})

    c = await build_client(
        controllers=[TwoApi],
        EXTENSIONS=[db, other],
        SQL_DATABASE={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"},
        MY_DATABASE={
            "DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'b.db'}",
            "SESSION_NAME": "other_session",
        },
    )
    await db.create_all(Item)
    await other.create_all(Note)
    res = await c.get("/two/")
    assert res.json() == {"ok": True}
    async with db.session_scope() as s:
        assert await Item.query(s).count() == 1
    async with other.session_scope() as s:
        assert await Note.query(s).count() == 1


def test_cli_float_argument(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from pyjolt.cli import CLIController, argument, command
    from pyjolt.testing import make_app

    class Cli(CLIController):
        @command("half", help="Halve.")
        @argument("x", arg_type=float, description="A number.")
        async def half(self, x: float) -> None:
            print(f"half={x / 2}")

    application = make_app(CLI_CONTROLLERS=[Cli])
    monkeypatch.setattr(sys, "argv", ["cli.py", "half", "3"])
    with pytest.raises(SystemExit) as info:
        application.run_cli()
    assert info.value.code == 0
    assert "half=1.5" in capsys.readouterr().out


def test_descriptor_defaults() -> None:
    from pyjolt import MediaType
    from pyjolt.controller import Descriptor

    d = Descriptor()
    assert d.status == HttpStatus.BAD_REQUEST
    assert d.description is None and d.body is None
    assert d.media_type == MediaType.APPLICATION_JSON


async def test_swagger_ui_served_in_debug(build_client: Any) -> None:
    import importlib.util

    c = await build_client(controllers=[ParamApi], DEBUG=True)
    res = await c.get("/openapi/docs")
    if importlib.util.find_spec("swagger_ui_bundle") is None:
        pytest.skip("no Swagger UI package installed")
    assert res.status_code == 200
    assert "swagger" in res.text.lower()


async def test_templates_strict_undefined(build_client: Any, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ missing }}")

    @path("/ts")
    class TApi(Controller):
        @get("/")
        async def x(self, req: Request) -> Response:
            return await req.response.html("t.html")

    c = await build_client(controllers=[TApi], BASE_PATH=str(tmp_path))
    assert (await c.get("/ts/")).status_code == 500
    c = await build_client(controllers=[TApi], BASE_PATH=str(tmp_path), TEMPLATES_STRICT=False)
    res = await c.get("/ts/")
    assert res.status_code == 200 and res.text == ""
