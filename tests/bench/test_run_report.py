"""bench/run.py's ratios to Starlette: the median of per-round (paired) ratios, so that a round
under heavier machine load moves both frameworks' samples together and not the ratio."""

from __future__ import annotations

import argparse

from bench.report import Results, paired_ratio, report
from bench.run import ENDPOINTS


def test_paired_ratio_is_the_median_of_per_round_ratios() -> None:
    # round 2 ran under load for both; the ratio of medians (200 / 300) would say 0.67x
    pyjolt = [110.0, 200.0, 330.0]
    starlette = [100.0, 300.0, 300.0]
    assert paired_ratio(pyjolt, starlette) == 1.1


def test_paired_ratio_without_pairs_falls_back_to_the_ratio_of_medians() -> None:
    assert paired_ratio([100.0, 300.0], [100.0, 200.0, 400.0]) == 1.0


def test_report_prints_the_paired_ratios_and_judges_targets_by_them() -> None:
    results = Results(rounds_done=3)
    endpoint = next(iter(ENDPOINTS))
    samples = {"pyjolt": [1100.0, 2000.0, 3300.0], "starlette": [1000.0, 3000.0, 3000.0]}
    for name in ("pyjolt", "starlette", "fastapi"):
        values = samples.get(name, [500.0, 500.0, 500.0])
        results.rps[(endpoint, name)] = values
        results.p99_ms[(endpoint, name)] = [10.0, 10.0, 10.0]
        results.cpu_us[(endpoint, name)] = [1e6 / v for v in values]
    args = argparse.Namespace(duration=3, connections=64)
    table, missed = report(results, args)
    row = next(line for line in table.splitlines() if line.startswith(f"| {endpoint} | pyjolt"))
    assert "| 2,000 |" in row  # the req/s column: still the median of the samples
    assert "| 1.10x |" in row  # vs Starlette: the median of the rounds' ratios, not 0.67x
    assert "(0.91x)" in row  # CPU per request, paired the same way
    assert not any(m.startswith(f"{endpoint} req/s") for m in missed)


def test_the_websocket_row_pairs_rounds_for_rates_and_server_cpu() -> None:
    results = Results(rounds_done=3)
    results.ws_rtps = {"pyjolt": [66.0, 30.0, 70.0], "starlette": [60.0, 40.0, 70.0]}
    results.ws_cpu_us = {"pyjolt": [14.0, 15.0, 14.0], "starlette": [16.0, 16.0, 14.0]}
    args = argparse.Namespace(duration=3, connections=64, ws_connections=16)
    table, missed = report(results, args)
    row = next(line for line in table.splitlines() if line.startswith("| pyjolt | 66 "))
    assert "| 1.00x |" in row  # per-round ratios 1.10, 0.75, 1.00: median 1.00x
    assert "| 14.0 (0.94x) |" in row  # CPU per message: median 14.0; ratios 0.88, 0.94, 1.00
    assert "websocket echo 1.00x < 1.05x" in missed
    assert "16 connections" in table
