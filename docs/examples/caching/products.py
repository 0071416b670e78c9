"""Cached GET answers, named by tags and dropped when the data changes."""

import os
from typing import Any

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.caching import Cache
from pyjolt.controller import Controller, get, path, post

cache = Cache()  # config section CACHE

PRODUCTS = {1: "Teapot", 2: "Kettle"}
LOOKUPS = {"count": 0}  # how often a cached handler really ran


@path("/products")
class ProductsApi(Controller):
    @get("/<int:product_id>")
    @cache.cache(duration=60, tags=["product:{product_id}"])  # the bottom-most decorator
    async def get_product(self, req: Request, product_id: int) -> Response:
        LOOKUPS["count"] += 1
        return req.response.json({"id": product_id, "name": PRODUCTS[product_id]})

    @get("/")
    @cache.cache(tags=["product-list"])  # DURATION seconds; ?page is part of the key
    async def list_products(self, req: Request, page: int = 1) -> Response:
        LOOKUPS["count"] += 1
        return req.response.json({"page": page, "names": sorted(PRODUCTS.values())})

    @get("/<int:product_id>/stock")
    @cache.cache
    async def stock(self, req: Request, product_id: int) -> Response:
        # the answer decides too: private, no-store, no-cache or Vary: * are never stored
        return req.response.json({"in_stock": 3}).set_header("Cache-Control", "private")

    @post("/<int:product_id>/rename/<name>")
    async def rename(self, req: Request, product_id: int, name: str) -> Response:
        PRODUCTS[product_id] = name
        await cache.invalidate_tags(f"product:{product_id}", "product-list")
        return req.response.json({"id": product_id, "name": name})


class Config(BaseConfig):
    APP_NAME: str = "Shop"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [ProductsApi]
    EXTENSIONS: list[object] = [cache]
    CACHE: dict[str, Any] = {
        "BACKEND": "pyjolt.caching.backends.memory:MemoryCacheBackend",  # the default
        "DURATION": 300,  # seconds, for @cache.cache without a duration
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
