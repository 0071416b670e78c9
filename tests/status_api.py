"""A controller answering 200, 401, 404, 422 and 500, and a helper sending one request of each:
shared by the metrics, tracing and middleware-stack tests."""

from pyjolt import MediaType, Request, Response
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.exceptions import AuthenticationException

STATUS_REQUESTS = (
    ("GET", "/api/items/1", 200),
    ("GET", "/nowhere/at/all", 404),
    ("GET", "/api/private", 401),
    ("POST", "/api/items", 422),
    ("GET", "/api/boom", 500),
)


@path("/api")
class StatusApi(Controller):
    @get("/items/<int:item_id>")
    async def item(self, req: Request, item_id: int) -> Response:
        return req.res.json({"id": item_id})

    @get("/private")
    async def private(self, req: Request) -> Response:
        raise AuthenticationException("log in")

    @post("/items")
    @consumes(MediaType.APPLICATION_JSON)
    async def create(self, req: Request, body: dict[str, int]) -> Response:
        return req.res.json(body).status(201)

    @get("/boom")
    async def boom(self, req: Request) -> Response:
        raise RuntimeError("bug")


async def send_all(client: object) -> None:
    for method, url, status in STATUS_REQUESTS:
        kwargs = {"json": {"a": "not a number"}} if method == "POST" else {}
        res = await client.request(method, url, **kwargs)  # type: ignore[attr-defined]
        assert res.status_code == status, (url, res.status_code, res.text)
