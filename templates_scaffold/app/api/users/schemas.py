"""Request and response bodies of the users API (pydantic)."""

from pydantic import BaseModel, ConfigDict, Field


class UserData(BaseModel):
    """Body of POST /api/v1/users."""

    email: str = Field(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    fullname: str = Field(min_length=1, max_length=100)


class UserOut(BaseModel):
    """A user as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    fullname: str
