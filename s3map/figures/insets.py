"""The outermost regions' frames on the map: outlines, labels and one-click views (pure functions).

The regions themselves are in the web GeoJSON already, placed inside these frames by the build
(s3map.data.nuts.CompositeLayout), so they take colour, hover, click and filters from the same
traces as every other region. Here only the frames are drawn, from `geo/frames.json`.
"""

from __future__ import annotations

import plotly.graph_objects as go

FRAME_COLOUR = "#8a8a8a"
LABEL_COLOUR = "#333333"
# The build placed the framed territories for this central meridian (nuts.DISPLAY_CENTRAL_MERIDIAN):
# a view of a frame keeps it, or the territories inside would be drawn turned.
FRAME_MERIDIAN = 10.0
# A frame's one-click view: about as large as the Europe view's map frame.
FRAME_VIEW_SCALE = 34.0


def frame_outline_trace(frames: list[dict]) -> go.Scattergeo:
    """Every frame's outline in one trace (segments separated by None); no hover, no click."""
    lons, lats = [], []
    for frame in frames:
        lons += [point[0] for point in frame["outline"]] + [None]
        lats += [point[1] for point in frame["outline"]] + [None]
    return go.Scattergeo(name="Outermost-region frames", lon=lons, lat=lats, mode="lines",
                         line={"color": FRAME_COLOUR, "width": 0.8}, hoverinfo="skip", showlegend=False)


def frame_label_trace(frames: list[dict], font_size: int = 11) -> go.Scattergeo:
    return go.Scattergeo(name="Outermost-region labels", lon=[f["label_at"][0] for f in frames],
                         lat=[f["label_at"][1] for f in frames], text=[f["label"] for f in frames],
                         mode="text", textposition="bottom right",
                         textfont={"size": font_size, "color": LABEL_COLOUR}, hoverinfo="skip", showlegend=False)


def frame_views(frames: list[dict]) -> dict[str, tuple[float, float, float]]:
    """Zoom-button views of the frames: (centre lon, centre lat, scale)."""
    return {f["label"]: (f["centre"][0], f["centre"][1], FRAME_VIEW_SCALE) for f in frames}
