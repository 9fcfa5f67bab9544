"""Serve a plotly.js partial bundle (core + the trace types the app draws) in place of the full one.

Dash's graph component loads plotly.js on demand from one fixed address,
`/_dash-component-suites/plotly/package_data/plotly.min.js` (the renderer sets it when
`serve_locally` is on). The full file is 4.8 MB of script, most of it trace types this app never
draws, and its evaluation was the largest share of first-load blocking time. This module answers
that same address with `s3map/vendor/plotly-s3map.min.js` (1.4 MB, built by
`scripts/build-plotly-bundle.sh`), gzipped once at start-up, so nothing else in Dash changes and
the page still works offline.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import flask

BUNDLE = Path(__file__).parent / "vendor" / "plotly-s3map.min.js"
BUNDLE_VERSION = (BUNDLE.parent / "plotly-s3map.version").read_text().strip()
DASH_PLOTLY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"
TRACE_TYPES = ("scatter", "choropleth", "scattergeo", "bar")  # what web/plotly-entry.js registers
ONE_DAY = 86_400
# Dash puts the whole Babel polyfill (core-js 2 + regenerator, 99 kB, ~0.1-0.5 s of script evaluation)
# before React; its renderer needs only the regenerator runtime, and every current browser has the
# rest. Its (fingerprinted) address is answered with the 7 kB regenerator runtime.
REGENERATOR = BUNDLE.parent / "regenerator-runtime.min.js"
DASH_POLYFILL_PATH = re.compile(r"^/_dash-component-suites/dash/deps/polyfill@7[^/]*\.min\.js$")


def _script_responder(path: Path):
    """A view answering with one script file, gzipped once here, with an ETag."""
    body = path.read_bytes()
    zipped = gzip.compress(body, compresslevel=9, mtime=0)
    etag = hashlib.sha256(body).hexdigest()[:20]

    def respond():
        if flask.request.if_none_match.contains(etag):
            return flask.Response(status=304, headers={"ETag": f'"{etag}"'})
        accepts_gzip = "gzip" in flask.request.headers.get("Accept-Encoding", "")
        response = flask.Response(zipped if accepts_gzip else body, mimetype="application/javascript")
        if accepts_gzip:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["ETag"] = f'"{etag}"'
        response.headers["Cache-Control"] = f"public, max-age={ONE_DAY}"
        return response
    return respond


def register(server: flask.Flask) -> None:
    """Add the routes on `server` before Dash adds its own: Flask matches this fixed path first, and
    the polyfill's fingerprinted path is answered before any route is looked at."""
    server.add_url_rule(DASH_PLOTLY_PATH, "plotly_partial_bundle", _script_responder(BUNDLE))
    regenerator = _script_responder(REGENERATOR)

    @server.before_request
    def regenerator_instead_of_babel_polyfill():
        if DASH_POLYFILL_PATH.match(flask.request.path):
            return regenerator()
        return None


def preload_links(fetch_urls: list[str]) -> str:
    """<link rel=preload> for plotly.js and the GeoJSON the first map draws: the browser fetches them
    while React renders, instead of only after the graph component has mounted and asked for them."""
    links = [f'<link rel="preload" href="{DASH_PLOTLY_PATH}" as="script">']
    # crossorigin=anonymous makes the preload match plotly's same-origin fetch() of the file
    links += [f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">' for url in fetch_urls]
    return "\n        ".join(links)
