"""Small charts for the comparison and peers views: pure builders, data in, go.Figure out."""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, ten regions at most.
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
               "#999999", "#882255"]
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13}


PRESENTER_FONT = 18  # every text of a chart on a projector


def _figure(traces: list, title: str, height: int = 300, present: bool = False, xaxis: dict | None = None,
            yaxis: dict | None = None, **layout) -> go.Figure:
    """The figure built in one go (plotly's update_layout/update_xaxes parse every property path and
    cost ~15 ms a chart; one layout dict costs ~1 ms, which a comparison tab pays twice). Title on
    top, plot, then the legend on its own rows at the very bottom of the figure (one entry per row),
    so the legend never overlaps the axis title whatever the number of regions."""
    size = PRESENTER_FONT if present else FONT["size"]
    entries = sum(1 for trace in traces if trace.showlegend is not False)
    legend_height = entries * round(size * 1.6) if entries > 1 else 0
    xaxis, yaxis = dict(xaxis or {}), dict(yaxis or {})
    return go.Figure(data=traces, layout={
        # Not plotly's default template: it is 7 kB of JSON per chart, copied on every build and sent
        # with every tab; the few of its settings that show here are set below.
        "template": "none", "hovermode": "closest", "hoverlabel": {"align": "left"},
        "title": {"text": title, "font": {"size": size + 3}, "x": 0, "xanchor": "left", "y": 1, "yanchor": "top",
                  "yref": "container", "pad": {"t": 8}},
        "height": height + legend_height + (60 if present else 0),
        "margin": {"l": 50, "r": 10, "t": size * 3 + 4, "b": 50 + size + legend_height, "autoexpand": True},
        "font": {**FONT, "size": size, "color": "#2a3f5f"}, "paper_bgcolor": "white", "plot_bgcolor": "white",
        "showlegend": legend_height > 0,
        "legend": {"orientation": "v", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container",
                   "font": {"size": size}},
        "xaxis": {"showgrid": False, "zeroline": False, "linecolor": "#999", "automargin": True, **xaxis,
                  "title": {"standoff": 6, **xaxis.get("title", {})}},
        "yaxis": {"gridcolor": "#e6e6e6", "zeroline": False, "automargin": True, **yaxis}, **layout})


def time_series(series: dict[str, list[tuple[int, float]]], names: dict[str, str], label: str, unit: str,
                present: bool = False) -> go.Figure:
    """One line per region; gaps stay gaps (no line drawn across missing years)."""
    traces = []
    for i, (code, points) in enumerate(series.items()):
        if not points:
            continue
        years = list(range(points[0][0], points[-1][0] + 1))
        by_year = dict(points)
        traces.append(go.Scatter(x=years, y=[by_year.get(y) for y in years], mode="lines+markers",
                                 name=f"{names.get(code, code)} ({code})", connectgaps=False,
                                 line={"color": QUALITATIVE[i % len(QUALITATIVE)], "width": 2}))
    return _figure(traces, f"{label} over time", present=present, yaxis={"title": {"text": unit}})


def profile(rows: list[dict], names: dict[str, str], present: bool = False) -> go.Figure:
    """Index EU = 100 per indicator and region (only indicators whose source gives an EU value)."""
    traces = [go.Bar(y=[wrap(v[0]) for v in values], x=[v[1] for v in values], orientation="h",
                     name=f"{names.get(code, code)} ({code})", marker={"color": QUALITATIVE[i % len(QUALITATIVE)]})
              for i, (code, values) in enumerate(rows_by_region(rows).items())]
    eu_line = {"type": "line", "x0": 100, "x1": 100, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
               "line": {"color": "#333", "dash": "dot"}}
    eu_label = {"x": 100, "xref": "x", "y": 1, "yref": "y domain", "text": "EU = 100", "showarrow": False,
                "yanchor": "bottom", "font": {"size": PRESENTER_FONT if present else FONT["size"]}}
    return _figure(traces, "Profile against the EU average", height=340, present=present, barmode="group",
                   shapes=[eu_line], annotations=[eu_label],
                   xaxis={"title": {"text": "index, EU = 100<br>(latest year with<br>an EU value)"}})


def wrap(label: str, width: int = 20) -> str:
    """A long axis label on lines of about `width` characters (a narrow side panel leaves the bars room)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def rows_by_region(rows: list[dict]) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        if row["index"] is not None:
            out.setdefault(row["region"], []).append((row["label"], row["index"]))
    return out


def peer_contributions(peers, dimensions: list[str], present: bool = False) -> go.Figure:
    """Stacked bars: how much each dimension adds to each peer's distance."""
    labels = [f"{name} ({code})" for code, name in zip(peers.index, peers["name"])]
    traces = [go.Bar(y=labels, x=(peers[dimension] / len(dimensions)).round(3).tolist(), orientation="h", name=dimension,
                     marker={"color": QUALITATIVE[i]}) for i, dimension in enumerate(dimensions)]
    return _figure(traces, "What makes each peer similar", height=120 + (34 if present else 28) * len(labels),
                   present=present, barmode="stack", yaxis={"autorange": "reversed"},
                   xaxis={"title": {"text": "distance<br>(lower = more similar)"}})
