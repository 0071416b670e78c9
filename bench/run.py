"""Benchmark runner: PyJolt side by side with raw Starlette and FastAPI.

``python bench/run.py`` (from the repository root, with uvloop, httptools, fastapi and the
``wrk`` binary installed) does, in order:

1. creates the SQLite table (10 rows), and the same table in a PostgreSQL schema of its own
   when PostgreSQL answers on 127.0.0.1:5432 (the ``/pg/...`` endpoints; dropped at the end),
   and times import-and-build of each app in fresh interpreters (median of several);
2. starts each app under uvicorn (one worker, ``--loop uvloop --http httptools
   --no-access-log``, pinned to CPU 0) and checks every endpoint's status and body;
3. loads each endpoint with ``wrk`` (pinned to CPU 1) for a few seconds, interleaving the
   frameworks round by round, and reads each server's resident memory at the end;
4. measures websocket echo round trips per second (``bench/ws_load.py``, pinned to CPU 1:
   several connections, one message in flight on each);
5. prints a markdown table (median requests/s, median p99 latency, ratios to Starlette, and
   the server's CPU time per request, the steadiest column on a shared machine) and whether
   the issue's targets were met.

It stops on its own (a deadline bounds it well under 10 minutes) and stops the servers it
started. Options: ``--rounds``, ``--duration``, ``--connections``, ``--ws-connections``,
``--json PATH``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    HELLO,
    ITEMS,
    SEARCH_QUERY,
    drop_pg,
    ensure_db,
    ensure_pg,
    expected_rows,
    search_answer,
    user_by_id,
)
from bench.report import Results, report  # noqa: E402

FRAMEWORKS = {
    "starlette": "bench.starlette_app:app",
    "pyjolt": "bench.pyjolt_app:app",
    "fastapi": "bench.fastapi_app:app",
}
VALID_USER = {"email": "ada@example.com", "fullname": "Ada Lovelace", "age": 36}
INVALID_USER = {"email": "not-an-email", "fullname": "", "age": -1}
ENDPOINTS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "GET /hello": ("GET", "/hello", None),
    "GET /users/<id>": ("GET", "/users/42", None),
    "GET /search?q&page&per_page": ("GET", "/search?" + SEARCH_QUERY, None),
    "POST /users": ("POST", "/users", VALID_USER),
    "GET /json/list": ("GET", "/json/list", None),
    "GET /db/users": ("GET", "/db/users", None),
    "GET /db/rw/users": ("GET", "/db/rw/users", None),
}
PG_ENDPOINTS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "GET /pg/users": ("GET", "/pg/users", None),
    "GET /pg/rw/users": ("GET", "/pg/rw/users", None),
}
DEADLINE_SECONDS = 540.0

WRK_SCRIPT = """
{setup}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT %d %d %.0f %.0f %d %d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


