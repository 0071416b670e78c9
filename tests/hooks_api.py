"""A controller whose request hooks note the order they ran in, shared by the routing tests and
the spec's hook-order test (DESIGN.md: hooks run in definition order, not alphabetically)."""

from __future__ import annotations

from pyjolt import Request, Response
from pyjolt.controller import Controller, after_request, before_request, get, path

#: What ran, in order: clear it before the request.
RAN: list[str] = []


@path("/hooks")
class HookedApi(Controller):
    """Two before hooks named against the alphabet (the first leaves ``req.state.seen`` for the
    handler) and an after hook marking the answer with ``x-after: yes``."""

    @before_request
    async def zz_first(self, req: Request) -> None:
        RAN.append("zz_first")
        req.state.seen = True

    @before_request
    async def aa_second(self, req: Request) -> None:
        RAN.append("aa_second")

    @after_request
    async def after(self, res: Response) -> None:
        RAN.append("after")
        res.set_header("x-after", "yes")

    @get("/")
    async def index(self, req: Request) -> Response:
        RAN.append("handler")
        return req.res.json({"seen": req.state.seen})
