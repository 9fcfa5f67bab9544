from dash import no_update

from s3map.callbacks.view import render_for, sync_state_for
from s3map.figures.map import SELECTED_TRACES, T_BASE, T_FILTERED, T_P0, T_P2, T_SELECTED, T_VALUES
from s3map.state import ViewState, parse, to_search
from s3map.ui import ids


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


def values(**changes):
    return changes


def test_choosing_an_indicator_writes_the_url_and_resets_the_year(dataset):
    out = sync_state_for("?indicator=gdp_pps_hab_eu&year=2010", ids.INDICATOR, values(**{ids.INDICATOR: "gerd_pc_gdp"}),
                         dataset)
    search, mode, indicator, year, year_min, year_max = out[:6]
    assert search == "?indicator=gerd_pc_gdp"
    assert indicator is no_update  # the dropdown already shows it: nothing sent back
    assert year == dataset.default_year("gerd_pc_gdp")  # the slider follows the new indicator
    assert (year_min, year_max) == (dataset.years("gerd_pc_gdp")[0], dataset.years("gerd_pc_gdp")[-1])


def test_filters_combine_and_clear_in_one_click(dataset):
    search = "?indicator=rii"
    search = sync_state_for(search, ids.COUNTRY, values(**{ids.COUNTRY: ["PL", "CZ"]}), dataset)[0]
    search = sync_state_for(search, ids.RIS, values(**{ids.RIS: ["Moderate"]}), dataset)[0]
    assert search == "?indicator=rii&country=PL,CZ&ris=Moderate"
    cleared = sync_state_for(search, ids.CLEAR_FILTERS, values(), dataset)[0]
    assert cleared == "?indicator=rii"


def test_clicking_a_region_or_zooming_updates_the_url(dataset):
    out = sync_state_for("?indicator=rii", ids.MAP, values(**{ids.MAP: {"points": [{"location": "ES30"}]}}), dataset)
    assert out[0] == "?indicator=rii&region=ES30"
    out = sync_state_for(out[0], {"type": ids.ZOOM, "index": "Açores"}, values(triggered_value=1), dataset)
    assert out[0] == "?indicator=rii&region=ES30&view=-25.45,37.45,90"


def test_loading_a_url_sets_the_controls_and_shows_notices(dataset):
    out = sync_state_for("?indicator=rii&year=2019&region=nope", None, values(), dataset)
    assert out[0] is no_update and out[2] == "rii" and out[3] == 2019
    assert out[-2] is True and "unknown region code" in out[-3]  # notice open, notice text; then the tab


def operations(patch):
    return patch.to_plotly_json()["operations"]


def touched_traces(patch):
    return {op["location"][1] for op in operations(patch) if op["location"][0] == "data"}


def test_render_patches_only_what_changed_and_never_geometry(dataset):
    patch, panel, *_, shown = render_for("?indicator=gdp_pps_hab_eu", {}, dataset)
    assert T_VALUES in touched_traces(patch)
    patch, panel, *_, shown = render_for("?indicator=gdp_pps_hab_eu&region=PL21", shown, dataset)
    assert touched_traces(patch) <= set(SELECTED_TRACES.values())  # the region changed, not the values
    outline = next(op for op in operations(patch) if op["location"] == ["data", T_SELECTED, "locations"])
    assert outline["params"]["value"] == ["PL21"]
    assert "Małopolskie" in str(panel)
    patch, *_, shown = render_for("?indicator=gerd_pc_gdp&year=2021&region=PL21", shown, dataset)
    assert T_VALUES in touched_traces(patch) and T_SELECTED not in touched_traces(patch)
    assert not [op for op in operations(patch) if "geojson" in op["location"]]
    z = next(op for op in operations(patch) if op["location"] == ["data", T_VALUES, "z"])["params"]["value"]
    base = next(op for op in operations(patch) if op["location"] == ["data", T_BASE, "locations"])["params"]["value"]
    frame = dataset.map_values("gerd_pc_gdp", 2021)
    assert len(z) == frame["value"].notna().sum() and len(base) == frame["value"].isna().sum()
    same, *_ = render_for("?indicator=gerd_pc_gdp&year=2021&region=PL21", shown, dataset)
    assert same is no_update


