"""Callback requests checked at the edge, before Dash runs a callback.

The page only ever sends well-formed values, but anyone can POST to /_dash-update-component. Every
input and state a server-side callback receives has an expected JSON shape here (by component id
and property; pattern-matching ids by their type). A request whose envelope or any value has the
wrong shape is answered 400 with a message naming it, and no callback runs: never a 500. Values of
the right shape but unknown meaning (an indicator that does not exist) are the callbacks' business:
they ignore them with a notice, like a hostile URL parameter.

A test checks that every input of every server-side callback has an entry here, so a new callback
cannot skip the check.
"""

from __future__ import annotations

import json
import math

import flask

from s3map.ui import ids

MAX_TEXT = 2_000  # a URL query or a keyword; far more than the page sends
MAX_ITEMS = 200  # list values (codes, countries) and pattern-matching inputs (zoom buttons)
DASH_UPDATE = "_dash-update-component"


class BadCallbackRequest(ValueError):
    """What is wrong with a callback request, in words for the 400 answer."""


# ---- shapes --------------------------------------------------------------------------------------

def text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and abs(value) < 1e9


def count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1e9


def flag(value) -> bool:
    return isinstance(value, bool)


def texts(value) -> bool:
    return isinstance(value, list) and len(value) <= MAX_ITEMS and all(text(v) for v in value)


def numbers(value) -> bool:
    return isinstance(value, list) and len(value) <= MAX_ITEMS and all(number(v) for v in value)


def map_position(value) -> bool:
    """[longitude, latitude, scale] as the browser reports it."""
    return isinstance(value, list) and len(value) == 3 and all(number(v) for v in value)


def any_dict(value) -> bool:
    """A store the server itself wrote (compared, never indexed blindly)."""
    return isinstance(value, dict) and len(json.dumps(value)) <= 100_000


def click_data(value) -> bool:
    """Plotly's clickData: {"points": [{"location": "PL21", ...}, ...]}."""
    if not isinstance(value, dict) or not isinstance(value.get("points", []), list):
        return False
    return all(isinstance(p, dict) and (p.get("location") is None or text(p.get("location")))
               for p in value.get("points", []))


def optional(check):
    def accepts(value) -> bool:
        return value is None or check(value)
    accepts.__name__ = f"optional {check.__name__}"
    return accepts


def one_of(*checks):
    def accepts(value) -> bool:
        return any(check(value) for check in checks)
    accepts.__name__ = " or ".join(check.__name__ for check in checks)
    return accepts


# (component id, property) -> shape; a value may always be absent (Dash omits undefined props).
INPUTS = {
    (ids.URL, "search"): optional(text),
    (ids.MODE, "value"): optional(text),
    (ids.INDICATOR, "value"): optional(text),
    (ids.YEAR, "value"): optional(number),
    (ids.CLASSES, "value"): optional(text),
    (ids.PALETTE, "value"): optional(text),
    (ids.CODES, "value"): optional(one_of(texts, text)),
    (ids.KEYWORD, "value"): optional(text),
    (ids.COUNTRY, "value"): optional(one_of(texts, text)),
    (ids.RIS, "value"): optional(one_of(texts, text)),
    (ids.CATEGORY, "value"): optional(one_of(texts, text)),
    (ids.PARTNERSHIP, "value"): optional(text),
    (ids.REGION_SEARCH, "value"): optional(text),
    (ids.REGION_SEARCH, "search_value"): optional(text),  # what is typed: options follow it
    (ids.CLEAR_FILTERS, "n_clicks"): optional(count),
    (ids.MAP, "clickData"): optional(click_data),
    (ids.MAP, "relayoutData"): optional(any_dict),
    (ids.MAP_VIEW, "data"): optional(map_position),
    (ids.VIEW_SHOWN, "data"): optional(any_dict),
    (ids.TABS, "active_tab"): optional(text),
}
# Pattern-matching components: (type, property) -> shape; their index is a text or a number.
PATTERN_INPUTS = {
    (ids.ZOOM, "n_clicks"): optional(count),
    (ids.COMPARE_ADD, "n_clicks"): optional(count),
    (ids.COMPARE_REMOVE, "n_clicks"): optional(count),
    (ids.COMPARE_PEERS, "n_clicks"): optional(count),
    (ids.CSV_BUTTON, "n_clicks"): optional(count),
    (ids.PEER_COUNT, "value"): optional(number),
    (ids.PEER_OWN, "value"): optional(one_of(texts, flag)),
    (ids.PARTNER_ORDER, "value"): optional(text),
    (ids.CHART_INDICATOR, "value"): optional(text),
}


