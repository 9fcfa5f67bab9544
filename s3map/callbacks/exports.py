"""The download links under the map follow the page's address: no server round trip for a link."""

from __future__ import annotations

from dash import Input, Output, clientside_callback

from s3map.ui import ids
from s3map.ui.exports import VIEW_LINKS

clientside_callback(
    """function(search) {
        const query = search || '';
        return [%s];
    }""" % ", ".join(f"'{path}' + query" for _, _, path, _ in VIEW_LINKS),
    [Output(component_id, "href") for component_id, *_ in VIEW_LINKS],
    Input(ids.URL, "search"),
)
