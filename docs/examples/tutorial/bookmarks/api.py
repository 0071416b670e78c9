"""Steps 3-6: the controllers."""

from pydantic import BaseModel, ConfigDict, Field

from bookmarks.authentication import auth
from bookmarks.extensions import cache, db
from bookmarks.models import Bookmark, User
from bookmarks.tasks import index_bookmark
from pyjolt import HttpStatus, Request, Response, abort
from pyjolt.controller import Controller, get, path, post
from pyjolt.database.sql import AsyncSession
from pyjolt.exceptions import AuthenticationException


class Credentials(BaseModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8)


class BookmarkIn(BaseModel):
    url: str = Field(pattern=r"^https?://")
    title: str = Field(min_length=1, max_length=200)


class BookmarkOut(BookmarkIn):
    model_config = ConfigDict(from_attributes=True)
    id: int
    host: str | None


@path("/api/account")
class AccountApi(Controller):
    @post("/register", status_code=HttpStatus.CREATED)
    @db.managed_session
    async def register(
        self, req: Request, credentials: Credentials, session: AsyncSession
    ) -> dict[str, object]:
        if await User.query(session).filter_by(email=credentials.email).first() is not None:
            abort("This email is already registered", status_code=HttpStatus.CONFLICT)
        user = User(
            email=credentials.email, password_hash=auth.create_password_hash(credentials.password)
        )
        session.add(user)
        await session.flush()  # sends the INSERT: user.id is set
        return {"id": user.id, "email": user.email}

    @post("/login")
    @db.readonly_session
    async def login(
        self, req: Request, credentials: Credentials, session: AsyncSession
    ) -> Response:
        user = await User.query(session).filter_by(email=credentials.email).first()
        if user is None or not await auth.check_password_hash_async(
            credentials.password, user.password_hash
        ):
            raise AuthenticationException("Wrong email or password")
        return auth.login_user(req.response.json({"email": user.email}), user.id)

    @post("/logout")
    async def logout(self, req: Request) -> Response:
        return auth.logout_user(req.response.no_content())


@path("/api/bookmarks")
class BookmarksApi(Controller):
    @get("/")
    @auth.login_required
    @db.readonly_session
    @cache.cache(duration=30)  # per user: the guard's req.user is part of the key
    async def list_bookmarks(self, req: Request, session: AsyncSession) -> list[BookmarkOut]:
        rows = (
            await Bookmark.query(session).filter_by(user_id=req.user.id).order_by(Bookmark.id).all()
        )
        return [BookmarkOut.model_validate(b) for b in rows]

    @post("/", status_code=HttpStatus.CREATED)
    @auth.login_required
    @db.managed_session
    async def add(self, req: Request, data: BookmarkIn, session: AsyncSession) -> BookmarkOut:
        bookmark = Bookmark(user_id=req.user.id, url=data.url, title=data.title)
        session.add(bookmark)
        await session.commit()  # the task reads the row in its own session: commit first
        await index_bookmark.enqueue(bookmark.id)
        await cache.clear()  # the cached lists are out of date
        return BookmarkOut.model_validate(bookmark)

    @get("/<int:bookmark_id>")
    @auth.login_required
    @db.readonly_session
    async def get_bookmark(
        self, req: Request, bookmark_id: int, session: AsyncSession
    ) -> BookmarkOut:
        bookmark = (
            await Bookmark.query(session).filter_by(id=bookmark_id, user_id=req.user.id).first()
        )
        if bookmark is None:
            abort(f"Bookmark {bookmark_id} not found", status_code=HttpStatus.NOT_FOUND)
        return BookmarkOut.model_validate(bookmark)