def shape_for(component, prop: str):
    """The shape expected for one input, or None when no callback takes it."""
    if isinstance(component, dict):
        return PATTERN_INPUTS.get((component.get("type"), prop))
    return INPUTS.get((component, prop))


# ---- the request ---------------------------------------------------------------------------------

def _check_item(item, where: str) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("property"), str):
        raise BadCallbackRequest(f"{where}: not an {{id, property, value}} object")
    component = item.get("id")
    if isinstance(component, dict):
        index = component.get("index")
        if not isinstance(component.get("type"), str) or not (text(index) or number(index)):
            raise BadCallbackRequest(f"{where}: pattern id must have a text type and a text or number index")
    elif not text(component):
        raise BadCallbackRequest(f"{where}: id must be a text or a pattern object")
    shape = shape_for(component, item["property"])
    label = component.get("type") if isinstance(component, dict) else component
    if shape is None:
        raise BadCallbackRequest(f"{where}: no callback takes {label}.{item['property']}")
    if "value" in item and not shape(item["value"]):
        raise BadCallbackRequest(f"{label}.{item['property']}: expected {shape.__name__}, "
                                 f"got {type(item['value']).__name__}")


def check_callback_request(body) -> None:
    """Raise BadCallbackRequest when the envelope or any input/state value has the wrong shape."""
    if not isinstance(body, dict):
        raise BadCallbackRequest("the body must be a JSON object")
    if not isinstance(body.get("output"), str) or len(body["output"]) > 10_000:
        raise BadCallbackRequest("output must be a text")
    if not isinstance(body.get("outputs"), (dict, list)):
        raise BadCallbackRequest("outputs must be an object or a list")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(text(c) for c in changed):
        raise BadCallbackRequest("changedPropIds must be a list of texts")
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise BadCallbackRequest(f"{key} must be a list")
        for position, item in enumerate(items):
            if isinstance(item, list):  # a pattern-matching input (ALL): one entry per component
                if len(item) > MAX_ITEMS:
                    raise BadCallbackRequest(f"{key}[{position}]: too many components")
                for sub, entry in enumerate(item):
                    _check_item(entry, f"{key}[{position}][{sub}]")
            else:
                _check_item(item, f"{key}[{position}]")


def _declared_outputs(output: str) -> int:
    return len(output.strip(".").split("...")) if output.startswith("..") else 1


def check_against_callback(body: dict, callback_map: dict) -> None:
    """Raise BadCallbackRequest unless the request names a registered callback and sends exactly its
    inputs and states, in order, and one entry per output (Dash indexes them blindly: a short list
    was a 500)."""
    spec = callback_map.get(body["output"])
    if spec is None:
        raise BadCallbackRequest("output: no callback has these outputs")
    outputs = body["outputs"]
    if len(outputs if isinstance(outputs, list) else [outputs]) != _declared_outputs(body["output"]) or (
            isinstance(outputs, list) != body["output"].startswith("..")):
        raise BadCallbackRequest("outputs: not the callback's outputs")
    for key in ("inputs", "state"):
        declared, sent = spec.get(key, []), body.get(key, [])
        if len(sent) != len(declared):
            raise BadCallbackRequest(f"{key}: the callback takes {len(declared)}, got {len(sent)}")
        for position, (item, wanted) in enumerate(zip(sent, declared)):
            if str(wanted["id"]).startswith("{"):  # a pattern: one entry (MATCH) or a list of them (ALL)
                entries = item if isinstance(item, list) else [item]
                if any(entry.get("property") != wanted["property"] for entry in entries):
                    raise BadCallbackRequest(f"{key}[{position}]: expected property {wanted['property']}")
            elif item.get("id") != wanted["id"] or item.get("property") != wanted["property"]:
                raise BadCallbackRequest(f"{key}[{position}]: expected {wanted['id']}.{wanted['property']}")


def guard_callbacks(server: flask.Flask, callback_map=None) -> None:
    """Register the check on the callback route: a wrong shape is answered 400, no callback runs.
    `callback_map`: returns the Dash app's callbacks (filled at its first request), to check that a
    request sends what its callback takes."""

    @server.before_request
    def check_callback_inputs():
        request = flask.request
        if request.method != "POST" or not request.path.endswith(DASH_UPDATE):
            return None
        body = request.get_json(silent=True)  # cached: Dash reads the same parsed body
        if body is None:
            return flask.jsonify({"error": "the body must be JSON (Content-Type: application/json)"}), 400
        try:
            check_callback_request(body)
            if callback_map is not None:
                check_against_callback(body, callback_map())
        except BadCallbackRequest as problem:
            return flask.jsonify({"error": f"ignored: {problem}"}), 400
        return None
