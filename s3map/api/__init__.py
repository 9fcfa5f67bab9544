"""Read-only JSON API under /api/v1, served by the app's own server.

flask-openapi3 (pydantic v2 models -> request validation and the OpenAPI 3.1 document) runs the
/api/v1 routes in a Flask app of its own; `mount_api` routes every request under /api/v1 of the
Dash server to it, so the API answers on the same host and port, with its own error handling
(RFC 9457 problem documents, never an HTML page). /api/v1/exports/* turn an app view address
into CSV, PNG or SVG (s3map.export_view). Docs: /api/v1/docs (rendered here from the
spec, no script) and /api/v1/swagger (Swagger UI, its assets from the flask-openapi3-swagger wheel).
"""

from __future__ import annotations

from flask import redirect
from flask_compress import Compress
from flask_openapi3 import Info, OpenAPI

from s3map.api import docs, exports, problems
from s3map.api.routes import PREFIX, api
from s3map.api.schemas import Problem

DESCRIPTION = (
    "Read-only access to the S3 Observatory's dataset: NUTS 2021 regions, Eurostat and European Commission "
    "regional indicators (each value with unit, flag and source), smart specialisation strategies with "
    "their coded priorities, and structural peers and partner strategies of a region. Lists are paged "
    "(limit <= 1000, offset); errors are RFC 9457 problem documents (application/problem+json). "
    "The whole dataset: /api/v1/downloads/datapackage.zip (Frictionless, CSV) and /api/v1/downloads/parquet.zip."
)


def create_api_app() -> OpenAPI:
    app = OpenAPI(
        __name__, info=Info(title="S3 Observatory API", version="1.0.0", description=DESCRIPTION),
        security_schemes={},  # none (read-only, public); None would be written as an invalid null
        validation_error_status=400, validation_error_model=Problem,
        validation_error_callback=problems.validation_problem,
        doc_prefix=PREFIX, doc_url="/openapi.json", static_folder=None)
    app.json.sort_keys = False
    app.config["COMPRESS_MIMETYPES"] = ["application/json", "application/problem+json", "text/html"]
    Compress(app)
    app.register_api(api)
    problems.register(app)
    docs.register(app, PREFIX)
    exports.register(app, PREFIX)
    # the library's UI chooser at /api/v1/ becomes a pointer to the self-rendered reference
    app.view_functions["openapi.openapi"] = lambda: redirect(f"{PREFIX}/docs")
    return app


def mount_api(server) -> OpenAPI:
    """Answer every request under /api/v1 of `server` (the Dash app's Flask) with the API app."""
    api_app = create_api_app()
    dash_wsgi = server.wsgi_app

    def dispatch(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == PREFIX or path.startswith(PREFIX + "/"):
            return api_app(environ, start_response)
        return dash_wsgi(environ, start_response)

    server.wsgi_app = dispatch
    server.extensions["s3map_api"] = api_app
    return api_app
