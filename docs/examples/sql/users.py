"""Models, managed and read-only sessions, and pagination with the SqlDatabase extension."""

import os
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, abort, app, on_startup
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.database.sql import AsyncSession, SqlDatabase, SqlModel

db = SqlDatabase()  # database "db", config section SQL_DATABASE


class Base(SqlModel, DeclarativeBase):
    __db_name__ = "db"  # the models of the SqlDatabase of this name


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    fullname: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(100), unique=True)


class UserIn(BaseModel):
    fullname: str
    email: str


class UserOut(UserIn):
    model_config = ConfigDict(from_attributes=True)
    id: int


@path("/api/v1/users")
class UsersApi(Controller):
    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    @db.managed_session
    async def create_user(self, req: Request, data: UserIn, session: AsyncSession) -> UserOut:
        user = User(fullname=data.fullname, email=data.email)
        session.add(user)
        await session.flush()  # sends the INSERT: user.id is set
        return UserOut.model_validate(user)
        # committed when the handler returns; rolled back if it raises

    @get("/<int:user_id>")
    @db.readonly_session
    async def get_user(self, req: Request, user_id: int, session: AsyncSession) -> UserOut:
        user = await User.query(session).filter_by(id=user_id).first()
        if user is None:
            abort(f"User {user_id} not found", status_code=HttpStatus.NOT_FOUND)
        return UserOut.model_validate(user)

    @get("/")
    @db.readonly_session
    async def list_users(
        self, req: Request, session: AsyncSession, page: int = 1, per_page: int = 10
    ) -> dict[str, Any]:
        result: dict[str, Any] = (
            await User.query(session).order_by(User.id).paginate(page, per_page)
        )
        result["items"] = [UserOut.model_validate(u).model_dump() for u in result["items"]]
        return result


class Config(BaseConfig):
    APP_NAME: str = "Users"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [UsersApi]
    EXTENSIONS: list[object] = [db]
    MODELS: list[str | type] = [User]
    SQL_DATABASE: dict[str, Any] = {
        # relative SQLite paths are taken from BASE_PATH
        "DATABASE_URI": "sqlite+aiosqlite:///./users.db",
        "MAX_PER_PAGE": 50,
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    @on_startup
    async def create_tables(self) -> None:
        await db.create_all()  # for a quick start; use migrations for a real schema
