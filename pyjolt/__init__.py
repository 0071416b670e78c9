"""PyJolt: an async, batteries-included web framework layer on Starlette."""

import pyjolt._internal.loguru_boot  # noqa: F401 - first: loguru at a fraction of its cost
from pyjolt._internal.filenames import secure_filename
from pyjolt.application import PyJolt, app
from pyjolt.config import BaseConfig
from pyjolt.enums import HttpStatus, LogLevel, MediaType
from pyjolt.exceptions.http import abort, html_abort
from pyjolt.lifecycle import on_shutdown, on_startup
from pyjolt.params import Cookie, Header, Query
from pyjolt.request import Request
from pyjolt.response import Response

__version__ = "0.1.0"

__all__ = [
    "BaseConfig",
    "Cookie",
    "Header",
    "HttpStatus",
    "LogLevel",
    "MediaType",
    "PyJolt",
    "Query",
    "Request",
    "Response",
    "abort",
    "app",
    "html_abort",
    "on_shutdown",
    "on_startup",
    "secure_filename",
]
