from dash import no_update

from s3map.callbacks.view import render_for, sync_state_for
from s3map.figures.map import TRACE_NO_DATA, TRACE_SELECTED, TRACE_VALUES
from s3map.state import ViewState, parse, to_search
from s3map.ui import ids


def test_url_round_trip(dataset):
    state = ViewState(indicator="gerd_pc_gdp", year=2021, region="PL21")
    parsed, notices = parse(to_search(state), dataset)
    assert parsed == state and notices == []


def test_hostile_or_invalid_parameters_are_ignored_with_a_notice(dataset):
    search = "?indicator=<script>alert(1)</script>&year=1850&region=PL21%27--&x=1"
    state, notices = parse(search, dataset)
    assert state == ViewState()  # defaults: nothing from the bad parameters got through
    assert len(notices) == 4
    assert any("unknown indicator" in n for n in notices)
    assert any("Ignored year '1850'" in n for n in notices)
    assert any("unknown region code" in n for n in notices)
    assert all("<script>" not in n or "Ignored unknown indicator" in n for n in notices)
    long_state, long_notices = parse("?region=" + "A" * 500, dataset)
    assert long_state.region is None and "too long" in long_notices[0]


def test_choosing_an_indicator_writes_the_url_and_resets_the_year(dataset):
    out = sync_state_for("?indicator=gdp_pps_hab_eu&year=2010", ids.INDICATOR, "gerd_pc_gdp", 2010, None, dataset)
    search, indicator, year, year_min, year_max, marks, notice, notice_open = out
    assert search == "?indicator=gerd_pc_gdp"
    assert indicator == "gerd_pc_gdp" and year == dataset.latest_year("gerd_pc_gdp")
    assert (year_min, year_max) == (dataset.years("gerd_pc_gdp")[0], dataset.years("gerd_pc_gdp")[-1])


def test_clicking_a_region_selects_it(dataset):
    click = {"points": [{"location": "ES30"}]}
    out = sync_state_for("?indicator=rii", ids.MAP, "rii", 2023, click, dataset)
    assert out[0] == "?indicator=rii&region=ES30"


def test_loading_a_url_sets_the_controls_and_shows_notices(dataset):
    out = sync_state_for("?indicator=rii&year=2019&region=nope", None, "gdp_pps_hab_eu", 2023, None, dataset)
    search, indicator, year, *_, notice, notice_open = out
    assert search is no_update and indicator == "rii" and year == 2019
    assert notice_open is True and "unknown region code" in notice[0]


def test_render_patches_only_what_changed(dataset):
    shown = {"indicator": "gdp_pps_hab_eu", "year": 2023, "region": None}
    patch, panel, year_label, caption, now = render_for("?indicator=gdp_pps_hab_eu&region=PL21", shown, dataset)
    operations = patch.to_plotly_json()["operations"]
    touched = {tuple(op["location"][:2]) for op in operations}
    assert touched == {("data", TRACE_SELECTED)}  # the region changed, not the values
    assert now == {"indicator": "gdp_pps_hab_eu", "year": 2023, "region": "PL21"}
    assert "Małopolskie" in str(panel)

    patch, *_ = render_for("?indicator=gerd_pc_gdp&year=2021&region=PL21", now, dataset)
    operations = patch.to_plotly_json()["operations"]
    locations = {tuple(op["location"][:2]) for op in operations}
    assert locations == {("data", TRACE_NO_DATA), ("data", TRACE_VALUES)}
    assert all("geojson" not in op["location"] for op in operations)  # never geometry
    values = next(op for op in operations if op["location"] == ["data", TRACE_VALUES, "z"])["params"]["value"]
    no_data = next(op for op in operations if op["location"] == ["data", TRACE_NO_DATA, "locations"])["params"]["value"]
    frame = dataset.map_values("gerd_pc_gdp", 2021)
    assert len(values) == frame["value"].notna().sum() and len(no_data) == frame["value"].isna().sum()

    same, *_ = render_for("?indicator=gerd_pc_gdp&year=2021&region=PL21",
                          {"indicator": "gerd_pc_gdp", "year": 2021, "region": "PL21"}, dataset)
    assert same is no_update


def test_panel_lists_strategy_priorities_with_sources(dataset):
    _, panel, *_ = render_for("?region=PL21", {}, dataset)
    text = str(panel)
    assert "Smart specialisation strategy" in text and "source" in text
    strategy = dataset.strategies_for("PL21").iloc[0]
    first_priority = dataset.priorities_of(strategy["strategy_id"]).iloc[0]["name"]
    assert first_priority in text
