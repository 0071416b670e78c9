"""Step 4: who is logged in. The login cookie holds the user's ID, encrypted."""

from bookmarks.extensions import db
from bookmarks.models import User
from pyjolt.auth import Authentication
from pyjolt.request import AnyRequest


class BookmarksAuth(Authentication):
    async def user_loader(self, req: AnyRequest) -> User | None:
        user_id = self.cookie_user_id(req)
        if user_id is None:
            return None
        async with db.readonly_scope() as session:
            return await session.get(User, int(user_id))


auth = BookmarksAuth()
