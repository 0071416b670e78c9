"""SPEC: controllers, decorators, request/response, hooks, websockets, CORS, routing,
exceptions, aborts, redirects, static files, templates, OpenAPI, middleware."""

from __future__ import annotations

from typing import Any

import pytest

from tests.spec.specapp.api.users import user_api


async def test_get_user_json(client: Any) -> None:
    res = await client.get("/api/v1/users/5")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/json")
    assert res.json() == {
        "id": 5,
        "fullname": "John Doe",
        "email": "johndoe@email.com",
        "before": "yes",
    }


async def test_before_after_request_hooks(client: Any) -> None:
    user_api.HOOKS.clear()
    res = await client.get("/api/v1/users/5")
    assert res.headers["x-after"] == "yes"
    assert user_api.HOOKS == ["before", "after"]


async def test_consumes_json_body_and_validation(client: Any) -> None:
    res = await client.post("/api/v1/users/", json={"email": "a@b.c", "fullname": "A"})
    assert res.status_code == 201
    assert res.json() == {"email": "a@b.c", "fullname": "A"}
    # spec: invalid data -> 422 (here via the spec's CustomExceptionHandler for ValidationError)
    res = await client.post("/api/v1/users/", json={"email": "a@b.c"})
    assert res.status_code == 422
    assert res.json()["message"] == "Validation failed."
    assert "fullname" in res.json()["details"]


async def test_post_without_trailing_slash(client: Any) -> None:
    # STRICT_SLASHES=False: "/users" and "/users/" reach the same handler
    res = await client.post("/api/v1/users", json={"email": "a@b.c", "fullname": "A"})
    assert res.status_code == 201


async def test_managed_and_readonly_session_and_background_task(client: Any) -> None:
    user_api.SENT.clear()
    res = await client.post("/api/v1/users/db", json={"email": "x@y.z", "fullname": "Xy"})
    assert res.status_code == 200, res.text
    uid = res.json()["id"]
    assert res.json() == {"id": uid, "fullname": "Xy"}
    res = await client.get(f"/api/v1/users/db/{uid}")
    assert res.json() == {"id": uid, "fullname": "Xy"}
    res = await client.get("/api/v1/users/")
    assert res.json()["data"] == ["x@y.z"]
    # custom exception handled by the registered ExceptionHandler
    res = await client.get("/api/v1/users/db/999")
    assert res.status_code == 404
    assert res.json()["handled_by"] == "CustomExceptionHandler"
    assert res.json()["app"] == "Test app"
    from tests.spec.specapp.scheduler import scheduler

    # spec: run_background_task(fn, *args, **kwargs) fires and forgets
    for _ in range(200):
        if user_api.SENT:
            break
        import asyncio

        await asyncio.sleep(0.01)
    assert user_api.SENT == ["x@y.z:welcome"]
    assert scheduler.get_job("my_job") is not None


async def test_html_template(client: Any) -> None:
    res = await client.get("/api/v1/users/page/3")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert "<p>user 3</p>" in res.text


async def test_html_template_spec_literal_form(client: Any) -> None:
    # spec: `return await (req.response.html("my_template.html", context)).status(HttpStatus.OK)`
    res = await client.get("/api/v1/users/page2/4")
    assert res.status_code == 200
    assert "<p>user 4</p>" in res.text


async def test_routing_converters(client: Any) -> None:
    assert (await client.get("/api/v1/users/name/bob")).text == "name=bob"
    res = await client.get("/api/v1/users/files/account/dashboard/main")
    assert res.text == "path=account/dashboard/main"


async def test_route_not_found_generic_json(client: Any) -> None:
    res = await client.get("/nope/nothing")
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("application/json")


async def test_abort_handled_and_html_abort_rendered(client: Any) -> None:
    res = await client.get("/api/v1/users/missing/9")
    assert res.status_code == 404
    assert "User with id 9 not found" in res.json()["message"]
    res = await client.get("/api/v1/users/html-missing")
    assert res.status_code == 404
    assert "<h1>error page</h1>" in res.text


async def test_redirect_and_url_for(client: Any, application: Any) -> None:
    res = await client.get("/api/v1/users/go")
    assert res.status_code == 303
    assert res.headers["location"] == "/api/v1/users/7"
    assert application.url_for("UsersApi.get_user", user_id=7) == "/api/v1/users/7"


async def test_static_files_and_url_for(client: Any, application: Any) -> None:
    assert application.url_for("Static.get", filename="my_image.png") == "/static/my_image.png"
    assert (await client.get("/api/v1/users/image")).text == "/static/my_image.png"
    res = await client.get("/static/my_image.png")
    assert res.status_code == 200 and res.content == b"PNG"


async def test_development_route_in_debug(client: Any) -> None:
    assert (await client.get("/api/v1/users/dev")).text == "dev"


