"""The view: URL <-> controls, and URL -> map patch, caption and side panel.

The URL is the single source of truth. `sync_state` turns a control change into a new URL (and a
loaded URL into control values); `render` turns the URL into a map patch that carries only what
changed since the map was last drawn.
"""

from __future__ import annotations

from dash import ALL, Input, Output, Patch, State, callback, clientside_callback, ctx, no_update

from s3map.data.store import get_dataset
from s3map.figures.map import (EUROPE_VIEW, apply_update, indicator_update, priority_update,
                               selection_update, view_update)
from s3map.state import ViewState, parse, to_search
from s3map.ui import ids
from s3map.ui.layout import CATEGORY_LABELS, ZOOMS, year_marks
from s3map.ui.panel import empty_panel, outermost_list, region_panel

CONTROL_INPUTS = [ids.MODE, ids.INDICATOR, ids.YEAR, ids.CLASSES, ids.PALETTE, ids.CODES, ids.KEYWORD,
                  ids.COUNTRY, ids.RIS, ids.CATEGORY, ids.PARTNERSHIP]


def next_state(search: str | None, trigger, values: dict, dataset) -> tuple[ViewState, list[str]]:
    """The view state after `trigger` changed, starting from the state in the URL."""
    state, notices = parse(search, dataset)
    value = values.get(trigger) if isinstance(trigger, str) else None
    if trigger == ids.MODE and value in ("indicator", "priorities"):
        state = state.with_(mode=value)
    elif trigger == ids.INDICATOR and value in dataset.indicators and value != state.indicator:
        state = state.with_(indicator=value, year=None, mode="indicator")
    elif trigger == ids.YEAR and value is not None:
        years = dataset.years(state.indicator)
        if int(value) in years:
            state = state.with_(year=None if int(value) == dataset.default_year(state.indicator) else int(value))
    elif trigger == ids.CLASSES and value in ("continuous", "quantile"):
        state = state.with_(classes=value)
    elif trigger == ids.PALETTE and value:
        state = state.with_(palette=value)
    elif trigger == ids.CODES:
        state = state.with_(codes=tuple(c for c in (value or []) if dataset.has_code(c)), mode="priorities")
    elif trigger == ids.KEYWORD:
        state = state.with_(keyword=(value or "").strip()[:60], mode="priorities")
    elif trigger == ids.COUNTRY:
        state = state.with_(countries=tuple(c for c in (value or []) if c in dataset.eu_countries))
    elif trigger == ids.RIS:
        state = state.with_(ris=tuple(value or ()))
    elif trigger == ids.CATEGORY:
        state = state.with_(category=tuple(value or ()))
    elif trigger == ids.PARTNERSHIP:
        state = state.with_(partnership=value if value in dataset.partnership_names else None)
    elif trigger == ids.CLEAR_FILTERS:
        state = state.without_filters()
    elif trigger == ids.MAP and value and value.get("points"):
        location = value["points"][0].get("location")
        if isinstance(location, str) and dataset.has_region(location):
            state = state.with_(region=location)
    elif trigger == ids.REGION_SEARCH and value and dataset.has_region(value):
        state = state.with_(region=value)
    elif trigger == ids.MAP_VIEW and value:
        state = state.with_(view=tuple(value))
    elif isinstance(trigger, dict) and trigger.get("type") == ids.ZOOM and trigger.get("index") in ZOOMS:
        state = state.with_(view=ZOOMS[trigger["index"]])
    # Re-validate what the controls sent (a new keyword, say) through the same parser as URLs.
    state, more = parse(to_search(state), dataset)
    return state, (notices + more if trigger in (None, ids.URL) else [])


