"""Honest encodings: counts in whole-number classes, 'not in the filter' apart from 'outside the EU',
ranks that say among how many and when, stale values marked, no second index on another base, the
strategy before the indicators, the chart over time with its own indicator, presenter type sizes."""

from __future__ import annotations

import json

import pandas as pd

from s3map.figures.charts import PRESENTER_FONT, profile, time_series
from s3map.figures.map import (CONTEXT_COLOUR, FILTERED_BORDER, FILTERED_COLOUR, T_CONTEXT, T_FILTERED,
                               base_figure, count_classes, priority_update, type_size_update)
from s3map.state import parse, to_search
from s3map.ui.benchmark import compare_tab, has_own_base
from s3map.ui.layout import geo_urls
from s3map.ui.panel import region_panel, years_behind


def as_text(components) -> str:
    return json.dumps(components, default=lambda c: c.to_plotly_json())


def test_counts_get_one_flat_colour_per_whole_number():
    scale, classes, ticks = count_classes(3)
    assert classes == 3 and ticks == ["1", "2", "3"]
    assert len({colour for _, colour in scale}) == 3  # three flat bands, not a ramp
    assert [stop for stop, _ in scale] == [0, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 1]
    assert count_classes(9)[2][-1] == "6+"
    matches = pd.DataFrame({"strategy_id": ["s1"], "matches": [4], "names": [["a"]], "territory": ["AA11"],
                            "title": ["t"], "level": ["regional"], "territory_level": [2]})
    nuts2 = pd.Index(["AA11"])
    layout = priority_update(matches, nuts2, {"AA11"}, nuts2, {"AA11"}, description="x")["layout"]
    assert layout["coloraxis2.colorbar.tickvals"] == [1, 2, 3, 4] and layout["coloraxis2.cmax"] == 4.5


def test_not_in_the_filter_differs_from_outside_the_eu_in_colour_and_legend(dataset):
    figure = base_figure(geo_urls(dataset), dataset.context_countries)
    context, filtered = figure.data[T_CONTEXT], figure.data[T_FILTERED]
    assert context.name == "Outside the EU" and filtered.name == "Not in the filter"
    assert context.showlegend and filtered.showlegend
    assert filtered.colorscale[0][1] == FILTERED_COLOUR != CONTEXT_COLOUR == context.colorscale[0][1]
    assert filtered.marker.line.color == FILTERED_BORDER != context.marker.line.color  # an outline, not a fill


def test_ranks_say_of_how_many_reporting_in_which_year(dataset):
    state, _ = parse("?region=PL21", dataset)
    text = as_text(region_panel(dataset, "PL21", state))
    assert "reporting in" in text and " / " not in text.split("region-indicators")[1][:4000]


def test_stale_values_are_marked(dataset):
    stale = [(code, r) for code in dataset.regions.index[dataset.regions["level"] == 2][:400]
             for r in dataset.region_profile(code) if years_behind(dataset, r["indicator"], r["year"])]
    assert stale, "the dataset has values more than three years behind their indicator's latest year"
    code, record = stale[0]
    assert dataset.years(record["indicator"])[-1] - record["year"] > 3
    state, _ = parse(f"?region={code}", dataset)
    assert "years older than" in as_text(region_panel(dataset, code, state))
    fresh = [r for r in dataset.region_profile(code) if r["year"] and not years_behind(dataset, r["indicator"], r["year"])]
    assert all(dataset.years(r["indicator"])[-1] - r["year"] <= 3 for r in fresh)


def test_no_second_index_on_another_base_beside_an_index(dataset):
    assert has_own_base(dataset.indicators["rii"].unit) and has_own_base(dataset.indicators["gdp_pps_hab_eu"].unit)
    assert not has_own_base(dataset.indicators["gerd_pc_gdp"].unit)
    state, _ = parse("?compare=PL21,CZ01&tab=compare", dataset)
    table = as_text(compare_tab(dataset, state))
    rii_row = table.split("Regional Innovation Index")[1].split("</tr>")[0][:1500]
    assert "= 100:" not in rii_row.split("Regional Innovation")[0]
    assert "EU 2016 = 100" in table  # the RII's own base is named in its unit


def test_the_panel_leads_with_the_strategy(dataset):
    text = as_text(region_panel(dataset, "PL21", parse("?region=PL21", dataset)[0]))
    assert text.index("Smart specialisation strategy") < text.index("region-indicators")


def test_the_chart_over_time_has_its_own_indicator_in_the_url(dataset):
    state, notices = parse("?compare=PL21,CZ01&tab=compare&indicator=gerd_pc_gdp&chart=rii", dataset)
    assert state.chart == "rii" and not notices and "chart=rii" in to_search(state)
    text = as_text(compare_tab(dataset, state))
    assert f'{dataset.indicators["rii"].label} over time' in text  # the chart follows `chart`, not the map
    assert f'{dataset.indicators["gerd_pc_gdp"].label} over time' not in text
    assert parse("?chart=nonsense", dataset)[1]  # an unknown indicator is refused with a notice


def test_presenter_type_is_at_least_18px():
    assert type_size_update(True)["layout"]["annotations.0.font.size"] >= 18
    assert all(v >= 18 for k, v in type_size_update(True)["layout"].items() if k.endswith("size"))
    series = {"PL21": [(2019, 1.0), (2020, 2.0)], "CZ01": [(2019, 2.0), (2020, 3.0)]}
    for figure in (time_series(series, {}, "x", "u", present=True),
                   profile([{"region": "PL21", "label": "a", "index": 90.0}], {}, present=True)):
        assert figure.layout.font.size == PRESENTER_FONT and figure.layout.title.font.size >= 18
