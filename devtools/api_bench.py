"""API timings for `python -m devtools.bench`: p50 and p95 of the main /api/v1 endpoints over HTTP.

Measured against the benchmark's own running server (loopback), so the time includes the WSGI stack,
validation, the query and JSON encoding; the first request of each endpoint (cold caches) is reported
apart. Codes rotate so that not every request is the same one.
"""

from __future__ import annotations

import time
import urllib.request

import numpy as np

REGIONS = ["PL21", "ES30", "DE21", "FR10", "ITC4", "SE11", "AT13", "EL30", "CZ01", "NL33"]
ENDPOINTS = {
    "regions": lambda code: "/api/v1/regions?level=2&limit=1000",
    "region": lambda code: f"/api/v1/regions/{code}",
    "series": lambda code: f"/api/v1/regions/{code}/series?limit=1000",
    "values": lambda code: "/api/v1/indicators/gdp_pps_hab_eu/values?year=2022&level=2&limit=1000",
    "strategies": lambda code: f"/api/v1/regions/{code}/strategies",
    "peers": lambda code: f"/api/v1/regions/{code}/peers?count=10",
    "partners": lambda code: f"/api/v1/regions/{code}/partners?count=10",
    "map_csv": lambda code: f"/api/v1/exports/map.csv?indicator=gerd_pc_gdp&region={code}",
}


def _get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        size = len(response.read())
    return (time.perf_counter() - started) * 1000, size


def api_timings(base: str, repeat: int = 15) -> dict:
    """{endpoint: {p50_ms, p95_ms, first_ms, bytes, example}} for the endpoints above."""
    out = {}
    for name, path_for in ENDPOINTS.items():
        first_ms, size = _get(base + path_for(REGIONS[0]))
        samples = [_get(base + path_for(REGIONS[i % len(REGIONS)]))[0] for i in range(max(repeat, 20))]
        out[name] = {"p50_ms": round(float(np.percentile(samples, 50)), 2),
                     "p95_ms": round(float(np.percentile(samples, 95)), 2),
                     "first_ms": round(first_ms, 2), "bytes": size, "example": path_for(REGIONS[0])}
    return out


def print_api_table(timings: dict) -> None:
    print(f"{'API endpoint':<12} {'p50 ms':>8} {'p95 ms':>8} {'first ms':>9} {'bytes':>8}  example")
    for name, t in timings.items():
        print(f"{name:<12} {t['p50_ms']:>8} {t['p95_ms']:>8} {t['first_ms']:>9} {t['bytes']:>8}  {t['example']}")
