"""HTTP exceptions: raised anywhere, turned into responses by the exception handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from pyjolt.enums import HttpStatus


class BaseHttpException(Exception):
    """An exception that maps to an HTTP status code.

    The default answer is JSON: ``{"status": ..., "message": ..., "data": ...}``.
    """

    status_code: int = HttpStatus.INTERNAL_SERVER_ERROR
    default_message: str = "Internal server error"

    def __init__(
        self,
        message: str | None = None,
        status_code: int | None = None,
        data: Any = None,
        status: str = "error",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if status_code is not None:
            self.status_code = int(status_code)
        self.data = data
        self.status = status
        self.headers: dict[str, str] = dict(headers or {})
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.message, "data": self.data}


class CustomException(BaseHttpException):
    """Base for application exceptions (400 unless the subclass says otherwise)."""

    status_code = HttpStatus.BAD_REQUEST
    default_message = "Bad request"


class BadRequest(BaseHttpException):
    status_code = HttpStatus.BAD_REQUEST
    default_message = "Bad request"


class MalformedBody(BadRequest):
    """The request body could not be parsed (e.g. invalid JSON)."""

    default_message = "Malformed request body"


class AuthenticationException(BaseHttpException):
    status_code = HttpStatus.UNAUTHORIZED
    default_message = "Login required"


class UnauthorizedException(BaseHttpException):
    status_code = HttpStatus.FORBIDDEN
    default_message = "Missing user role(s)"


class Forbidden(BaseHttpException):
    status_code = HttpStatus.FORBIDDEN
    default_message = "Forbidden"


class NotFound(BaseHttpException):
    status_code = HttpStatus.NOT_FOUND
    default_message = "Not found"


class MethodNotAllowed(BaseHttpException):
    status_code = HttpStatus.METHOD_NOT_ALLOWED
    default_message = "Method not allowed"

    def __init__(self, allowed: list[str] | None = None, message: str | None = None) -> None:
        self.allowed = sorted(set(allowed or []))
        headers = {"Allow": ", ".join(self.allowed)} if allowed is not None else None
        super().__init__(
            message, headers=headers, data={"allowed": self.allowed} if allowed else None
        )


class PayloadTooLarge(BaseHttpException):
    status_code = HttpStatus.REQUEST_ENTITY_TOO_LARGE
    default_message = "Request body too large"


class TooManyRequests(BaseHttpException):
    """A rate limit was reached (429); ``Retry-After`` says when to come back."""

    status_code = HttpStatus.TOO_MANY_REQUESTS
    default_message = "Too many requests"


class UnsupportedMediaType(BaseHttpException):
    status_code = HttpStatus.UNSUPPORTED_MEDIA_TYPE
    default_message = "Unsupported media type"


class ValidationFailed(BaseHttpException):
    """Request data failed validation (422); ``data`` lists the fields."""

    status_code = HttpStatus.UNPROCESSABLE_ENTITY
    default_message = "Validation failed"

    def __init__(self, errors: list[dict[str, Any]], message: str | None = None) -> None:
        self.errors = errors
        super().__init__(message, data=errors)


class InternalServerError(BaseHttpException):
    status_code = HttpStatus.INTERNAL_SERVER_ERROR
    default_message = "Internal server error"


class AborterException(BaseHttpException):
    """Raised by :func:`abort`."""


class HtmlAborterException(BaseHttpException):
    """Raised by :func:`html_abort`; rendered with its template automatically."""

    def __init__(self, template: str, status_code: int, data: Any = None) -> None:
        self.template = template
        super().__init__(f"HTML abort with {template}", status_code=status_code, data=data)


def abort(
    msg: str,
    status_code: int = HttpStatus.BAD_REQUEST,
    status: str = "error",
    data: Any = None,
) -> NoReturn:
    """Stop handling the request with a JSON error answer."""
    raise AborterException(msg, status_code=status_code, data=data, status=status)


def html_abort(
    template: str, status_code: int = HttpStatus.BAD_REQUEST, data: Any = None
) -> NoReturn:
    """Stop handling the request with an HTML page rendered from ``template``."""
    raise HtmlAborterException(template, status_code=status_code, data=data)
