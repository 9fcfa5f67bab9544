"""The view: URL <-> controls, and URL -> map patch, caption and side panel.

The URL is the single source of truth. One callback, `update_view`, answers every change in one
round trip: `sync_state_for` turns a control change into a new URL (or a loaded URL into control
values), and `render_for` turns that URL into a map patch and panel that carry only what changed
since the browser last drew them.
"""

from __future__ import annotations

from dash import ALL, Input, Output, Patch, State, callback, clientside_callback, ctx, no_update

from s3map.data.store import get_dataset
from s3map.figures.map import (EUROPE_VIEW, apply_update, indicator_update, priority_update,
                               selection_update, type_size_update, view_update)
from s3map.analysis.peers import similar_regions
from s3map.state import MAX_COMPARE, ORDERS, PEER_COUNTS, TABS, ViewState, parse, to_search
from s3map.ui.benchmark import compare_csv, compare_tab, peers_tab, specialisation_tab
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
    elif trigger == ids.TABS and value in TABS:
        state = state.with_(tab=value)
    elif isinstance(trigger, dict):
        state = panel_action(state, trigger, values.get("triggered_value"), dataset)
    # Re-validate what the controls sent (a new keyword, say) through the same parser as URLs.
    state, more = parse(to_search(state), dataset)
    return state, (notices + more if trigger in (None, ids.URL) else [])


PANEL_INPUTS = [(ids.COMPARE_ADD, "n_clicks"), (ids.COMPARE_REMOVE, "n_clicks"), (ids.COMPARE_PEERS, "n_clicks"),
                (ids.PEER_COUNT, "value"), (ids.PEER_OWN, "value"), (ids.PARTNER_ORDER, "value")]
CONTROL_OUTPUTS = [(ids.MODE, "value"), (ids.INDICATOR, "value"), (ids.YEAR, "value"), (ids.YEAR, "min"),
                   (ids.YEAR, "max"), (ids.YEAR, "marks"), (ids.CLASSES, "value"), (ids.PALETTE, "value"),
                   (ids.CODES, "value"), (ids.KEYWORD, "value"), (ids.COUNTRY, "value"), (ids.RIS, "value"),
                   (ids.CATEGORY, "value"), (ids.PARTNERSHIP, "value"), (ids.REGION_SEARCH, "value")]
VIEW_OUTPUTS = [(ids.MAP, "figure"), (ids.PANEL, "children"), (ids.YEAR_LABEL, "children"),
                (ids.MAP_CAPTION, "children"), (ids.FILTER_SUMMARY, "children"), (ids.OUTERMOST, "children"),
                (ids.INDICATOR_BOX, "style"), (ids.PRIORITY_BOX, "style"), (ids.APP, "className"),
                (ids.MAP_SHOWN, "data")]


def panel_action(state: ViewState, trigger: dict, value, dataset) -> ViewState:
    """Buttons and controls drawn inside the panel (pattern-matching ids); a new button's None is no click."""
    kind, index = trigger.get("type"), trigger.get("index")
    if kind == ids.ZOOM and index in ZOOMS and value:
        return state.with_(view=ZOOMS[index])
    if kind == ids.COMPARE_ADD and value and dataset.has_region(str(index)) and index not in state.compare:
        return state.with_(compare=(*state.compare, index)[:MAX_COMPARE])
    if kind == ids.COMPARE_REMOVE and value:
        return state.with_(compare=tuple(c for c in state.compare if c != index))
    if kind == ids.COMPARE_PEERS and value and dataset.nuts2_of(state.region):
        code = dataset.nuts2_of(state.region)
        peers = similar_regions(dataset, code, MAX_COMPARE - 1, state.exclude_own_country)
        return state.with_(compare=(code, *peers.index.tolist())[:MAX_COMPARE], tab="compare")
    if kind == ids.PEER_COUNT and value in PEER_COUNTS:
        return state.with_(peers=int(value))
    if kind == ids.PEER_OWN and value is not None:
        return state.with_(exclude_own_country=bool(value))
    if kind == ids.PARTNER_ORDER and value in ORDERS:
        return state.with_(order=value)
    return state


