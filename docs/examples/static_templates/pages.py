"""Static files and Jinja2 templates from folders next to this module."""

import os

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, Response, app, html_abort
from pyjolt.controller import Controller, get, path, produces


@path("/pages")
class PagesController(Controller):
    @get("/hello/<name>")
    @produces(MediaType.TEXT_HTML)
    async def hello(self, req: Request, name: str) -> Response:
        context = {"name": name, "items": ["one", "two"]}
        return await req.response.html("hello.html", context).status(HttpStatus.OK)

    @get("/inline")
    @produces(MediaType.TEXT_HTML)
    async def inline(self, req: Request) -> Response:
        return req.response.html_from_string("<b>{{ word }}</b>", {"word": "<bold>"})

    @get("/missing/<int:page_id>")
    async def missing(self, req: Request, page_id: int) -> Response:
        html_abort("not_found.html", status_code=HttpStatus.NOT_FOUND, data={"id": page_id})

    @get("/download")
    async def download(self, req: Request) -> Response:
        return req.response.send_from_directory("static", "css/site.css", attachment=True)


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [PagesController]
    TEMPLATES_DIR: str = "templates"  # relative to BASE_PATH
    STATIC_DIR: str = "static"
    STATIC_URL: str = "/assets"


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
