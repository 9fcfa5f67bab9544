"""Small charts for the comparison and peers views: pure builders, data in, go.Figure out."""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, ten regions at most.
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
               "#999999", "#882255"]
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 13}


PRESENTER_FONT = 18  # every text of a chart on a projector


def _layout(figure: go.Figure, title: str, height: int = 300, present: bool = False) -> go.Figure:
    """Title on top, plot, then the legend on its own rows at the very bottom of the figure (one entry
    per row), so the legend never overlaps the axis title whatever the number of regions."""
    size = PRESENTER_FONT if present else FONT["size"]
    entries = sum(1 for trace in figure.data if trace.showlegend is not False)
    legend_height = entries * round(size * 1.6) if entries > 1 else 0
    figure.update_layout(
        title={"text": title, "font": {"size": size + 3}, "x": 0, "xanchor": "left", "y": 1, "yanchor": "top",
               "yref": "container", "pad": {"t": 8}},
        height=height + legend_height + (60 if present else 0),
        margin={"l": 50, "r": 10, "t": size * 3 + 4, "b": 50 + size + legend_height, "autoexpand": True},
        font={**FONT, "size": size}, paper_bgcolor="white", plot_bgcolor="white", showlegend=legend_height > 0,
        legend={"orientation": "v", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom", "yref": "container",
                "font": {"size": size}})
    figure.update_xaxes(showgrid=False, linecolor="#999", automargin=True, title_standoff=6)
    figure.update_yaxes(gridcolor="#e6e6e6", zeroline=False, automargin=True)
    return figure


def time_series(series: dict[str, list[tuple[int, float]]], names: dict[str, str], label: str, unit: str,
                present: bool = False) -> go.Figure:
    """One line per region; gaps stay gaps (no line drawn across missing years)."""
    figure = go.Figure()
    for i, (code, points) in enumerate(series.items()):
        if not points:
            continue
        years = list(range(points[0][0], points[-1][0] + 1))
        by_year = dict(points)
        figure.add_trace(go.Scatter(x=years, y=[by_year.get(y) for y in years], mode="lines+markers",
                                    name=f"{names.get(code, code)} ({code})", connectgaps=False,
                                    line={"color": QUALITATIVE[i % len(QUALITATIVE)], "width": 2}))
    figure.update_yaxes(title={"text": unit})
    return _layout(figure, f"{label} over time", present=present)


def profile(rows: list[dict], names: dict[str, str], present: bool = False) -> go.Figure:
    """Index EU = 100 per indicator and region (only indicators whose source gives an EU value)."""
    figure = go.Figure()
    for i, (code, values) in enumerate(rows_by_region(rows).items()):
        figure.add_trace(go.Bar(y=[v[0] for v in values], x=[v[1] for v in values], orientation="h",
                                name=f"{names.get(code, code)} ({code})",
                                marker={"color": QUALITATIVE[i % len(QUALITATIVE)]}))
    figure.add_vline(x=100, line={"color": "#333", "dash": "dot"}, annotation_text="EU = 100",
                     annotation_position="top", annotation_font_size=PRESENTER_FONT if present else FONT["size"])
    figure.update_layout(barmode="group")
    figure.update_xaxes(title={"text": "index, EU = 100 (latest year with an EU value)"})
    return _layout(figure, "Profile against the EU average", height=340, present=present)


def rows_by_region(rows: list[dict]) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        if row["index"] is not None:
            out.setdefault(row["region"], []).append((row["label"], row["index"]))
    return out


def peer_contributions(peers, dimensions: list[str], present: bool = False) -> go.Figure:
    """Stacked bars: how much each dimension adds to each peer's distance."""
    figure = go.Figure()
    labels = [f"{name} ({code})" for code, name in zip(peers.index, peers["name"])]
    for i, dimension in enumerate(dimensions):
        figure.add_trace(go.Bar(y=labels, x=(peers[dimension] / len(dimensions)).round(3), orientation="h",
                                name=dimension, marker={"color": QUALITATIVE[i]}))
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title={"text": "distance (lower = more similar)"})
    return _layout(figure, "What makes each peer similar", height=120 + (34 if present else 28) * len(labels),
                   present=present)
