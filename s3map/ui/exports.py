"""The 'Download' block under the map: this view as CSV, PNG or SVG; the whole dataset; the API docs.

Each view link is /api/v1/exports/... followed by the page's own address query, kept current by a
clientside callback (s3map/callbacks/exports.py), so what is downloaded is what is on screen. Plain links: they work with the
keyboard, and the browser names the file from the server's Content-Disposition.
"""

from __future__ import annotations

from dash import html

from s3map.ui import ids

EXPORTS = "/api/v1/exports"
VIEW_LINKS = ((ids.EXPORT_MAP_CSV, "Map data (CSV)", f"{EXPORTS}/map.csv", "s3map-map.csv"),
              (ids.EXPORT_MAP_PNG, "Map (PNG)", f"{EXPORTS}/map.png", "s3map-map.png"),
              (ids.EXPORT_MAP_SVG, "Map (SVG)", f"{EXPORTS}/map.svg", "s3map-map.svg"))


def export_block(search: str = "") -> html.Div:
    def view_link(component_id, label, path, filename):
        return html.A(label, id=component_id, href=path + (search or ""), download=filename, className="me-3")
    return html.Div([
        html.Span("Download this view: ", className="me-1 fw-semibold"),
        *[view_link(*link) for link in VIEW_LINKS],
        html.Span("Whole dataset: ", className="ms-2 me-1 fw-semibold"),
        html.A("Data Package (CSV)", href="/api/v1/downloads/datapackage.zip", className="me-3",
               id=ids.DOWNLOAD_DATAPACKAGE),
        html.A("Parquet", href="/api/v1/downloads/parquet.zip", className="me-3", id=ids.DOWNLOAD_PARQUET),
        html.A("API and its documentation", href="/api/v1/docs", id=ids.API_DOCS, target="_blank"),
    ], className="export-links small mt-1", id=ids.EXPORT_LINKS)
