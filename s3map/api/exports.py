"""/api/v1/exports/*: what a view of the app shows, as CSV or as a picture.

The query string is the app's own view address (`?indicator=gerd_pc_gdp&year=2021&category=less`), so
the app links here with its current search and an export is exactly the screen. Plain Flask rules:
not part of the OpenAPI document (their input is the app's URL state, validated by s3map.state, whose
invalid parameters are ignored and named in the CSV header as on screen).
"""

from __future__ import annotations

from flask import Response, request

from s3map.api import queries
from s3map.api.problems import ApiProblem
from s3map.export_view import comparison_csv, map_csv, map_image

MAX_QUERY = 2000


def _search() -> str:
    search = request.query_string.decode("utf-8", "replace")
    if len(search) > MAX_QUERY:
        raise ApiProblem(400, "Invalid request parameter", f"the view address is longer than {MAX_QUERY} characters")
    return "?" + search


def _csv(text: str, name: str) -> Response:
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def export_map_csv():
    return _csv(map_csv(queries.dataset(), _search()), "s3map-map.csv")


def export_comparison_csv():
    search = _search()
    if "compare=" not in search:
        raise ApiProblem(400, "Nothing to compare", "add regions to the comparison: ?compare=PL21,DE21")
    return _csv(comparison_csv(queries.dataset(), search), "s3map-comparison.csv")


def export_map_image(image_format: str):
    try:
        image = map_image(queries.dataset(), _search(), image_format)
    except (RuntimeError, OSError) as error:  # no Chromium on this machine, or it failed to start
        raise ApiProblem(503, "Map image unavailable", f"the image renderer failed: {error}") from error
    mimetype = "image/png" if image_format == "png" else "image/svg+xml"
    return Response(image, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="s3map-map.{image_format}"', "Cache-Control": "max-age=300"})


def register(app, prefix: str) -> None:
    app.add_url_rule(f"{prefix}/exports/map.csv", "export_map_csv", export_map_csv)
    app.add_url_rule(f"{prefix}/exports/comparison.csv", "export_comparison_csv", export_comparison_csv)
    app.add_url_rule(f"{prefix}/exports/map.png", "export_map_png", lambda: export_map_image("png"))
    app.add_url_rule(f"{prefix}/exports/map.svg", "export_map_svg", lambda: export_map_image("svg"))
