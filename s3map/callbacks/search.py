"""The region search box: its options follow what is typed (names, aliases, folding, did you mean)."""

from __future__ import annotations

from dash import Input, Output, callback

from s3map.data.region_search import dropdown_options, index_for
from s3map.data.store import get_dataset
from s3map.ui import ids


@callback(Output(ids.REGION_SEARCH, "options"), Input(ids.REGION_SEARCH, "search_value"), prevent_initial_call=True)
def search_regions(query):
    """Regions matching the typed text, best first; every region again once the box is emptied."""
    return dropdown_options(index_for(get_dataset()), query)
