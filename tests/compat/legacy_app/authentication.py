"""0.111-style authentication: the static AuthUtils with the app's SECRET_KEY."""

from typing import Any

from pyjolt.auth import Authentication, AuthUtils
from pyjolt.request import AnyRequest
from tests.compat.legacy_app.extensions import db
from tests.compat.legacy_app.models import User


class Auth(Authentication):
    async def user_loader(self, req: AnyRequest) -> Any:
        cookie = req.cookies.get("auth_cookie")
        if not cookie:
            return None
        user_id = AuthUtils.decode_signed_cookie(cookie, self.app.get_conf("SECRET_KEY"))
        if user_id is None:
            return None
        session = db.create_session()
        try:
            return await User.query(session).filter_by(id=int(user_id)).first()
        finally:
            await session.close()

    async def role_check(self, user: Any, roles: list[Any]) -> bool:
        return user.role in roles


auth: Auth = Auth()