@callback(
    Output(ids.URL, "search"),
    Output(ids.MODE, "value"), Output(ids.INDICATOR, "value"), Output(ids.YEAR, "value"),
    Output(ids.YEAR, "min"), Output(ids.YEAR, "max"), Output(ids.YEAR, "marks"),
    Output(ids.CLASSES, "value"), Output(ids.PALETTE, "value"), Output(ids.CODES, "value"),
    Output(ids.KEYWORD, "value"), Output(ids.COUNTRY, "value"), Output(ids.RIS, "value"),
    Output(ids.CATEGORY, "value"), Output(ids.PARTNERSHIP, "value"), Output(ids.REGION_SEARCH, "value"),
    Output(ids.NOTICE, "children"), Output(ids.NOTICE, "is_open"),
    Input(ids.URL, "search"),
    *[Input(control, "value") for control in CONTROL_INPUTS],
    Input(ids.MAP, "clickData"), Input(ids.REGION_SEARCH, "value"), Input(ids.CLEAR_FILTERS, "n_clicks"),
    Input(ids.MAP_VIEW, "data"), Input({"type": ids.ZOOM, "index": ALL}, "n_clicks"),
)
def sync_state(search, mode, indicator, year, classes, palette, codes, keyword, country, ris, category,
               partnership, click, region, clear, view, zooms):
    values = dict(zip(CONTROL_INPUTS, (mode, indicator, year, classes, palette, codes, keyword, country, ris,
                                       category, partnership)))
    values.update({ids.MAP: click, ids.REGION_SEARCH: region, ids.MAP_VIEW: view})
    # On page load Dash reports several inputs at once: then the URL is what counts.
    triggered = {item["prop_id"] for item in ctx.triggered} if ctx.triggered else set()
    trigger = None if not triggered or f"{ids.URL}.search" in triggered else ctx.triggered_id
    return sync_state_for(search, trigger, values)


def sync_state_for(search, trigger, values: dict, dataset=None):
    dataset = dataset or get_dataset()
    state, notices = next_state(search, trigger, values, dataset)
    years = dataset.years(state.indicator)
    new_search = to_search(state)
    url_out = no_update if trigger in (None, ids.URL) or new_search == search else new_search
    return (url_out, state.mode, state.indicator, state.year or dataset.default_year(state.indicator), years[0],
            years[-1], year_marks(years),
            state.classes, state.palette, list(state.codes), state.keyword, list(state.countries), list(state.ris),
            list(state.category), state.partnership, state.region,
            (" ".join(notices) if notices else no_update), (True if notices else no_update))


# The browser reports pan and zoom; only the rounded position is sent on (no server work per drag).
clientside_callback(
    """
    function(relayout, current) {
        if (!relayout) { return window.dash_clientside.no_update; }
        const lon = relayout['geo.center.lon'], lat = relayout['geo.center.lat'];
        const scale = relayout['geo.projection.scale'];
        if (lon === undefined && lat === undefined && scale === undefined) { return window.dash_clientside.no_update; }
        const prev = current || [10, 52, 1];
        const view = [lon ?? prev[0], lat ?? prev[1], scale ?? prev[2]].map(v => Math.round(v * 1000) / 1000);
        return view;
    }
    """,
    Output(ids.MAP_VIEW, "data"),
    Input(ids.MAP, "relayoutData"),
    State(ids.MAP_VIEW, "data"),
    prevent_initial_call=True,
)


@callback(
    Output(ids.MAP, "figure"),
    Output(ids.PANEL, "children"),
    Output(ids.YEAR_LABEL, "children"),
    Output(ids.MAP_CAPTION, "children"),
    Output(ids.FILTER_SUMMARY, "children"),
    Output(ids.OUTERMOST, "children"),
    Output(ids.INDICATOR_BOX, "style"),
    Output(ids.PRIORITY_BOX, "style"),
    Output(ids.APP, "className"),
    Output(ids.MAP_SHOWN, "data"),
    Input(ids.URL, "search"),
    State(ids.MAP_SHOWN, "data"),
)
def render(search, shown):
    return render_for(search, shown or {})


def colour_key(state: ViewState, year: int) -> dict:
    """What determines the map's colours; when it is unchanged the values are not sent again."""
    key = {"mode": state.mode, "countries": list(state.countries), "ris": list(state.ris),
           "category": list(state.category), "partnership": state.partnership}
    if state.mode == "indicator":
        key.update(indicator=state.indicator, year=year, classes=state.classes, palette=state.palette)
    else:
        key.update(codes=list(state.codes), keyword=state.keyword)
    return key


