"""Request bodies: JSON, urlencoded and multipart (with files), and the 400/415/422 answers."""

from typing import Any

from pydantic import BaseModel, ValidationError

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, consumes, path, post
from pyjolt.exceptions import ExceptionHandler, handles
from tests.form_routes import FormRoutes


class UserData(BaseModel):
    email: str
    fullname: str
    age: int = 0


@path("/body")
class BodyApi(FormRoutes):
    """JSON bodies below, urlencoded and multipart ones from ``tests/form_routes.py``."""

    @post("/json")
    @consumes(MediaType.APPLICATION_JSON)
    async def json_body(self, req: Request, data: UserData) -> Response:
        return req.res.json({"got": data.model_dump(), "type": type(data).__name__})

    @post("/many")
    @consumes(MediaType.APPLICATION_JSON)
    async def many(self, req: Request, users: list[UserData]) -> Response:
        return req.res.json({"count": len(users)})


async def test_json_body_injected(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi])
    res = await client.post("/body/json", json={"email": "a@b.c", "fullname": "Ann", "age": 3})
    assert res.json() == {
        "got": {"email": "a@b.c", "fullname": "Ann", "age": 3},
        "type": "UserData",
    }
    res = await client.post("/body/many", json=[{"email": "a", "fullname": "b"}] * 3)
    assert res.json() == {"count": 3}


async def test_json_body_in_several_messages(build_client: Any) -> None:
    """A body streamed in chunks (ASGI messages with more_body) is read whole, once."""
    client = await build_client(controllers=[BodyApi])

    async def chunks() -> Any:
        for part in (b'{"email": "a@b.c", ', b"", b'"fullname": "Ann", ', b'"age": 3}'):
            yield part

    res = await client.post(
        "/body/json", content=chunks(), headers={"content-type": "application/json"}
    )
    assert res.json()["got"] == {"email": "a@b.c", "fullname": "Ann", "age": 3}


async def test_malformed_json_is_400(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi])
    res = await client.post(
        "/body/json", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert res.status_code == 400
    assert res.json() == {
        "status": "error",
        "message": "Request body is not valid JSON",
        "data": None,
    }
    empty = await client.post(
        "/body/json", content=b"", headers={"content-type": "application/json"}
    )
    assert empty.status_code == 400


async def test_invalid_data_is_422_with_fields(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi])
    res = await client.post("/body/json", json={"email": "a@b.c", "age": "old"})
    assert res.status_code == 422
    body = res.json()
    assert body["message"] == "Validation failed"
    fields = {tuple(e["loc"]) for e in body["data"]}
    assert fields == {("fullname",), ("age",)}


async def test_wrong_content_type_is_415(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi])
    res = await client.post(
        "/body/json", content=b"email=a", headers={"content-type": "text/plain"}
    )
    assert res.status_code == 415
    res = await client.post("/body/search", json={"q": "x"})
    assert res.status_code == 415


async def test_urlencoded_body_with_repeated_keys(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi])
    res = await client.post("/body/search", data={"q": "Hi", "tags": ["a", "b"]})
    assert res.json() == {"q": "Hi", "tags": ["a", "b"]}
    res = await client.post("/body/search", data={"q": "Hi", "tags": "only"})
    assert res.json() == {"q": "Hi", "tags": ["only"]}
    assert (await client.post("/body/search", data={"tags": "x"})).status_code == 422


async def test_multipart_with_file(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi])
    payload = b"\x00\x01" * 300_000  # 600 kB
    res = await client.post(
        "/body/upload",
        data={"title": "bin"},
        files={"file": ("blob.bin", payload, "application/octet-stream")},
    )
    assert res.json() == {"title": "bin", "filename": "blob.bin", "size": len(payload)}
    missing = await client.post(
        "/body/upload", data={"title": "no file"}, files={"other": ("x", b"1")}
    )
    assert missing.status_code == 422


class CustomValidation(ExceptionHandler):
    @handles(ValidationError)
    async def validation_error(self, req: Request, exc: ValidationError) -> Response:
        details = {str(err["loc"][0]): err["msg"] for err in exc.errors()}
        return req.response.json({"message": "Validation failed.", "details": details}).status(
            HttpStatus.UNPROCESSABLE_ENTITY
        )


async def test_user_handler_overrides_422(build_client: Any) -> None:
    client = await build_client(controllers=[BodyApi], EXCEPTION_HANDLERS=[CustomValidation])
    res = await client.post("/body/json", json={"email": "a@b.c"})
    assert res.status_code == 422
    assert res.json() == {
        "message": "Validation failed.",
        "details": {"fullname": "Field required"},
    }


@path("/manual")
class ManualApi(Controller):
    @post("/")
    async def manual(self, req: Request) -> Response:
        return req.res.json({"echo": await req.json()})


async def test_manual_json_parsing_gives_400_on_garbage(build_client: Any) -> None:
    client = await build_client(controllers=[ManualApi])
    assert (await client.post("/manual", json={"a": 1})).json() == {"echo": {"a": 1}}
    bad = await client.post(
        "/manual", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400
