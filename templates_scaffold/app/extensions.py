"""Extension instances; they are listed in Config.EXTENSIONS and configured there."""

from pyjolt.auth import Authentication
from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.migrate import Migrate
from pyjolt.rate_limit import RateLimiter
from pyjolt.request import AnyRequest

from app.api.models.user_model import User

db: SqlDatabase = SqlDatabase()  # reads the SQL_DATABASE section
migrate: Migrate = Migrate(db)  # adds the db-* commands to cli.py
limiter: RateLimiter = RateLimiter()  # reads the RATE_LIMIT section (counters in memory)


class Auth(Authentication):
    """Logins with a signed, expiring cookie (section AUTHENTICATION)."""

    async def user_loader(self, req: AnyRequest) -> User | None:
        user_id = self.cookie_user_id(req)
        if user_id is None:
            return None
        async with db.readonly_scope() as session:
            return await session.get(User, int(user_id))


auth: Auth = Auth()
