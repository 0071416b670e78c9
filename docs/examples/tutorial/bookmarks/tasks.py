"""Step 6: a durable task, run by `python cli.py worker` processes (in-process with memory://)."""

from urllib.parse import urlsplit

from bookmarks.extensions import db, queue
from bookmarks.models import Bookmark
from pyjolt.database.sql import AsyncSession


@queue.task(retries=2)
@db.managed_session
async def index_bookmark(bookmark_id: int, session: AsyncSession) -> str | None:
    bookmark = await session.get(Bookmark, bookmark_id)
    if bookmark is None:  # deleted meanwhile: nothing to do (tasks may run twice)
        return None
    bookmark.host = urlsplit(bookmark.url).hostname
    return bookmark.host
