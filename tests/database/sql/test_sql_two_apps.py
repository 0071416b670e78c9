"""One module-level SqlDatabase serving two apps in one process (issue 16)."""

from __future__ import annotations

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


async def test_one_instance_serves_sqlite_and_postgresql_apps(
    sqlite_and_postgres: tuple[Any, Any],
) -> None:
    lite, pg = sqlite_and_postgres
    db = SqlDatabase()
    models = make_models()
    api = _users_api(db, models)
    app_lite = make_app([api], APP_NAME="lite", EXTENSIONS=[db], SQL_DATABASE=lite.section())
    app_pg = make_app([api], APP_NAME="pg", EXTENSIONS=[db], SQL_DATABASE=pg.section())
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
