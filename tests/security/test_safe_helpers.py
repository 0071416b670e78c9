"""Safe response helpers: redirects, files, filenames, headers, templates, query helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyjolt import Request, Response, secure_filename
from pyjolt.controller import Controller, get, path


@path("/safe")
class SafeApi(Controller):
    @get("/go")
    async def go(self, req: Request) -> Response:
        return req.res.redirect(req.query_params.get("next", "/"))

    @get("/go-external")
    async def go_external(self, req: Request) -> Response:
        return req.res.redirect("https://partner.example/x", allow_external=True)

    @get("/files/<path:name>")
    async def files(self, req: Request, name: str) -> Response:
        return req.res.send_from_directory(self.app.get_conf("FILES_DIR"), name)

    @get("/missing")
    async def missing(self, req: Request) -> Response:
        return req.res.send_file("/definitely/not/here.txt")

    @get("/header")
    async def header(self, req: Request) -> Response:
        return req.res.text("x").set_header("x-echo", req.query_params.get("v", ""))

    @get("/raw-header")
    async def raw_header(self, req: Request) -> Response:
        res = req.res.text("x")
        res.headers["x-raw"] = "a\r\nset-cookie: evil=1"
        return res

    @get("/template")
    async def template(self, req: Request) -> Response:
        name = req.query_params.get("name", "")
        return await req.res.html(req.query_params["t"], {"name": name})

    @get("/string")
    async def string(self, req: Request) -> Response:
        return req.res.html_from_string("{{ x.__class__.__mro__ }}", {"x": ""})


@pytest.fixture
async def client(build_client: Any, tmp_path: Path) -> Any:
    files = tmp_path / "files"
    files.mkdir()
    (files / "ok.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text("outside")
    (files / "link.txt").symlink_to(tmp_path / "secret.txt")
    templates = tmp_path / "templates"
    templates.mkdir()
    for ext in ("jinja2", "xhtml", "svg"):
        (templates / f"page.{ext}").write_text("<p>{{ name }}</p>")
    return await build_client(
        controllers=[SafeApi],
        FILES_DIR=str(files),
        BASE_PATH=str(tmp_path),
        TEMPLATES_DIR="templates",
        ALLOWED_REDIRECT_HOSTS=["accounts.example"],
    )


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        "/\t/evil.example",
    ],
)
async def test_open_redirect_refused(client: Any, target: str) -> None:
    res = await client.get("/safe/go", params={"next": target})
    assert res.status_code == 400
    assert "location" not in res.headers
    assert "allow_external" in res.json()["message"]


@pytest.mark.parametrize("target", ["/home", "profile?tab=1", "/a/b#c"])
async def test_local_redirect_allowed(client: Any, target: str) -> None:
    res = await client.get("/safe/go", params={"next": target})
    assert res.status_code == 303
    assert res.headers["location"] == target


async def test_redirect_to_listed_host_and_explicit_external(client: Any) -> None:
    res = await client.get("/safe/go", params={"next": "https://accounts.example/login"})
    assert res.status_code == 303
    res = await client.get("/safe/go-external")
    assert res.headers["location"] == "https://partner.example/x"


@pytest.mark.parametrize(
    "name", ["../secret.txt", "..%2fsecret.txt", "%2e%2e/secret.txt", "link.txt", "nope.txt", "/"]
)
async def test_send_from_directory_contained(client: Any, name: str) -> None:
    res = await client.get(f"/safe/files/{name}")
    assert res.status_code == 404
    assert "outside" not in res.text


async def test_send_from_directory_serves_inside(client: Any) -> None:
    res = await client.get("/safe/files/ok.txt")
    assert res.status_code == 200
    assert res.text == "inside"


async def test_send_file_missing_is_404(client: Any) -> None:
    res = await client.get("/safe/missing")
    assert res.status_code == 404


@pytest.mark.parametrize("route", ["/safe/header?v=a%0d%0aset-cookie:%20x=1", "/safe/raw-header"])
async def test_header_injection_answered_500_by_handlers(client: Any, route: str) -> None:
    res = await client.get(route)
    assert res.status_code == 500
    assert res.json() == {"status": "error", "message": "Internal server error"}
    assert "set-cookie" not in res.headers


@pytest.mark.parametrize("ext", ["jinja2", "xhtml", "svg"])
async def test_templates_autoescaped(client: Any, ext: str) -> None:
    res = await client.get("/safe/template", params={"t": f"page.{ext}", "name": "<script>"})
    assert res.status_code == 200
    assert "<script>" not in res.text
    assert "&lt;script&gt;" in res.text


def test_autoescape_covers_every_html_like_extension() -> None:
    from pyjolt.templating import Templates

    env = Templates("/nonexistent").env
    for ext in ("html", "htm", "xml", "xhtml", "svg", "jinja", "jinja2", "j2"):
        assert env.autoescape(f"page.{ext}") is True, ext  # type: ignore[operator]
    assert env.autoescape("notes.txt") is False  # type: ignore[operator]


async def test_html_from_string_is_sandboxed(client: Any) -> None:
    res = await client.get("/safe/string")
    assert res.status_code == 500


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..", "file"),
        ("My report.pdf", "My_report.pdf"),
        ("über.txt", "uber.txt"),
        ("C:\\Windows\\win.ini", "C_Windows_win.ini"),
        ("CON.txt", "_CON.txt"),
        (".htaccess", "htaccess"),
        ("a\x00b.txt", "a_b.txt"),
    ],
)
def test_secure_filename(raw: str, safe: str) -> None:
    assert secure_filename(raw) == safe
