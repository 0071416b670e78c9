"""An app using every feature the OpenAPI document describes (imported by the tests and by
uvicorn: ``openapi_example_app:create_app --factory``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from typing import Any

import openapi_models_a
import openapi_models_b
from pydantic import BaseModel, Field

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import (
    Controller,
    Descriptor,
    Guard,
    add_guard,
    consumes,
    delete,
    development,
    get,
    max_body_size,
    open_api_docs,
    path,
    post,
    produces,
    put,
    socket,
)
from pyjolt.datastructures import UploadedFile
from pyjolt.exceptions import AuthenticationException, NotFound
from pyjolt.testing import make_app


class User(BaseModel):
    id: int
    email: str
    fullname: str
    nickname: str | None = None


class UserCreate(BaseModel):
    email: str = Field(min_length=3, max_length=100)
    fullname: str = Field(max_length=100)
    nickname: str | None = Field(default=None, max_length=50)


class UserForm(BaseModel):
    fullname: str = Field(max_length=100)


class ErrorResponse(BaseModel):
    message: str
    details: Any | None = None


class FileInfo(BaseModel):
    folder: uuid.UUID
    filename: str
    size: int
    note: str


class Price(BaseModel):
    amount: float
    currency: str = "EUR"


class BearerGuard(Guard):
    """Accepts ``Authorization: Bearer secret``."""

    priority = 10
    openapi_security = ({"bearerAuth": []},)
    openapi_responses = {401: "Login required"}

    def openapi_components(self) -> Mapping[str, Mapping[str, Any]]:
        return {"bearerAuth": {"type": "http", "scheme": "bearer"}}

    async def check(self, req: Any) -> None:
        if req.headers.get("authorization") != "Bearer secret":
            raise AuthenticationException("Login required")


def _user(user_id: int) -> User:
    return User(id=user_id, email=f"user{user_id}@example.com", fullname="Jane Doe")


@path("/api/users", tags=["users"])
class UsersApi(Controller):
    @get("/")
    async def list_users(self, req: Request) -> Response[list[User]]:
        """List the users."""
        return req.res.json([_user(1), _user(2)])

    @get("/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(
        Descriptor(status=HttpStatus.NOT_FOUND, description="User not found", body=ErrorResponse)
    )
    async def get_user(self, req: Request, user_id: int) -> Response[User]:
        """Return one user.

        Users above id 1000 do not exist.
        """
        if user_id > 1000:
            raise NotFound("User not found")
        return req.res.json(_user(user_id))

    @post("/")
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @open_api_docs(Descriptor(status=HttpStatus.CREATED, description="User created"))
    async def create_user(self, req: Request, data: UserCreate) -> Response[User]:
        """Create a user."""
        user = User(id=7, email=data.email, fullname=data.fullname, nickname=data.nickname)
        return req.res.json(user).status(HttpStatus.CREATED)

    @put("/<int:user_id>", tags=["forms"])
    @consumes(MediaType.APPLICATION_X_WWW_FORM_URLENCODED)
    async def rename_user(self, req: Request, user_id: int, form: UserForm) -> Response[User]:
        """Rename a user (form post)."""
        return req.res.json(User(id=user_id, email="x@example.com", fullname=form.fullname))

    @delete("/<int:user_id>")
    @produces(MediaType.NO_CONTENT)
    async def delete_user(self, req: Request, user_id: int) -> Response[None]:
        """Delete a user."""
        return req.res.no_content()

    @get("/<int:user_id>/secret")
    async def secret(self, req: Request, user_id: int) -> Response[User]:
        """A guarded endpoint."""
        return req.res.json(_user(user_id))

    @get("/hidden", open_api_spec=False)
    async def hidden(self, req: Request) -> Response[User]:
        return req.res.json(_user(1))

    @socket("/live")
    async def live(self, req: Any) -> None:
        await req.accept()


add_guard(UsersApi.secret, BearerGuard())


@path("/api/files", tags=["files"])
class FilesApi(Controller):
    @post("/<uuid:folder>")
    @consumes(MediaType.MULTIPART_FORM_DATA)
    @max_body_size(64 * 1024)
    async def upload(
        self, req: Request, folder: uuid.UUID, upload: UploadForm
    ) -> Response[FileInfo]:
        """Upload a file (multipart)."""
        content = await upload.file.read()
        info = FileInfo(
            folder=folder, filename=upload.file.filename or "", size=len(content), note=upload.note
        )
        return req.res.json(info)


class UploadForm(BaseModel):
    note: str = Field(max_length=200)
    file: UploadedFile


@path("/api/misc")
class MiscApi(Controller):
    @get("/pages/<path:page>")
    @produces(MediaType.TEXT_HTML)
    async def page(self, req: Request, page: str) -> Response[str]:
        """Render a page."""
        return req.res.text("<h1>page</h1>").set_header("content-type", "text/html; charset=utf-8")

    @get("/prices/<float:amount>")
    async def price(self, req: Request, amount: float) -> Response[Price]:
        """Echo a price."""
        return req.res.json(Price(amount=amount))

    @get("/search/<string:term>")
    @produces(MediaType.TEXT_PLAIN)
    async def search(self, req: Request, term: str) -> Response[str]:
        """Search by term."""
        return req.res.text(f"results for {term}")

    @post("/items/a")
    @consumes(MediaType.APPLICATION_JSON)
    async def items_a(
        self, req: Request, items: list[openapi_models_a.Item]
    ) -> Response[list[openapi_models_a.Item]]:
        """Store A items."""
        return req.res.json(items)

    @post("/items/b")
    @consumes(MediaType.APPLICATION_JSON)
    async def items_b(
        self, req: Request, item: openapi_models_b.Item
    ) -> Response[openapi_models_b.Item]:
        """Store a B item."""
        return req.res.json(item)

    @get("/ping")
    @post("/ping")
    async def ping(self, req: Request) -> Response[dict[str, str]]:
        """Ping with GET or POST."""
        return req.res.json({"pong": "ok"})

    @get("/dev")
    @development
    async def dev_only(self, req: Request) -> Response[dict[str, str]]:
        """Only in DEBUG."""
        return req.res.json({"dev": "yes"})


@path("/api/internal", open_api_spec=False)
class InternalApi(Controller):
    @get("/")
    async def internal(self, req: Request) -> Response[dict[str, str]]:
        return req.res.json({"internal": "yes"})


CONTROLLERS = [UsersApi, FilesApi, MiscApi, InternalApi]
CONFIG: dict[str, Any] = {
    "APP_NAME": "Example API",
    "VERSION": "2.5.0",
    "OPEN_API_DESCRIPTION": "Every OpenAPI feature of PyJolt",
    "SECRET_KEY": "openapi-tests-Vq8rKz3LmT6wXn2Jd9Hs4Bf7Yc",
}


def create_app(**overrides: Any) -> Any:
    """The example app; DEBUG on unless overridden (the env can ask for Swagger UI 4 assets)."""
    config = {**CONFIG, "DEBUG": True, **overrides}
    return make_app(controllers=CONTROLLERS, **config)


def create_app_from_env() -> Any:
    """For uvicorn: ``PYJOLT_OPENAPI_SWAGGER=bundle`` serves only swagger_ui_bundle's assets."""
    application = create_app()
    if os.environ.get("PYJOLT_OPENAPI_SWAGGER") == "bundle":
        from pyjolt.openapi.assets import _swagger_ui_bundle
        from pyjolt.openapi.routes import openapi_routes

        replacement = openapi_routes(application, swagger_ui=_swagger_ui_bundle())
        names = {r.name for r in replacement if hasattr(r, "name")}
        kept = [r for r in application.router.routes if getattr(r, "name", None) not in names]
        application.router.routes[:] = [*replacement, *kept]
    return application
