"""The choropleth: pure functions from data to a Plotly figure, and to the update that changes it.

Geometry is never embedded: each trace points at a content-hashed GeoJSON URL that the browser
fetches once and caches (region names travel in that file too); an update carries only codes,
values and short hover notes.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from s3map.figures.insets import FRAME_MERIDIAN, frame_label_trace, frame_outline_trace, label_font

NO_DATA_COLOUR = "#a8a8a8"
NO_MATCH_COLOUR = "#c9d6e3"
# "Not in the filter" is an empty outline (white, grey border); "Outside the EU" a flat light grey:
# told apart by shape of the swatch as well as by tone.
FILTERED_COLOUR = "#ffffff"
FILTERED_BORDER = "#7d8793"
CONTEXT_COLOUR = "#ececec"
BORDER_COLOUR = "#ffffff"
PRIORITY_SCALE = "Oranges"
ATTRIBUTION = "© EuroGeographics for the administrative boundaries · Source: Eurostat; European Commission"
QUANTILES = 5
FLAGS = {"b": "break in series", "p": "provisional", "e": "estimated", "u": "low reliability",
         "d": "definition differs", "c": "confidential"}

# Traces in drawing order (later ones on top); updates address them by index. On a priority map
# each level's strategies are drawn above the coarser levels': a territory with its own strategy
# (a Czech kraj, a Swedish county) shows that strategy, matching (T_Pn) or not (T_OWNn), never
# its country's.
(T_CONTEXT, T_BASE, T_NO_MATCH, T_VALUES, T_P0, T_OWN1, T_P1, T_OWN2, T_P2, T_OWN3, T_P3, T_FILTERED,
 T_SELECTED, T_SELECTED0, T_SELECTED1, T_SELECTED3, T_FRAMES, T_FRAME_LABELS) = range(18)
# Outlines of a selected country, NUTS 1 or NUTS 3 region (T_SELECTED outlines NUTS 2 regions).
SELECTED_TRACES = {0: T_SELECTED0, 1: T_SELECTED1, 2: T_SELECTED, 3: T_SELECTED3}
PRIORITY_TRACES = {0: T_P0, 1: T_P1, 2: T_P2, 3: T_P3}
OWN_STRATEGY_TRACES = {1: T_OWN1, 2: T_OWN2, 3: T_OWN3}
NUTS3_TRACES = (T_OWN3, T_P3)
# Centred a little south of the EU's middle so the lowest outermost-region frame (Mayotte) is
# not cut at the bottom on laptop and projector screens.
EUROPE_VIEW = (FRAME_MERIDIAN, 51.8, 5.8)
NAME = "%{properties.na}"


def format_value(value: float | None, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "no data"
    return f"{value:,.{decimals}f}".replace(",", "\u202f")  # thin space: readable, not locale-bound


def flag_text(flag: str) -> str:
    return ", ".join(FLAGS.get(ch, ch) for ch in str(flag or "") if ch.strip())


def _note(flag: str, note: str) -> str:
    return "; ".join(part for part in (flag_text(flag), note) if part)


def quantile_breaks(values: np.ndarray, classes: int = QUANTILES) -> list[float]:
    """Class edges at equal shares of regions; fewer classes when values repeat."""
    edges = np.unique(np.quantile(values, np.linspace(0, 1, classes + 1)))
    return edges.tolist() if len(edges) > 1 else [float(values.min()), float(values.max()) + 1e-9]


@lru_cache(maxsize=16)
def colour_list(palette: str) -> list:
    return plotly.colors.get_colorscale(palette)


def discrete_scale(palette: str, classes: int) -> list:
    colours = plotly.colors.sample_colorscale(palette, [i / max(classes - 1, 1) for i in range(classes)])
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / classes, colour], [(i + 1) / classes, colour]]
    return scale


def empty_trace_update() -> dict:
    return {"locations": [], "z": [], "customdata": []}


def indicator_update(frame: pd.DataFrame, keep: pd.Index, *, label: str, unit: str, year: int,
                     decimals: int, classes: str = "continuous", palette: str = "YlGnBu") -> dict:
    """Trace and layout changes for colouring by an indicator.

    `frame`: map_values() of one indicator and year; `keep`: NUTS 2 codes passing the filters.
    """
    keep = set(keep)
    kept = frame["code"].map(keep.__contains__).astype(bool)
    inside, outside = frame[kept], frame[~kept]
    has = inside["value"].notna()
    with_data, without = inside[has], inside[~has]
    values = with_data["value"].to_numpy(dtype=float)
    texts = [format_value(v, decimals) for v in values]
    notes = [_note(f, n) for f, n in zip(with_data["flag"], with_data["note"])]
    layout = {"coloraxis.colorbar.title.text": unit, "coloraxis.showscale": bool(len(values)),
              "coloraxis2.showscale": False}
    if classes == "quantile" and len(values) >= QUANTILES:
        edges = quantile_breaks(values)
        z = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2).tolist()
        count = len(edges) - 1
        layout.update({
            "coloraxis.colorscale": discrete_scale(palette, count), "coloraxis.cmin": -0.5,
            "coloraxis.cmax": count - 0.5, "coloraxis.colorbar.tickvals": list(range(count)),
            "coloraxis.colorbar.ticktext": [f"{format_value(a, decimals)}–{format_value(b, decimals)}"
                                            for a, b in zip(edges[:-1], edges[1:])],
            "coloraxis.colorbar.tickmode": "array",
        })
    else:
        z = [round(v, 6) for v in values.tolist()]
        low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        layout.update({"coloraxis.colorscale": colour_list(palette), "coloraxis.cmin": low, "coloraxis.cmax": high,
                       "coloraxis.colorbar.tickvals": None, "coloraxis.colorbar.ticktext": None,
                       "coloraxis.colorbar.tickmode": "auto"})
    return {
        "traces": {
            T_BASE: {"locations": without["code"].tolist(), "z": [0] * len(without), "name": "No data",
                     "hovertemplate": f"<b>{NAME}</b> (%{{location}})<br>no data for {year}<extra></extra>"},
            T_NO_MATCH: empty_trace_update(),
            T_VALUES: {"locations": with_data["code"].tolist(), "z": z,
                       "customdata": [[t, n] for t, n in zip(texts, notes)],
                       "hovertemplate": (f"<b>{NAME}</b> (%{{location}})<br>%{{customdata[0]}} {unit}"
                                         f"<br>{label}, {year}<br><i>%{{customdata[1]}}</i><extra></extra>")},
            **{index: empty_trace_update() for index in PRIORITY_TRACES.values()},
            **{index: empty_trace_update() for index in OWN_STRATEGY_TRACES.values()},
            T_FILTERED: {"locations": outside["code"].tolist(), "z": [0] * len(outside)},
        },
        "layout": layout,
        "summary": {"shown": int(len(inside)), "with_data": int(len(with_data)), "total": int(len(frame))},
    }


MAX_COUNT_CLASSES = 6


def count_classes(top: int) -> tuple[list, int, list[str]]:
    """Whole-number counts get one flat colour each (1, 2, 3 … and 'N+' for the last class), not a
    continuous ramp that would suggest 1.5 matching priorities: (colorscale, classes, tick labels)."""
    classes = max(2, min(int(top), MAX_COUNT_CLASSES))
    colours = plotly.colors.sample_colorscale(PRIORITY_SCALE, [0.3 + 0.7 * i / (classes - 1) for i in range(classes)])
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / classes, colour], [(i + 1) / classes, colour]]
    ticktext = [str(k) for k in range(1, classes + 1)]
    if top > classes:
        ticktext[-1] = f"{classes}+"
    return scale, classes, ticktext


def priority_update(matches: pd.DataFrame, nuts2: pd.Index, covered: set[str], keep: pd.Index,
                    drawable: set[str], *, description: str, unlisted: set[str] = frozenset(),
                    own: pd.DataFrame | None = None) -> dict:
    """Trace and layout changes for colouring by matching priorities.

    `matches`: priority_matches() rows (territory, territory_level, title, matches, names);
    `nuts2`: NUTS 2 codes drawn; `covered`: NUTS 2 codes with an in-force strategy;
    `keep`: NUTS 2 codes passing the filters; `drawable`: codes that have geometry;
    `unlisted`: NUTS 2 codes whose current strategy is known but whose priorities are not sourced;
    `own`: in-force strategies by territory (territory, territory_level, title): those at NUTS 1-3
    without a match are drawn at their level, above the coarser levels.
    """
    # Membership through Python sets: pandas' isin on Arrow strings loops in Python over the other
    # side (~5 ms a call against the 2,000 drawable codes; this function made 20 such calls).
    keep_set = set(keep)
    kept = [code in keep_set for code in nuts2]
    inside = nuts2[kept]
    outside = nuts2[[not k for k in kept]]
    no_strategy = [c for c in inside if c not in covered]
    no_match = [c for c in inside if c in covered]
    traces = {
        T_BASE: {"locations": no_strategy, "z": [0] * len(no_strategy), "name": "No current priority list recorded",
                 "customdata": [["a current strategy is recorded; its priorities are not yet sourced" if c in unlisted
                                 else "no current strategy recorded"] for c in no_strategy],
                 "hovertemplate": f"<b>{NAME}</b> (%{{location}})<br>%{{customdata[0]}}<extra></extra>"},
        T_NO_MATCH: {"locations": no_match, "z": [0] * len(no_match)},
        T_VALUES: empty_trace_update(),
        T_FILTERED: {"locations": outside.tolist(), "z": [0] * len(outside)},
    }
    top = int(matches["matches"].max()) if len(matches) else 1

    def drawn(rows: pd.DataFrame, level: int) -> pd.DataFrame:
        rows = rows[(rows["territory_level"] == level) & rows["territory"].map(drawable.__contains__).astype(bool)]
        # A territory is drawn when some of it passes the filters (a country with one kept region).
        if len(keep_set) < len(nuts2):
            touches = rows["territory"].map(lambda t: any(c.startswith(t) or t.startswith(c) for c in keep_set))
            rows = rows[touches.astype(bool)]
        return rows

    own = own if own is not None else pd.DataFrame(columns=["territory", "territory_level", "title"])
    for level, index in OWN_STRATEGY_TRACES.items():
        rows = drawn(own, level)
        rows = rows[~rows["territory"].isin(set(matches["territory"]))].drop_duplicates("territory")
        traces[index] = {
            "locations": rows["territory"].tolist(), "z": [0] * len(rows), "customdata": [[t] for t in rows["title"]],
            "hovertemplate": (f"<b>{NAME}</b> (%{{location}})<br>no matching priority for {description}"
                              "<br>%{customdata[0]}<extra></extra>"),
        }
    for level, index in PRIORITY_TRACES.items():
        rows = drawn(matches, level)
        rows = rows.sort_values("matches").drop_duplicates("territory", keep="last")
        traces[index] = {
            "locations": rows["territory"].tolist(), "z": rows["matches"].astype(int).tolist(),
            "customdata": [[title, "; ".join(names[:4]) + (" …" if len(names) > 4 else "")]
                           for title, names in zip(rows["title"], rows["names"])],
            "hovertemplate": (f"<b>{NAME}</b> (%{{location}})<br>%{{z}} matching priorit(ies) for {description}"
                              "<br>%{customdata[0]}<br><i>%{customdata[1]}</i><extra></extra>"),
        }
    matched_nuts2 = set()
    for territory in matches["territory"]:
        matched_nuts2 |= {c for c in inside if c.startswith(territory) or territory.startswith(c)}
    scale, classes, ticktext = count_classes(top)
    return {
        "traces": traces,
        "layout": {"coloraxis.showscale": False, "coloraxis2.showscale": bool(len(matches)),
                   "coloraxis2.colorscale": scale, "coloraxis2.cmin": 0.5, "coloraxis2.cmax": classes + 0.5,
                   "coloraxis2.colorbar.tickvals": list(range(1, classes + 1)),
                   "coloraxis2.colorbar.ticktext": ticktext,
                   "coloraxis2.colorbar.title.text": "matching priorities"},
        "summary": {"shown": int(len(inside)), "matched": len(matched_nuts2), "total": int(len(nuts2))},
    }


def _choropleth(name: str, geojson: str, *, colour: str | None = None, coloraxis: str | None = None,
                showlegend: bool = False, hover: bool = True, line: float = 0.4) -> go.Choropleth:
    kwargs = {"coloraxis": coloraxis} if coloraxis else {
        "colorscale": [[0, colour], [1, colour]], "showscale": False}
    return go.Choropleth(name=name, geojson=geojson, featureidkey="properties.id", locations=[], z=[],
                         marker={"line": {"color": BORDER_COLOUR, "width": line}}, showlegend=showlegend,
                         hoverinfo=None if hover else "skip", **kwargs)


def base_figure(geo_urls: dict[str, str], context_codes: list[str], view=EUROPE_VIEW) -> go.Figure:
    """Every trace, empty; `apply_update` fills them. Built once per page load."""
    figure = go.Figure()
    context = _choropleth("Outside the EU", geo_urls["0"], colour=CONTEXT_COLOUR, showlegend=True, hover=False, line=0.5)
    context.update(locations=context_codes, z=[0] * len(context_codes))
    figure.add_trace(context)
    figure.add_trace(_choropleth("No data", geo_urls["2"], colour=NO_DATA_COLOUR, showlegend=True))
    no_match = _choropleth("Strategy without a matching priority", geo_urls["2"], colour=NO_MATCH_COLOUR, showlegend=True)
    no_match.update(hovertemplate=f"<b>{NAME}</b> (%{{location}})<br>no matching priority<extra></extra>")
    figure.add_trace(no_match)
    figure.add_trace(_choropleth("Values", geo_urls["2"], coloraxis="coloraxis"))
    for level in range(4):
        if level in OWN_STRATEGY_TRACES:
            figure.add_trace(_choropleth(f"Strategies at NUTS {level} without a match", geo_urls[str(level)],
                                         colour=NO_MATCH_COLOUR, line=nuts3_line_width(view[2]) if level == 3 else 0.6))
        figure.add_trace(_choropleth(f"Strategies at NUTS {level}", geo_urls[str(level)], coloraxis="coloraxis2",
                                     line=nuts3_line_width(view[2]) if level == 3 else 0.6))
    filtered = _choropleth("Not in the filter", geo_urls["2"], colour=FILTERED_COLOUR, showlegend=True)
    filtered.update(hovertemplate=f"<b>{NAME}</b> (%{{location}})<br>outside the current filter<extra></extra>")
    filtered.marker.line.update(color=FILTERED_BORDER, width=1.0)  # also draws the legend swatch's outline
    figure.add_trace(filtered)
    for level in (2, 0, 1, 3):  # trace order = SELECTED_TRACES: NUTS 2 first, as it always was
        selected = _choropleth("Selected", geo_urls[str(level)], colour="rgba(0,0,0,0)", hover=False, line=3)
        selected.marker.line.color = "#111111"
        figure.add_trace(selected)
    figure.add_trace(frame_outline_trace())  # the outermost regions' frames (T_FRAMES, T_FRAME_LABELS)
    figure.add_trace(frame_label_trace())
    lon, lat, scale = view
    figure.update_geos(
        visible=False, showframe=False, showland=False, showcountries=False, showcoastlines=False,
        # Conic equal-area with Europe's standard parallels: areas compare fairly, and no lon/lat range
        # clips the map, so the outermost regions can be reached by panning or the zoom buttons.
        # The central meridian stays at FRAME_MERIDIAN in every view: the build placed the framed
        # outermost regions for it.
        projection={"type": "conic equal area", "rotation": {"lon": FRAME_MERIDIAN}, "parallels": [43, 62],
                    "scale": scale},
        center={"lon": lon, "lat": lat},
        bgcolor="rgba(0,0,0,0)",
    )
    colorbar = {"thickness": 14, "len": 0.7, "x": 0.99, "xanchor": "right", "y": 0.5, "outlinewidth": 0,
                "title": {"side": "right", "font": {"size": 14}}, "tickfont": {"size": 13}}
    figure.update_layout(
        # Colour scales go as explicit lists: plotly.js's built-in "YlGnBu" runs the other way round.
        coloraxis={"colorscale": plotly.colors.get_colorscale("YlGnBu"), "colorbar": colorbar},
        coloraxis2={"colorscale": count_classes(2)[0], "colorbar": colorbar, "showscale": False},
        margin={"l": 0, "r": 0, "t": 4, "b": 4}, paper_bgcolor="rgba(0,0,0,0)",
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.85)", "itemclick": False,
                "itemdoubleclick": False, "font": {"size": 14}},
        hoverlabel={"font": {"size": 15}},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"},
        # On two lines, so the whole credit stays inside the map on a phone.
        annotations=[{"text": ATTRIBUTION.replace(" · ", "<br>"), "xref": "paper", "yref": "paper", "x": 0.005, "y": 0.005,
                      "xanchor": "left", "yanchor": "bottom", "showarrow": False, "align": "left",
                      "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12, "color": "#444"}}],
        uirevision="map",  # keeps the user's zoom and pan across value updates
        dragmode="pan",
    )
    return figure


def apply_update(target, update: dict) -> None:
    """Write an update into a figure dict or a dash.Patch: only the keys it names."""
    for index, changes in update["traces"].items():
        for key, value in changes.items():
            target["data"][index][key] = value
    for dotted, value in update["layout"].items():
        node = target["layout"]
        *parents, last = [int(part) if part.isdigit() else part for part in dotted.split(".")]
        for parent in parents:
            node = node[parent]
        node[last] = value


def selection_update(regions: list[str]) -> dict:
    """Outline the selected and compared regions, each on the trace of its own NUTS level."""
    traces = {}
    for level, index in SELECTED_TRACES.items():
        codes = [code for code in regions if len(code) - 2 == level]
        traces[index] = {"locations": codes, "z": [1] * len(codes)}
    return {"traces": traces, "layout": {}}


def type_size_update(present: bool) -> dict:
    """Presenter mode: the map's own text (legend, colour bar, tooltips) grows with the page's."""
    scale = 1.35 if present else 1.0
    # Inset labels too: every text of the map is 18 px at least on a projector (issue 12).
    return {"traces": {T_FRAME_LABELS: {"textfont": label_font(18 if present else 11)}}, "layout": {
        "legend.font.size": round(14 * scale), "hoverlabel.font.size": round(15 * scale),
        "coloraxis.colorbar.tickfont.size": round(13 * scale), "coloraxis2.colorbar.tickfont.size": round(13 * scale),
        "coloraxis.colorbar.title.font.size": round(14 * scale),
        "annotations.0.font.size": 18 if present else 12}}  # the attribution: 18 px at least on a projector


def nuts3_line_width(scale: float) -> float:
    """NUTS 3 outlines: hairlines over all of Europe, readable once zoomed in on a country."""
    return 0.3 if scale < 12 else 0.8 if scale < 30 else 1.3


def view_update(view) -> dict:
    lon, lat, scale = view
    border = {"line": {"color": BORDER_COLOUR, "width": nuts3_line_width(scale)}}
    return {"traces": {index: {"marker": border} for index in NUTS3_TRACES},
            "layout": {"geo.center.lon": lon, "geo.center.lat": lat, "geo.projection.scale": scale,
                       "geo.projection.rotation.lon": FRAME_MERIDIAN}}

