from dash import no_update

from s3map.callbacks.controller import ACTIONS, CONTROL_INPUTS, CONTROL_OUTPUTS, TRIGGERS, Trigger, respond
from s3map.figures.insets import frame_views
from s3map.figures.map import SELECTED_TRACES, T_BASE, T_FILTERED, T_P0, T_P2, T_SELECTED, T_VALUES
from s3map.render.text import active_filters
from s3map.state import PARAMS, ViewState, parse, to_search
from s3map.ui.layout import build_layout, region_options


def render_for(search, shown, dataset):
    """The page outputs for a URL as the controller answers a loaded page, by name."""
    return respond(search, None, None, shown, dataset)


def change(search, name, value, dataset, controls=None, index=None, shown=None):
    """The controller's answer to one change: a parameter's control or an action, by name."""
    kind = "action" if name in ACTIONS else "param"
    return respond(search, Trigger(kind, name, value, index), controls if controls is not None else {name: value},
                   shown or {}, dataset)


def test_url_round_trip_of_a_full_view(dataset):
    state = ViewState(mode="priorities", indicator="gerd_pc_gdp", year=2021, classes="quantile", palette="Viridis",
                      codes=("nace:C10", "sdg:SDG7"), keyword="hydrogen", countries=("PL", "ES"), ris=("Strong",),
                      category=("less",), partnership="Solar Energy", region="PL21", compare=("ES30", "PL21"),
                      view=(-16.5, 31.8, 10.0), present=True)
    parsed, notices = parse(to_search(state), dataset)
    assert notices == [] and parsed == state


def test_hostile_or_invalid_parameters_are_ignored_with_a_notice(dataset):
    search = ("?indicator=<script>alert(1)</script>&year=1850&region=PL21%27--&x=1&codes=nace:ZZ9,sdg:SDG7"
              "&country=XX&view=1e999,0,1&q=%3Cimg%20src%3Dx%3E&mode=evil")
    state, notices = parse(search, dataset)
    assert state == ViewState(codes=("sdg:SDG7",))  # only the one valid value got through
    text = " ".join(notices)
    for expected in ("unknown indicator", "Ignored year '1850'", "unknown region code", "unknown parameter 'x'",
                     "unknown taxonomy code 'nace:ZZ9'", "unknown country", "map position", "keyword", "mode"):
        assert expected in text, expected
    assert "<script>" not in text and "<img" not in text
    long_state, long_notices = parse("?region=" + "A" * 500, dataset)
    assert long_state.region is None and "too long" in long_notices[0]


def test_choosing_an_indicator_writes_the_url_and_resets_the_year(dataset):
    out = change("?indicator=gdp_pps_hab_eu&year=2010", "indicator", "gerd_pc_gdp", dataset,
                 controls={"indicator": "gerd_pc_gdp", "year": 2010})
    assert out["url"] == "?indicator=gerd_pc_gdp"
    assert out["controls"]["indicator"]["value"] is no_update  # the dropdown already shows it: nothing sent back
    year = out["controls"]["year"]
    assert year["value"] == dataset.default_year("gerd_pc_gdp")  # the slider follows the new indicator
    assert (year["min"], year["max"]) == (dataset.years("gerd_pc_gdp")[0], dataset.years("gerd_pc_gdp")[-1])


def test_filters_combine_and_clear_in_one_click(dataset):
    search = "?indicator=rii"
    search = change(search, "countries", ["PL", "CZ"], dataset)["url"]
    search = change(search, "ris", ["Moderate"], dataset)["url"]
    assert search == "?indicator=rii&country=PL,CZ&ris=Moderate"
    assert change(search, "clear_filters", 1, dataset)["url"] == "?indicator=rii"


def test_an_invalid_control_value_changes_nothing(dataset):
    out = change("?indicator=rii&country=PL", "countries", ["PL", "XX"], dataset)
    assert out["url"] is no_update  # XX is not an EU country: the state stays as it was
    assert change("?mode=priorities&indicator=rii", "mode", None, dataset)["url"] is no_update
    assert change("?indicator=rii", "partnership", "Not a partnership", dataset)["url"] is no_update
    out = change("?indicator=rii", "keyword", "<script>", dataset, controls={"keyword": "<script>"})
    assert out["url"] == "?mode=priorities&indicator=rii"
    assert out["controls"]["keyword"]["value"] == ""  # the control is set back to what the URL holds


def test_clicking_a_region_or_zooming_updates_the_url(dataset):
    out = change("?indicator=rii", "map_click", {"points": [{"location": "ES30"}]}, dataset)
    assert out["url"] == "?indicator=rii&region=ES30"
    out = change(out["url"], "zoom", 1, dataset, index="Açores")  # the Açores' frame beside the map
    lon, lat, scale = frame_views()["Açores"]
    assert out["url"] == f"?indicator=rii&region=ES30&view={lon},{lat},{scale:g}"
    assert parse(out["url"], dataset)[0].view == (lon, lat, scale)


