"""The users API: the spec's example controller, backed by SQLite."""

from pydantic import BaseModel, EmailStr
from sqlalchemy.ext.asyncio import AsyncSession

from app.extensions import cache, db
from app.models import User
from pyjolt import HttpStatus, MediaType, Request, Response, abort
from pyjolt.controller import (
    Controller,
    Descriptor,
    consumes,
    get,
    open_api_docs,
    path,
    post,
    produces,
)


class UserIn(BaseModel):
    email: EmailStr
    fullname: str


class UserOut(BaseModel):
    id: int
    email: str
    fullname: str


class UserList(BaseModel):
    items: list[UserOut]
    total: int


class ErrorResponse(BaseModel):
    status: str
    message: str


@path("/api/v1/users", tags=["Users"])
class UsersApi(Controller):
    @get("/")
    @produces(MediaType.APPLICATION_JSON)
    @cache.cache(duration=5)
    @db.readonly_session
    async def get_users(self, req: Request, session: AsyncSession) -> Response[UserList]:
        """All users (the spec's benchmark endpoint)."""
        users = await User.query(session).order_by(User.id).all()
        return req.res.json({"items": users, "total": len(users)})

    @get("/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(
        Descriptor(status=HttpStatus.NOT_FOUND, description="User not found", body=ErrorResponse)
    )
    @db.readonly_session
    async def get_user(
        self, req: Request, user_id: int, session: AsyncSession
    ) -> Response[UserOut]:
        """One user by id."""
        user = await User.query(session).filter_by(id=user_id).first()
        if user is None:
            abort(f"User with id {user_id} not found", status_code=HttpStatus.NOT_FOUND)
        return req.res.json(user)

    @post("/")
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @db.managed_session
    async def create_user(
        self, req: Request, user_data: UserIn, session: AsyncSession
    ) -> Response[UserOut]:
        """Create a user."""
        if await User.query(session).filter_by(email=user_data.email).count():
            abort("A user with that email exists", status_code=HttpStatus.CONFLICT)
        user = User(email=user_data.email, fullname=user_data.fullname)
        session.add(user)
        await session.flush()
        return req.res.json(user).status(HttpStatus.CREATED)
