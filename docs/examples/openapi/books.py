"""An API documented by its decorators, models and annotations."""

import os

from pydantic import BaseModel

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, Response, abort, app
from pyjolt.controller import (
    Controller,
    Descriptor,
    consumes,
    get,
    open_api_docs,
    path,
    post,
    produces,
)


class BookIn(BaseModel):
    title: str
    author: str


class Book(BookIn):
    id: int


class ErrorResponse(BaseModel):
    status: str
    message: str


@path("/api/v1/books", tags=["Books"])
class BooksApi(Controller):
    @get("/<int:book_id>")
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(
        Descriptor(status=HttpStatus.NOT_FOUND, description="No such book", body=ErrorResponse)
    )
    async def get_book(self, req: Request, book_id: int) -> Response[Book]:
        """Get a book

        Returns one book by its ID.
        """
        if book_id != 1:
            abort("Book not found", status_code=HttpStatus.NOT_FOUND)
        return req.response.json(Book(id=1, title="Dune", author="Frank Herbert"))

    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    async def add_book(self, req: Request, book: BookIn) -> Book:
        """Add a book"""
        return Book(id=2, **book.model_dump())

    @get("/internal", open_api_spec=False)
    async def internal(self, req: Request) -> Response:
        return req.response.text("not documented")


class Config(BaseConfig):
    APP_NAME: str = "Library"
    VERSION: str = "2.1"
    OPEN_API_DESCRIPTION: str = "Books and their authors"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [BooksApi]
    DEBUG: bool = True  # the docs are served in DEBUG (or with OPEN_API_IN_PRODUCTION=True)


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
