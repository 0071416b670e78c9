"""A controller storing and reading MongoDB documents, answered as JSON."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from pyjolt import Request, Response
from pyjolt.controller import Controller, MediaType, consumes, get, path, post, produces
from pyjolt.database.nosql import NoSqlDatabase
from pyjolt.exceptions import NotFound
from tests.database.nosql.support import Target, drop_database

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
RELEASED = dt.datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC)


class BookIn(BaseModel):
    title: str
    year: int


def book_api(nosqldb: NoSqlDatabase) -> type[Controller]:
    from bson import ObjectId

    @path("/books")
    class BookApi(Controller):
        @post("/")
        @consumes(MediaType.APPLICATION_JSON)
        @produces(MediaType.APPLICATION_JSON)
        @nosqldb.managed_database
        async def create(
            self, req: Request, book: BookIn, db: Any, session: Any = None
        ) -> Response[Any]:
            shelf = await db.insert_one("shelves", {"name": "main"}, session=session)
            doc = {**book.model_dump(), "released": RELEASED, "shelves": [shelf.inserted_id]}
            created = await db.insert_one("books", doc, session=session)
            stored = await db.find_one("books", {"_id": created.inserted_id}, session=session)
            return req.response.json(stored).status(201)

        @get("/<book_id>")
        @produces(MediaType.APPLICATION_JSON)
        async def read(self, req: Request, book_id: str) -> Response[Any]:
            if not ObjectId.is_valid(book_id):
                raise NotFound(f"no book {book_id}")
            doc = await nosqldb.find_one("books", {"_id": ObjectId(book_id)})
            if doc is None:
                raise NotFound(f"no book {book_id}")
            return req.response.json(doc)

        @get("/")
        @produces(MediaType.APPLICATION_JSON)
        async def index(self, req: Request) -> Response[Any]:
            return req.response.json(await nosqldb.find_many("books", sort=[("year", 1)]))

    return BookApi


async def test_documents_round_trip_as_json(build_client: Any, mongo_target: Target) -> None:
    nosqldb = NoSqlDatabase()
    client = await build_client(
        controllers=[book_api(nosqldb)], EXTENSIONS=[nosqldb], NOSQL_DATABASE=mongo_target.section()
    )
    try:
        r = await client.post("/books", json={"title": "Dune", "year": 1965})
        assert r.status_code == 201, r.text
        assert r.headers["content-type"].startswith("application/json")
        created = r.json()
        assert OBJECT_ID.match(created["_id"])
        assert OBJECT_ID.match(created["shelves"][0])
        assert (created["title"], created["year"]) == ("Dune", 1965)
        # PyMongo returns naive UTC datetimes; they serialise as ISO 8601 strings
        released = dt.datetime.fromisoformat(created["released"])
        assert released.replace(tzinfo=released.tzinfo or dt.UTC) == RELEASED

        await client.post("/books", json={"title": "Emma", "year": 1815})

        one = await client.get(f"/books/{created['_id']}")
        assert one.status_code == 200
        assert one.json() == created

        listing = await client.get("/books")
        assert [b["title"] for b in listing.json()] == ["Emma", "Dune"]
        assert all(OBJECT_ID.match(b["_id"]) for b in listing.json())

        assert (await client.get("/books/0123456789abcdef01234567")).status_code == 404
    finally:
        await drop_database(nosqldb)
