"""The side panel: region detail, comparison, peers and partners, specialisation. Pure builders."""

from __future__ import annotations

from functools import lru_cache

import dash_bootstrap_components as dbc
from dash import dcc, html

from s3map.figures.map import format_value
from s3map.state import MAX_COMPARE, PEER_COUNTS, to_search
from s3map.ui import ids

TAXONOMY_NAMES = {"nace": "NACE", "nabs": "NABS", "sdg": "SDG"}
OUTERMOST_WITH_GEOMETRY = {"PT20": "Açores (the 1:20M boundary shows São Miguel and Santa Maria only)",
                           "PT30": "Madeira (with Porto Santo and the Selvagens)"}


def sparkline(series: list[tuple[int, float]], last: int = 12, width: int = 64, height: int = 18):
    """A tiny inline SVG of the last years (an <img> with a text alternative), or "" with < 2 points."""
    points = series[-last:]
    if len(points) < 2:
        return ""
    years = [y for y, _ in points]
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span_y, span_x = (high - low) or 1.0, (years[-1] - years[0]) or 1
    coords = " ".join(f"{2 + (y - years[0]) / span_x * (width - 4):.1f},{height - 2 - (v - low) / span_y * (height - 4):.1f}"
                      for y, v in points)
    svg = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'><polyline points='{coords}' "
           f"fill='none' stroke='%230b5394' stroke-width='1.6'/></svg>")
    alt = f"trend {years[0]}–{years[-1]}: from {values[0]:g} to {values[-1]:g}"
    return html.Img(src="data:image/svg+xml;utf8," + svg.replace("<", "%3C").replace(">", "%3E"), alt=alt, title=alt,
                    width=width, height=height)


def empty_panel() -> list:
    return [
        html.H2("Select a region", id=ids.PANEL_TITLE, className="panel-title"),
        html.P("Click a region on the map, or type its name in ‘Find a region’, to see its indicators, its smart "
               "specialisation strategy, similar regions and possible partners.", className="text-muted"),
    ]


def region_panel(dataset, code: str, state=None) -> list:
    name = dataset.region_name(code) or code
    group, group_region = dataset.ris_group_of(code)
    in_compare = state is not None and code in state.compare
    add = dbc.Button("In comparison ✓" if in_compare else "Add to comparison", size="sm", color="primary",
                     outline=True, disabled=in_compare or (state is not None and len(state.compare) >= MAX_COMPARE),
                     id={"type": ids.COMPARE_ADD, "index": code}, className="me-2")
    header = [html.H2(name, id=ids.PANEL_TITLE, className="panel-title"),
              html.Div([html.Span(code, className="badge bg-secondary me-2"),
                        html.Span((f"RIS 2023: {group} innovator" + (f" ({group_region})" if group_region != code else ""))
                                  if group else "RIS 2023: no data",
                                  className=f"badge ris-{(group or 'none').lower()} me-2"), add],
                       className="mb-2")]
    return header + region_details(dataset, code)


@lru_cache(maxsize=256)
def region_details(dataset, code: str) -> list:
    """Indicator table, strategy and partnerships of a region: data only, the same for every visitor,
    so built once per region and process ("Add to comparison" rebuilds only the header's button)."""
    rows = []
    for record in dataset.region_profile(code):
        shown = record["region_shown"]
        note = f" (NUTS {len(shown) - 2} {shown})" if shown and shown != code else ""
        has = record["value"] is not None
        trend = sparkline(record["series"])
        rows.append(html.Tr([
            html.Td([record["label"], html.Br(), html.Small(record["unit"] + note, className="unit")]),
            html.Td([format_value(record["value"], record["decimals"]), html.Br(),
                     html.Small(str(record["year"]), className="unit")] if has else "no data",
                    className="num" if has else "num no-data"),
            html.Td(f"{record['rank']} / {record['of']}" if record["rank"] else "—", className="num",
                    title="rank among EU NUTS 2 regions, same year (1 = best)"),
            html.Td(trend, className="spark"),
        ]))
    table = dbc.Table([html.Thead(html.Tr([html.Th("Indicator"), html.Th("Value, year"),
                                           html.Th("EU rank"), html.Th("Trend")])),
                       html.Tbody(rows)], id=ids.INDICATOR_TABLE, size="sm", className="indicator-table")
    partnerships = dataset.partnerships_of(code)
    partnership_block = [html.H3("S3 partnerships"),
                         html.P(", ".join(partnerships) if partnerships else "None recorded for this region.",
                                className="" if partnerships else "no-data")]
    return [table] + [html.Div(strategy_section(dataset, code), id=ids.STRATEGY)] + partnership_block


def strategy_section(dataset, code: str) -> list:
    strategies = dataset.strategies_for(code)
    unlisted = dataset.unlisted_for(code)
    out = [html.H3("Smart specialisation strategy")]
    if strategies.empty and unlisted.empty:
        return out + [html.P("No strategy recorded for this region yet.", className="no-data")]
    shown = strategies.head(3)
    in_force = shown[shown["in_force"]]
    # Current lists first, then current strategies whose priorities are not sourced, then history.
    out += [strategy_card(dataset, record) for record in in_force.itertuples(index=False)]
    out += [unlisted_card(record) for record in unlisted.itertuples(index=False)]
    out += [strategy_card(dataset, record) for record in shown[~shown["in_force"]].itertuples(index=False)]
    out += related_strategies(dataset, code, strategies)
    return out


