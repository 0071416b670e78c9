"""Request and response bodies of the users API (pydantic)."""

from pydantic import BaseModel, ConfigDict, Field

# whitespace spelled out: `\s` means more in pydantic's regexes than in JSON Schema's (U+0085)
EMAIL_PATTERN = r"^[^@ \t\n\r\f\v]+@[^@ \t\n\r\f\v]+$"


class UserData(BaseModel):
    """Body of POST /api/v1/users."""

    email: str = Field(min_length=3, max_length=200, pattern=EMAIL_PATTERN)
    fullname: str = Field(min_length=1, max_length=100)


class UserOut(BaseModel):
    """A user as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    fullname: str
