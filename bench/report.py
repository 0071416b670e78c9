"""bench/run.py's samples and its report: ratios to Starlette as the median of per-round
(paired) ratios, and the issue's targets judged by them."""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, field

#: minimum req/s ratio to Starlette per endpoint (the issue's targets; others: DEFAULT_TARGET)
THROUGHPUT_TARGETS = {"GET /db/users": 1.0, "GET /pg/users": 1.0}
DEFAULT_TARGET = 1.05
P99_TARGET, IMPORT_TARGET, MEMORY_TARGET = 1.3, 1.15, 1.2
FRAMEWORK_ORDER = ("pyjolt", "starlette", "fastapi")


@dataclass
class Results:
    rps: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    p99_ms: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    #: server CPU time per answered request: steadier than req/s on a shared machine
    cpu_us: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    errors: dict[tuple[str, str], int] = field(default_factory=dict)
    import_ms: dict[str, float] = field(default_factory=dict)
    rss_mb: dict[str, float] = field(default_factory=dict)
    #: websocket echo round trips per second, one sample per round
    ws_rtps: dict[str, list[float]] = field(default_factory=dict)
    #: the server's CPU microseconds per echoed message, one sample per round
    ws_cpu_us: dict[str, list[float]] = field(default_factory=dict)
    rounds_done: int = 0


def paired_ratio(values: list[float], base: list[float]) -> float:
    """The median of the per-round ratios ``values[r] / base[r]``: each round runs the
    frameworks back to back, so a round's pair saw about the same machine load; the ratio
    of the two medians would mix rounds of different load (tens of percent apart on a
    shared machine). Unpaired samples (a round cut short) fall back to that ratio."""
    if len(values) != len(base) or not values:
        return statistics.median(values or [float("nan")]) / statistics.median(base or [1.0])
    return statistics.median(
        [v / b if b else float("nan") for v, b in zip(values, base, strict=True)]
    )


def report(results: Results, args: argparse.Namespace) -> tuple[str, list[str]]:
    """The markdown table and the list of missed targets."""
    present = {n for _, n in results.rps} | set(results.ws_rtps) | set(results.import_ms)
    names = [n for n in FRAMEWORK_ORDER if n in present]
    missed: list[str] = []
    lines = [
        f"{results.rounds_done} rounds x {args.duration} s per endpoint, "
        f"wrk -t1 -c{args.connections}, "
        "uvicorn 1 worker (uvloop, httptools), server on CPU 0, wrk on CPU 1; "
        "ratios vs Starlette: median of the per-round ratios",
        "",
        "| Endpoint | Framework | req/s (median) | p99 ms (median) "
        "| req/s vs Starlette | p99 vs Starlette | server CPU us/req |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for endpoint in dict.fromkeys(e for e, _ in results.rps):  # in the order measured
        base_key = (endpoint, "starlette")
        if base_key not in results.rps:
            continue
        for name in names:
            key = (endpoint, name)
            rps = statistics.median(results.rps[key])
            p99 = statistics.median(results.p99_ms[key])
            cpu = statistics.median(results.cpu_us[key])
            rps_ratio = paired_ratio(results.rps[key], results.rps[base_key])
            p99_ratio = paired_ratio(results.p99_ms[key], results.p99_ms[base_key])
            cpu_ratio = paired_ratio(results.cpu_us[key], results.cpu_us[base_key])
            failed = results.errors.get(key, 0)
            note = f" ({failed} failed)" if failed else ""
            lines.append(
                f"| {endpoint} | {name}{note} | {rps:,.0f} | {p99:.2f} "
                f"| {rps_ratio:.2f}x | {p99_ratio:.2f}x "
                f"| {cpu:.0f} ({cpu_ratio:.2f}x) |"
            )
            if name == "pyjolt":
                target = THROUGHPUT_TARGETS.get(endpoint, DEFAULT_TARGET)
                if rps_ratio < target:
                    missed.append(f"{endpoint} req/s {rps_ratio:.2f}x < {target}x")
                if p99_ratio > P99_TARGET:
                    missed.append(f"{endpoint} p99 {p99_ratio:.2f}x > {P99_TARGET}x")
                if failed:
                    missed.append(f"{endpoint}: {failed} failed requests")
    if "starlette" in results.ws_rtps:
        base_ws = results.ws_rtps["starlette"]
        base_cpu = results.ws_cpu_us.get("starlette", [])
        lines += [
            "",
            f"| Framework | websocket echo round trips/s, {args.ws_connections} connections "
            "(median) | vs Starlette | server CPU us/message |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name in names:
            rates = results.ws_rtps.get(name, [float("nan")])
            ratio = paired_ratio(rates, base_ws)
            cpu = results.ws_cpu_us.get(name, [float("nan")])
            cpu_ratio = paired_ratio(cpu, base_cpu)
            lines.append(
                f"| {name} | {statistics.median(rates):,.0f} | {ratio:.2f}x "
                f"| {statistics.median(cpu):.1f} ({cpu_ratio:.2f}x) |"
            )
            if name == "pyjolt" and ratio < DEFAULT_TARGET:
                missed.append(f"websocket echo {ratio:.2f}x < {DEFAULT_TARGET}x")
    lines += [
        "",
        "| Framework | import + build ms (median) | RSS MB after the run |",
        "| --- | ---: | ---: |",
    ]
    base_import = results.import_ms.get("starlette", float("nan"))
    base_rss = results.rss_mb.get("starlette", float("nan"))
    for name in names:
        imp = results.import_ms.get(name, float("nan"))
        rss = results.rss_mb.get(name, float("nan"))
        lines.append(
            f"| {name} | {imp:.0f} ({imp / base_import:.2f}x) | {rss:.1f} ({rss / base_rss:.2f}x) |"
        )
    if results.import_ms.get("pyjolt", 0) / base_import > IMPORT_TARGET:
        missed.append(
            f"import+build {results.import_ms['pyjolt'] / base_import:.2f}x > {IMPORT_TARGET}x"
        )
    if results.rss_mb.get("pyjolt", 0) / base_rss > MEMORY_TARGET:
        missed.append(f"memory {results.rss_mb['pyjolt'] / base_rss:.2f}x > {MEMORY_TARGET}x")
    return "\n".join(lines), missed
