"""Exceptions of the application."""


class EntityNotFound(Exception):
    """A requested entity does not exist."""

    def __init__(self, message: str, entity: str = "entity") -> None:
        super().__init__(message)
        self.message = message
        self.entity = entity
