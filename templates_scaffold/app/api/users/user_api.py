"""The example API: users stored in the SQLite database."""

from pyjolt import HttpStatus, MediaType, Request, Response
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
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.exceptions.custom_exceptions import EntityNotFound
from app.api.exceptions.exception_handler import ErrorResponse
from app.api.models.user_model import User
from app.api.users.schemas import UserData, UserOut
from app.extensions import db


@path("/api/v1/users", tags=["users"])
class UserApi(Controller):
    @get("/")
    @produces(MediaType.APPLICATION_JSON)
    @db.readonly_session
    async def get_users(self, req: Request, session: AsyncSession) -> Response[list[UserOut]]:
        """Returns all users."""
        users = await User.query(session).order_by(User.id).all()
        return req.response.json([UserOut.model_validate(u) for u in users]).status(HttpStatus.OK)

    @get("/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(Descriptor(HttpStatus.NOT_FOUND, "No user with this id", body=ErrorResponse))
    @db.readonly_session
    async def get_user(
        self, req: Request, user_id: int, session: AsyncSession
    ) -> Response[UserOut]:
        """Returns a user by user_id."""
        user = await User.query(session).filter_by(id=user_id).first()
        if user is None:
            raise EntityNotFound(f"User with id {user_id} not found", entity="user")
        return req.response.json(UserOut.model_validate(user)).status(HttpStatus.OK)

    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(Descriptor(HttpStatus.CONFLICT, "The e-mail is taken", body=ErrorResponse))
    @db.managed_session
    async def create_user(
        self, req: Request, user_data: UserData, session: AsyncSession
    ) -> Response[UserOut]:
        """Creates a new user (the session commits when the handler returns); answers 201."""
        user = User(email=user_data.email, fullname=user_data.fullname)
        session.add(user)
        await session.flush()  # assigns user.id
        return req.response.json(UserOut.model_validate(user))
