"""URL <-> controls, and URL -> map patch and side panel."""

from __future__ import annotations

from dash import Input, Output, Patch, State, callback, ctx, no_update

from s3map.data.store import get_dataset
from s3map.figures.map import TRACE_SELECTED, apply_update, value_traces_update
from s3map.state import ViewState, parse, to_search
from s3map.ui import ids
from s3map.ui.layout import year_marks
from s3map.ui.panel import empty_panel, region_panel


def next_state(search: str | None, trigger: str | None, indicator=None, year=None, click=None,
               dataset=None) -> tuple[ViewState, list[str]]:
    """The view state after `trigger` changed, starting from the state in the URL."""
    dataset = dataset or get_dataset()
    state, notices = parse(search, dataset)
    if trigger == ids.INDICATOR and indicator in dataset.indicators and indicator != state.indicator:
        state = state.with_(indicator=indicator, year=None)
    elif trigger == ids.YEAR and year is not None:
        years = dataset.years(state.indicator)
        chosen = int(year)
        if chosen in years:
            state = state.with_(year=None if chosen == years[-1] else chosen)
    elif trigger == ids.MAP and click and click.get("points"):
        location = click["points"][0].get("location")
        if isinstance(location, str) and dataset.has_region(location):
            state = state.with_(region=location)
    elif trigger == ids.CLEAR_REGION:
        state = state.with_(region=None)
    return state, (notices if trigger in (None, ids.URL) else [])


@callback(
    Output(ids.URL, "search"),
    Output(ids.INDICATOR, "value"),
    Output(ids.YEAR, "value"),
    Output(ids.YEAR, "min"),
    Output(ids.YEAR, "max"),
    Output(ids.YEAR, "marks"),
    Output(ids.NOTICE, "children"),
    Output(ids.NOTICE, "is_open"),
    Input(ids.URL, "search"),
    Input(ids.INDICATOR, "value"),
    Input(ids.YEAR, "value"),
    Input(ids.MAP, "clickData"),
)
def sync_state(search, indicator, year, click):
    trigger = ctx.triggered_id if ctx.triggered else None
    return sync_state_for(search, trigger, indicator, year, click)


def sync_state_for(search, trigger, indicator, year, click, dataset=None):
    dataset = dataset or get_dataset()
    state, notices = next_state(search, trigger, indicator, year, click, dataset)
    years = dataset.years(state.indicator)
    new_search = to_search(state)
    url_out = no_update if trigger in (None, ids.URL) or new_search == search else new_search
    notice = [" ".join(notices)] if notices else no_update
    return (url_out, state.indicator, state.year or years[-1], years[0], years[-1], year_marks(years),
            notice, bool(notices) if notices else no_update)


@callback(
    Output(ids.MAP, "figure"),
    Output(ids.PANEL, "children"),
    Output(ids.YEAR_LABEL, "children"),
    Output(ids.MAP_CAPTION, "children"),
    Output(ids.MAP_SHOWN, "data"),
    Input(ids.URL, "search"),
    State(ids.MAP_SHOWN, "data"),
)
def render(search, shown):
    return render_for(search, shown or {})


def render_for(search, shown: dict, dataset=None):
    """Map patch (only what changed), panel, year label, caption, and what the map now shows."""
    dataset = dataset or get_dataset()
    state, _ = parse(search, dataset)
    meta = dataset.indicators[state.indicator]
    year = state.year or dataset.latest_year(state.indicator)
    patch = Patch()
    changed = False
    if shown.get("indicator") != state.indicator or shown.get("year") != year:
        frame = dataset.map_values(state.indicator, year)
        apply_update(patch, value_traces_update(frame, meta.label, meta.unit, year, meta.decimals))
        changed = True
    if shown.get("region") != state.region:
        patch["data"][TRACE_SELECTED]["locations"] = [state.region] if state.region else []
        patch["data"][TRACE_SELECTED]["z"] = [1] if state.region else []
        changed = True
    panel = region_panel(dataset, state.region) if state.region else empty_panel()
    caption = caption_for(dataset, state.indicator, year)
    now_shown = {"indicator": state.indicator, "year": year, "region": state.region}
    return (patch if changed else no_update), panel, str(year), caption, now_shown


def caption_for(dataset, indicator: str, year: int) -> list:
    meta = dataset.indicators[indicator]
    frame = dataset.map_values(indicator, year)
    count = int(frame["value"].notna().sum())
    return [f"{meta.label} ({meta.unit}), {year}. ",
            f"{count} of {len(frame)} EU NUTS 2 regions have data; the others are shown as ‘no data’. ",
            meta.description, " Source: ", meta.source, "."]
