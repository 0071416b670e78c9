"""Controllers in 0.111 style: @produces(..., status_code=201), AuthUtils, bare guards."""

from typing import Any

from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.auth import AuthUtils, login_required, role_required
from pyjolt.controller import Controller, consumes, get, path, post, produces
from pyjolt.database.sql import AsyncSession
from tests.compat.legacy_app.extensions import db, other_db
from tests.compat.legacy_app.models import AuditEntry, User


class UserIn(BaseModel):
    email: str
    password: str


class UserOut(BaseModel):
    id: int
    email: str


@path("/api/v1/users", tags=["Users"])
class UsersApi(Controller):
    @post("/")
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON, status_code=201)
    @db.managed_session
    async def create_user(
        self, req: Request, data: UserIn, session: AsyncSession
    ) -> Response[UserOut]:
        user = User(email=data.email, password=AuthUtils.create_password_hash(data.password))
        user.role = "user"
        session.add(user)
        await session.flush()
        return req.response.json(UserOut(id=user.id, email=user.email))

    @get("/")
    @produces(MediaType.APPLICATION_JSON)
    @db.readonly_session
    async def list_users(self, req: Request, session: AsyncSession) -> Response[Any]:
        page = await User.query(session).order_by(User.id).paginate(page=1, per_page=200)
        emails = [user.email for user in page["items"]]
        return req.response.json({"total": page["total"], "emails": emails}).status(HttpStatus.OK)

    @get("/me")
    @login_required
    async def me(self, req: Request) -> Response[UserOut]:
        return req.response.json(UserOut(id=req.user.id, email=req.user.email))

    @get("/admin")
    @login_required
    @role_required("admin")
    async def admin_only(self, req: Request) -> Response[Any]:
        return req.response.json({"admin": req.user.email})


@path("/api/v1/auth", tags=["Auth"])
class AuthApi(Controller):
    @post("/login")
    @consumes(MediaType.APPLICATION_JSON)
    @db.readonly_session
    async def login(self, req: Request, data: UserIn, session: AsyncSession) -> Response[Any]:
        user = await User.query(session).filter_by(email=data.email).first()
        if user is None or not AuthUtils.check_password_hash(data.password, user.password):
            return req.response.json({"message": "Wrong credentials"}).status(401)
        secret = self.app.get_conf("SECRET_KEY")
        cookie = AuthUtils.create_signed_cookie_value(user.id, secret)
        return req.response.json({"message": "Logged in"}).set_cookie("auth_cookie", cookie)


@path("/api/v1/audit", tags=["Audit"])
class AuditApi(Controller):
    @get("/")
    @other_db.readonly_session
    async def entries(self, req: Request, audit_session: AsyncSession) -> Response[Any]:
        rows = await AuditEntry.query(audit_session).order_by(AuditEntry.id).all()
        return req.response.json([row.action for row in rows])
