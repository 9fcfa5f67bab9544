"""The orjson serialiser of callback answers (s3map/fast_json.py) writes the JSON Dash's own encoder writes."""

from __future__ import annotations

import datetime as dt
import json

import dash._callback
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import dcc, html
from dash._utils import to_json as dash_to_json

from s3map import fast_json
from s3map.callbacks.controller import respond


def same_json(value) -> None:
    assert json.loads(fast_json.to_json(value)) == json.loads(dash_to_json(value))


def test_the_apps_own_answers_encode_alike(dataset):
    for search in ("", "?region=PL21&tab=compare&compare=PL21,ES51", "?region=ES61&tab=peers",
                   "?mode=priorities&q=hydrogen&country=ES,PL", "?indicator=gerd_pc_gdp&year=2019&region=CZ06",
                   "?region=PL21&tab=specialisation"):
        same_json(respond(search, None, None, {}, dataset))


def test_awkward_values_encode_alike():
    figure = go.Figure(go.Bar(x=np.array([1.5, np.nan, 3.0]), y=["a", "b", "c"]))
    same_json({"figure": figure, "marks": {2015: "2015", 2020: "2020"}, "n": np.int64(3), "x": np.float32(0.5),
               "nan": float("nan"), "inf": float("inf"), "day": dt.date(2026, 12, 5),
               "series": pd.Series([1.0, None]).tolist(), "tree": html.Div([dcc.Link("Łódź", href="/?region=PL71")])})


def test_what_cannot_be_encoded_raises_a_type_error_as_dash_expects():
    with pytest.raises(TypeError):
        fast_json.to_json({"x": object()})


def test_the_app_uses_it(live_server):
    assert dash._callback.to_json is fast_json.to_json
