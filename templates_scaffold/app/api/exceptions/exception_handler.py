"""Turns exceptions into JSON answers (registered in Config.EXCEPTION_HANDLERS)."""

from typing import Any

from pydantic import BaseModel, ValidationError
from pyjolt import HttpStatus, Request, Response
from pyjolt.exceptions import ExceptionHandler, handles
from sqlalchemy.exc import IntegrityError

from app.api.exceptions.custom_exceptions import EntityNotFound


class ErrorResponse(BaseModel):
    message: str
    details: Any | None = None


class CustomExceptionHandler(ExceptionHandler):
    @handles(EntityNotFound)
    async def not_found(self, req: Request, exc: EntityNotFound) -> Response[ErrorResponse]:
        """Answers 404 for missing entities."""
        return req.response.json(
            {"message": exc.message, "details": {"entity": exc.entity}}
        ).status(HttpStatus.NOT_FOUND)

    @handles(IntegrityError)
    async def conflict(self, req: Request, exc: IntegrityError) -> Response[ErrorResponse]:
        """Answers 409 when a unique column (e.g. the e-mail) is taken."""
        return req.response.json({"message": "Conflict with an existing entity."}).status(
            HttpStatus.CONFLICT
        )

    @handles(ValidationError)
    async def validation_error(self, req: Request, exc: ValidationError) -> Response[ErrorResponse]:
        """Answers 422 with the invalid fields."""
        details = {".".join(str(p) for p in error["loc"]): error["msg"] for error in exc.errors()}
        return req.response.json({"message": "Validation failed.", "details": details}).status(
            HttpStatus.UNPROCESSABLE_ENTITY
        )