@callback(
    Output(ids.URL, "search"),
    *[Output(component, prop) for component, prop in CONTROL_OUTPUTS],
    Output(ids.NOTICE, "children"), Output(ids.NOTICE, "is_open"), Output(ids.TABS, "active_tab"),
    *[Output(component, prop) for component, prop in VIEW_OUTPUTS],
    Input(ids.URL, "search"),
    *[Input(control, "value") for control in CONTROL_INPUTS],
    Input(ids.MAP, "clickData"), Input(ids.REGION_SEARCH, "value"), Input(ids.CLEAR_FILTERS, "n_clicks"),
    Input(ids.MAP_VIEW, "data"), Input({"type": ids.ZOOM, "index": ALL}, "n_clicks"), Input(ids.TABS, "active_tab"),
    *[Input({"type": kind, "index": ALL}, prop) for kind, prop in PANEL_INPUTS],
    State(ids.MAP_SHOWN, "data"),
)
def update_view(search, mode, indicator, year, classes, palette, codes, keyword, country, ris, category,
                partnership, click, region, clear, view, zooms, tab, *panel_inputs_and_shown):
    """One round trip per change: new URL, control values that must follow, and the view patch."""
    values = dict(zip(CONTROL_INPUTS, (mode, indicator, year, classes, palette, codes, keyword, country, ris,
                                       category, partnership)))
    shown = panel_inputs_and_shown[-1]
    values.update({ids.MAP: click, ids.REGION_SEARCH: region, ids.MAP_VIEW: view, ids.TABS: tab,
                   "triggered_value": ctx.triggered[0]["value"] if ctx.triggered else None})
    # On page load Dash reports several inputs at once: then the URL is what counts.
    triggered = {item["prop_id"] for item in ctx.triggered} if ctx.triggered else set()
    trigger = None if not triggered or f"{ids.URL}.search" in triggered else ctx.triggered_id
    synced = sync_state_for(search, trigger, values)
    new_search = synced[0] if synced[0] is not no_update else search
    return (*synced, *render_for(new_search, shown or {}))



def sync_state_for(search, trigger, values: dict, dataset=None):
    """(url, control values..., notice text, notice open, active tab) after `trigger` changed.

    Controls are only written back where they must change (a new indicator moves the year).
    """
    dataset = dataset or get_dataset()
    state, notices = next_state(search, trigger, values, dataset)
    years = dataset.years(state.indicator)
    new_search = to_search(state)
    url_out = no_update if trigger in (None, ids.URL) or new_search == search else new_search
    wanted = [state.mode, state.indicator, state.year or dataset.default_year(state.indicator), years[0], years[-1],
              year_marks(years), state.classes, state.palette, list(state.codes), state.keyword,
              list(state.countries), list(state.ris), list(state.category), state.partnership, state.region]
    if trigger not in (None, ids.URL):
        current = {(control, "value"): values.get(control) for control in CONTROL_INPUTS + [ids.REGION_SEARCH]}
        slider_follows = trigger == ids.INDICATOR
        wanted = [value if (key in current and current[key] != value) or
                  (key[0] == ids.YEAR and slider_follows) else no_update
                  for key, value in zip(CONTROL_OUTPUTS, wanted)]
    tab = state.tab if trigger in (None, ids.URL) or state.tab != values.get(ids.TABS) else no_update
    return (url_out, *wanted, (" ".join(notices) if notices else no_update), (True if notices else no_update), tab)


# The browser reports pan and zoom; only the rounded position is sent on (no server work per drag).
clientside_callback(
    """
    function(relayout, current) {
        if (!relayout) { return window.dash_clientside.no_update; }
        const lon = relayout['geo.center.lon'], lat = relayout['geo.center.lat'];
        const scale = relayout['geo.projection.scale'];
        if (lon === undefined && lat === undefined && scale === undefined) { return window.dash_clientside.no_update; }
        const prev = current || %s;""" % list(EUROPE_VIEW) + """
        const view = [lon ?? prev[0], lat ?? prev[1], scale ?? prev[2]].map(v => Math.round(v * 1000) / 1000);
        return view;
    }
    """,
    Output(ids.MAP_VIEW, "data"),
    Input(ids.MAP, "relayoutData"),
    State(ids.MAP_VIEW, "data"),
    prevent_initial_call=True,
)


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
    """The map's trace and layout changes for a state (memoised: views are revisited often)."""
    key = ("map_update", repr(sorted(colour_key(state, year).items())))
    return dataset.memo(key, lambda: _map_update(state, year, dataset))


