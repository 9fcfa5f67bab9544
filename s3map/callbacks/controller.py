"""The controller: one callback per change wires URL, controls and page together.

The URL is the single source of truth. `update_view` parses it once, applies the change the user
made (a control from `s3map.state.PARAMS`, or an action below), writes the new URL, sets the controls
that must follow, and hands the state to `s3map.render` for the page. One round trip per change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, no_update

from s3map.analysis.peers import similar_regions
from s3map.data.store import get_dataset
from s3map.export_view import comparison_csv
from s3map.figures.map import EUROPE_VIEW
from s3map.render.view import TARGETS, render_view
from s3map.state import (CONTROLLED, MAX_COMPARE, PARAM_BY_NAME, ViewState, apply_changes, control_value, parse,
                         to_search)
from s3map.ui import ids
from s3map.ui.layout import ZOOMS


# ---- actions: inputs that change the state without being a parameter's control ------------------
def region_clicked(state: ViewState, value, index, dataset) -> ViewState:
    location = ((value or {}).get("points") or [{}])[0].get("location")
    return state.with_(region=location) if isinstance(location, str) and dataset.has_region(location) else state


def zoom_to(state, value, index, dataset):
    return state.with_(view=ZOOMS[index]) if index in ZOOMS and value else state


def compare_add(state, value, index, dataset):
    if value and dataset.has_region(str(index)) and index not in state.compare:
        return state.with_(compare=(*state.compare, index)[:MAX_COMPARE])
    return state


def compare_remove(state, value, index, dataset):
    return state.with_(compare=tuple(c for c in state.compare if c != index)) if value else state


def compare_peers(state, value, index, dataset):
    code = dataset.nuts2_of(state.region)
    if not (value and code):
        return state
    peers = similar_regions(dataset, code, MAX_COMPARE - 1, state.exclude_own_country)
    return state.with_(compare=(code, *peers.index.tolist())[:MAX_COMPARE], tab="compare")


@dataclass(frozen=True)
class Action:
    id: str
    prop: str
    apply: Callable  # (state, value, pattern index, dataset) -> state; a new button's None is no click
    pattern: bool = False


ACTIONS = {
    "map_click": Action(ids.MAP, "clickData", region_clicked),
    "clear_filters": Action(ids.CLEAR_FILTERS, "n_clicks", lambda state, value, index, dataset: state.without_filters()),
    "zoom": Action(ids.ZOOM, "n_clicks", zoom_to, pattern=True),
    "compare_add": Action(ids.COMPARE_ADD, "n_clicks", compare_add, pattern=True),
    "compare_remove": Action(ids.COMPARE_REMOVE, "n_clicks", compare_remove, pattern=True),
    "compare_peers": Action(ids.COMPARE_PEERS, "n_clicks", compare_peers, pattern=True),
}


def _component(component_id: str, pattern: bool):
    return {"type": component_id, "index": ALL} if pattern else component_id


# ---- inputs and outputs, derived from the parameter table -------------------------------------
CONTROL_INPUTS = {p.name: Input(_component(p.control.id, p.control.pattern), p.control.prop) for p in CONTROLLED}
ACTION_INPUTS = {name: Input(_component(a.id, a.pattern), a.prop) for name, a in ACTIONS.items()}
SYNCED = tuple(p for p in CONTROLLED if p.control.writes and not p.control.pattern)
CONTROL_OUTPUTS = {p.name: {prop: Output(p.control.id, prop) for prop in (p.control.prop, *p.control.extras)}
                   for p in SYNCED}
VIEW_OUTPUTS = {name: Output(component, prop) for name, (component, prop) in TARGETS.items()}
# component id (or pattern type) -> ("param" | "action", name)
TRIGGERS = {**{p.control.id: ("param", p.name) for p in CONTROLLED},
            **{a.id: ("action", name) for name, a in ACTIONS.items()}}


@dataclass(frozen=True)
class Trigger:
    """What the user changed: a parameter's control or an action, its new value, its pattern index."""
    kind: str  # "param" or "action"
    name: str
    value: object = None
    index: object = None


def next_state(state: ViewState, trigger: Trigger | None, dataset) -> ViewState:
    """The view state after `trigger`, starting from the state in the URL."""
    if trigger is None:
        return state
    if trigger.kind == "param":
        changes = PARAM_BY_NAME[trigger.name].from_control(trigger.value, state, dataset)
        changed = apply_changes(state, changes, dataset) if changes else state
    else:
        changed = ACTIONS[trigger.name].apply(state, trigger.value, trigger.index, dataset)
    # Re-validate the whole state through the URL parser (a new indicator may not have the old year).
    return parse(to_search(changed), dataset)[0]


def control_outputs(state: ViewState, before: ViewState, shown_controls: dict | None, dataset) -> dict:
    """Values for the controls that must follow the state; all of them when the page (re)loads."""
    loaded = shown_controls is None
    out = {}
    for param in SYNCED:
        control = param.control
        wanted = control_value(param, state, dataset)
        refresh = loaded or any(getattr(state, f) != getattr(before, f) for f in control.refresh_on)
        send = refresh or shown_controls.get(param.name) != wanted
        out[param.name] = {control.prop: wanted if send else no_update,
                           **{prop: (build(state, dataset) if refresh else no_update)
                              for prop, build in control.extras.items()}}
    return out


def respond(search: str | None, trigger: Trigger | None, controls: dict | None, shown: dict | None,
            dataset=None) -> dict:
    """Every output of `update_view`, by name. `trigger` None: the page loaded or the URL changed
    (back/forward); `controls`: what the controls show now (parameter name -> value)."""
    dataset = dataset or get_dataset()
    before, notices = parse(search, dataset)  # the URL is parsed once per change
    state = next_state(before, trigger, dataset)
    new_search = to_search(state)
    loaded = trigger is None
    return {
        "url": no_update if loaded or new_search == search else new_search,
        "controls": control_outputs(state, before, None if loaded else (controls or {}), dataset),
        "notice": " ".join(notices) if loaded and notices else no_update,
        "notice_open": True if loaded and notices else no_update,
        **render_view(state, shown, dataset),
    }


def trigger_from_context(controls: dict, actions: dict) -> Trigger | None:
    """The change Dash reports; on page load several inputs fire at once, and then the URL counts."""
    triggered = {item["prop_id"] for item in ctx.triggered} if ctx.triggered else set()
    if not triggered or f"{ids.URL}.search" in triggered:
        return None
    component = ctx.triggered_id
    pattern = isinstance(component, dict)
    kind, name = TRIGGERS[component["type"] if pattern else component]
    if pattern:
        return Trigger(kind, name, ctx.triggered[0]["value"], component["index"])
    return Trigger(kind, name, (controls if kind == "param" else actions)[name])


@callback(
    output={"url": Output(ids.URL, "search"), "controls": CONTROL_OUTPUTS,
            "notice": Output(ids.NOTICE, "children"), "notice_open": Output(ids.NOTICE, "is_open"), **VIEW_OUTPUTS},
    inputs={"search": Input(ids.URL, "search"), "controls": CONTROL_INPUTS, "actions": ACTION_INPUTS},
    state={"shown": State(ids.VIEW_SHOWN, "data")},
)
def update_view(search, controls, actions, shown):
    """One round trip per change: new URL, control values that must follow, and the page patch."""
    return respond(search, trigger_from_context(controls, actions), controls, shown)


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
    # every year of every indicator and the compared regions' in-force priorities (issue 14)
    return {"content": comparison_csv(dataset, search), "filename": "s3map-comparison.csv",
            "type": "text/csv"}
