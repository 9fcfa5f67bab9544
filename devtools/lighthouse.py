"""`python -m devtools.lighthouse [--runs N] [--url URL] [--json FILE] [--baseline]`: first-load figures.

Starts the app on a loopback port (or measures `--url`), runs Lighthouse (desktop preset, headless
Debian Chromium) N times and prints, per run and as the median: performance and accessibility
scores, largest contentful paint, total blocking time, first contentful paint, and the bytes
transferred on first load. Lighthouse is the npm package pinned in `web/package.json`
(`scripts/build-plotly-bundle.sh` or `npm ci --prefix web` installs it); the measurement stays
out of the test suite because timings depend on the machine.

`--baseline` also measures, in the same run and alternating with the app, a naive build of the same
app: Dash's full plotly.min.js (4.8 MB), Dash's Babel polyfill and no preload links, i.e. the first
load before the plotly.js partial bundle. `python -m devtools.bench lighthouse` runs this pair.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

from devtools.browser import chromium_binary
from devtools.ports import free_port
from s3map import config, plotly_bundle
from s3map.app_factory import create_app

LIGHTHOUSE = config.PROJECT_ROOT / "web" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
FIGURES = {  # name -> where in the report
    "performance": "categories.performance.score",
    "accessibility": "categories.accessibility.score",
    "lcp_ms": "audits.largest-contentful-paint.numericValue",
    "tbt_ms": "audits.total-blocking-time.numericValue",
    "fcp_ms": "audits.first-contentful-paint.numericValue",
    "bytes": "audits.total-byte-weight.numericValue",
}


def _lookup(report: dict, path: str):
    node = report
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def figures(report: dict) -> dict:
    """The figures this project tracks, from one Lighthouse JSON report."""
    out = {name: _lookup(report, path) for name, path in FIGURES.items()}
    weighted = accessibility_audit_ids(report)
    failed = [a["id"] for a in report.get("audits", {}).values() if a.get("score") == 0 and a["id"] in weighted]
    out["failed_accessibility_audits"] = sorted(failed)
    return out


def accessibility_audit_ids(report: dict) -> set[str]:
    refs = _lookup(report, "categories.accessibility.auditRefs") or []
    return {ref["id"] for ref in refs if ref.get("weight", 0) > 0}


def run_lighthouse(url: str, out_path: Path) -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse not installed: run `npm ci --prefix {LIGHTHOUSE.parents[2]}`")
    env = dict(os.environ, CHROME_PATH=chromium_binary())
    command = [str(LIGHTHOUSE), url, "--preset=desktop", "--quiet", "--output=json", f"--output-path={out_path}",
               "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"]
    subprocess.run(command, check=True, env=env, timeout=300)
    return json.loads(out_path.read_text(encoding="utf-8"))


def naive_app():
    """The same app without the first-load work: Dash serves its own full plotly.min.js and polyfill."""
    register, preload = plotly_bundle.register, plotly_bundle.preload_links
    plotly_bundle.register, plotly_bundle.preload_links = (lambda server: None), (lambda urls: "")
    try:
        return create_app()
    finally:
        plotly_bundle.register, plotly_bundle.preload_links = register, preload


def serve_app(naive: bool = False) -> tuple[str, object]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = naive_app() if naive else create_app()
    port = free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}/", server


def _median(results: list[dict]) -> dict:
    return {name: statistics.median(r[name] for r in results if r[name] is not None) for name in FIGURES}


def measure(runs: int = 2, url: str | None = None, keep: str | None = None, baseline: bool = False) -> dict:
    """Lighthouse runs on the app (and, with `baseline`, on the naive app, alternating run by run so
    both see the same machine load)."""
    servers = []
    if url is None:
        url, server = serve_app()
        servers.append(server)
    naive_url = None
    if baseline:
        naive_url, server = serve_app(naive=True)
        servers.append(server)
    results, naive_results = [], []
    try:
        with tempfile.TemporaryDirectory(prefix="s3map-lighthouse-") as scratch:
            folder = Path(keep or scratch)
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(runs):
                if naive_url:
                    naive_results.append(figures(run_lighthouse(naive_url, folder / f"naive-{i + 1}.json")))
                results.append(figures(run_lighthouse(url, folder / f"lighthouse-{i + 1}.json")))
    finally:
        for server in servers:
            server.shutdown()
    result = {"url": url, "runs": results, "median": _median(results)}
    if naive_results:
        result["naive"] = {"runs": naive_results, "median": _median(naive_results)}
    return result


def _format(row: dict) -> str:
    return (f"performance {row['performance']:.2f}  LCP {row['lcp_ms'] / 1000:.2f} s  TBT {row['tbt_ms']:.0f} ms  "
            f"FCP {row['fcp_ms'] / 1000:.2f} s  accessibility {row['accessibility']:.2f}  "
            f"bytes {row['bytes'] / 1e6:.2f} MB")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--url", help="measure this page instead of starting the app")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--keep", help="keep the full Lighthouse reports in this folder")
    parser.add_argument("--baseline", action="store_true", help="also measure the naive first load (full plotly.js)")
    args = parser.parse_args(argv)
    result = measure(args.runs, args.url, args.keep, args.baseline)
    for label, block in (("naive", result.get("naive")), ("app", result)):
        if not block:
            continue
        for i, row in enumerate(block["runs"], 1):
            print(f"{label} run {i}: {_format(row)}")
            if row["failed_accessibility_audits"]:
                print(f"        failed accessibility audits: {', '.join(row['failed_accessibility_audits'])}")
        print(f"{label} median: {_format(block['median'])}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
