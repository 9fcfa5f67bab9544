"""The page: controls, map, side panel, sources. Built from the dataset; no callbacks here."""

from __future__ import annotations

from dash import dcc, html
import dash_bootstrap_components as dbc

from s3map.figures.map import map_figure
from s3map.state import DEFAULT_INDICATOR
from s3map.ui import ids
from s3map.ui.panel import empty_panel


def year_marks(years: list[int]) -> dict:
    """First and last year always; between them every few years, never crowding the last label."""
    step = max(1, round(len(years) / 5))
    marks = {int(y): str(y) for y in years[:-1][::step] if years[-1] - y >= max(2, step)}
    marks[int(years[0])] = str(years[0])
    marks[int(years[-1])] = str(years[-1])
    return dict(sorted(marks.items()))


def initial_figure(dataset, indicator: str = DEFAULT_INDICATOR):
    meta = dataset.indicators[indicator]
    year = dataset.latest_year(indicator)
    geo_urls = {level: f"/geo/{name}" for level, name in dataset.geo_files.items()}
    return map_figure(dataset.map_values(indicator, year), label=meta.label, unit=meta.unit, year=year,
                      decimals=meta.decimals, geo_urls=geo_urls, context_codes=dataset.context_countries)


def build_layout(dataset) -> html.Div:
    indicator = DEFAULT_INDICATOR
    years = dataset.years(indicator)
    options = [{"label": m.label, "value": m.id} for m in dataset.indicators.values()]
    controls = dbc.Card(dbc.CardBody([
        html.Label("Indicator", htmlFor=ids.INDICATOR, className="form-label"),
        dcc.Dropdown(id=ids.INDICATOR, options=options, value=indicator, clearable=False, searchable=True),
        html.Label(["Year ", html.Span(str(years[-1]), id=ids.YEAR_LABEL, className="year-value")],
                   htmlFor=ids.YEAR, className="form-label mt-3"),
        dcc.Slider(id=ids.YEAR, min=years[0], max=years[-1], step=1, value=years[-1],
                   marks=year_marks(years), included=False, updatemode="mouseup"),
    ]), className="controls")
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.MAP_SHOWN, data={"indicator": indicator, "year": years[-1], "region": None}),
        html.Header([
            html.H1("S3 Observatory"),
            html.P("Smart Specialisation Strategies and regional indicators, EU NUTS 2021 regions",
                   className="subtitle"),
        ], className="site-header"),
        dbc.Alert(id=ids.NOTICE, is_open=False, color="warning", dismissable=True, className="notice"),
        html.Main([
            html.Section([controls, html.Div(id=ids.MAP_CAPTION, className="map-caption")], className="left"),
            html.Section(dcc.Loading(dcc.Graph(
                id=ids.MAP, figure=initial_figure(dataset, indicator), className="map",
                config={"displaylogo": False, "scrollZoom": True, "topojsonURL": "/topojson/",
                        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "s3map"}},
            ), delay_show=200, type="dot"), className="centre"),
            html.Aside(html.Div(empty_panel(), id=ids.PANEL), className="right", **{"aria-live": "polite"}),
        ], className="page"),
        html.Footer(sources_footer(dataset), id=ids.SOURCES),
    ], className="app")


def sources_footer(dataset) -> list:
    seen, items = set(), []
    for meta in dataset.indicators.values():
        if meta.source_url in seen:
            continue
        seen.add(meta.source_url)
        items.append(html.Li([meta.source_title, " — ", meta.source, " ",
                              html.A("file", href=meta.source_url, target="_blank", rel="noopener")]))
    return [
        html.P([html.Strong("© EuroGeographics for the administrative boundaries"),
                " · Boundaries: Eurostat GISCO, NUTS 2021 (via eurostat/Nuts2json). ",
                "Source: Eurostat; European Commission, Regional Innovation Scoreboard 2023. ",
                "S3 priorities compiled from public pages, each linked to its source. "]),
        html.Details([html.Summary("Data sources"), html.Ul(items)]),
    ]
