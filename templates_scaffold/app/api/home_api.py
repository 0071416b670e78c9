"""The home page: a Jinja2 template from app/templates with a file from app/static."""

from pyjolt import MediaType, Request, Response
from pyjolt.controller import Controller, get, path, produces


@path("/", open_api_spec=False)
class HomeApi(Controller):
    @get("/")
    @produces(MediaType.TEXT_HTML)
    async def index(self, req: Request) -> Response:
        """The home page."""
        context = {"app_name": self.app.app_name, "version": self.app.version}
        return await req.response.html("index.html", context)
