"""`python -m devtools.bench [--json FILE] [--repeat N]`: how fast the map responds, ours vs naive.

For each interaction (indicator, year, filter) the real page in headless Chromium changes a control
through Dash (`dash_clientside.set_props`, as a user's change would), and the script records:
- bytes: the callback responses for that change (uncompressed JSON; `wire_bytes` as sent, gzip),
- server_ms: those same requests replayed against the app in this process (Flask test client),
- browser_ms: from the change to Plotly's `plotly_afterplot` (repaint done),
and, in the same run, a naive implementation that rebuilds and returns the whole figure with its
geometry inline: naive_bytes, naive_server_ms (build + serialise), naive browser repaint
(`Plotly.react` with that figure). first_paint_ms: cold page load to the first painted map.
"""

from __future__ import annotations

import argparse
import logging
import json
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import plotly.io
from flask import request
from werkzeug.serving import make_server

from devtools.ports import free_port
from devtools.browser import start_browser
from devtools.lighthouse import main as lighthouse_main
from devtools.loadbench import main as load_main
from s3map import config
from s3map.analysis import partners, peers
from devtools.api_bench import api_timings, print_api_table
from s3map.app_factory import create_app
from s3map.data.store import get_dataset
from s3map.figures.map import apply_update, base_figure
from s3map.render.map import map_update
from s3map.render.view import render_view
from s3map.state import parse
from s3map.ui.layout import geo_urls

FIRST_MAP_PROBE = """
window.__s3first = null;
new MutationObserver(function (changes, observer) {
  if (document.querySelectorAll('#map path.choroplethlocation').length > 150) {
    window.__s3first = performance.now(); observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
"""

CHANGE_AND_WAIT = """
const [id, props, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const gd = document.querySelector('#map .js-plotly-plot');
const start = performance.now();
let finished = false;
gd.once('plotly_afterplot', () => { finished = true; done(performance.now() - start); });
window.dash_clientside.set_props(id, props);
setTimeout(() => { if (!finished) { done(-1); } }, 10000);
"""

# The naive figure travels from the server like a callback response would, then repaints.
NAIVE_REPAINT = """
const [url, done] = [arguments[0], arguments[arguments.length - 1]];
const gd = document.querySelector('#map .js-plotly-plot');
const start = performance.now();
fetch(url, {cache: 'no-store'}).then(r => r.json())
  .then(figure => Plotly.react(gd, figure.data, figure.layout))
  .then(() => done(performance.now() - start));
"""

# Each interaction alternates between two values, so every step is a real change.
INTERACTIONS = {
    "indicator": ("indicator", [{"value": "rii"}, {"value": "gerd_pc_gdp"}]),
    "year": ("year", [{"value": 2015}, {"value": 2019}]),
    "filter": ("filter-country", [{"value": ["PL", "CZ", "SK"]}, {"value": ["ES", "PT"]}]),
}
START_URL = "/?indicator=gerd_pc_gdp"


