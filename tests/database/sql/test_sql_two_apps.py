"""One module-level SqlDatabase serving two apps in one process (issue 16)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pyjolt import Request, Response
from pyjolt.appcontext import app_context
from pyjolt.controller import Controller, get, path
from pyjolt.database.sql import SqlDatabase
from pyjolt.testing import PyJoltTestClient, make_app
from tests.database.sql.support import make_models


def _users_api(db: SqlDatabase, models: SimpleNamespace) -> type[Controller]:
    @path("/users")
    class UsersApi(Controller):
        @get("/")
        @db.readonly_session
        async def names(self, req: Request, session: AsyncSession) -> Response[Any]:
            users = await models.User.query(session).order_by(models.User.id).all()
            return req.res.json([u.fullname for u in users])

    return UsersApi


def _log(folder: Path, name: str) -> dict[str, Any]:
    """The app's default sink: a file of its own, every level, one ``app|message`` a line."""
    sink = {"SINK": str(folder / f"{name}.log"), "FORMAT": "{extra[logger_name]}|{message}"}
    return {"APP_NAME": name, "DEFAULT_LOGGER": {**sink, "LEVEL": "DEBUG"}}


async def test_one_instance_serves_sqlite_and_postgresql_apps(
    sqlite_and_postgres: tuple[Any, Any], tmp_path: Path
) -> None:
    lite, pg = sqlite_and_postgres
    db = SqlDatabase()
    models = make_models()
    api = _users_api(db, models)
    app_lite = make_app(
        [api], EXTENSIONS=[db], SQL_DATABASE=lite.section(), **_log(tmp_path, "lite")
    )
    app_pg = make_app([api], EXTENSIONS=[db], SQL_DATABASE=pg.section(), **_log(tmp_path, "pg"))
    # each app keeps its own URL: building the second did not rewire the first
    assert db.url_for_app(app_lite).get_backend_name() == "sqlite"
    assert db.url_for_app(app_pg).get_backend_name() == "postgresql"
    async with PyJoltTestClient(app_lite) as lite_client, PyJoltTestClient(app_pg) as pg_client:
        for app, who in ((app_lite, "Lite Ann"), (app_pg, "Postgres Bob")):
            with app_context(app):
                await db.create_all(models.Base)  # only these models: others share "users"
                async with db.session_scope() as session:
                    session.add(models.User(fullname=who, email=f"{who[:4]}@example.com"))
        assert (await lite_client.get("/users")).json() == ["Lite Ann"]
        assert (await pg_client.get("/users")).json() == ["Postgres Bob"]
        # and again in the other order, to show no per-call state leaks between them
        assert (await pg_client.get("/users")).json() == ["Postgres Bob"]
        assert (await lite_client.get("/users")).json() == ["Lite Ann"]
        with app_context(app_lite):
            assert db.engine.url.get_backend_name() == "sqlite"
        with app_context(app_pg):
            assert db.engine.url.get_backend_name() == "postgresql"
        app_lite.logger.info("lite served")
        app_pg.logger.info("pg served")
    # both apps' lines appear, each in its own sink: the database's start-up line names the
    # app's own URL, and building the second app left the first app's logging working
    lines = {name: (tmp_path / f"{name}.log").read_text().splitlines() for name in ("lite", "pg")}
    for name, backend in (("lite", "sqlite"), ("pg", "postgresql")):
        ready = [line for line in lines[name] if "engine ready" in line]
        assert len(ready) == 1 and ready[0].startswith(
            f"{name}|SqlDatabase 'db' engine ready: {backend}"
        )
        other = "pg" if name == "lite" else "lite"
        assert (
            f"{name}|{name} served" in lines[name] and f"{name}|{other} served" not in lines[name]
        )
