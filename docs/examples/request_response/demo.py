"""The request's attributes and the response builder."""

import os
from collections.abc import AsyncIterator

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, Response, app, secure_filename
from pyjolt.controller import Controller, get, path, post


@path("/demo")
class DemoApi(Controller):
    @get("/inspect/<name>")
    async def inspect(self, req: Request, name: str) -> Response:
        return req.response.json(
            {
                "method": req.method,
                "path": req.path,
                "route_parameters": req.route_parameters,
                "query_string": req.query_string,
                "query_params": dict(req.query_params),
                "agent": req.headers.get("user-agent"),
            }
        )

    @get("/text")
    async def text(self, req: Request) -> Response:
        return req.response.text("plain text").set_header("X-Kind", "text")

    @get("/teapot")
    async def teapot(self, req: Request) -> Response:
        return req.response.json({"message": "short and stout"}).status(HttpStatus.IM_A_TEAPOT)

    @post("/login")
    async def login(self, req: Request) -> Response:
        return (
            req.response.redirect("/demo/text")
            .set_cookie("theme", "dark", max_age=3600)
            .set_cookie("lang", "en", samesite="strict")
        )

    @post("/logout")
    async def logout(self, req: Request) -> Response:
        return req.response.no_content().delete_cookie("theme")

    @get("/numbers")
    async def numbers(self, req: Request) -> Response:
        async def lines() -> AsyncIterator[str]:
            for n in range(3):
                yield f"{n}\n"

        return req.response.stream(lines(), media_type="text/plain")

    @get("/plain")
    async def plain(self, req: Request) -> dict[str, int]:
        # plain values (dicts, lists, pydantic models, dataclasses) are sent as JSON
        return {"answer": 42}

    @post("/upload")
    async def upload(self, req: Request) -> Response:
        async with req.form() as form:  # closes the uploaded files' temporary files
            upload = form["file"]
            data = await upload.read()  # type: ignore[union-attr]
            name = secure_filename(upload.filename or "")  # type: ignore[union-attr]
        return req.response.json({"stored_as": name, "size": len(data)})


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [DemoApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
