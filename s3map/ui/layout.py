"""The page: controls, map, side panel, sources. Built from the dataset; no callbacks here."""

from __future__ import annotations

import unicodedata

import dash_bootstrap_components as dbc
import pycountry
from dash import dcc, html

from s3map.figures.insets import frame_views
from s3map.figures.map import EUROPE_VIEW, base_figure
from s3map.data.s3_queries import KEYWORD_SCOPE
from s3map.state import CATEGORIES, PALETTES, RIS_GROUPS, ViewState, year_marks
from s3map.ui import ids
from s3map.ui.exports import export_block

CATEGORY_LABELS = {"less": "Less developed (< 75 %)", "transition": "Transition (75–100 %)",
                   "more": "More developed (≥ 100 %)"}
# One-click views: Europe, each outermost region's frame beside it, and the small or far places.
ZOOMS = {
    "Europe": EUROPE_VIEW, **frame_views(),
    "Cyprus": (33.2, 35.1, 80.0), "Malta": (14.4, 35.95, 350.0), "Svalbard": (18.0, 78.5, 12.0),
}
TAXONOMY_TITLES = {"nace": "Economic domain (NACE)", "nabs": "Scientific domain (NABS)", "sdg": "Policy objective (SDG)"}



def code_options(dataset) -> list[dict]:
    options = []
    for taxonomy in ("nace", "nabs", "sdg"):
        for code, label in dataset.taxonomy_entries(taxonomy):
            options.append({"label": f"{taxonomy.upper()} {code} · {label}", "value": f"{taxonomy}:{code}",
                            "search": f"{taxonomy} {code} {label}"})
    return options


def region_options(dataset) -> list[dict]:
    """Every EU country and NUTS 1/2 region, and the NUTS 3 regions that have a strategy of their own;
    found by its Latin name (with or without diacritics), its name in its own script, its code, or its
    country's English name (NUTS has no English region names)."""
    rows = dataset.searchable_regions()
    english = english_country_names(rows["country"].unique())
    return [{"label": f"{name} ({code})" if level else f"{name} — {english.get(code, '')} ({code})", "value": code,
             "search": f"{name} {ascii_fold(name)} {native} {english.get(code[:2], '')} {code}"}
            for code, name, native, level in zip(rows["code"], rows["name"], rows["name_native"], rows["level"])]


def english_country_names(codes) -> dict[str, str]:
    """Eurostat country code -> English short name (ISO 3166 via pycountry; Eurostat writes EL and UK)."""
    iso = {"EL": "GR", "UK": "GB"}
    out = {}
    for code in codes:
        country = pycountry.countries.get(alpha_2=iso.get(code, code))
        if country is not None:
            out[code] = getattr(country, "common_name", None) or country.name
    return out