def pinned(cpu: int, argv: list[str]) -> list[str]:
    """Pin to one CPU when ``taskset`` exists and the machine has that CPU."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > cpu:
        return ["taskset", "-c", str(cpu), *argv]
    return argv


# -- import and build -------------------------------------------------------------------------


def time_imports(runs: int) -> dict[str, float]:
    """Median ms of ``import bench.<fw>_app`` (which builds the app) in fresh interpreters."""
    code = "import time; t = time.perf_counter(); import {mod}; print(time.perf_counter() - t)"
    samples: dict[str, list[float]] = {name: [] for name in FRAMEWORKS}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for run in range(runs + 1):  # the first pass warms the .pyc and file caches
        for name, target in FRAMEWORKS.items():
            module = target.split(":")[0]
            out = subprocess.run(
                pinned(0, [sys.executable, "-c", code.format(mod=module)]),
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            if run:
                samples[name].append(float(out.stdout.strip().splitlines()[-1]) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


# -- servers ----------------------------------------------------------------------------------


def start_server(name: str, target: str, logdir: Path) -> Server:
    port = free_port()
    log = logdir / f"{name}.log"
    argv = [
        sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--loop", "uvloop", "--http", "httptools", "--no-access-log",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(
            pinned(0, argv), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, proc, port, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name}: uvicorn exited early:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            status, _, _ = request(port, "GET", "/hello")
            if status:
                return server
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(f"{name}: uvicorn did not answer within 30 s:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(port: int, method: str, path: str, body: Any = None) -> tuple[int, str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        conn.request(method, path, body=payload, headers=headers)
        res = conn.getresponse()
        raw = res.read()
        ctype = res.getheader("content-type", "")
        return res.status, ctype, json.loads(raw) if raw and "json" in ctype else raw
    finally:
        conn.close()


# -- answer checks ----------------------------------------------------------------------------


def error_fields(body: Any) -> set[str]:
    """Field names of a 422 body: PyJolt's ``data`` list or FastAPI/Starlette's ``detail`` list."""
    errors = (
        body.get("data") if isinstance(body, dict) and "data" in body else body.get("detail", [])
    )
    return {str(err["loc"][-1]) for err in errors or []}


def check_answers(server: Server) -> list[str]:
    """Every endpoint's status and body; returns the problems found."""
    problems: list[str] = []
    expected: list[tuple[str, str, Any, int, Any]] = [
        ("GET", "/hello", None, 200, HELLO),
        ("GET", "/users/42", None, 200, user_by_id(42)),
        ("GET", "/search?" + SEARCH_QUERY, None, 200, search_answer("ada", 2, 5)),
        ("POST", "/users", VALID_USER, 201, VALID_USER),
        ("GET", "/json/list", None, 200, ITEMS),
        *(
            ("GET", path, None, 200, expected_rows())
            for _, path, _ in ENDPOINTS.values()
            if path.startswith(("/db", "/pg"))
        ),
    ]
    for method, path, body, status, want in expected:
        got_status, ctype, got = request(server.port, method, path, body)
        if got_status != status or got != want or not ctype.startswith("application/json"):
            problems.append(
                f"{server.name} {method} {path}: {got_status} {ctype} {got!r}, "
                f"want {status} {want!r}"
            )
    got_status, _, got = request(server.port, "POST", "/users", INVALID_USER)
    fields = error_fields(got) if isinstance(got, dict) else set()
    if got_status != 422 or fields != {"email", "fullname", "age"}:
        problems.append(
            f"{server.name} POST /users (invalid): {got_status} {got!r}, want 422 naming 3 fields"
        )
    got_status, _, _ = request(server.port, "GET", "/users/abc")
    if got_status != 404:
        problems.append(f"{server.name} GET /users/abc: {got_status}, want 404")
    return problems


# -- load -------------------------------------------------------------------------------------


def write_scripts(tmp: Path) -> dict[str, Path]:
    scripts: dict[str, Path] = {}
    for index, (endpoint, (method, _, body)) in enumerate(ENDPOINTS.items()):
        setup = ""
        if method == "POST":
            lua_body = json.dumps(json.dumps(body))  # a Lua string literal of the JSON text
            setup = (
                f'wrk.method = "POST"\nwrk.body = {lua_body}\n'
                'wrk.headers["Content-Type"] = "application/json"'
            )
        script = tmp / f"endpoint{index}.lua"
        script.write_text(WRK_SCRIPT.format(setup=setup))
        scripts[endpoint] = script
    return scripts


