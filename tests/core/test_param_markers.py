"""The parameter markers are immutable values: compared and hashed by class and fields."""

from __future__ import annotations

import dataclasses

import pytest

from pyjolt import Cookie, Header, Query


def test_markers_compare_by_class_and_fields() -> None:
    assert Header(alias="X-Id") == Header(alias="X-Id")
    assert hash(Header(alias="X-Id")) == hash(Header(alias="X-Id"))
    assert Header(alias="X-Id") != Header(alias="X-Other")
    assert Header(alias="X-Id") != Cookie(alias="X-Id")
    assert len({Query(), Query(), Cookie()}) == 2


def test_markers_are_immutable() -> None:
    marker = Query(alias="q")
    with pytest.raises(dataclasses.FrozenInstanceError):
        marker.alias = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del marker.description


def test_marker_repr_and_keys() -> None:
    assert repr(Cookie(alias="sid")) == "Cookie(alias='sid', description=None)"
    assert Header().key("x_request_id") == "x-request-id"
    assert Query(description="page").key("page") == "page"