def test_loading_a_url_sets_the_controls_and_shows_notices(dataset):
    out = render_for("?indicator=rii&year=2019&region=nope", {}, dataset)
    assert out["url"] is no_update
    assert out["controls"]["indicator"]["value"] == "rii" and out["controls"]["year"]["value"] == 2019
    assert out["notice_open"] is True and "unknown region code" in out["notice"]
    assert out["controls"]["tab"]["active_tab"] == "region"


def test_every_parameter_round_trips_and_its_control_is_on_the_page(dataset):
    """The table drives everything: each row's control exists in the layout and is wired in and out."""
    page = str(build_layout(dataset).to_plotly_json())
    for param in PARAMS:
        assert param.name in ViewState.__dataclass_fields__
        if param.control is None:
            continue
        assert param.name in CONTROL_INPUTS
        if not param.control.pattern:
            assert f"'{param.control.id}'" in page, param.control.id
        if param.control.writes and not param.control.pattern:
            assert param.control.prop in CONTROL_OUTPUTS[param.name]
    assert len(TRIGGERS) == len(CONTROL_INPUTS) + len(ACTIONS)  # no control shares an id with an action
    # A non-default value of every parameter survives a URL round trip.
    state = ViewState(peers=5, exclude_own_country=True, order="similarity", tab="peers", region="PL21")
    assert parse(to_search(state), dataset) == (state, [])


def operations(patch):
    return patch.to_plotly_json()["operations"]


def touched_traces(patch):
    return {op["location"][1] for op in operations(patch) if op["location"][0] == "data"}


def test_render_patches_only_what_changed_and_never_geometry(dataset):
    out = render_for("?indicator=gdp_pps_hab_eu", {}, dataset)
    assert T_VALUES in touched_traces(out["map"])
    out = render_for("?indicator=gdp_pps_hab_eu&region=PL21", out["shown"], dataset)
    patch, panel = out["map"], out["panel"]
    assert touched_traces(patch) <= set(SELECTED_TRACES.values())  # the region changed, not the values
    outline = next(op for op in operations(patch) if op["location"] == ["data", T_SELECTED, "locations"])
    assert outline["params"]["value"] == ["PL21"]
    assert "Małopolskie" in str(panel)
    out = render_for("?indicator=gerd_pc_gdp&year=2021&region=PL21", out["shown"], dataset)
    patch = out["map"]
    assert out["panel"] is no_update  # the region did not change
    assert T_VALUES in touched_traces(patch) and T_SELECTED not in touched_traces(patch)
    assert not [op for op in operations(patch) if "geojson" in op["location"]]
    z = next(op for op in operations(patch) if op["location"] == ["data", T_VALUES, "z"])["params"]["value"]
    base = next(op for op in operations(patch) if op["location"] == ["data", T_BASE, "locations"])["params"]["value"]
    frame = dataset.map_values("gerd_pc_gdp", 2021)
    assert len(z) == frame["value"].notna().sum() and len(base) == frame["value"].isna().sum()
    same = render_for("?indicator=gerd_pc_gdp&year=2021&region=PL21", out["shown"], dataset)
    assert same["map"] is no_update and same["caption"] is no_update and same["panel"] is no_update


def test_filter_moves_regions_to_the_filtered_trace(dataset):
    out = render_for("?indicator=gdp_pps_hab_eu&country=PL&category=less", {}, dataset)
    patch = out["map"]
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(patch) if op["location"][0] == "data"}
    shown = ops[("data", T_VALUES, "locations")] + ops[("data", T_BASE, "locations")]
    expected = set(dataset.filter_regions(("PL",), (), ("less",), None)) & set(dataset.nuts2_eu_drawn)
    assert set(shown) == expected and all(code.startswith("PL") for code in shown)
    assert "PL91" not in shown  # Warszawski stołeczny is a more developed region
    assert set(ops[("data", T_FILTERED, "locations")]) == set(dataset.nuts2_eu_drawn) - expected
    summary = out["filter_summary"]
    assert "country PL" in summary and f"{len(expected)} of" in summary


def test_filters_read_the_same_on_screen_and_in_files_with_more_context_in_files(dataset):
    state, notices = parse("?country=PL,CZ&ris=Moderate&category=less,transition&partnership=Bioeconomy", dataset)
    assert notices == []
    on_screen, in_file = active_filters(state), active_filters(state, for_file=True)
    assert len(on_screen) == len(in_file) == 4  # one list of filters for both: a new filter cannot miss one
    assert on_screen[0] == in_file[0] == "country PL, CZ"
    assert on_screen[2] == "less developed, transition"
    assert in_file[2] == "cohesion category less developed, transition (GDP PPS % EU27, mean 2015-2017; derived)"
    assert in_file[1].startswith("RIS 2023 group ") and in_file[3].startswith("S3 partnership ")


