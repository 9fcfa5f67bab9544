"""Crafted POSTs to /_dash-update-component: wrong types get a 400 naming the input, never a 5xx.

The requests are built from the app's own callback map (/_dash-dependencies), so every server-side
callback and every one of its inputs and states is covered, including ones added later.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from s3map.security import PATTERN_INPUTS, check_callback_request, shape_for

STATUSES: Counter = Counter()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)

# Values of the right type but any content: the callbacks must cope (ignore, notice), not crash.
SHAPED = {
    "text": st.one_of(st.text(max_size=40), st.sampled_from(
        ["PL21", "gerd_pc_gdp", "rii", "priorities", "indicator", "?region=PL21&compare=ES51", "?year=abc",
         "compare", "peers", "specialisation", "region", "quantile", "Viridis", "overlap", "", "%", "?"])),
    "number": st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False),
                        st.sampled_from([2019, 2015, 2023, 5, 10, 0])),
    "count": st.integers(0, 10**6),
}


class LiveClient:
    """Requests to the session's live app (one Dash app per process: a second one would find the
    callbacks already taken by the first)."""

    def __init__(self, base: str):
        self.base, self.session = base, requests.Session()

    def get(self, path: str):
        return self.session.get(self.base + path, timeout=30)

    def post(self, path: str, data: bytes | str, content_type: str):
        return self.session.post(self.base + path, data=data, headers={"Content-Type": content_type}, timeout=30)


@pytest.fixture(scope="module")
def app_client(live_server):
    return LiveClient(live_server)


@pytest.fixture(scope="module")
def callbacks(app_client):
    dependencies = app_client.get("/_dash-dependencies").json()
    server_side = [d for d in dependencies if not d.get("clientside_function")]
    assert server_side, "no server-side callbacks found"
    return server_side


def parse_outputs(output: str):
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    outputs = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(component) if component.startswith("{") else component, "property": prop})
    return outputs if output.startswith("..") else outputs[0]


def parse_id(component: str):
    return json.loads(component) if component.startswith("{") else component


def test_every_callback_input_has_a_declared_shape(callbacks):
    missing = []
    for callback in callbacks:
        for item in callback["inputs"] + callback["state"]:
            component = parse_id(item["id"])
            if shape_for(component, item["property"]) is None:
                missing.append(f"{item['id']}.{item['property']}")
    assert missing == []


def shaped_value(component, prop):
    """A strategy for values of the declared shape (the shape's name lists its parts)."""
    strategies = {
        "text": SHAPED["text"], "number": SHAPED["number"], "count": SHAPED["count"], "flag": st.booleans(),
        "texts": st.lists(SHAPED["text"], max_size=5),
        "map_position": st.lists(SHAPED["number"], min_size=3, max_size=3),
        "click_data": st.fixed_dictionaries({"points": st.lists(st.fixed_dictionaries({"location": SHAPED["text"]}),
                                                                max_size=2)}),
        "any_dict": st.dictionaries(st.sampled_from(["key", "selected", "view", "panel", "text", "present", "mode"]),
                                    json_values, max_size=4),
    }
    parts = shape_for(component, prop).__name__.removeprefix("optional ").split(" or ")
    return st.one_of(st.none(), *(strategies[part] for part in parts))


@st.composite
def callback_requests(draw, callbacks, well_typed: bool):
    callback = draw(st.sampled_from(callbacks))
    items, changed = [], []
    for key in ("inputs", "state"):
        built = []
        for item in callback[key]:
            component = parse_id(item["id"])
            value_strategy = shaped_value if well_typed else (lambda c, p: json_values)
            if isinstance(component, dict):  # pattern-matching (ALL): a few concrete components
                indices = draw(st.lists(st.one_of(st.sampled_from(["PL21", "ES51", "Europe", "Madeira"]),
                                                  st.integers(0, 3)), max_size=3, unique=True))
                entries = [{"id": {"index": i, "type": component["type"]}, "property": item["property"],
                            "value": draw(value_strategy({"type": component["type"]}, item["property"]))}
                           for i in indices]
                built.append(entries)
                changed += [json.dumps(e["id"], sort_keys=True, separators=(",", ":")) + "." + e["property"]
                            for e in entries]
            else:
                entry = {"id": component, "property": item["property"]}
                if draw(st.booleans()) or not well_typed:
                    entry["value"] = draw(value_strategy(component, item["property"]))
                built.append(entry)
                if key == "inputs":
                    changed.append(f"{component}.{item['property']}")
        items.append(built)
    triggered = draw(st.lists(st.sampled_from(changed), max_size=2, unique=True)) if changed else []
    return {"output": callback["output"], "outputs": parse_outputs(callback["output"]), "inputs": items[0],
            "state": items[1], "changedPropIds": triggered}


def post(client, body) -> int:
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    STATUSES[response.status_code] += 1
    return response.status_code


def test_wrong_typed_inputs_are_refused_with_400_never_5xx(app_client, callbacks):
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(callback_requests(callbacks, well_typed=False))
    def check(body):
        status = post(app_client, body)
        assert status < 500, body
        try:
            check_callback_request(body)
        except ValueError:
            assert status == 400
    check()


def test_well_typed_inputs_of_any_content_never_crash_a_callback(app_client, callbacks):
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(callback_requests(callbacks, well_typed=True))
    def check(body):
        status = post(app_client, body)
        assert status < 500, body
    check()


def test_malformed_envelopes_are_400(app_client):
    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(json_values)
    def check(body):
        assert post(app_client, body) == 400
    check()
    response = app_client.post("/_dash-update-component", data=b"not json", content_type="application/json")
    assert response.status_code == 400


def test_the_issues_examples_are_refused_naming_the_input(app_client, callbacks):
    main = next(c for c in callbacks if "url.search" in c["output"])
    for component, prop, value in [("year", "value", "abc"), ("keyword", "value", 5), ("url", "search", 123),
                                   ("indicator", "value", []), ("region-search", "value", {})]:
        body = {"output": main["output"], "outputs": parse_outputs(main["output"]), "changedPropIds": [f"{component}.{prop}"],
                "inputs": [{"id": component, "property": prop, "value": value}], "state": []}
        response = app_client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"].startswith(f"ignored: {component}.{prop}: expected")


def test_pattern_inputs_cover_the_panel_controls():
    assert all(shape.__name__.startswith("optional") for shape in PATTERN_INPUTS.values())


def teardown_module(module):
    print(f"\ncallback fuzz statuses: {dict(sorted(STATUSES.items()))}")


def test_envelopes_that_do_not_match_their_callback_are_400(app_client, callbacks):
    """Dash indexes inputs and outputs by position: a request sending fewer than its callback takes
    was a 500 (found by the response-cache test); now the guard answers 400 naming what is wrong."""
    main = next(c for c in callbacks if "url.search" in c["output"])
    one_input = [{"id": "url", "property": "search", "value": "?region=PL21"}]
    full = [[] if i["id"].startswith("{") else {"id": i["id"], "property": i["property"]} for i in main["inputs"]]
    state = [[] if i["id"].startswith("{") else {"id": i["id"], "property": i["property"]} for i in main["state"]]
    outputs = parse_outputs(main["output"])
    cases = {
        "inputs: the callback takes": {"inputs": one_input, "state": state, "outputs": outputs},
        "inputs[0]: expected url.search": {"inputs": full[1:] + full[:1], "state": state, "outputs": outputs},
        "outputs: not the callback's outputs": {"inputs": full, "state": state, "outputs": outputs[:3]},
        "output: no callback has these outputs": {"inputs": full, "state": state, "outputs": outputs,
                                                  "output": "..url.search...map.figure.."},
    }
    for message, parts in cases.items():
        body = {"output": main["output"], "changedPropIds": ["url.search"], **parts}
        response = app_client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert response.status_code == 400 and message in response.json()["error"], (message, response.text[:200])
