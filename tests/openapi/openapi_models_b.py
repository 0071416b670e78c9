"""Another model named ``Item``, with different fields."""

from __future__ import annotations

from pydantic import BaseModel


class Item(BaseModel):
    label: str
    price: float
