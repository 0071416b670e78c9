"""Shared pieces of the auth tests: an ``Authentication`` subclass over an in-memory user table."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pyjolt import Request, Response
from pyjolt.auth import Authentication
from pyjolt.controller import Controller, get, path
from pyjolt.request import AnyRequest
from pyjolt.testing import make_app

SECRET = "k" * 16 + "0123456789abcdef0123456789"  # 42 characters
OTHER_SECRET = "oCFrflpjHP6Foj-TkDZlkPxdHW5mvjx5e_AYh_G4UgLuq8LAQGATN2q4tHGzMtRQ"


class Roles(StrEnum):
    ADMIN = "admin"
    USER = "user"


@dataclass
class User:
    name: str
    roles: list[str] = field(default_factory=list)


USERS = {
    "alice": User("alice", ["admin", "user"]),
    "bob": User("bob", ["user"]),
    "carol": User("carol"),
}


class Auth(Authentication):
    """Loads the user named by a signed ``auth_cookie`` or by the ``sub`` of a bearer JWT."""

    def __init__(self) -> None:
        super().__init__()
        self.loads = 0

    async def user_loader(self, req: AnyRequest) -> Any:
        self.loads += 1
        name = self.cookie_user_id(req)
        if name is None:
            claims = self.bearer_claims(req)
            name = claims.get("sub") if claims else None
        return USERS.get(name) if isinstance(name, str) else None


def configured_auth(**config: Any) -> Auth:
    """An ``Auth`` set up on an app (``SECRET_KEY`` is ``SECRET`` unless ``config`` says
    otherwise), for calling its helpers directly."""
    auth = Auth()
    make_app(EXTENSIONS=[auth], **{"SECRET_KEY": SECRET, **config})
    return auth


def jwt_segment(data: dict[str, Any]) -> str:
    """``data`` as a JWT header or payload segment (unpadded urlsafe base64 of its JSON), for
    hand-made tokens."""
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def bearer(auth: Authentication, name: str) -> dict[str, str]:
    """Headers carrying a bearer token for ``name``."""
    return {"Authorization": f"Bearer {auth.create_jwt_token({'sub': name})}"}


def admin_api(auth: Any) -> type[Controller]:
    """``GET /admin/`` for users with the ``admin`` role."""

    @path("/admin")
    class Admin(Controller):
        @get("/")
        @auth.role_required("admin")
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({})

    return Admin
