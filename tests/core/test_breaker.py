"""The circuit breaker of the shared stores: skip at once, one probe at a time, then close."""

from __future__ import annotations

import asyncio

import pytest

from pyjolt._internal.breaker import CircuitBreaker, CircuitOpenError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Store:
    """Counts the calls that reached it; fails while ``down``."""

    def __init__(self) -> None:
        self.calls = 0
        self.down = False
        self.gate: asyncio.Event | None = None

    async def op(self) -> str:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.down:
            raise OSError("store down")
        return "ok"


async def start_held_call(breaker: CircuitBreaker, store: Store) -> asyncio.Task[str]:
    """A call that stays in the store until ``store.gate`` is set."""
    store.gate = asyncio.Event()
    call = asyncio.create_task(breaker.call(store.op))
    await asyncio.sleep(0)
    return call


@pytest.fixture
def setup() -> tuple[CircuitBreaker, Store, Clock, list[str]]:
    clock, store, events = Clock(), Store(), []
    breaker = CircuitBreaker(
        5.0,
        on_open=lambda exc: events.append(f"open:{exc}"),
        on_close=lambda seconds, probes: events.append(f"close:{seconds:.0f}:{probes}"),
        clock=clock,
    )
    return breaker, store, clock, events


async def test_failure_opens_then_calls_are_skipped_without_reaching_the_store(
    setup: tuple[CircuitBreaker, Store, Clock, list[str]],
) -> None:
    breaker, store, clock, events = setup
    assert await breaker.call(store.op) == "ok"
    store.down = True
    with pytest.raises(OSError):
        await breaker.call(store.op)
    assert breaker.is_open
    for _ in range(20):
        with pytest.raises(CircuitOpenError):
            await breaker.call(store.op)
        clock.now += 0.2
    assert store.calls == 2  # the 20 calls within RETRY_AFTER never reached the store
    assert events == ["open:store down"]


async def test_one_probe_at_a_time_failure_reopens_success_closes(
    setup: tuple[CircuitBreaker, Store, Clock, list[str]],
) -> None:
    breaker, store, clock, events = setup
    store.down = True
    with pytest.raises(OSError):
        await breaker.call(store.op)
    clock.now += 5.0
    probe = await start_held_call(breaker, store)
    assert store.calls == 2  # the probe is in the store
    for _ in range(5):  # the others keep skipping while it runs
        with pytest.raises(CircuitOpenError):
            await breaker.call(store.op)
    assert store.gate is not None
    store.gate.set()
    with pytest.raises(OSError):
        await probe
    store.gate = None
    with pytest.raises(CircuitOpenError):  # re-opened for another RETRY_AFTER
        await breaker.call(store.op)
    clock.now += 4.9
    with pytest.raises(CircuitOpenError):
        await breaker.call(store.op)
    assert store.calls == 2
    clock.now += 0.1
    store.down = False
    assert await breaker.call(store.op) == "ok"  # second probe succeeds: closed
    assert not breaker.is_open
    assert [await breaker.call(store.op) for _ in range(3)] == ["ok"] * 3
    assert store.calls == 6
    assert events == ["open:store down", "close:10:2"]  # one line each, not one per call


async def test_cancelled_probe_frees_its_slot(
    setup: tuple[CircuitBreaker, Store, Clock, list[str]],
) -> None:
    breaker, store, clock, _ = setup
    breaker.trip()  # e.g. unreachable at start-up
    with pytest.raises(CircuitOpenError):
        await breaker.call(store.op)
    clock.now += 5.0
    probe = await start_held_call(breaker, store)
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe
    store.gate = None
    assert await breaker.call(store.op) == "ok"  # the next call probes at once
    assert not breaker.is_open


async def test_late_failures_of_earlier_calls_do_not_push_the_probe_back(
    setup: tuple[CircuitBreaker, Store, Clock, list[str]],
) -> None:
    breaker, store, clock, events = setup
    store.gate = asyncio.Event()
    store.down = True
    in_flight = [asyncio.create_task(breaker.call(store.op)) for _ in range(3)]
    await asyncio.sleep(0)
    store.gate.set()
    results = await asyncio.gather(*in_flight, return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results)
    store.gate = None
    clock.now += 5.0
    store.down = False
    assert await breaker.call(store.op) == "ok"
    assert events == ["open:store down", "close:5:1"]
