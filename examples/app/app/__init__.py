"""The example application: users in SQLite, responses cached in memory."""

from app.configs import Config
from app.extensions import db
from app.models import User
from pyjolt import PyJolt, app, on_startup


@app(__name__, configs=Config)
class Application(PyJolt):
    @on_startup
    async def create_tables(self) -> None:
        """Create the tables and ten sample users on first start (no migrations needed)."""
        await db.create_all()
        async with db.session_scope() as session:
            if await User.query(session).count() == 0:
                session.add_all(
                    User(fullname=f"User {n}", email=f"user{n}@example.com") for n in range(1, 11)
                )
