"""Cost of the built-in observability on ``GET /hello``, against raw Starlette in the same run.

``python bench/observability.py [--rounds 3] [--duration 2]`` serves raw Starlette, PyJolt with
its defaults (observability off) and PyJolt with request IDs, the access log and metrics on
(the access-log lines go to the server's log file), each under one uvicorn worker, and loads
``/hello`` with ``wrk`` round by round. Target: observed PyJolt >= 0.85x Starlette's
throughput, judged by server CPU time per request (steadier than req/s on a shared machine;
both are printed).
About 30 s with the defaults.

``--protocol``: the same apps served through uvicorn's own HTTP protocol in this process
(``bench/protocol.py``), CPU instructions per request counted by callgrind: independent of the
machine's load. Also PyJolt observed with the security headers off, to tell their share.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import ensure_db  # noqa: E402
from bench.run import (  # noqa: E402
    Server,
    cpu_seconds,
    run_wrk,
    start_server,
    stop_server,
    write_scripts,
)

TARGETS = {
    "starlette": "bench.starlette_app:app",
    "pyjolt (all off)": "bench.pyjolt_app:app",
    "pyjolt (ids+log+metrics)": "bench.pyjolt_observed_app:app",
}
TARGET_RATIO = 0.85


def compare_hello(
    targets: dict[str, str], rounds: int, duration: int, connections: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]] | None:
    """Serve each target under one uvicorn worker and load ``GET /hello`` round by round
    (rotating the order); returns req/s and server CPU us per request by target, or None when
    a round had failed requests."""
    rps: dict[str, list[float]] = {name: [] for name in targets}
    cpu_us: dict[str, list[float]] = {name: [] for name in targets}
    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="pyjolt-bench-hello-") as tmpdir:
        tmp = Path(tmpdir)
        os.environ["BENCH_DB"] = str(tmp / "bench.sqlite3")
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)  # one process: in-memory metrics
        ensure_db(os.environ["BENCH_DB"])
        script = write_scripts(tmp)["GET /hello"]
        try:
            for index, (name, target) in enumerate(targets.items()):
                servers[name] = start_server(f"server{index}", target, tmp)
            for server in servers.values():  # warm-up, discarded
                run_wrk(server.port, "/hello", script, 1, connections)
            names = list(targets)
            for rnd in range(rounds):
                for name in names[rnd % len(names) :] + names[: rnd % len(names)]:
                    before = cpu_seconds(servers[name].proc.pid)
                    got, _p99, failed, requests = run_wrk(
                        servers[name].port, "/hello", script, duration, connections
                    )
                    spent = cpu_seconds(servers[name].proc.pid) - before
                    cpu_us[name].append(spent / max(requests, 1) * 1e6)
                    if failed:
                        print(f"{name}: {failed} failed requests", file=sys.stderr)
                        return None
                    rps[name].append(got)
        finally:
            for server in servers.values():
                stop_server(server)
    return rps, cpu_us


def through_protocol(requests: int) -> int:
    """Instructions per ``GET /hello`` through uvicorn's protocol in-process (callgrind)."""
    from bench.protocol import instructions_per_request

    targets = {
        **TARGETS,
        "pyjolt (ids+log+metrics, security headers off)": "bench.pyjolt_observed_app:bare",
    }
    cost = {name: instructions_per_request(t, requests=requests) for name, t in targets.items()}
    base = cost["starlette"]
    print("| GET /hello through uvicorn's protocol | instructions/req | Starlette / this |")
    print("| --- | ---: | ---: |")
    for name, value in cost.items():
        print(f"| {name} | {value:,.0f} | {base / value:.3f}x |")
    ratio = base / cost["pyjolt (ids+log+metrics)"]
    print(f"observed PyJolt {ratio:.3f}x Starlette: "
          f"{'met' if ratio >= TARGET_RATIO else 'MISSED'} (>= {TARGET_RATIO}x)")  # fmt: skip
    return 0 if ratio >= TARGET_RATIO else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--protocol", action="store_true", help="through uvicorn's protocol, callgrind"
    )
    parser.add_argument("--requests", type=int, default=1000, help="with --protocol")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if args.protocol:
        ensure_db()
        return through_protocol(args.requests)
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    measured = compare_hello(TARGETS, args.rounds, args.duration, args.connections)
    if measured is None:
        return 1
    rps, cpu_us = measured
    base = statistics.median(rps["starlette"])
    base_cpu = statistics.median(cpu_us["starlette"])
    print(f"GET /hello, {args.rounds} rounds x {args.duration} s, wrk -t1 -c{args.connections}")
    print(
        "| Server | req/s (median) | vs Starlette | server CPU us/req | Starlette CPU / this |\n"
        "| --- | ---: | ---: | ---: | ---: |"
    )
    for name, samples in rps.items():
        median = statistics.median(samples)
        cpu = statistics.median(cpu_us[name])
        print(
            f"| {name} | {median:,.0f} | {median / base:.2f}x | {cpu:.0f} | {base_cpu / cpu:.2f}x |"
        )
    # req/s swings by a quarter between identical runs on a shared machine; CPU time per
    # request is the steadier measure of what each server costs
    ratio = base_cpu / statistics.median(cpu_us["pyjolt (ids+log+metrics)"])
    ok = ratio >= TARGET_RATIO
    print(
        f"observed PyJolt {ratio:.2f}x Starlette: {'met' if ok else 'MISSED'} (>= {TARGET_RATIO}x)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
