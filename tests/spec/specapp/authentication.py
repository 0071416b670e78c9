"""The spec's authentication.py."""

from enum import StrEnum
from typing import Optional

from pyjolt import Request
from pyjolt.auth import Authentication
from tests.spec.specapp.api.models import User
from tests.spec.specapp.extensions import db


class UserRoles(StrEnum):
    ADMIN = "admin"
    SUPERUSER = "superuser"
    USER = "user"


class Auth(Authentication):
    async def user_loader(self, req: Request) -> Optional[User]:  # noqa: UP045
        """Loads user from the provided cookie"""
        cookie_header = req.headers.get("cookie", "")
        if cookie_header:
            cookies = dict(cookie.strip().split("=", 1) for cookie in cookie_header.split(";"))
            auth_cookie = cookies.get("auth_cookie")
            if auth_cookie:
                user_id = self.decode_signed_cookie(auth_cookie)
                if user_id:
                    session = db.create_session()
                    user = await User.query(session).filter_by(id=user_id).first()
                    await session.close()
                    return user
        return None

    async def role_check(self, user: User, roles: list[UserRoles]) -> bool:
        """Checks intersection of user roles and required roles"""
        user_roles = {user.role}
        return len(user_roles.intersection(set(roles))) > 0


auth: Auth = Auth()
