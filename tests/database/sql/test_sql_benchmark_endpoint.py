"""The spec's benchmark endpoint: GET /api/v1/users lists every user from SQLite."""

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, get, path, produces
from pyjolt.database.sql import AsyncSession, SqlDatabase
from pyjolt.testing import PyJoltTestClient, make_app
from tests.database.sql.support import make_models


class UserData(BaseModel):
    id: int
    fullname: str
    email: str


class ResponseModel(BaseModel):
    message: str
    status: str
    data: list[UserData] | None = None


async def test_list_all_users_from_sqlite(tmp_path: Path) -> None:
    db = SqlDatabase()
    models = make_models()
    User = models.User

    @path("/api/v1/users", tags=["Users"])
    class UsersApi(Controller):
        @get("/")
        @produces(MediaType.APPLICATION_JSON)
        @db.readonly_session
        async def get_users(self, req: Request, session: AsyncSession) -> Response[ResponseModel]:
            """Endpoint for returning all app users."""
            users = await User.query(session).order_by(User.id).all()
            data = [UserData(id=u.id, fullname=u.fullname, email=u.email) for u in users]
            response = ResponseModel(message="All users fetched.", status="success", data=data)
            return req.response.json(response).status(HttpStatus.OK)

        @get("/manual")
        @produces(MediaType.APPLICATION_JSON)
        async def get_users_manual_session(self, req: Request) -> Response[ResponseModel]:
            """The spec's variant with a hand-managed session."""
            session = db.create_session()
            try:
                users = await User.query(session).all()
            finally:
                await session.close()  # must close the session
            response = ResponseModel(
                message=f"All users fetched: {len(users)}.", status="success", data=None
            )
            return req.response.json(response).status(HttpStatus.OK)

    uri = f"sqlite+aiosqlite:///{tmp_path / 'bench.db'}"
    app = make_app(controllers=[UsersApi], EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": uri})
    async with PyJoltTestClient(app) as client:
        await db.create_all(models.Base)
        async with db.session_scope() as session:
            session.add_all(
                User(fullname=f"User {n}", email=f"user{n}@example.com") for n in range(1, 21)
            )
        res = await client.get("/api/v1/users")
        assert res.status_code == 200
        body: dict[str, Any] = res.json()
        assert body["message"] == "All users fetched."
        assert body["status"] == "success"
        assert [u["id"] for u in body["data"]] == list(range(1, 21))
        assert body["data"][2] == {"id": 3, "fullname": "User 3", "email": "user3@example.com"}
        manual = await client.get("/api/v1/users/manual")
        assert manual.json() == {
            "message": "All users fetched: 20.",
            "status": "success",
            "data": None,
        }
        assert db.engine.pool.checkedout() == 0