def test_filter_moves_regions_to_the_filtered_trace(dataset):
    patch, *rest = render_for("?indicator=gdp_pps_hab_eu&country=PL&category=less", {}, dataset)
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(patch) if op["location"][0] == "data"}
    shown = ops[("data", T_VALUES, "locations")] + ops[("data", T_BASE, "locations")]
    expected = set(dataset.filter_regions(("PL",), (), ("less",), None)) & set(dataset.nuts2_eu_drawn)
    assert set(shown) == expected and all(code.startswith("PL") for code in shown)
    assert "PL91" not in shown  # Warszawski stołeczny is a more developed region
    assert set(ops[("data", T_FILTERED, "locations")]) == set(dataset.nuts2_eu_drawn) - expected
    summary = rest[3]
    assert "country PL" in summary and f"{len(expected)} of" in summary


def test_priority_mode_draws_strategies_on_their_own_territory(dataset):
    patch, *rest = render_for("?mode=priorities&q=hydrogen", {}, dataset)
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(patch) if op["location"][0] == "data"}
    matches = dataset.priority_matches((), "hydrogen")
    assert len(matches) > 0
    for level, trace in ((0, T_P0), (2, T_P2)):
        expected = set(matches.loc[matches["territory_level"] == level, "territory"]) & dataset.drawable_codes
        assert set(ops[("data", trace, "locations")]) == expected
    assert ops[("data", T_VALUES, "locations")] == []


def test_panel_lists_strategy_priorities_with_sources(dataset):
    _, panel, *_ = render_for("?region=PL21", {}, dataset)
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
    _, panel, *_ = render_for(f"?mode=priorities&region={code}", {}, dataset)
    text = str(panel)
    assert record["title"] in text and "priorities not yet sourced" in text
    assert record["source_urls"].split("|")[0].strip() in text
    patch, *_ = render_for("?mode=priorities", {}, dataset)
    ops = {tuple(op["location"]): op["params"]["value"] for op in operations(patch) if op["location"][0] == "data"}
    gaps = dict(zip(ops[("data", T_BASE, "locations")], ops[("data", T_BASE, "customdata")]))
    known = dataset.nuts2_with_strategy_but_no_list
    assert not known & dataset.nuts2_with_current_strategy
    drawn_known = [c for c in gaps if c in known]
    assert drawn_known and all("not yet sourced" in gaps[c][0] for c in drawn_known)
    assert all(gaps[c][0] == "no current strategy recorded" for c in gaps if c not in known)


def test_region_search_knows_own_script_plain_latin_and_english_country_names(dataset):
    from s3map.ui.layout import region_options
    options = {o["value"]: o for o in region_options(dataset)}
    assert "ττική" in options["EL30"]["search"]  # Eurostat's label (its first letter is a Latin A in the source)
    assert "Malopolskie" in options["PL21"]["search"] and "Poland" in options["PL21"]["search"]
    assert options["EL"]["label"] == "Elláda — Greece (EL)"
    assert "Югозападен" in options["BG41"]["search"]


def test_a_nuts3_strategy_region_is_findable_and_shows_its_nuts2_values_named(dataset):
    """Kraje, Swedish counties, Finnish maakunnat: indicators are NUTS 2, so the panel shows the
    NUTS 2 parent's values, each named as such, and the RIS badge says whose group it is."""
    from s3map.ui.layout import region_options
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
    patch, panel, *_ = render_for(f"?region={code}", {}, dataset)
    assert f"(NUTS 2 {code[:4]})" in str(panel)
    outlines = {op["location"][1]: op["params"]["value"] for op in operations(patch)
                if op["location"][0] == "data" and op["location"][2] == "locations"}
    assert outlines[SELECTED_TRACES[3]] == [code] and outlines[T_SELECTED] == []  # its own outline, not its parent's
