"""A model named ``Item`` (a second one lives in openapi_models_b: names must not collide)."""

from __future__ import annotations

from pydantic import BaseModel


class Item(BaseModel):
    sku: str
    quantity: int
