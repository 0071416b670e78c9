"""An app dropped without shutting down: its sinks are removed later, never from its finalizer
(which may run while loguru holds its non-reentrant lock, e.g. a GC inside ``logger.remove``)."""

from __future__ import annotations

import gc

from loguru import logger

from pyjolt.log_sinks import app_log
from pyjolt.testing import make_app


def test_a_dropped_apps_sinks_are_removed_outside_its_finalizer() -> None:
    dropped = make_app(APP_NAME="dropped-app")
    log = app_log(dropped)
    assert log is not None and log.sink_ids
    ids = list(log.sink_ids)
    # the finalizer runs while loguru's lock is held: it must not call into loguru (deadlock)
    with logger._core.lock:  # type: ignore[attr-defined]
        del dropped
        gc.collect()
    assert log.sink_ids == []
    follower = make_app(APP_NAME="next-app")  # the next app removes the orphaned sinks
    try:
        handlers = logger._core.handlers  # type: ignore[attr-defined]
        assert not set(ids) & set(handlers)
    finally:
        follower_log = app_log(follower)
        assert follower_log is not None
        follower_log.close()
