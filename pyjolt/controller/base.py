"""The Controller base class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyjolt.appcontext import AppProtocol

if TYPE_CHECKING:
    from loguru import Logger


class Controller:
    """Base class of class-based controllers.

    One instance is created per app at start-up; handlers reach the app through ``self.app``.
    """

    def __init__(self, app: AppProtocol) -> None:
        self._app = app

    @property
    def app(self) -> AppProtocol:
        """The PyJolt application."""
        return self._app

    @property
    def logger(self) -> Logger:
        return self._app.logger
