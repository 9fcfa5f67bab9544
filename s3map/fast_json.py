"""Callback answers serialised with orjson instead of Dash's encoder (plotly's, pure Python).

The same JSON (tests/test_fast_json.py compares the two on the app's own answers and on NaN, numpy,
dates and integer keys), in about a third of the time: ~2.1 ms of a ~4 ms callback answer went to
serialising it. Dash components and figures are turned into plain data by their own
to_plotly_json, as Dash's encoder does; anything orjson and they cannot handle goes to plotly's
encoder. Text is UTF-8 rather than \\u escapes, which a browser reads alike.
"""

from __future__ import annotations

import orjson
from _plotly_utils.utils import PlotlyJSONEncoder

_PLOTLY = PlotlyJSONEncoder()
OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def _default(value):
    to_plotly_json = getattr(value, "to_plotly_json", None)
    if to_plotly_json is not None:
        return to_plotly_json()
    return _PLOTLY.default(value)  # pandas and other types plotly knows; TypeError for the rest


def to_json(value) -> str:
    """JSON text of a callback's answer; TypeError (orjson.JSONEncodeError) when it cannot be encoded,
    which Dash turns into its message naming the output, as with its own encoder."""
    return orjson.dumps(value, default=_default, option=OPTIONS).decode()


def install() -> None:
    """Use it for every callback answer (Dash looks the name up in its callback module at each call)."""
    import dash._callback  # noqa: PLC0415

    dash._callback.to_json = to_json
