"""Types handlers can use in their body models."""

from __future__ import annotations

from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from starlette.datastructures import UploadFile

from pyjolt._internal.filenames import secure_filename

__all__ = ["UploadedFile", "secure_filename"]


class UploadedFile(UploadFile):
    """An uploaded file in a multipart body model (``avatar: UploadedFile``).

    It is Starlette's ``UploadFile``: spooled to disk past 1 MiB, read with ``await f.read()``.
    ``filename`` is what the client sent: store the file under ``secure_filename(f.filename)``
    (or a name of your own), never under the raw one.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.is_instance_schema(UploadFile)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "binary"}