def run_wrk(
    port: int, path: str, script: Path, seconds: int, connections: int
) -> tuple[float, float, int, int]:
    """(requests/s, p99 ms, failed requests, requests) of one wrk run."""
    argv = [
        "wrk", "-t1", f"-c{connections}", f"-d{max(seconds, 1)}s", "--timeout", "5s",
        "-s", str(script), f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    out = subprocess.run(
        pinned(1, argv), capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_RESULT"):
            requests, duration_us, _p50, p99_us, status_errors, socket_errors = map(
                float, line.split()[1:]
            )
            rps = requests / (duration_us / 1e6)
            return rps, p99_us / 1000, int(status_errors + socket_errors), int(requests)
    raise RuntimeError(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")


def load(
    servers: dict[str, Server],
    args: argparse.Namespace,
    scripts: dict[str, Path],
    results: Results,
    stop_at: float,
) -> None:
    names = list(servers)
    for endpoint, (_, path, _) in ENDPOINTS.items():  # warm-up, discarded
        for name in names:
            run_wrk(servers[name].port, path, scripts[endpoint], args.warmup, args.connections)
    per_round = len(ENDPOINTS) * len(names) * (args.duration + 0.5)
    for rnd in range(args.rounds):
        if time.monotonic() + per_round > stop_at:
            print(f"deadline: stopping after {rnd} rounds", file=sys.stderr)
            break
        order = names[rnd % len(names) :] + names[: rnd % len(names)]
        for endpoint, (_, path, _) in ENDPOINTS.items():
            for name in order:
                cpu_before = cpu_seconds(servers[name].proc.pid)
                rps, p99, errors, count = run_wrk(
                    servers[name].port, path, scripts[endpoint], args.duration, args.connections
                )
                cpu = cpu_seconds(servers[name].proc.pid) - cpu_before
                key = (endpoint, name)
                results.cpu_us.setdefault(key, []).append(cpu / max(count, 1) * 1e6)
                results.rps.setdefault(key, []).append(rps)
                results.p99_ms.setdefault(key, []).append(p99)
                results.errors[key] = results.errors.get(key, 0) + errors
        results.rounds_done = rnd + 1
        print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)


def ws_round_trips(server: Server, seconds: float, connections: int) -> tuple[float, float]:
    """Echo round trips per second (``bench/ws_load.py``, pinned to CPU 1 as wrk is) and the
    server's CPU time per echoed message, in microseconds."""
    argv = [sys.executable, "-m", "bench.ws_load", str(server.port), "--seconds", str(seconds)]
    argv += ["--connections", str(connections)]
    cpu_before = cpu_seconds(server.proc.pid)
    out = subprocess.run(
        pinned(1, argv), cwd=ROOT, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    cpu = cpu_seconds(server.proc.pid) - cpu_before
    rate, echoes = out.stdout.split()
    return float(rate), cpu / max(int(echoes), 1) * 1e6


def load_websockets(servers: dict[str, Server], args: argparse.Namespace, results: Results) -> None:
    for rnd in range(args.rounds):
        names = list(servers)
        for name in names[rnd % len(names) :] + names[: rnd % len(names)]:
            rate, cpu_us = ws_round_trips(servers[name], args.duration, args.ws_connections)
            results.ws_rtps.setdefault(name, []).append(rate)
            results.ws_cpu_us.setdefault(name, []).append(cpu_us)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of load (>= 3)")
    parser.add_argument(
        "--duration", type=int, default=3, help="seconds of wrk per endpoint and round"
    )
    parser.add_argument("--warmup", type=int, default=1, help="seconds of discarded warm-up load")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--ws-connections", type=int, default=16, help="websocket echo connections")
    parser.add_argument("--import-runs", type=int, default=9, help="fresh interpreters per app")
    parser.add_argument("--json", type=Path, help="also write the raw samples to this file")
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL endpoints")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    stop_at = time.monotonic() + DEADLINE_SECONDS

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    results = Results()
    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="pyjolt-bench-") as tmpdir:
        tmp = Path(tmpdir)
        os.environ["BENCH_DB"] = str(tmp / "bench.sqlite3")
        ensure_db(os.environ["BENCH_DB"])
        pg_url = (
            os.environ.get("BENCH_PG_URL") or "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        )
        schema = f"pyjolt_bench_{os.getpid()}"
        if args.no_pg or not port_open(5432):
            pg_url = ""
        else:
            os.environ["BENCH_PG_URL"], os.environ["BENCH_PG_SCHEMA"] = pg_url, schema
            asyncio.run(ensure_pg(pg_url, schema))
            ENDPOINTS.update(PG_ENDPOINTS)
        try:
            results.import_ms = time_imports(args.import_runs)
            for name, target in FRAMEWORKS.items():
                servers[name] = start_server(name, target, tmp)
            problems = [p for server in servers.values() for p in check_answers(server)]
            if problems:
                print("Answer check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
                return 1
            print("answers checked: all endpoints agree", file=sys.stderr)
            load(servers, args, write_scripts(tmp), results, stop_at)
            load_websockets(servers, args, results)
            results.rss_mb = {name: rss_mb(server.proc.pid) for name, server in servers.items()}
        finally:
            for server in servers.values():
                stop_server(server)
            if pg_url:
                asyncio.run(drop_pg(pg_url, schema))
    table, missed = report(results, args)
    print(table)
    print()
    print("All targets met." if not missed else "Targets missed: " + "; ".join(missed))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rps": {f"{e} | {n}": v for (e, n), v in results.rps.items()},
                    "p99_ms": {f"{e} | {n}": v for (e, n), v in results.p99_ms.items()},
                    "cpu_us": {f"{e} | {n}": v for (e, n), v in results.cpu_us.items()},
                    "import_ms": results.import_ms,
                    "rss_mb": results.rss_mb,
                    "ws_rtps": results.ws_rtps,
                    "ws_cpu_us": results.ws_cpu_us,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