def unlisted_card(record) -> html.Div:
    """A current strategy a page shows to exist, whose priority list could not be sourced: a gap."""
    scope = "National strategy" if record.level == "national" else "Regional strategy"
    meta = [f"{scope} · {record.territory} · {record.period} · current · priorities not yet sourced"]
    if record.document_url:
        meta += [" · ", html.A("strategy document", href=record.document_url, target="_blank", rel="noopener")]
    sources = [u.strip() for u in record.source_urls.split("|") if u.strip()]
    links = [html.A(f"source {n}" if len(sources) > 1 else "source", href=url, target="_blank", rel="noopener",
                    className="source-link me-2") for n, url in enumerate(sources, 1)]
    return html.Div([html.H4(record.title), html.P(meta, className="strategy-meta"),
                     html.P(["No priority list: ", record.note, " "] + links, className="no-data")],
                    className="strategy current unlisted")


def code_title(code: dict) -> str:
    how = "assigned by a person" if code["method"] == "curated" else f"proposed by the coder, score {code['score']:.2f}"
    return f"{code['label']} ({how})"


def strategy_card(dataset, record) -> html.Div:
    status = ("current" if record.in_force else "superseded by a later list" if record.current
              else "history (earlier period)")
    items = []
    for priority in dataset.priority_records(record.strategy_id):
        badges = [html.Span(f"{TAXONOMY_NAMES[c['taxonomy']]} {c['code']}", title=code_title(c),
                            className=f"code-badge code-{c['taxonomy']} code-{c['method']}")
                  for c in priority["codes"] if c["method"] == "curated" or c["rank"] == 1]
        source = priority["source_url"].split("|")[0].strip()
        kind = {"secondary": " (secondary source)", "draft": " (draft)"}.get(priority["source_type"], "")
        items.append(html.Li([
            html.Span(priority["name"], className="priority-name"), html.Span(kind, className="text-muted"),
            " ", html.A("source", href=source, target="_blank", rel="noopener", className="source-link"),
            html.Div(priority["description"], className="priority-description") if priority["description"] else None,
            html.Div(badges, className="badges"),
        ]))
    scope = "National strategy" if record.level == "national" else "Regional strategy"
    meta = [f"{scope} · {record.territory} · {record.period} · {status}"
            + (" · list partial" if record.completeness == "partial" else "")]
    if record.document_url:
        meta += [" · ", html.A("strategy document", href=record.document_url, target="_blank", rel="noopener")]
    return html.Div([html.H4(record.title), html.P(meta, className="strategy-meta"), html.Ol(items, className="priority-list")],
                    className=f"strategy {'current' if record.in_force else 'history'}")


def related_strategies(dataset, code: str, strategies) -> list:
    """A national strategy lists its country's regional ones; a regional one links to its national one."""
    country = code[:2]
    if len(code) == 2:
        regional = dataset.regional_strategies_in(country)
        if regional.empty:
            return [html.P("No current regional strategy recorded in this country.", className="no-data")]
        links = [html.Li(dcc.Link(f"{dataset.region_name(t.split()[0]) or t} — {title}",
                                  href=f"?region={t.split()[0]}")) for t, title in zip(regional["territory"], regional["title"])]
        return [html.H3(f"Regional strategies in {dataset.region_name(country)}"), html.Ul(links)]
    national = dataset.national_strategy(country)
    if national is None or (strategies["territory"] == country).all():
        return []
    return [html.P(["National strategy: ", dcc.Link(national["title"], href=f"?region={country}")],
                   className="strategy-meta")]


def outermost_list(dataset, state, year: int) -> list:
    """The outermost regions: zoomable where the mirror has a boundary, else listed with their data."""
    meta = dataset.indicators[state.indicator]
    by_region = dataset.values_at(state.indicator, year)
    values = by_region if state.mode == "indicator" else None
    items = []
    for code, name in OUTERMOST_WITH_GEOMETRY.items():
        value = values.get(code) if values is not None else None
        items.append(html.Li([html.Strong(name), f" ({code}): ",
                              format_value(value, meta.decimals) if values is not None else "",
                              " — use the zoom button above"]))
    for code, name in dataset.outermost_without_geometry():
        value = by_region.get(code)
        text = (format_value(value, meta.decimals) + f" {meta.unit}" if value is not None else "no data") \
            if state.mode == "indicator" else ""
        link = dcc.Link(name.strip(), href=to_search(state.with_(region=code)), className="fw-bold")
        items.append(html.Li([link, f" ({code}): ", text,
                              html.Span(" — not drawn: its boundary is not in the mirror yet (outermost region)",
                                        className="text-muted")]))
    return [html.Details([html.Summary("Outermost regions"), html.Ul(items)], open=False)]


def peer_controls(state) -> html.Div:
    return html.Div([
        html.Label("Peers", htmlFor="peer-count-select", className="me-2"),
        dcc.Dropdown(id={"type": ids.PEER_COUNT, "index": 0}, options=[{"label": str(n), "value": n} for n in PEER_COUNTS],
                     value=state.peers, clearable=False, searchable=False, className="peer-count"),
        dbc.Checklist(id={"type": ids.PEER_OWN, "index": 0}, options=[{"label": "exclude own country", "value": "x"}],
                      value=["x"] if state.exclude_own_country else [], inline=True, className="ms-3"),
    ], className="peer-controls")