def map_update(state: ViewState, year: int, dataset) -> dict:
    keep = dataset.filter_regions(state.countries, state.ris, state.category, state.partnership)
    if state.mode == "indicator":
        meta = dataset.indicators[state.indicator]
        return indicator_update(dataset.map_values(state.indicator, year), keep, label=meta.label, unit=meta.unit,
                                year=year, decimals=meta.decimals, classes=state.classes, palette=state.palette)
    matches = dataset.priority_matches(state.codes, state.keyword)
    return priority_update(matches, dataset.nuts2_eu_drawn, dataset.nuts2_with_current_strategy, keep, dataset.drawable_codes,
                           description=describe_query(state, dataset))


def render_for(search, shown: dict, dataset=None):
    """Map patch (only what changed), panel, labels, and what the map now shows."""
    dataset = dataset or get_dataset()
    state, _ = parse(search, dataset)
    year = state.year or dataset.default_year(state.indicator)
    key = colour_key(state, year)
    patch, changed = Patch(), False
    update = map_update(state, year, dataset) if (shown.get("key") != key or not shown) else None
    if update is not None:
        apply_update(patch, update)
        changed = True
    selected = [c for c in ([state.region] if state.region else []) + list(state.compare) if len(c) == 4]
    if shown.get("selected") != selected:
        apply_update(patch, selection_update(selected))
        changed = True
    view = list(state.view or EUROPE_VIEW)
    if shown.get("view", list(EUROPE_VIEW)) != view:
        apply_update(patch, view_update(view))
        changed = True
    summary = filter_summary(state, dataset, update) if update is not None else no_update
    caption = caption_for(state, year, dataset)
    panel = region_panel(dataset, state.region) if state.region else empty_panel()
    styles = ({"display": "block"}, {"display": "none"}) if state.mode == "indicator" else \
        ({"display": "none"}, {"display": "block"})
    now = {"key": key, "selected": selected, "view": view,
           "summary": summary if summary is not no_update else shown.get("summary")}
    return ((patch if changed else no_update), panel, str(year), caption,
            summary if summary is not no_update else shown.get("summary", ""),
            outermost_list(dataset, state, year), *styles, "app present" if state.present else "app", now)


def describe_query(state: ViewState, dataset) -> str:
    parts = [code.replace(":", " ").upper() for code in state.codes]
    if state.keyword:
        parts.append(f"‘{state.keyword}’")
    return " or ".join(parts) if parts else "(choose codes or a keyword)"


def filter_summary(state: ViewState, dataset, update: dict) -> str:
    active = []
    if state.countries:
        active.append("country " + ", ".join(state.countries))
    if state.ris:
        active.append("RIS " + ", ".join(state.ris))
    if state.category:
        active.append(", ".join(CATEGORY_LABELS[c].split(" (")[0].lower() for c in state.category))
    if state.partnership:
        active.append(f"partnership {state.partnership}")
    summary = update["summary"]
    if state.mode == "priorities":
        counted = f"{summary['matched']} of {summary['shown']} regions have a matching priority"
    else:
        counted = f"{summary['shown']} of {summary['total']} regions shown, {summary['with_data']} with data"
    return ("Filtered by " + "; ".join(active) + f" — {counted}.") if active else f"No filter — {counted}."


def caption_for(state: ViewState, year: int, dataset) -> list:
    if state.mode == "priorities":
        return ["Current smart specialisation strategies (2021-2027 or later horizon) whose priorities match "
                f"{describe_query(state, dataset)}. Codes: a person's where assigned, else the automatic coder's "
                "top proposal. Regions without a recorded strategy are grey, not ‘no priority’."]
    meta = dataset.indicators[state.indicator]
    frame = dataset.map_values(state.indicator, year)
    count = int(frame["value"].notna().sum())
    return [f"{meta.label} ({meta.unit}), {year}. {count} of {len(frame)} EU NUTS 2 regions with a boundary "
            f"have data; the others are shown as ‘no data’. ", meta.description, " Source: ", meta.source, "."]
