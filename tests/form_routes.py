"""Routes that take urlencoded and multipart bodies, shared by the request body tests
(``tests/controllers/test_body.py``) and the robustness app."""

from __future__ import annotations

from pydantic import BaseModel

from pyjolt import MediaType, Request, Response
from pyjolt.controller import Controller, consumes, post
from pyjolt.datastructures import UploadedFile


class Search(BaseModel):
    q: str
    tags: list[str] = []


class Upload(BaseModel):
    title: str
    file: UploadedFile


class MultiUpload(BaseModel):
    files: list[UploadedFile]


class FormRoutes(Controller):
    """Subclass it under a ``@path``: ``/search`` answers the urlencoded form it read,
    ``/upload`` the title, file name and size of a multipart upload, ``/uploads`` how many
    files came."""

    @post("/search")
    @consumes(MediaType.APPLICATION_X_WWW_FORM_URLENCODED)
    async def search(self, req: Request, form: Search) -> Response:
        return req.res.json(form.model_dump())

    @post("/upload")
    @consumes(MediaType.MULTIPART_FORM_DATA)
    async def upload(self, req: Request, data: Upload) -> Response:
        content = await data.file.read()
        return req.res.json(
            {"title": data.title, "filename": data.file.filename, "size": len(content)}
        )

    @post("/uploads")
    @consumes(MediaType.MULTIPART_FORM_DATA)
    async def uploads(self, req: Request, data: MultiUpload) -> Response:
        return req.res.json({"count": len(data.files)})