def _callback_exchanges(driver) -> list[dict]:
    """Callback requests seen since the last call: body sent, bytes received (raw and on the wire)."""
    requests, sizes, wire = {}, {}, {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent" and "_dash-update-component" in params["request"]["url"]:
            requests[params["requestId"]] = params["request"].get("postData", "")
        elif message["method"] == "Network.dataReceived":
            sizes[params["requestId"]] = sizes.get(params["requestId"], 0) + params["dataLength"]
        elif message["method"] == "Network.loadingFinished":
            wire[params["requestId"]] = params["encodedDataLength"]
    return [{"body": body, "bytes": sizes.get(rid, 0), "wire_bytes": wire.get(rid, 0)} for rid, body in requests.items()]


GEOMETRY_ENCODINGS = ("br", "gzip", "identity")


def geometry_wire_bytes(base_url: str, geo_files: dict[str, str]) -> dict:
    """First-load geometry on the wire: every /geo file the page loads, fetched over HTTP as a client
    accepting only `br`, only `gzip`, or nothing would get it (body bytes as sent, not decoded)."""
    out: dict = {"files": len(geo_files)}
    for encoding in GEOMETRY_ENCODINGS:
        total, used = 0, set()
        for name in geo_files.values():
            request = urllib.request.Request(f"{base_url}/geo/{name}", headers={"Accept-Encoding": encoding})
            with urllib.request.urlopen(request, timeout=30) as response:
                total += len(response.read())
                used.add(response.headers.get("Content-Encoding") or "identity")
        out[encoding] = {"bytes": total, "content_encoding": sorted(used)}
    return out


def _p50(values):
    return round(statistics.median(values), 2) if values else None


def naive_figure_json(dataset, state_search: str) -> str:
    """What a naive callback returns: the whole figure, GeoJSON inline in every trace that uses it."""
    geo = {level: json.loads((dataset.folder / "geo" / name).read_text()) for level, name in dataset.geo_files.items()}
    state, _ = parse(state_search, dataset)
    year = state.year or dataset.default_year(state.indicator)
    figure = base_figure(geo_urls(dataset), dataset.context_countries).to_plotly_json()
    apply_update(figure, map_update(state, year, dataset))
    for trace in figure["data"]:
        if "geojson" in trace:  # the choropleths; the outermost regions' frames are plain lines
            trace["geojson"] = geo[trace["geojson"].split("nuts")[1][0]]
    return plotly.io.to_json(figure, validate=False)


def run(repeat: int = 15) -> dict:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    dataset = get_dataset()
    # server_ms replays each request several times: it measures answering, so no answers from memory.
    config.RESPONSE_CACHE_BYTES = 0
    app = create_app(dataset)

    @app.server.route("/__bench/naive")
    def naive_endpoint():  # only in this benchmark's own server: the naive implementation's response
        return app.server.response_class(naive_figure_json(dataset, request.args.get("search", "")),
                                         mimetype="application/json")

    port = free_port()
    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    client = app.server.test_client()
    results: dict = {"repeat": repeat, "interactions": {}}
    driver = start_browser(1600, 1000)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_MAP_PROBE})
        firsts = []
        for _ in range(5):
            driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})  # cold: nothing cached
            driver.get(base + START_URL)
            deadline = time.time() + 20
            while driver.execute_script("return window.__s3first") is None and time.time() < deadline:
                time.sleep(0.02)
            firsts.append(driver.execute_script("return window.__s3first"))
            sizes = driver.execute_script(
                "const e = performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'));"
                "return [e.reduce((a, x) => a + (x.transferSize || 0), 0), e.reduce((a, x) => a + (x.decodedBodySize || 0), 0)];")
            results["first_load_bytes"], results["first_load_bytes_uncompressed"] = sizes
        results["first_paint_ms"] = _p50([f for f in firsts if f is not None])
        results["first_paint_ms_all"] = [round(f, 1) for f in firsts if f is not None]
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
        page = client.get("/")
        results["first_page_html_bytes"] = len(page.data)
        results["first_load_geometry"] = geometry_wire_bytes(base, dataset.geo_files)

        for name, (component, values) in INTERACTIONS.items():
            driver.get(base + START_URL)
            time.sleep(1.5)
            _callback_exchanges(driver)
            browser_ms, exchanges = [], []
            for i in range(repeat):
                elapsed = driver.execute_async_script(CHANGE_AND_WAIT, component, values[i % 2])
                time.sleep(0.15)
                step = _callback_exchanges(driver)
                if elapsed >= 0:
                    browser_ms.append(elapsed)
                exchanges.append(step)
            server_ms = []
            for step in exchanges:
                started = time.perf_counter()
                for exchange in step:
                    response = client.post("/_dash-update-component", data=exchange["body"],
                                           content_type="application/json")
                    assert response.status_code in (200, 204), response.status_code
                server_ms.append((time.perf_counter() - started) * 1000)
            sent = [sum(x["bytes"] for x in step) for step in exchanges]
            resent_geometry = any('"coordinates"' in client.post("/_dash-update-component", data=x["body"],
                                                                  content_type="application/json").get_data(as_text=True)
                                  for x in exchanges[-1])
            naive_ms, naive_bytes, naive_browser = [], [], []
            search = "?" + driver.current_url.split("?", 1)[1] if "?" in driver.current_url else ""
            for _ in range(min(repeat, 7)):
                started = time.perf_counter()
                text = naive_figure_json(dataset, search)
                naive_ms.append((time.perf_counter() - started) * 1000)
                naive_bytes.append(len(text.encode()))
                naive_browser.append(driver.execute_async_script(NAIVE_REPAINT, f"/__bench/naive?search={quote(search)}"))
            results["interactions"][name] = {
                "bytes": int(statistics.median(sent)), "wire_bytes": int(statistics.median(
                    [sum(x["wire_bytes"] for x in step) for step in exchanges])),
                "naive_bytes": int(statistics.median(naive_bytes)),
                "bytes_ratio": round(statistics.median(sent) / statistics.median(naive_bytes), 4),
                "server_ms_p50": _p50(server_ms), "server_ms_first": round(server_ms[0], 2),
                "naive_server_ms_p50": _p50(naive_ms),
                "browser_ms_p50": _p50(browser_ms), "naive_browser_ms_p50": _p50(naive_browser),
                "requests_per_change": round(statistics.mean(len(step) for step in exchanges), 1),
                "geometry_resent": resent_geometry, "samples": len(browser_ms),
            }
        results.update(extra_timings(dataset, repeat))
        results["api"] = api_timings(base, repeat)  # /api/v1 p50 and p95 over HTTP (issue 14)
    finally:
        driver.quit()
        server.shutdown()
    return results