def ascii_fold(text: str) -> str:
    """'Małopolskie' -> 'Malopolskie': lets people type names without the diacritics."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("đ", "d").replace("ß", "ss")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def geo_urls(dataset) -> dict[str, str]:
    return {level: f"/geo/{name}" for level, name in dataset.geo_files.items()}


def build_layout(dataset) -> html.Div:
    state = ViewState()
    years = dataset.years(state.indicator)
    label = lambda text, target: html.Label(text, htmlFor=target, className="form-label")  # noqa: E731
    indicator_controls = html.Div([
        label("Indicator", ids.INDICATOR),
        dcc.Dropdown(id=ids.INDICATOR, options=[{"label": m.label, "value": m.id} for m in dataset.indicators.values()],
                     value=state.indicator, clearable=False),
        html.Label(["Year ", html.Span(str(dataset.default_year(state.indicator)), id=ids.YEAR_LABEL,
                                       className="year-value")], htmlFor=ids.YEAR, className="form-label mt-3"),
        dcc.Slider(id=ids.YEAR, min=years[0], max=years[-1], step=1, value=dataset.default_year(state.indicator),
                   marks=year_marks(years),
                   included=False, updatemode="mouseup"),
        html.Div([
            html.Div([label("Classes", ids.CLASSES),
                      dbc.RadioItems(id=ids.CLASSES, value=state.classes, inline=True, options=[
                          {"label": "Continuous", "value": "continuous"},
                          {"label": "Quintiles", "value": "quantile"}])]),
            html.Div([label("Palette", ids.PALETTE),
                      dcc.Dropdown(id=ids.PALETTE, value=state.palette, clearable=False, searchable=False,
                                   options=[{"label": p, "value": p} for p in PALETTES])], className="palette"),
        ], className="row-pair mt-2"),
    ], id=ids.INDICATOR_BOX)
    priority_controls = html.Div([
        label("Taxonomy codes", ids.CODES),
        dcc.Dropdown(id=ids.CODES, options=code_options(dataset), multi=True, value=[],
                     placeholder="e.g. NACE C10 food, SDG7 energy…"),
        label("Keyword in priorities", ids.KEYWORD),
        dcc.Input(id=ids.KEYWORD, type="search", debounce=True, placeholder="e.g. hydrogen", className="form-control",
                  maxLength=60),
        html.P(KEYWORD_SCOPE, className="hint keyword-scope"),
        html.P("Shaded by the number of matching priorities of each current strategy, drawn on the territory it "
               "covers (national, NUTS 1, 2 or 3); finer territories on top.", className="hint"),
    ], id=ids.PRIORITY_BOX, style={"display": "none"})
    filters = html.Div([
        html.H2("Filters", className="section-title"),
        label("Country", ids.COUNTRY),
        dcc.Dropdown(id=ids.COUNTRY, options=[{"label": f"{dataset.region_name(c)} ({c})", "value": c}
                                              for c in dataset.eu_countries], multi=True, value=[]),
        label("Regional Innovation Scoreboard 2023 group", ids.RIS),
        dbc.Checklist(id=ids.RIS, options=[{"label": g, "value": g} for g in RIS_GROUPS], value=[], inline=True),
        label("Cohesion-policy category (GDP/inhabitant, % EU, 2015-17)", ids.CATEGORY),
        dbc.Checklist(id=ids.CATEGORY, options=[{"label": CATEGORY_LABELS[c], "value": c} for c in CATEGORIES], value=[]),
        label("S3 partnership", ids.PARTNERSHIP),
        dcc.Dropdown(id=ids.PARTNERSHIP, options=[{"label": p, "value": p} for p in dataset.partnership_names],
                     value=None, placeholder="any"),
        html.Div([html.Span(id=ids.FILTER_SUMMARY, role="status"),
                  dbc.Button("Clear filters", id=ids.CLEAR_FILTERS, color="link", size="sm", className="ms-1")],
                 className="filter-summary"),
    ])
    controls = dbc.Card(dbc.CardBody([
        label("Find a region", ids.REGION_SEARCH),
        dcc.Dropdown(id=ids.REGION_SEARCH, options=region_options(dataset), placeholder="Type a name or code…",
                     value=None),
        html.H2("Colour the map by", className="section-title mt-3"),
        dbc.RadioItems(id=ids.MODE, value=state.mode, inline=True, options=[
            {"label": "Indicator", "value": "indicator"}, {"label": "S3 priorities", "value": "priorities"}]),
        indicator_controls, priority_controls, html.Hr(), filters,
    ]), className="controls")
    zooms = html.Div([html.Span("Zoom to:", className="me-1")] + [
        dbc.Button(name, id={"type": ids.ZOOM, "index": name}, size="sm", color="light", className="me-1 mb-1")
        for name in ZOOMS], className="zooms")
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.VIEW_SHOWN, data={}),
        dcc.Store(id=ids.MAP_VIEW, data=None),
        html.Header([
            html.H1("S3 Observatory"),
            html.P("Smart Specialisation Strategies and regional indicators, EU NUTS 2021 regions", className="subtitle"),
            html.Span(id="tour-step", className="tour-step", **{"aria-live": "polite"}),
        ], className="site-header"),
        dbc.Alert(id=ids.NOTICE, is_open=False, color="warning", dismissable=True, className="notice"),
        html.Main([
            html.Section([controls], className="left"),
            html.Section([
                dcc.Loading(dcc.Graph(
                    id=ids.MAP, figure=base_figure(geo_urls(dataset), dataset.context_countries), className="map",
                    config={"displaylogo": False, "scrollZoom": True, "topojsonURL": "/topojson/",
                            "modeBarButtonsToRemove": ["select2d", "lasso2d"],
                            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "s3map"}},
                ), delay_show=200, type="dot", parent_className="map-loading"),
                zooms,
                html.Div(id=ids.MAP_CAPTION, className="map-caption"),
                export_block(),
                html.Div(id=ids.OUTERMOST, className="outermost"),
            ], className="centre"),
            html.Aside([
                dbc.Tabs(id=ids.TABS, active_tab="region", className="panel-tabs", children=[
                    dbc.Tab(label="Region", tab_id="region"), dbc.Tab(label="Compare", tab_id="compare"),
                    dbc.Tab(label="Peers & partners", tab_id="peers"),
                    dbc.Tab(label="Specialisation", tab_id="specialisation")]),
                dcc.Loading(html.Div(id=ids.PANEL, **{"aria-live": "polite"}), delay_show=200, type="dot"),
                dcc.Download(id=ids.DOWNLOAD),
            ], className="right"),
        ], className="page"),
        html.Footer(sources_footer(dataset), id=ids.SOURCES),
    ], id=ids.APP, className="app")


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
                "S3 priorities compiled from public pages, each linked to its source; taxonomy codes marked "
                "dashed were proposed by an automatic coder. "]),
        html.Details([html.Summary("Data sources"), html.Ul(items)]),
    ]
