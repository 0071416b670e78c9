"""MongoDB documents through the NoSqlDatabase extension."""

import os
from typing import Any

from pydantic import BaseModel

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, app
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.database.nosql import NoSqlDatabase

nosqldb = NoSqlDatabase()  # config section NOSQL_DATABASE


class BookIn(BaseModel):
    title: str
    year: int


@path("/books")
class BooksApi(Controller):
    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    @nosqldb.managed_database  # injects db and session; one transaction where supported
    async def add_book(self, req: Request, book: BookIn, db: Any, session: Any) -> dict[str, Any]:
        created = await db.insert_one("books", book.model_dump(), session=session)
        await db.update_one(
            "stats", {"_id": "books"}, {"$inc": {"count": 1}}, upsert=True, session=session
        )
        return {"id": str(created.inserted_id), **book.model_dump()}

    @get("/")
    async def list_books(self, req: Request, since: int = 0) -> dict[str, Any]:
        books = await nosqldb.find_many(
            "books", {"year": {"$gte": since}}, sort=[("year", 1)], projection={"_id": 0}
        )
        stats = await nosqldb.find_one("stats", {"_id": "books"})
        return {"books": books, "count": stats["count"] if stats else 0}


class Config(BaseConfig):
    APP_NAME: str = "Library"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [BooksApi]
    EXTENSIONS: list[object] = [nosqldb]
    NOSQL_DATABASE: dict[str, Any] = {
        "BACKEND": "pyjolt.database.nosql.backends:MongoBackend",
        "DATABASE_URI": "mongodb://127.0.0.1:27017",  # or mongodb+srv://user:pass@cluster...
        "DATABASE": "library",
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
