"""The spec's exception_handler.py."""

from typing import Any

from pydantic import BaseModel, ValidationError

from pyjolt import HttpStatus, Request, Response
from pyjolt.exceptions import AborterException, ExceptionHandler, handles

from .custom_exceptions import EntityNotFound


class ErrorResponse(BaseModel):
    message: str
    details: Any | None = None


class CustomExceptionHandler(ExceptionHandler):
    @handles(ValidationError)
    async def validation_error(
        self, req: "Request", exc: ValidationError
    ) -> "Response[ErrorResponse]":
        """Handles validation errors"""
        details = {}
        if hasattr(exc, "errors"):
            for error in exc.errors():
                details[error["loc"][0]] = error["msg"]
        return req.response.json({"message": "Validation failed.", "details": details}).status(
            HttpStatus.UNPROCESSABLE_ENTITY
        )

    @handles(EntityNotFound, AborterException)
    async def not_found(
        self, req: "Request", exc: EntityNotFound | AborterException
    ) -> "Response[ErrorResponse]":
        return req.response.json(
            {"message": str(exc), "handled_by": type(self).__name__, "app": self.app.app_name}
        ).status(HttpStatus.NOT_FOUND)