def test_priority_mode_draws_strategies_on_their_own_territory(dataset):
    patch = render_for("?mode=priorities&q=hydrogen", {}, dataset)["map"]
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(patch) if op["location"][0] == "data"}
    matches = dataset.priority_matches((), "hydrogen")
    assert len(matches) > 0
    for level, trace in ((0, T_P0), (2, T_P2)):
        expected = set(matches.loc[matches["territory_level"] == level, "territory"]) & dataset.drawable_codes
        assert set(ops[("data", trace, "locations")]) == expected
    assert ops[("data", T_VALUES, "locations")] == []


def test_panel_lists_strategy_priorities_with_sources(dataset):
    panel = render_for("?region=PL21", {}, dataset)["panel"]
    text = str(panel)
    assert "Smart specialisation strategy" in text and "source" in text
    strategy = dataset.strategies_for("PL21").iloc[0]
    first_priority = dataset.priorities_of(strategy["strategy_id"]).iloc[0]["name"]
    assert first_priority in text


def test_a_strategy_without_a_sourced_list_is_shown_as_a_gap(dataset):
    """Panel and map tooltip say the strategy exists but its priorities are not yet sourced."""
    assert len(dataset.unlisted) > 0
    record = dataset.unlisted.iloc[0]
    code = record["territory"].split()[0]
    panel = render_for(f"?mode=priorities&region={code}", {}, dataset)["panel"]
    text = str(panel)
    assert record["title"] in text and "priorities not yet sourced" in text
    assert record["source_urls"].split("|")[0].strip() in text
    patch = render_for("?mode=priorities", {}, dataset)["map"]
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(patch) if op["location"][0] == "data"}
    gaps = dict(zip(ops[("data", T_BASE, "locations")], ops[("data", T_BASE, "customdata")]))
    known = dataset.nuts2_with_strategy_but_no_list
    assert not known & dataset.nuts2_with_current_strategy
    drawn_known = [c for c in gaps if c in known]
    assert drawn_known and all("not yet sourced" in gaps[c][0] for c in drawn_known)
    assert all(gaps[c][0] == "no current strategy recorded" for c in gaps if c not in known)


def test_region_search_knows_own_script_plain_latin_and_english_country_names(dataset):
    options = {o["value"]: o for o in region_options(dataset)}
    assert "ττική" in options["EL30"]["search"]  # Eurostat's label (its first letter is a Latin A in the source)
    assert "Malopolskie" in options["PL21"]["search"] and "Poland" in options["PL21"]["search"]
    assert options["EL"]["label"] == "Elláda — Greece (EL)"
    assert "Югозападен" in options["BG41"]["search"]


def test_a_nuts3_strategy_region_is_findable_and_shows_its_nuts2_values_named(dataset):
    """Kraje, Swedish counties, Finnish maakunnat: indicators are NUTS 2, so the panel shows the
    NUTS 2 parent's values, each named as such, and the RIS badge says whose group it is."""
    nuts3_with_strategy = sorted(c for c in dataset.strategy_territories if len(c) == 5)
    assert nuts3_with_strategy
    code = nuts3_with_strategy[0]
    values = {o["value"] for o in region_options(dataset)}
    assert code in values
    assert not any(len(v) == 5 and v not in dataset.strategy_territories for v in values)
    profile = {r["indicator"]: r for r in dataset.region_profile(code)}
    gdp = profile["gdp_pps_hab_eu"]
    assert gdp["region_shown"] == code[:4] and gdp["value"] is not None and gdp["rank"]
    parent = {r["indicator"]: r for r in dataset.region_profile(code[:4])}["gdp_pps_hab_eu"]
    assert (gdp["value"], gdp["year"], gdp["rank"]) == (parent["value"], parent["year"], parent["rank"])
    out = render_for(f"?region={code}", {}, dataset)
    patch, panel = out["map"], out["panel"]
    assert f"(NUTS 2 {code[:4]})" in str(panel)
    outlines = {op["location"][1]: op["params"]["value"] for op in operations(patch)
                if op["location"][0] == "data" and op["location"][2] == "locations"}
    assert outlines[SELECTED_TRACES[3]] == [code] and outlines[T_SELECTED] == []  # its own outline, not its parent's


def test_each_piece_is_rebuilt_only_when_the_fields_it_reads_change(dataset):
    first = render_for("?indicator=gerd_pc_gdp&region=PL21", {}, dataset)
    tab = render_for("?indicator=gerd_pc_gdp&region=PL21&tab=peers", first["shown"], dataset)
    assert tab["map"] is no_update and tab["caption"] is no_update and tab["year_label"] is no_update
    assert "Peers and partners" in str(tab["panel"]) and "wide-panel" in tab["app_class"]
    year = render_for("?indicator=gerd_pc_gdp&year=2019&region=PL21&tab=peers", tab["shown"], dataset)
    assert year["year_label"] == "2019" and year["panel"] is no_update and year["app_class"] is no_update
    assert year["indicator_box"] is no_update  # the mode did not change
