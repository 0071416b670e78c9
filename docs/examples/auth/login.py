"""Cookie logins, bearer tokens and role guards with the Authentication extension."""

import os
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from pyjolt import BaseConfig, MediaType, PyJolt, Request, Response, app
from pyjolt.auth import Authentication, create_password_hash
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.exceptions import AuthenticationException
from pyjolt.rate_limit import RateLimiter
from pyjolt.request import AnyRequest


class Role(StrEnum):
    ADMIN = "admin"
    USER = "user"


@dataclass
class User:
    id: int
    name: str
    password_hash: str
    roles: list[Role] = field(default_factory=list)


# a stand-in for a users table
USERS = {
    1: User(1, "ada", create_password_hash("correct horse"), [Role.ADMIN, Role.USER]),
    2: User(2, "bob", create_password_hash("battery staple"), [Role.USER]),
}


class Auth(Authentication):
    async def user_loader(self, req: AnyRequest) -> User | None:
        user_id = self.cookie_user_id(req)  # from the login cookie...
        if user_id is None:
            claims = self.bearer_claims(req)  # ...or from "Authorization: Bearer <JWT>"
            user_id = claims.get("sub") if claims else None
        return USERS.get(int(user_id)) if user_id is not None else None


auth = Auth()
limiter = RateLimiter()  # needs the ratelimit extra


class Credentials(BaseModel):
    name: str
    password: str


@path("/auth")
class AuthApi(Controller):
    async def _check(self, credentials: Credentials) -> User:
        user = next((u for u in USERS.values() if u.name == credentials.name), None)
        if user is None or not await auth.check_password_hash_async(
            credentials.password, user.password_hash
        ):
            raise AuthenticationException("Wrong name or password")
        return user

    @post("/login")
    @limiter.limit("5/minute")
    @consumes(MediaType.APPLICATION_JSON)
    async def login(self, req: Request, credentials: Credentials) -> Response:
        user = await self._check(credentials)
        return auth.login_user(req.response.json({"logged_in": user.name}), user.id)

    @post("/token")
    @consumes(MediaType.APPLICATION_JSON)
    async def token(self, req: Request, credentials: Credentials) -> Response:
        user = await self._check(credentials)
        return req.response.json({"token": auth.create_jwt_token({"sub": str(user.id)})})

    @post("/logout")
    async def logout(self, req: Request) -> Response:
        return auth.logout_user(req.response.no_content())


@path("/api")
class ProfileApi(Controller):
    @get("/me")
    @auth.login_required
    async def me(self, req: Request) -> dict[str, Any]:
        return {"name": req.user.name, "roles": req.user.roles}

    @get("/admin")
    @auth.login_required
    @auth.role_required(Role.ADMIN)
    async def admin(self, req: Request) -> dict[str, str]:
        return {"welcome": req.user.name}


class Config(BaseConfig):
    APP_NAME: str = "Accounts"
    BASE_PATH: str = os.path.dirname(__file__)
    # SECRET_KEY comes from the environment (at least 32 random characters)
    CONTROLLERS: list[str | type] = [AuthApi, ProfileApi]
    EXTENSIONS: list[object] = [auth, limiter]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
