"""Serving in production: security headers, a request-size limit, the health check, and the
command line that starts gunicorn (Flask's own server only with S3MAP_DEBUG=1).

Kept apart from app_factory so that the page, callbacks and headers can be read separately.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sys

import dash
import flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.serving import WSGIRequestHandler

from s3map import config
from s3map.security import guard_callbacks

# What the page needs and nothing else: every script, style, image and request from this server.
# Styles need 'unsafe-inline': without it Chromium reports 28 blocked inline styles on one page load,
# <style> elements that Dash's component bundles (21 from dash_core_components.js), React and
# plotly.js write at run time, and one style attribute from plotly.js. Bootstrap draws some icons
# as data: SVGs.
CSP_BASE = {
    "default-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def policy_header(scripts: list[str], frame_ancestors: list[str]) -> str:
    """A CSP header value: CSP_BASE plus the allowed inline scripts (by hash) and embedding sites."""
    policy = {**CSP_BASE, "script-src": ["'self'", *scripts], "frame-ancestors": ["'self'", *frame_ancestors]}
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def content_security_policy(app: dash.Dash, frame_ancestors: list[str]) -> str:
    """The CSP header: Dash's inline scripts (the renderer, clientside callbacks) allowed by hash."""
    return policy_header(app.csp_hashes(), frame_ancestors)


def add_security_headers(response: flask.Response, csp: str, ancestors: list[str]) -> flask.Response:
    """The headers every answer carries, the page's and the API's (each with its own CSP)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if not ancestors:  # older browsers that ignore frame-ancestors
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def dataset_version(dataset) -> dict:
    """What a load balancer or an operator needs to know about the dataset this process serves."""
    build = {}
    build_file = dataset.folder / "build.json"
    if build_file.is_file():
        build = json.loads(build_file.read_text(encoding="utf-8"))
    return {"version": dataset.folder.name,
            "fingerprint": (dataset.folder / "fingerprint").read_text().strip()[:16],
            "built_at": build.get("built_at")}


def harden(app: dash.Dash, dataset) -> None:
    """Headers on every response, the request-size limit (413) and /healthz."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = config.MAX_REQUEST_BYTES
    ancestors = config.frame_ancestors()
    csp = content_security_policy(app, ancestors)
    version = dataset_version(dataset)

    @server.before_request
    def refuse_large_bodies():
        # Checked before anything reads the body: a 200 MB POST is answered at once, not read.
        length = flask.request.content_length
        if length is not None and length > config.MAX_REQUEST_BYTES:
            raise RequestEntityTooLarge()

    serve_geometry_of_other_versions(server, dataset)
    guard_callbacks(server, lambda: app.callback_map)  # after the size check: every callback input's type, before Dash runs a callback

    @server.after_request
    def security_headers(response: flask.Response) -> flask.Response:
        return add_security_headers(response, csp, ancestors)

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        message = f"request body larger than {config.MAX_REQUEST_BYTES} bytes"
        return flask.jsonify({"error": message}), 413

    api = server.extensions.get("s3map_api")  # /api/v1 is a Flask app of its own (s3map.api.mount_api)
    if api is not None:
        harden_api(api, ancestors)

    @server.route("/healthz")
    def healthz():
        answer = {"status": "ok", "dataset": version}
        cache = server.extensions.get("s3map_response_cache")  # installed after this (app_factory)
        if cache is not None:
            answer["response_cache"] = cache.stats()  # this process's: each gunicorn worker keeps its own
        response = flask.jsonify(answer)
        response.headers["Cache-Control"] = "no-store"
        return response


GEO_NAME = re.compile(r"nuts[0-3]\.[0-9a-f]{12}\.json")
ONE_YEAR = 31_536_000


def serve_geometry_of_other_versions(server: flask.Flask, dataset) -> None:
    """Answer /geo/<name> of another dataset version on this disk too (content-hashed names cannot clash).

    During a rollout a page rendered by a replica on the old version may fetch its geometry from a
    replica on the new one; this keeps that from being a 404 and a map with no shapes.
    """
    versions = dataset.folder.parent
    current = set(dataset.geo_files.values())
    if not versions.name.endswith(".versions"):
        return

    @server.before_request
    def geometry_of_other_versions():
        path = flask.request.path
        if not path.startswith("/geo/"):
            return None
        name = path.removeprefix("/geo/")
        if name in current or not GEO_NAME.fullmatch(name):
            return None  # the app's own route answers (or 404s) as usual
        for folder in sorted(versions.iterdir(), reverse=True):
            if (folder / "geo" / name).is_file():
                response = flask.send_from_directory(folder / "geo", name, mimetype="application/geo+json",
                                                     max_age=ONE_YEAR)
                response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
                return response
        return None


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def inline_script_hashes(html: str) -> list[str]:
    """CSP hashes of a page's inline scripts (Swagger UI starts itself with one)."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
            for body in INLINE_SCRIPT.findall(html) if body.strip()]


def harden_api(api: flask.Flask, ancestors: list[str], swagger_path: str = "/api/v1/swagger") -> None:
    """The same headers and size limit on the API: its HTML pages (docs, Swagger UI) run only their
    own scripts, by hash; JSON and CSV answers get nosniff like everything else."""
    api.config["MAX_CONTENT_LENGTH"] = config.MAX_REQUEST_BYTES
    header = {"csp": ""}  # set below, once the Swagger page (fetched through the app) gives its script

    @api.after_request
    def api_headers(response: flask.Response) -> flask.Response:
        return add_security_headers(response, header["csp"], ancestors)

    with api.test_client() as client:  # the Swagger page's inline script, allowed by its hash
        page = client.get(swagger_path)
    scripts = inline_script_hashes(page.get_data(as_text=True)) if page.status_code == 200 else []
    header["csp"] = policy_header(scripts, ancestors)


class QuietRequestHandler(WSGIRequestHandler):
    """Flask's development server without its Werkzeug and Python versions in the Server header."""

    def version_string(self) -> str:
        return "s3map"


def main(app: dash.Dash | None = None) -> None:
    """`scripts/run-app.sh` and `python app.py`: gunicorn with the settings in gunicorn.conf.py;
    Flask's development server (reloader, debugger) only with S3MAP_DEBUG=1."""
    if config.DEBUG:
        if app is None:
            from app import app  # noqa: PLC0415  (importing app builds it: only when this server runs)
        app.run(host=config.HOST, port=config.PORT, debug=True, request_handler=QuietRequestHandler)
        return
    conf = config.PROJECT_ROOT / "gunicorn.conf.py"
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(conf), "app:server"]
    os.chdir(config.PROJECT_ROOT)
    os.execv(sys.executable, gunicorn)


if __name__ == "__main__":
    main()
