"""PyJolt middleware (MiddlewareBase) and Starlette's GZip middleware in one stack."""

import os
import time

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path
from pyjolt.middleware import MiddlewareBase


class TimingMW(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        t0 = time.perf_counter()
        try:
            res = await self.next(req)  # the rest of the chain
        finally:
            req.state.elapsed_ms = int((time.perf_counter() - t0) * 1000)
        res.set_header(self.config.get("HEADER", "X-Process-Time-Ms"), str(req.state.elapsed_ms))
        return res


class MaintenanceMW(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        if req.headers.get("X-Maintenance") == "on":
            # short-circuit: the handler never runs
            return req.response.json({"message": "Down for maintenance"}).status(
                HttpStatus.SERVICE_UNAVAILABLE
            )
        return await self.next(req)


@path("/report")
class ReportApi(Controller):
    @get("/")
    async def report(self, req: Request) -> Response:
        return req.response.text("line\n" * 200)


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [ReportApi]
    MIDDLEWARE: list[object] = [
        Middleware(GZipMiddleware, minimum_size=500),  # outermost
        TimingMW,
        MaintenanceMW,  # innermost: closest to the handler
    ]
    TIMING_MW: dict[str, str] = {"HEADER": "X-Elapsed-Ms"}


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
