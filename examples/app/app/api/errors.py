"""Exception handlers of the example app."""

from pyjolt import Request, Response
from pyjolt.exceptions import AborterException, ExceptionHandler, handles


class ErrorHandler(ExceptionHandler):
    @handles(AborterException)
    async def aborted(self, req: Request, exc: AborterException) -> Response:
        return req.res.json({"status": exc.status, "message": exc.message}).status(exc.status_code)
