"""HTTP exceptions: raised anywhere, turned into responses by the exception handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from pyjolt.enums import HttpStatus


class BaseHttpException(Exception):
    """An exception that maps to an HTTP status code.

    The default answer is JSON: ``{"status": ..., "message": ..., "data": ...}``.
    A subclass declares its status and default message as class keywords,
    ``class Gone(BaseHttpException, status=HttpStatus.GONE, message="Gone")``, or as the
    class attributes ``status_code`` and ``default_message``; what it leaves out it inherits.
    """

    status_code: int = HttpStatus.INTERNAL_SERVER_ERROR
    default_message: str = "Internal server error"

    def __init_subclass__(
        cls, *, status: int | None = None, message: str | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status_code = status
        if message is not None:
            cls.default_message = message

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


class CustomException(BaseHttpException, status=HttpStatus.BAD_REQUEST, message="Bad request"):
    """Base for application exceptions (400 unless the subclass says otherwise)."""


class BadRequest(BaseHttpException, status=HttpStatus.BAD_REQUEST, message="Bad request"):
    """The request cannot be served as sent (400)."""


class MalformedBody(BadRequest, message="Malformed request body"):
    """The request body could not be parsed (e.g. invalid JSON)."""


class AuthenticationException(
    BaseHttpException, status=HttpStatus.UNAUTHORIZED, message="Login required"
):
    """No logged-in user where one is needed (401)."""


class UnauthorizedException(
    BaseHttpException, status=HttpStatus.FORBIDDEN, message="Missing user role(s)"
):
    """The user lacks a role the handler requires (403)."""


class Forbidden(BaseHttpException, status=HttpStatus.FORBIDDEN, message="Forbidden"):
    """The request is refused (403)."""


class NotFound(BaseHttpException, status=HttpStatus.NOT_FOUND, message="Not found"):
    """Nothing answers at this path, or the entity does not exist (404)."""


class MethodNotAllowed(
    BaseHttpException, status=HttpStatus.METHOD_NOT_ALLOWED, message="Method not allowed"
):
    """The path exists but not for this method (405); ``Allow`` lists the methods."""

    def __init__(self, allowed: list[str] | None = None, message: str | None = None) -> None:
        self.allowed = sorted(set(allowed or []))
        headers = {"Allow": ", ".join(self.allowed)} if allowed is not None else None
        super().__init__(
            message, headers=headers, data={"allowed": self.allowed} if allowed else None
        )


class PayloadTooLarge(
    BaseHttpException, status=HttpStatus.REQUEST_ENTITY_TOO_LARGE, message="Request body too large"
):
    """The request body is over the configured limit (413)."""


class TooManyRequests(
    BaseHttpException, status=HttpStatus.TOO_MANY_REQUESTS, message="Too many requests"
):
    """A rate limit was reached (429); ``Retry-After`` says when to come back."""


class UnsupportedMediaType(
    BaseHttpException, status=HttpStatus.UNSUPPORTED_MEDIA_TYPE, message="Unsupported media type"
):
    """The body's content type is not one the handler reads (415)."""


class ValidationFailed(
    BaseHttpException, status=HttpStatus.UNPROCESSABLE_ENTITY, message="Validation failed"
):
    """Request data failed validation (422); ``data`` lists the fields."""

    def __init__(self, errors: list[dict[str, Any]], message: str | None = None) -> None:
        self.errors = errors
        super().__init__(message, data=errors)


class InternalServerError(
    BaseHttpException, status=HttpStatus.INTERNAL_SERVER_ERROR, message="Internal server error"
):
    """The server failed (500)."""


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
