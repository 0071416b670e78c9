"""Two databases, each with its own Migrate (no prefix, as 0.111 apps write it), and email."""

from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.migrate import Migrate
from pyjolt.email import EmailClient

db: SqlDatabase = SqlDatabase()
other_db: SqlDatabase = SqlDatabase(db_name="other_db", configs_name="OTHER_DB")
migrate: Migrate = Migrate(db)
other_migrate: Migrate = Migrate(other_db)
email: EmailClient = EmailClient()