def _map_update(state: ViewState, year: int, dataset) -> dict:
    keep = dataset.filter_regions(state.countries, state.ris, state.category, state.partnership)
    if state.mode == "indicator":
        meta = dataset.indicators[state.indicator]
        return indicator_update(dataset.map_values(state.indicator, year), keep, label=meta.label, unit=meta.unit,
                                year=year, decimals=meta.decimals, classes=state.classes, palette=state.palette)
    matches = dataset.priority_matches(state.codes, state.keyword)
    return priority_update(matches, dataset.nuts2_eu_drawn, dataset.nuts2_with_current_strategy, keep,
                           dataset.drawable_codes, description=describe_query(state, dataset),
                           unlisted=dataset.nuts2_with_strategy_but_no_list)


def render_for(search, shown: dict, dataset=None):
    """The view outputs for the state in `search`, each `no_update` when the browser already shows it.

    Returns (map patch, panel, year label, caption, filter summary, outermost list, indicator-box style,
    priority-box style, app class, what is now shown).
    """
    dataset = dataset or get_dataset()
    state, _ = parse(search, dataset)
    year = state.year or dataset.default_year(state.indicator)
    key = colour_key(state, year)
    patch, changed = Patch(), False
    colours_changed = shown.get("key") != key
    update = map_update(state, year, dataset) if colours_changed else None
    if update is not None:
        apply_update(patch, update)
        changed = True
    selected = ([state.region] if state.region else []) + list(state.compare)
    if shown.get("selected") != selected:
        apply_update(patch, selection_update(selected))
        changed = True
    if shown.get("present", False) != state.present:
        apply_update(patch, type_size_update(state.present))
        changed = True
    view = list(state.view or EUROPE_VIEW)
    if shown.get("view", list(EUROPE_VIEW)) != view:
        apply_update(patch, view_update(view))
        changed = True
    same = lambda name, value: shown.get(name) == value  # noqa: E731
    panel_key = [state.tab, state.region, list(state.compare), state.peers, state.exclude_own_country, state.order,
                 state.indicator if state.tab == "compare" else None]
    text_key = [key]
    now = {"key": key, "selected": selected, "view": view, "panel": panel_key, "text": text_key,
           "present": state.present,
           "mode": state.mode, "app_class": app_class(state)}
    styles = ({"display": "block"}, {"display": "none"}) if state.mode == "indicator" else \
        ({"display": "none"}, {"display": "block"})
    return (
        patch if changed else no_update,
        no_update if same("panel", panel_key) else panel_content(dataset, state),
        no_update if same("text", text_key) else str(year),
        no_update if same("text", text_key) else caption_for(state, year, dataset),
        no_update if same("text", text_key) else filter_summary(state, dataset, update or map_update(state, year, dataset)),
        no_update if same("text", text_key) else outermost_list(dataset, state, year),
        *((no_update, no_update) if same("mode", state.mode) else styles),
        no_update if same("app_class", app_class(state)) else app_class(state),
        now,
    )


def app_class(state: ViewState) -> str:
    """Presenter mode enlarges type; the analysis tabs widen the side panel."""
    return " ".join(["app"] + (["present"] if state.present else []) + (["wide-panel"] if state.tab != "region" else []))


def panel_content(dataset, state: ViewState) -> list:
    if state.tab == "compare":
        return compare_tab(dataset, state)
    if state.tab == "peers":
        return peers_tab(dataset, state)
    if state.tab == "specialisation":
        return specialisation_tab(dataset, state)
    return region_panel(dataset, state.region, state) if state.region else empty_panel()


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input({"type": ids.CSV_BUTTON, "index": ALL}, "n_clicks"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def download_comparison(clicks, search):
    if not any(clicks or []):
        return no_update
    dataset = get_dataset()
    state, _ = parse(search, dataset)
    if not state.compare:
        return no_update
    return {"content": compare_csv(dataset, list(state.compare)), "filename": "s3map-comparison.csv",
            "type": "text/csv"}


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
                "top proposal. Regions without a current priority list are grey, not ‘no priority’; their tooltip "
                "says whether a strategy is known."]
    meta = dataset.indicators[state.indicator]
    frame = dataset.map_values(state.indicator, year)
    count = int(frame["value"].notna().sum())
    return [f"{meta.label} ({meta.unit}), {year}. {count} of {len(frame)} EU NUTS 2 regions with a boundary "
            f"have data; the others are shown as ‘no data’. ", meta.description, " Source: ", meta.source, "."]
