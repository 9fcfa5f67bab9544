"""The figure builders on tiny hand-made frames: no dataset, every number checkable by hand."""

import json

import numpy as np
import pandas as pd
import pytest

from s3map.figures.charts import peer_contributions, profile, time_series, wrap
from s3map.figures.map import (NUTS3_TRACES, OWN_STRATEGY_TRACES, SELECTED_TRACES, T_BASE, T_FILTERED,
                               T_FRAME_LABELS, T_NO_MATCH, T_OWN3, T_P0, T_P2, T_P3, T_VALUES, apply_update,
                               indicator_update, priority_update, quantile_breaks, selection_update,
                               type_size_update, view_update)


def frame(values: dict) -> pd.DataFrame:
    """map_values()-shaped rows: code, name, value (NaN = no data), flag, note."""
    codes = list(values)
    return pd.DataFrame({"code": codes, "name": codes, "value": [values[c] for c in codes],
                         "flag": ["p" if c == "AA11" else "" for c in codes], "note": [""] * len(codes)},
                        index=codes)


FIVE = {"AA11": 1.0, "AA12": 2.0, "BB21": 3.0, "BB22": None, "CC31": 5.0, "CC32": 8.0}


def test_indicator_update_splits_values_gaps_and_filtered_regions():
    update = indicator_update_for(FIVE, keep=["AA11", "AA12", "BB21", "BB22"])
    traces = update["traces"]
    assert traces[T_VALUES]["locations"] == ["AA11", "AA12", "BB21"]
    assert traces[T_VALUES]["z"] == [1.0, 2.0, 3.0]
    assert traces[T_BASE]["locations"] == ["BB22"]  # no data is its own class, never a zero
    assert traces[T_FILTERED]["locations"] == ["CC31", "CC32"]
    assert traces[T_VALUES]["customdata"][0] == ["1.0", "provisional"]
    assert update["layout"]["coloraxis.cmin"] == 1.0 and update["layout"]["coloraxis.cmax"] == 3.0
    assert update["summary"] == {"shown": 4, "with_data": 3, "total": 6}


def indicator_update_for(values, keep, classes="continuous"):
    return indicator_update(frame(values), pd.Index(keep), label="Thing", unit="units", year=2020, decimals=1,
                            classes=classes)


def test_quantile_breaks_are_equal_shares_and_merge_repeated_values():
    assert quantile_breaks(np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10.0]), 5) == [1.0, 2.8, 4.6, 6.4, 8.2, 10.0]
    assert quantile_breaks(np.array([4.0, 4.0, 4.0, 4.0, 4.0])) == [4.0, 4.0 + 1e-9]  # one class, not five
    assert quantile_breaks(np.array([1.0, 1.0, 1.0, 1.0, 9.0]), 5) == pytest.approx([1.0, 2.6, 9.0])  # two classes


def test_quantile_classes_put_each_region_in_its_class():
    values = {f"AA{i:02d}": float(i) for i in range(1, 11)}
    update = indicator_update_for(values, keep=list(values), classes="quantile")
    assert update["traces"][T_VALUES]["z"] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert update["layout"]["coloraxis.colorbar.ticktext"][0] == "1.0–2.8"
    assert update["layout"]["coloraxis.cmax"] == 4.5


def test_priority_update_draws_each_strategy_on_its_territory():
    nuts2 = pd.Index(["AA11", "AA12", "BB21", "BB22"])
    matches = pd.DataFrame({"strategy_id": ["s1", "s2"], "matches": [2, 1], "names": [["x", "y"], ["z"]],
                            "territory": ["AA", "BB21"], "title": ["National AA", "Region BB21"],
                            "level": ["national", "regional"], "territory_level": [0, 2]})
    update = priority_update(matches, nuts2, covered={"AA11", "AA12", "BB21"}, keep=nuts2,
                             drawable={"AA", "BB21", "AA11", "AA12", "BB22"}, description="NACE C10",
                             unlisted={"BB22"})
    traces = update["traces"]
    assert traces[T_P0]["locations"] == ["AA"] and traces[T_P0]["z"] == [2]
    assert traces[T_P2]["locations"] == ["BB21"] and traces[T_P2]["z"] == [1]
    assert traces[T_BASE]["locations"] == ["BB22"]  # no current list: a gap, with the reason in the tooltip
    assert "not yet sourced" in traces[T_BASE]["customdata"][0][0]
    assert traces[T_NO_MATCH]["locations"] == ["AA11", "AA12", "BB21"]
    assert traces[T_VALUES]["locations"] == []
    assert update["summary"] == {"shown": 4, "matched": 3, "total": 4}
    assert update["layout"]["coloraxis2.cmax"] == 2.5


