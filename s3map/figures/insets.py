"""The outermost regions' frames on the map: outlines, labels and one-click views (pure functions).

The regions themselves are in the web GeoJSON already, placed inside these frames by the build
(s3map.data.nuts.CompositeLayout), so they take colour, hover, click and filters from the same
traces as every other region. Here only the frames are drawn, from the same layout constants.
"""

from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go

from s3map.data.nuts import DISPLAY_CENTRAL_MERIDIAN, frame_outlines

FRAME_COLOUR = "#8a8a8a"
LABEL_COLOUR = "#333333"
LABEL_SIZE = 11
# The build placed the framed territories for this central meridian: every view keeps it, or the
# territories in the frames would be drawn turned.
FRAME_MERIDIAN = DISPLAY_CENTRAL_MERIDIAN
# A frame's one-click view: the frame fills most of the map.
FRAME_VIEW_SCALE = 30.0


@lru_cache(maxsize=1)
def frames() -> tuple[dict, ...]:
    return tuple(frame_outlines())


def frame_outline_trace() -> go.Scattergeo:
    """Every frame's outline in one trace (segments separated by None); no hover, no click."""
    lons, lats = [], []
    for frame in frames():
        lons += [point[0] for point in frame["outline"]] + [None]
        lats += [point[1] for point in frame["outline"]] + [None]
    return go.Scattergeo(name="Outermost-region frames", lon=lons, lat=lats, mode="lines",
                         line={"color": FRAME_COLOUR, "width": 0.8}, hoverinfo="skip", showlegend=False)


def label_font(size: int = LABEL_SIZE) -> dict:
    return {"size": size, "color": LABEL_COLOUR}


def frame_label_trace() -> go.Scattergeo:
    return go.Scattergeo(name="Outermost-region labels", lon=[f["label_at"][0] for f in frames()],
                         lat=[f["label_at"][1] for f in frames()], text=[f["label"] for f in frames()],
                         mode="text", textposition="bottom right", textfont=label_font(),
                         hoverinfo="skip", showlegend=False)


def frame_views() -> dict[str, tuple[float, float, float]]:
    """Zoom-button views of the frames, by label: (centre lon, centre lat, scale)."""
    return {f["label"]: (f["centre"][0], f["centre"][1], FRAME_VIEW_SCALE) for f in frames()}
