"""An HTML page rendered with Jinja2."""

from pyjolt import MediaType, Request, Response
from pyjolt.controller import Controller, get, path, produces


@path("/", open_api_spec=False)
class PagesApi(Controller):
    @get("/")
    @produces(MediaType.TEXT_HTML)
    async def index(self, req: Request) -> Response:
        return await req.res.html("index.html", {"title": self.app.app_name})
