"""The side panel: region detail, comparison, peers and partners, specialisation. Pure builders."""

from __future__ import annotations

from functools import lru_cache

import dash_bootstrap_components as dbc
from dash import dcc, html

from s3map.figures.insets import frames
from s3map.figures.map import format_value
from s3map.state import MAX_COMPARE, PEER_COUNTS, to_search
from s3map.ui import ids
from s3map.ui.s3_section import partnership_block, strategy_section



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


STALE_AFTER_YEARS = 3


def rank_text(of: int, year: int) -> str:
    """'of 20 reporting in 2023': a rank says among how many regions, in which year."""
    return f"of {of} reporting in {year}"


def years_behind(dataset, indicator: str, year: int | None) -> int:
    """How many years a value is older than its indicator's latest year, when that is more than three."""
    if year is None:
        return 0
    behind = int(dataset.years(indicator)[-1]) - int(year)
    return behind if behind > STALE_AFTER_YEARS else 0


def stale_mark(dataset, indicator: str, year: int | None) -> list:
    """A visible mark on a value more than three years older than the indicator's latest year."""
    behind = years_behind(dataset, indicator, year)
    if not behind:
        return []
    latest = int(dataset.years(indicator)[-1])
    return [html.Br(), html.Small(f"⚠ {behind} years older than {latest}", className="stale",
                                  title=f"the latest year of this indicator is {latest}; this region's latest value is "
                                        f"from {year}")]


def empty_panel(initial: bool = False) -> list:
    """The panel before a region is chosen. `initial`: the copy in the page layout itself, painted with
    the first render instead of after a round trip (hidden by assets/s3map_layout.js when the URL
    names a region, so that region's panel does not flash the invitation first)."""
    extra = " panel-initial" if initial else ""
    return [
        html.H2("Select a region", id=ids.PANEL_TITLE, className="panel-title" + extra),
        html.P("Click a region on the map, or type its name in ‘Find a region’, to see its indicators, its smart "
               "specialisation strategy, similar regions and possible partners.", className="text-muted" + extra),
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
                     html.Small(str(record["year"]), className="unit"),
                     *stale_mark(dataset, record["indicator"], record["year"])] if has else "no data",
                    className="num" if has else "num no-data"),
            html.Td([html.Strong(str(record["rank"])), html.Br(),
                     html.Small(rank_text(record["of"], record["year"]), className="unit")]
                    if record["rank"] else "—", className="num",
                    title=f"rank among the {record['of']} EU NUTS 2 regions reporting in {record['year']} (1 = best)"
                    if record["rank"] else None),
            html.Td(trend, className="spark"),
        ]))
    table = dbc.Table([html.Thead(html.Tr([html.Th("Indicator"), html.Th("Value, year"),
                                           html.Th("EU rank"), html.Th("Trend")])),
                       html.Tbody(rows)], id=ids.INDICATOR_TABLE, size="sm", className="indicator-table")
    # What a policymaker opens the panel for comes first: the strategy, then the indicators.
    return ([html.Div(strategy_section(dataset, code), id=ids.STRATEGY)]
            + [html.H3("Indicators"), html.Div(table, className="table-scroll")] + partnership_block(dataset, code))


def outermost_list(dataset, state, year: int) -> list:
    """The outermost regions: each drawn in its frame beside the map; listed here with their values."""
    meta = dataset.indicators[state.indicator]
    by_region = dataset.values_at(state.indicator, year)
    items = []
    missing = dict(dataset.outermost_without_geometry())
    for frame in frames():
        code = frame["code"]
        value = by_region.get(code)
        text = (format_value(value, meta.decimals) + f" {meta.unit}" if value is not None else "no data") \
            if state.mode == "indicator" else ""
        link = dcc.Link(frame["label"], href=to_search(state.with_(region=code)), className="fw-bold")
        where = (" — not drawn: its boundary is not in the dataset" if code in missing
                 else " — in its frame beside the map (zoom button above)")
        items.append(html.Li([link, f" ({code}): ", text, html.Span(where, className="text-muted")]))
    return [html.Details([html.Summary("Outermost regions"), html.Ul(items)], open=False)]


def peer_controls(state) -> html.Div:
    return html.Div([
        html.Label("Peers", htmlFor="peer-count-select", className="me-2"),
        dcc.Dropdown(id={"type": ids.PEER_COUNT, "index": 0}, options=[{"label": str(n), "value": n} for n in PEER_COUNTS],
                     value=state.peers, clearable=False, searchable=False, className="peer-count"),
        dbc.Checklist(id={"type": ids.PEER_OWN, "index": 0}, options=[{"label": "exclude own country", "value": "x"}],
                      value=["x"] if state.exclude_own_country else [], inline=True, className="ms-3"),
    ], className="peer-controls")
