"""A controller with the global CORS policy, a per-route policy, no CORS and a crash: shared by
the CORS tests and the robustness app."""

from pyjolt import Request, Response
from pyjolt.controller import Controller, cors, get, no_cors, path, post


@path("/c")
class CorsApi(Controller):
    @get("/open")
    async def open(self, req: Request) -> Response:
        return req.res.json({"ok": True})

    @post("/open")
    async def open_post(self, req: Request) -> Response:
        return req.res.json({"ok": True})

    @get("/special")
    @cors(
        allow_origins=["https://special.example"],
        allow_credentials=True,
        max_age=600,
        expose_headers=["X-Total"],
    )
    async def special(self, req: Request) -> Response:
        return req.res.json({"special": True})

    @get("/none")
    @no_cors
    async def none(self, req: Request) -> Response:
        return req.res.json({"none": True})

    @get("/crash")
    async def crash(self, req: Request) -> Response:
        raise RuntimeError("boom")
