"""The region side panel: pure functions from dataset queries to Dash components."""

from __future__ import annotations

from dash import dcc, html
import dash_bootstrap_components as dbc

from s3map.figures.map import format_value
from s3map.state import to_search
from s3map.ui import ids

TAXONOMY_NAMES = {"nace": "NACE", "nabs": "NABS", "sdg": "SDG"}


def empty_panel() -> list:
    return [
        html.H2("Select a region", id=ids.PANEL_TITLE, className="panel-title"),
        html.P("Click a region on the map to see its indicators and its smart specialisation strategy.",
               className="text-muted"),
    ]


def region_panel(dataset, code: str) -> list:
    name = dataset.region_name(code) or code
    group = dataset.ris_group(code)
    values = dataset.region_values(code)
    rows = []
    for record in values.itertuples(index=False):
        shown = record.region_shown
        note = f" (NUTS 1 {shown})" if shown and shown != code else ""
        rows.append(html.Tr([
            html.Td(record.label),
            html.Td(format_value(record.value, int(record.decimals)) if record.value is not None else "no data",
                    className="num" if record.value is not None else "num no-data"),
            html.Td(record.unit + note, className="unit"),
            html.Td(str(record.year) if record.year else "—", className="num"),
        ]))
    table = dbc.Table([html.Thead(html.Tr([html.Th("Indicator"), html.Th("Value"), html.Th("Unit"), html.Th("Year")])),
                       html.Tbody(rows)], id=ids.INDICATOR_TABLE, size="sm", className="indicator-table")
    header = [html.H2(name, id=ids.PANEL_TITLE, className="panel-title"),
              html.Div([html.Span(code, className="badge bg-secondary me-2"),
                        html.Span(f"RIS 2023: {group} innovator" if group else "RIS 2023: no data",
                                  className=f"badge ris-{(group or 'none').lower()}")],
                       className="mb-2")]
    return header + [table, html.Div(strategy_section(dataset, code), id=ids.STRATEGY)]


def strategy_section(dataset, code: str) -> list:
    strategies = dataset.strategies_for(code)
    if strategies.empty:
        return [html.H3("Smart specialisation strategy"),
                html.P("No strategy recorded for this region yet.", className="no-data")]
    out = [html.H3("Smart specialisation strategy")]
    for record in strategies.head(3).itertuples(index=False):
        priorities = dataset.priorities_of(record.strategy_id)
        codes = dataset.codes_of(priorities["priority_id"].tolist())
        status = ("current" if record.in_force else "superseded by a later list" if record.current
                  else "history (earlier period)")
        links = []
        if record.document_url:
            links.append(html.A("strategy document", href=record.document_url, target="_blank", rel="noopener"))
        items = []
        for priority in priorities.itertuples(index=False):
            badges = [html.Span(f"{TAXONOMY_NAMES[c.taxonomy]} {c.code}", title=f"{c.label} ({c.method}"
                                + (f", score {c.score:.2f})" if c.method == "coder" else ")"),
                                className=f"code-badge code-{c.taxonomy} code-{c.method}")
                      for c in codes[codes["priority_id"] == priority.priority_id].itertuples(index=False)
                      if c.method == "curated" or c.rank == 1]
            source = priority.source_url.split("|")[0].strip()
            items.append(html.Li([
                html.Span(priority.name, className="priority-name"),
                html.Span(" (secondary source)" if priority.source_type == "secondary" else
                          " (draft)" if priority.source_type == "draft" else "", className="text-muted"),
                " ", html.A("source", href=source, target="_blank", rel="noopener", className="source-link"),
                html.Div(badges, className="badges"),
            ]))
        scope = "National strategy" if record.level == "national" else "Regional strategy"
        out.append(html.Div([
            html.H4(record.title),
            html.P([f"{scope} · {record.territory} · {record.period} · {status}"
                    + (" · list partial" if record.completeness == "partial" else "")]
                   + ([" · "] + links if links else []), className="strategy-meta"),
            html.Ol(items, className="priority-list"),
        ], className=f"strategy {'current' if record.in_force else 'history'}"))
    return out


OUTERMOST_WITH_GEOMETRY = {"PT20": "Açores", "PT30": "Madeira"}


def outermost_list(dataset, state, year: int) -> list:
    """The outermost regions: zoomable where the mirror has a boundary, else listed with their data."""
    r = dataset.regions
    missing = r[r["outermost_without_geometry"] & (r["level"] == 2)]
    meta = dataset.indicators[state.indicator]
    values = dataset.map_values(state.indicator, year).set_index("code")["value"] if state.mode == "indicator" else None
    group = dataset.values[(dataset.values["indicator"] == state.indicator) & (dataset.values["year"] == year)]
    by_region = group.set_index("region")["value"]
    items = []
    for code, name in OUTERMOST_WITH_GEOMETRY.items():
        value = values.get(code) if values is not None else None
        items.append(html.Li([html.Strong(name), f" ({code}): ",
                              format_value(value, meta.decimals) if values is not None else "",
                              " — use the zoom button above"]))
    for code, name in zip(missing["code"], missing["name"]):
        value = by_region.get(code)
        text = (format_value(value, meta.decimals) + f" {meta.unit}" if value is not None else "no data") \
            if state.mode == "indicator" else ""
        link = dcc.Link(name.strip(), href=to_search(state.with_(region=code)), className="fw-bold")
        items.append(html.Li([link, f" ({code}): ", text,
                              html.Span(" — not drawn: its boundary is not in the mirror yet (outermost region)",
                                        className="text-muted")]))
    return [html.Details([html.Summary("Outermost regions"), html.Ul(items)], open=False)]
