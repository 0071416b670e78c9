"""Quick aborts, custom exceptions and an exception handler class."""

import os
from typing import Any

from pydantic import BaseModel, ValidationError

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, Response, abort, app
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.exceptions import CustomException, ExceptionHandler, handles


class EntityNotFound(Exception):
    def __init__(self, kind: str, key: int) -> None:
        super().__init__(f"{kind} {key} not found")
        self.kind, self.key = kind, key


class OutOfStock(CustomException):
    status_code = HttpStatus.CONFLICT
    default_message = "Out of stock"


class ErrorResponse(BaseModel):
    message: str
    details: Any = None


class CustomExceptionHandler(ExceptionHandler):
    @handles(EntityNotFound)
    async def not_found(self, req: Request, exc: EntityNotFound) -> Response[ErrorResponse]:
        return req.response.json({"message": str(exc), "details": {"kind": exc.kind}}).status(
            HttpStatus.NOT_FOUND
        )

    @handles(ValidationError)
    async def invalid(self, req: Request, exc: ValidationError) -> Response[ErrorResponse]:
        details = {".".join(map(str, e["loc"])): e["msg"] for e in exc.errors()}
        return req.response.json({"message": "Validation failed.", "details": details}).status(
            HttpStatus.UNPROCESSABLE_ENTITY
        )


class Order(BaseModel):
    quantity: int


@path("/api/v1/items")
class ItemsApi(Controller):
    @get("/<int:item_id>")
    async def get_item(self, req: Request, item_id: int) -> Response:
        if item_id == 0:
            abort(f"Item {item_id} not found", status_code=HttpStatus.NOT_FOUND)
        if item_id > 100:
            raise EntityNotFound("Item", item_id)
        return req.response.json({"id": item_id})

    @post("/<int:item_id>/orders")
    @consumes(MediaType.APPLICATION_JSON)
    async def order(self, req: Request, item_id: int, order: Order) -> Response:
        if order.quantity > 5:
            raise OutOfStock(data={"available": 5})
        return req.response.json({"ordered": order.quantity})

    @get("/broken")
    async def broken(self, req: Request) -> Response:
        raise RuntimeError("a bug")


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [ItemsApi]
    EXCEPTION_HANDLERS: list[str | type] = [CustomExceptionHandler]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
