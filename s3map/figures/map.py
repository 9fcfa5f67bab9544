"""The choropleth: pure functions from data to a Plotly figure, and to the patch that updates it.

Geometry is never embedded: each trace points at a content-hashed GeoJSON URL that the browser
fetches once and caches; updates carry only codes and values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

NO_DATA_COLOUR = "#b8b8b8"
CONTEXT_COLOUR = "#ececec"
BORDER_COLOUR = "#ffffff"
COLOURSCALE = "YlGnBu"  # ColorBrewer sequential: colour-blind safe, prints in grey
ATTRIBUTION = "© EuroGeographics for the administrative boundaries · Source: Eurostat; European Commission (RIS 2023)"
# Traces, in drawing order; callbacks patch them by index.
TRACE_CONTEXT, TRACE_NO_DATA, TRACE_VALUES, TRACE_SELECTED = 0, 1, 2, 3
EUROPE_FRAME = {"lon": [-24.5, 42.0], "lat": [34.0, 70.5]}


def format_value(value: float | None, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    return f"{value:,.{decimals}f}".replace(",", "\u202f")  # thin space: readable, not locale-bound


def hover_rows(frame: pd.DataFrame, unit: str, year: int, decimals: int) -> list[list[str]]:
    """customdata per region: name, code, value text, unit, year, note."""
    rows = []
    for code, name, value, note, flag in zip(frame["code"], frame["name"], frame["value"], frame["note"], frame["flag"]):
        text = format_value(value, decimals)
        extra = "; ".join(part for part in (_flag_text(flag), note) if part)
        rows.append([name, code, text, unit if text != "no data" else "", str(year), extra])
    return rows


FLAGS = {"b": "break in series", "p": "provisional", "e": "estimated", "u": "low reliability",
         "d": "definition differs", "c": "confidential"}


def _flag_text(flag: str) -> str:
    return ", ".join(FLAGS.get(ch, ch) for ch in str(flag or "") if ch.strip())


HOVER = ("<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]} %{customdata[3]}"
         "<br>%{customdata[4]}<br><i>%{customdata[5]}</i><extra></extra>")


def value_traces_update(frame: pd.DataFrame, label: str, unit: str, year: int, decimals: int) -> dict:
    """What changes when indicator or year changes: per-trace codes, values, hover text, scale."""
    has = frame["value"].notna()
    with_data, without = frame[has], frame[~has]
    values = with_data["value"].to_numpy(dtype=float)
    zmin, zmax = (float(np.nanmin(values)), float(np.nanmax(values))) if len(values) else (0.0, 1.0)
    return {
        "no_data": {"locations": without["code"].tolist(), "z": [0] * len(without),
                    "customdata": hover_rows(without, unit, year, decimals)},
        "values": {"locations": with_data["code"].tolist(), "z": [round(v, 6) for v in values.tolist()],
                   "customdata": hover_rows(with_data, unit, year, decimals),
                   "zmin": zmin, "zmax": zmax, "colorbar_title": f"{unit}"},
        "title": f"{label}, {year}",
    }


def map_figure(frame: pd.DataFrame, *, label: str, unit: str, year: int, decimals: int,
               geo_urls: dict[str, str], context_codes: list[str]) -> go.Figure:
    """The full map for one indicator and year (first load only; later changes are patches)."""
    update = value_traces_update(frame, label, unit, year, decimals)
    figure = go.Figure()
    figure.add_trace(go.Choropleth(
        name="Outside the EU", geojson=geo_urls["0"], featureidkey="properties.id",
        locations=context_codes, z=[0] * len(context_codes),
        colorscale=[[0, CONTEXT_COLOUR], [1, CONTEXT_COLOUR]], showscale=False,
        marker={"line": {"color": BORDER_COLOUR, "width": 0.5}}, hoverinfo="skip", showlegend=True,
    ))
    figure.add_trace(go.Choropleth(
        name="No data", geojson=geo_urls["2"], featureidkey="properties.id",
        locations=update["no_data"]["locations"], z=update["no_data"]["z"],
        customdata=update["no_data"]["customdata"], hovertemplate=HOVER,
        colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False, showlegend=True,
        marker={"line": {"color": BORDER_COLOUR, "width": 0.4}},
    ))
    values = update["values"]
    figure.add_trace(go.Choropleth(
        name=label, geojson=geo_urls["2"], featureidkey="properties.id",
        locations=values["locations"], z=values["z"], customdata=values["customdata"],
        hovertemplate=HOVER, colorscale=COLOURSCALE, zmin=values["zmin"], zmax=values["zmax"],
        marker={"line": {"color": BORDER_COLOUR, "width": 0.4}}, showlegend=False,
        colorbar={"title": {"text": values["colorbar_title"], "side": "right"}, "thickness": 14,
                  "len": 0.75, "x": 0.99, "xanchor": "right", "y": 0.5, "outlinewidth": 0},
    ))
    figure.add_trace(go.Choropleth(
        name="Selected region", geojson=geo_urls["2"], featureidkey="properties.id",
        locations=[], z=[], colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
        marker={"line": {"color": "#111111", "width": 3}}, hoverinfo="skip", showlegend=False,
    ))
    figure.update_geos(
        visible=False, showframe=False, showland=False, showcountries=False, showcoastlines=False,
        projection={"type": "azimuthal equal area", "rotation": {"lon": 10, "lat": 52}},
        lonaxis={"range": [-11, 34]}, lataxis={"range": [34.5, 70.5]},
        bgcolor="rgba(0,0,0,0)",
    )
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 4, "b": 4}, paper_bgcolor="rgba(0,0,0,0)",
        legend={"x": 0.01, "y": 0.99, "bgcolor": "rgba(255,255,255,0.85)", "title": {"text": ""},
                "itemclick": False, "itemdoubleclick": False, "font": {"size": 14}},
        hoverlabel={"font": {"size": 15}},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"},
        annotations=[{"text": ATTRIBUTION, "xref": "paper", "yref": "paper", "x": 0.005, "y": 0.005,
                      "xanchor": "left", "yanchor": "bottom", "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
                      "font": {"size": 12, "color": "#444"}}],
        uirevision="map",  # keeps the user's zoom and pan across value updates
        dragmode="pan",
    )
    return figure


def apply_update(target, update: dict) -> None:
    """Write a value update into a figure dict or a dash.Patch, trace by trace."""
    no_data, values = update["no_data"], update["values"]
    for key in ("locations", "z", "customdata"):
        target["data"][TRACE_NO_DATA][key] = no_data[key]
        target["data"][TRACE_VALUES][key] = values[key]
    target["data"][TRACE_VALUES]["zmin"] = values["zmin"]
    target["data"][TRACE_VALUES]["zmax"] = values["zmax"]
    target["data"][TRACE_VALUES]["colorbar"]["title"]["text"] = values["colorbar_title"]
    target["data"][TRACE_VALUES]["name"] = update["title"]
