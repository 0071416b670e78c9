"""Login and logout with a cookie (the Authentication extension in app/extensions.py)."""

from pydantic import BaseModel, Field
from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.auth import check_password_hash_async
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
from pyjolt.exceptions import AuthenticationException

from app.api.exceptions.exception_handler import ErrorResponse
from app.api.models.user_model import User
from app.api.users.schemas import UserOut
from app.extensions import auth, db, limiter


class Credentials(BaseModel):
    """Body of POST /api/v1/login."""

    email: str = Field(max_length=200)
    password: str = Field(max_length=1024)


@path("/api/v1", tags=["auth"])
class AuthApi(Controller):
    @post("/login")
    @limiter.limit("5/minute")  # per client address; more → 429 with Retry-After
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(
        Descriptor(HttpStatus.UNAUTHORIZED, "Wrong e-mail or password", body=ErrorResponse)
    )
    async def login(self, req: Request, credentials: Credentials) -> Response[UserOut]:
        """Checks the password and sets the login cookie."""
        # the session is closed before the slow password check: no pooled connection waits
        async with db.readonly_scope() as session:
            user = await User.query(session).filter_by(email=credentials.email).first()
        # an unknown user is checked against a dummy hash: same time as a wrong password
        valid = await check_password_hash_async(
            credentials.password, user.password_hash if user else None
        )
        if user is None or not valid:
            raise AuthenticationException("Wrong e-mail or password")
        return auth.login_user(req.response.json(UserOut.model_validate(user)), user.id)

    @post("/logout", status_code=HttpStatus.NO_CONTENT)
    async def logout(self, req: Request) -> Response:
        """Deletes the login cookie."""
        return auth.logout_user(req.response.no_content())

    @get("/me")
    @produces(MediaType.APPLICATION_JSON)
    @auth.login_required
    async def me(self, req: Request) -> Response[UserOut]:
        """The logged-in user (401 without a valid login cookie)."""
        return req.response.json(UserOut.model_validate(req.user))
