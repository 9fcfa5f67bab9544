"""Build the Dash app: layout from the dataset, callbacks registered, assets and GeoJSON served locally."""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from flask import abort, send_from_directory

from s3map import config, fast_json, plotly_bundle, response_cache
from s3map.analysis.partners import partner_regions
from s3map.analysis.peers import similar_regions
from s3map.api import mount_api
from s3map.callbacks import controller, search  # noqa: F401  (importing them registers the callbacks)
from s3map.callbacks import exports  # noqa: F401  (the download links follow the address)
from s3map.data.build import PRECOMPRESSED, hold_version
from s3map.data.store import get_dataset
from s3map.server import harden
from s3map.ui.layout import build_layout
from s3map.ui.panel import region_details

ASSETS = config.PROJECT_ROOT / "assets"
BOOTSTRAP_CSS = Path(__import__("flask_bootstrap").__file__).parent / "static" / "bootstrap5" / "css"
ONE_YEAR = 31_536_000


def create_app(dataset=None) -> dash.Dash:
    dataset = dataset or get_dataset()
    fast_json.install()  # callback answers serialised by orjson: a third of the time, the same JSON
    server = flask.Flask(__name__)
    server.config["COMPRESS_MIMETYPES"] = [
        "text/html", "text/css", "text/plain", "application/json", "application/javascript",
        "text/javascript", "application/geo+json", "image/svg+xml"]
    # Files (GeoJSON, plotly.js) are streamed responses, and Flask-Compress leaves gzip out of its
    # streaming list by default: a client that accepts only gzip got them uncompressed.
    server.config["COMPRESS_ALGORITHM_STREAMING"] = ["zstd", "br", "gzip", "deflate"]
    register_static_routes(server, dataset)
    plotly_bundle.register(server)  # plotly.js with only the trace types drawn here (first-load speed)
    mount_api(server)  # the JSON API under /api/v1 (issue 14)
    app = dash.Dash(
        __name__, server=server, title="S3 Observatory", assets_folder=str(ASSETS),
        external_stylesheets=["/vendor/bootstrap.min.css"],  # served from this server: no CDN
        serve_locally=True, compress=True, update_title=None,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Smart Specialisation Strategies on a map"}],
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1).replace(  # lang: screen readers
        "{%css%}", "{%css%}\n        " + plotly_bundle.preload_links(
            [f"/geo/{dataset.geo_files[level]}" for level in ("0", "2")]), 1)
    app.layout = build_layout(dataset)
    harden(app, dataset)  # security headers, 413 limit, /healthz
    # Identical requests answered from memory; outermost, so a kept answer is the one sent, compressed.
    response_cache.install(server, config.RESPONSE_CACHE_BYTES, config.MAX_REQUEST_BYTES)
    hold_version(dataset.folder)  # builds meanwhile keep this version (and its GeoJSON) on disk
    warm_up(dataset)
    return app


def warm_up(dataset) -> None:
    """Derived tables every first request would otherwise pay for (ranks, filters, peers' z-scores)."""
    dataset.warm_up()
    similar_regions(dataset, "PL21", 1)


def warm_views(dataset=None) -> int:
    """Build what every visitor of a region asks for first (its panel details, its partner ranking,
    which holds its peer distances), for every EU NUTS 2 region: ~7 s and ~40 MB once. gunicorn calls
    it in the master before forking (gunicorn.conf.py), so every worker starts with them instead of
    building each one per process. Returns the count."""
    dataset = dataset or get_dataset()
    codes = list(dataset.nuts2_eu_drawn)
    for code in codes:
        region_details(dataset, code)
        partner_regions(dataset, code)  # the peers tab's default order
    return len(codes)


def register_static_routes(server: flask.Flask, dataset) -> None:
    geo_dir = dataset.folder / "geo"
    allowed = set(dataset.geo_files.values())

    @server.route("/geo/<name>")
    def geojson(name: str):
        # Names are content-hashed, so a browser may keep them for a year without asking again.
        if name not in allowed:
            abort(404)
        # The build wrote each file brotli- and gzip-compressed at the highest settings: send those as they are.
        encoding = flask.request.accept_encodings.best_match(list(PRECOMPRESSED))
        if encoding and (geo_dir / (name + PRECOMPRESSED[encoding])).is_file():
            # download_name: the file is the .json its URL names, sent compressed (not a .br file)
            response = send_from_directory(geo_dir, name + PRECOMPRESSED[encoding], mimetype="application/geo+json",
                                           max_age=ONE_YEAR, download_name=name)
            response.headers["Content-Encoding"] = encoding
        else:
            response = send_from_directory(geo_dir, name, mimetype="application/geo+json", max_age=ONE_YEAR)
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        response.vary.add("Accept-Encoding")
        return response

    @server.route("/topojson/<name>")
    def empty_topojson(name: str):
        # plotly.js asks for its world base map even when every base layer is hidden. We draw only
        # our own NUTS GeoJSON, so answer with an empty topology instead of a call to a CDN.
        if not name.endswith(".json"):
            abort(404)
        response = flask.jsonify({"type": "Topology", "objects": {}, "arcs": []})
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}"
        return response

    @server.route("/tour.json")
    def tour():
        # The presenter's prepared sequence of views (data/tours/forum.json), stepped with Page Down/Up.
        return send_from_directory(config.PROJECT_ROOT / "data" / "tours", "forum.json", max_age=60)

    @server.route("/vendor/bootstrap.min.css")
    def bootstrap_css():
        return send_from_directory(BOOTSTRAP_CSS, "bootstrap.min.css", max_age=86_400)