def extra_timings(dataset, repeat: int) -> dict:
    """Server time of the region panel and rankings (issue 5), measured on the query functions."""
    codes = ["PL21", "ES30", "DE21", "FR10", "ITC4", "SE11", "AT13", "EL30", "CZ01", "NL33"]
    shown = {}
    timings = []
    for i in range(repeat):
        code = codes[i % len(codes)]
        started = time.perf_counter()
        shown = render_view(parse(f"?indicator=gerd_pc_gdp&region={code}", dataset)[0], shown, dataset)["shown"]
        timings.append((time.perf_counter() - started) * 1000)
    out = {"panel_ms_p50": _p50(timings)}
    for key, function in (("peers_ms_p50", peers.similar_regions), ("partners_ms_p50", partners.partner_regions)):
        samples = []
        for i in range(repeat):
            started = time.perf_counter()
            function(dataset, codes[i % len(codes)])
            samples.append((time.perf_counter() - started) * 1000)
        out[key] = _p50(samples)
    return out


def print_table(results: dict) -> None:
    print(f"first painted map (cold load, p50 of 5): {results['first_paint_ms']} ms; first load "
          f"{results['first_load_bytes']} B on the wire ({results['first_load_bytes_uncompressed']} B uncompressed)")
    if "first_load_geometry" in results:
        geometry = results["first_load_geometry"]
        print(f"first-load geometry ({geometry['files']} files) on the wire: br {geometry['br']['bytes']} B, "
              f"gzip {geometry['gzip']['bytes']} B, uncompressed {geometry['identity']['bytes']} B")
    header = f"{'interaction':<11} {'bytes':>8} {'naive':>9} {'ratio':>7} {'server ms':>10} {'naive ms':>9} {'browser ms':>11} {'naive br.':>10} geometry resent"
    print(header)
    for name, r in results["interactions"].items():
        print(f"{name:<11} {r['bytes']:>8} {r['naive_bytes']:>9} {r['bytes_ratio']:>7} {r['server_ms_p50']:>10} "
              f"{r['naive_server_ms_p50']:>9} {r['browser_ms_p50']:>11} {r['naive_browser_ms_p50']:>10} {r['geometry_resent']}")
    for key in ("panel_ms_p50", "peers_ms_p50", "partners_ms_p50"):
        if key in results:
            print(f"{key}: {results[key]}")
    if "api" in results:
        print_api_table(results["api"])


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:  # the load benchmark: many users, dev server vs gunicorn vs nginx + 2 instances
        return load_main(argv[1:])
    if argv[:1] == ["lighthouse"]:  # first-load figures, the naive first load measured beside them
        return lighthouse_main(["--baseline", *argv[1:]])
    parser = argparse.ArgumentParser(prog="python -m devtools.bench", description=__doc__)
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    results = run(args.repeat)
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