def test_a_territory_with_its_own_strategy_shows_it_above_its_country():
    """A kraj whose own strategy does not match sits on top of its matching country, with its own title."""
    nuts2 = pd.Index(["AA11", "AA12"])
    matches = pd.DataFrame({"strategy_id": ["s1", "s3"], "matches": [3, 1], "names": [["x"], ["w"]],
                            "territory": ["AA", "AA122"], "title": ["National AA", "Kraj AA122"],
                            "level": ["national", "regional"], "territory_level": [0, 3]})
    own = pd.DataFrame({"territory": ["AA", "AA121", "AA122", "AA111"], "territory_level": [0, 3, 3, 3],
                        "title": ["National AA", "Kraj AA121", "Kraj AA122", "Kraj AA111"]})
    update = priority_update(matches, nuts2, covered={"AA11", "AA12"}, keep=pd.Index(["AA12"]),
                             drawable={"AA", "AA11", "AA12", "AA121", "AA122", "AA111"}, description="NACE C", own=own)
    traces = update["traces"]
    assert traces[T_P0]["locations"] == ["AA"] and traces[T_P3]["locations"] == ["AA122"]
    # AA121: own strategy, no match, drawn at its level; AA111 lies outside the filter; AA122 matched.
    assert traces[T_OWN3]["locations"] == ["AA121"] and traces[T_OWN3]["customdata"] == [["Kraj AA121"]]
    assert "no matching priority for NACE C" in traces[T_OWN3]["hovertemplate"]
    assert T_OWN3 > T_P0 and T_P3 > T_OWN3  # drawn above the country, below matching kraje
    cleared = indicator_update_for({"AA11": 1.0}, keep=["AA11"])
    assert all(cleared["traces"][index]["locations"] == [] for index in OWN_STRATEGY_TRACES.values())


def test_nuts3_outlines_thicken_when_zoomed_and_frame_labels_grow_for_presenters():
    widths = [view_update((10.0, 53.0, scale))["traces"][T_P3]["marker"]["line"]["width"] for scale in (6, 15, 40)]
    assert widths == sorted(widths) and widths[0] < 0.5 < 1.0 < widths[-1]
    update = view_update((-30.0, 50.0, 30.0))
    assert set(update["traces"]) == set(NUTS3_TRACES)
    assert update["layout"]["geo.projection.rotation.lon"] == 10.0  # the frames were placed for this meridian
    assert type_size_update(True)["traces"][T_FRAME_LABELS]["textfont"]["size"] > \
        type_size_update(False)["traces"][T_FRAME_LABELS]["textfont"]["size"]


def test_apply_update_writes_only_named_keys_and_selection_goes_by_level():
    figure = {"data": [{"locations": ["keep"]} for _ in range(T_FRAME_LABELS + 1)], "layout": {"geo": {"center": {}}}}
    apply_update(figure, selection_update(["PL21", "PL", "PL213"]))
    assert figure["data"][SELECTED_TRACES[2]]["locations"] == ["PL21"]
    assert figure["data"][SELECTED_TRACES[0]]["locations"] == ["PL"]
    assert figure["data"][SELECTED_TRACES[3]]["locations"] == ["PL213"]
    assert figure["data"][0]["locations"] == ["keep"]


def test_time_series_keeps_gaps_and_profile_indexes_to_the_eu():
    figure = time_series({"AA11": [(2018, 1.0), (2020, 3.0)], "BB21": []}, {"AA11": "Aland"}, "Thing", "units")
    assert len(figure.data) == 1  # a region without points draws no line
    assert list(figure.data[0].x) == [2018, 2019, 2020] and list(figure.data[0].y) == [1.0, None, 3.0]
    assert figure.data[0].name == "Aland (AA11)"
    rows = [{"region": "AA11", "label": "GDP", "index": 120.0}, {"region": "AA11", "label": "RII", "index": None},
            {"region": "BB21", "label": "GDP", "index": 80.0}]
    bars = profile(rows, {})
    assert [list(t.x) for t in bars.data] == [[120.0], [80.0]]  # the indicator without an EU value is left out


def test_peer_contributions_stack_each_dimension_share():
    peers = pd.DataFrame({"name": ["Bee", "Cee"], "Economy": [0.5, 1.0], "Skills": [1.5, 1.0]}, index=["BB21", "CC31"])
    figure = peer_contributions(peers, ["Economy", "Skills"])
    assert [t.name for t in figure.data] == ["Economy", "Skills"]
    assert list(figure.data[0].x) == [0.25, 0.5] and list(figure.data[1].x) == [0.75, 0.5]
    assert list(figure.data[0].y) == ["Bee (BB21)", "Cee (CC31)"]


def test_small_charts_leave_out_plotlys_default_template_and_wrap_long_labels():
    # The default template is ~7 kB of JSON per chart, sent with every tab; these charts set what shows.
    rows = [{"region": "AA11", "label": "Human resources in science and technology", "index": 90.0}]
    figure = profile(rows, {}).to_plotly_json()
    assert len(json.dumps(figure["layout"].get("template", {}))) < 200
    assert figure["layout"]["font"]["color"] == "#2a3f5f" and figure["layout"]["hovermode"] == "closest"
    assert figure["data"][0]["y"] == ["Human resources in<br>science and<br>technology"]
    assert wrap("GDP per inhabitant (PPS)") == "GDP per inhabitant<br>(PPS)"