async def test_development_route_hidden_without_debug(build_client: Any) -> None:
    from pyjolt.controller import Controller, development, get, path
    from tests.spec.specapp.api.users.user_api import UsersApi  # noqa: F401

    @path("/d")
    @development
    class DevApi(Controller):
        @get("/")
        async def x(self, req: Any) -> Any:
            return req.res.text("x")

    @path("/e")
    class EApi(Controller):
        @get("/")
        @development
        async def x(self, req: Any) -> Any:
            return req.res.text("x")

    c = await build_client(controllers=[DevApi, EApi], DEBUG=False)
    assert (await c.get("/d/")).status_code == 404
    assert (await c.get("/e/")).status_code == 404
    c = await build_client(controllers=[DevApi, EApi], DEBUG=True)
    assert (await c.get("/d/")).status_code == 200
    assert (await c.get("/e/")).status_code == 200


async def test_request_attributes(client: Any) -> None:
    res = await client.get("/api/v1/users/req?a=1&b=two", headers={"x-test": "T"})
    assert res.json() == {
        "route_parameters": {},
        "method": "GET",
        "path": "/api/v1/users/req",
        "query_string": "a=1&b=two",
        "x": "T",
        "query_params": {"a": "1", "b": "two"},
        "user": None,
        "same": True,
    }


async def test_response_methods(client: Any) -> None:
    res = await client.get("/api/v1/users/cookie")
    cookies = res.headers.get_list("set-cookie")
    assert any(c.startswith("a=1") and "Max-Age=10" in c and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("b=2") for c in cookies)
    assert any(c.startswith("c=") for c in cookies)
    assert res.headers["x-h"] == "v" and res.text == "ok"
    res = await client.delete("/api/v1/users/3")
    assert res.status_code == 204 and res.content == b""
    res = await client.put("/api/v1/users/3")
    assert res.text == "<b>3</b>"
    res = await client.patch("/api/v1/users/3")
    assert res.content == b"abc"


async def test_middleware_header(client: Any) -> None:
    res = await client.get("/api/v1/users/5")
    assert "x-process-time-ms" in res.headers


async def test_unhandled_exception_debug_vs_prod(build_client: Any) -> None:
    from pyjolt.controller import Controller, get, path

    @path("/b")
    class B(Controller):
        @get("/")
        async def x(self, req: Any) -> Any:
            raise RuntimeError("boom")

    c = await build_client(controllers=[B], DEBUG=False)
    res = await c.get("/b/")
    assert res.status_code == 500
    assert res.json() == {"status": "error", "message": "Internal server error"}


async def test_cors_global_and_per_endpoint(client: Any) -> None:
    res = await client.get("/api/v1/users/5", headers={"origin": "https://x.example"})
    assert res.headers.get("access-control-allow-origin") in ("*", "https://x.example")
    res = await client.get("/api/v1/users/nocors", headers={"origin": "https://x.example"})
    assert "access-control-allow-origin" not in res.headers
    res = await client.get("/api/v1/users/cors", headers={"origin": "https://a.example"})
    assert res.headers["access-control-allow-origin"] == "https://a.example"
    res = await client.get("/api/v1/users/cors", headers={"origin": "https://evil.example"})
    assert res.status_code == 403
    res = await client.options(
        "/api/v1/users/cors",
        headers={"origin": "https://a.example", "access-control-request-method": "DELETE"},
    )
    assert res.status_code == 405


def test_websocket_echo(application: Any) -> None:
    from starlette.testclient import TestClient

    with TestClient(application) as tc, tc.websocket_connect("/api/v1/users/ws") as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "Hello from server. Echo: hi"


async def test_openapi_in_debug(client: Any) -> None:
    res = await client.get("/openapi/specs.json")
    assert res.status_code == 200
    spec = res.json()
    op = spec["paths"]["/api/v1/users/{user_id}"]["get"]
    assert "404" in op["responses"] and "400" in op["responses"]
    assert "Users" in op.get("tags", [])
    res = await client.get("/openapi/docs")
    assert res.status_code in (200, 404)  # 404 only without a Swagger UI package


async def test_spec_controller_decorator_signatures() -> None:
    from pyjolt.controller import delete, get, patch, path, post, put

    for deco in (get, post, put, patch, delete):
        deco("/x", open_api_spec=False, tags=["T"])
    path("/x", open_api_spec=False, tags=["T"])


@pytest.mark.parametrize(
    "name",
    [
        "ExceptionHandler",
        "handles",
        "BaseHttpException",
        "CustomException",
        "NotFound",
        "AborterException",
        "HtmlAborterException",
        "AuthenticationException",
        "UnauthorizedException",
    ],
)
def test_exception_import_paths(name: str) -> None:
    import pyjolt.exception
    import pyjolt.exceptions

    assert getattr(pyjolt.exceptions, name) is getattr(pyjolt.exception, name)
