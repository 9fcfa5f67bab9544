"""Exports of exactly what a view shows: the map's data (CSV), the comparison (CSV), the map (PNG, SVG).

A view is its URL query (`?indicator=gerd_pc_gdp&year=2021&category=less`), parsed by s3map.state as the
app parses it, so an export and the screen cannot disagree. Every CSV opens with a `#` header block
saying what was shown and filtered (pandas: `read_csv(path, comment="#")`), and is formula-safe.
Images are drawn server-side by Kaleido in the system Chromium, with the title, legend and the
attribution line inside the picture. No Dash here.
"""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime, timezone
from functools import lru_cache

import kaleido
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from s3map.data.csv_safe import neutralise_frame
from s3map.data.export import EUROSTAT_FLAGS, EUROSTAT_FLAGS_URL, indicator_citations
from s3map.figures.map import (
    ATTRIBUTION, QUANTILES, apply_update, base_figure, format_value, quantile_breaks, selection_update, view_update,
)
from s3map.render.map import describe_query, map_update
from s3map.render.text import active_filters
from s3map.state import ViewState, parse, to_search

IMAGE_SIZE = (1600, 1000)  # 16:10, sharp on a projector and in a slide
APP_ADDRESS = "S3 Observatory (s3map)"


def flag_meaning(flag) -> str:
    return "; ".join(EUROSTAT_FLAGS.get(letter, letter) for letter in str(flag or "") if letter.strip())


def view_year(state: ViewState, dataset) -> int:
    return state.year or dataset.default_year(state.indicator)


def describe_codes(state: ViewState) -> str:
    return describe_query(state) if (state.codes or state.keyword) else "(no codes or keyword chosen)"


def title_of(state: ViewState, dataset) -> str:
    if state.mode == "priorities":
        return f"Current S3 priorities matching {describe_codes(state)}"
    meta = dataset.indicators[state.indicator]
    return f"{meta.label}, {view_year(state, dataset)}"


def header_block(state: ViewState, dataset, notices: list[str], what: str, extra: list[str] = ()) -> str:
    lines = [f"S3 Observatory: {what}",
             f"View: ?{to_search(state).lstrip('?')}" if to_search(state).strip("?") else "View: the default view",
             f"Shown: {title_of(state, dataset)}" if what.startswith("map") else None,
             "Filters: " + ("; ".join(active_filters(state, for_file=True)) or "none (every EU NUTS 2 region)"),
             *extra,
             *(f"Notice: {notice}" for notice in notices),
             "Empty value = no data in the source (a gap, not zero). flag: Eurostat flag letters, "
             f"explained in flag_meaning ({EUROSTAT_FLAGS_URL}).",
             f"Boundaries: {ATTRIBUTION.split(' · ')[0]}. Data: {ATTRIBUTION.split(' · ')[1]}; "
             "source of each value in its row.",
             f"Dataset version {(dataset.folder / 'fingerprint').read_text().strip()[:12]}, exported "
             f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}."]
    return "".join(f"# {line}\n" for line in lines if line)


def _csv(header: str, frame: pd.DataFrame) -> str:
    out = io.StringIO()
    out.write(header)
    neutralise_frame(frame).to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


# ---- the map's data ------------------------------------------------------------------------------

def map_update_for(state: ViewState, dataset) -> dict:
    """The same trace update the app draws for this state (s3map.render.map, memoised there)."""
    return map_update(state, view_year(state, dataset), dataset)


def indicator_map_table(state: ViewState, dataset) -> tuple[pd.DataFrame, list[str]]:
    meta = dataset.indicators[state.indicator]
    year = view_year(state, dataset)
    citation = indicator_citations(dataset)[state.indicator]
    frame = dataset.map_values(state.indicator, year).copy()
    keep = set(dataset.filter_regions(state.countries, state.ris, state.category, state.partnership))
    frame["in_filter"] = frame["code"].isin(keep)
    shown = frame[frame["in_filter"] & frame["value"].notna()]["value"].to_numpy(dtype=float)
    frame["class"] = ""
    classes_line = f"Colours: continuous scale from {format_value(shown.min(), meta.decimals)} to " \
                   f"{format_value(shown.max(), meta.decimals)} {meta.unit}" if len(shown) else "Colours: no values"
    if state.classes == "quantile" and len(shown) >= QUANTILES:
        edges = quantile_breaks(shown)
        labels = [f"{i + 1}: {format_value(a, meta.decimals)}–{format_value(b, meta.decimals)}"
                  for i, (a, b) in enumerate(zip(edges[:-1], edges[1:]))]
        has = frame["in_filter"] & frame["value"].notna()
        index = np.clip(np.searchsorted(edges, frame.loc[has, "value"].to_numpy(dtype=float), side="right") - 1,
                        0, len(edges) - 2)
        frame.loc[has, "class"] = [labels[i] for i in index]
        classes_line = f"Colours: {len(labels)} classes of equal numbers of regions (quantiles): " + "; ".join(labels)
    frame.loc[frame["in_filter"] & frame["value"].isna(), "class"] = "no data"
    frame.loc[~frame["in_filter"], "class"] = "not in the filter"
    frame["value"] = frame["value"].where(frame["in_filter"])  # the map does not show them: neither does the CSV
    frame["year"] = year
    frame["unit"] = meta.unit
    frame["flag"] = frame["flag"].where(frame["in_filter"], "")
    frame["flag_meaning"] = frame["flag"].map(flag_meaning)
    frame["source"] = citation["citation"]
    frame["source_url"] = citation["url"]
    frame["value_of"] = np.where(frame["shown_level"] == 1, frame["nuts1"], frame["code"])
    out = frame[["code", "name", "country", "class", "value", "unit", "year", "flag", "flag_meaning", "value_of",
                 "note", "source", "source_url"]].rename(columns={"code": "region"})
    return out.reset_index(drop=True), [f"Indicator: {meta.label} ({meta.unit}), {year}; {meta.description}",
                                        classes_line]


def priority_map_table(state: ViewState, dataset) -> tuple[pd.DataFrame, list[str]]:
    matches = dataset.priority_matches(state.codes, state.keyword)
    attributes = dataset.region_attributes
    nuts2 = attributes.loc[attributes.index.isin(dataset.nuts2_eu_drawn)]
    keep = set(dataset.filter_regions(state.countries, state.ris, state.category, state.partnership))
    covered, unlisted = dataset.nuts2_with_current_strategy, dataset.nuts2_with_strategy_but_no_list
    rows = []
    for code, name, country in zip(nuts2.index, nuts2["name"], nuts2["country"]):
        hits = matches[[code.startswith(t) or t.startswith(code) for t in matches["territory"]]] \
            if len(matches) else matches
        if code not in keep:
            cls, count = "not in the filter", None
        elif len(hits):
            count = int(hits["matches"].max())
            cls = f"{count} matching priorit{'y' if count == 1 else 'ies'}"
        elif code in covered:
            cls, count = "strategy without a matching priority", 0
        else:
            cls = "no current priority list recorded" + (" (a strategy is known; priorities not sourced)"
                                                         if code in unlisted else "")
            count = None
        shown = hits if code in keep else hits.iloc[0:0]
        rows.append({"region": code, "name": name, "country": country, "class": cls, "matching_priorities": count,
                     "strategies": " | ".join(dict.fromkeys(f"{t} ({tid})" for t, tid in
                                                            zip(shown["title"], shown["territory"]))),
                     "priorities": " | ".join(dict.fromkeys(n for names in shown["names"] for n in names)),
                     "source": "s3map curated S3 dataset (sources per priority in the Data Package)"})
    return pd.DataFrame(rows), [f"Priorities matching {describe_codes(state)}, strategies in force; codes: a "
                                "person's where assigned, else the automatic coder's top proposal",
                                "Colours: number of matching priorities of the most specific strategy covering "
                                "the region"]


def map_csv(dataset, search: str | None) -> str:
    state, notices = parse(search, dataset)
    table, lines = (indicator_map_table if state.mode == "indicator" else priority_map_table)(state, dataset)
    return _csv(header_block(state, dataset, notices, "map data (every EU NUTS 2 region on the map)", lines), table)


# ---- the comparison ------------------------------------------------------------------------------

def comparison_csv(dataset, search: str | None) -> str:
    """Full time series of every indicator for the compared regions, then their in-force priorities."""
    state, notices = parse(search, dataset)
    regions = list(state.compare)
    citations = indicator_citations(dataset)
    values = dataset.values[dataset.values["region"].isin(regions)].copy()
    eu = dataset.eu_reference.set_index(["indicator", "year"])["value"]
    values["index_eu_100"] = [round(100 * v / eu[(i, y)], 1) if (i, y) in eu.index and pd.notna(v) else None
                              for i, y, v in zip(values["indicator"], values["year"], values["value"])]
    series = pd.DataFrame({
        "record": "value", "region": values["region"], "name": values["region"].map(dataset.region_name),
        "indicator": values["indicator"], "label": values["indicator"].map(lambda i: dataset.indicators[i].label),
        "year": values["year"], "value": values["value"], "unit": values["unit"], "index_eu_100": values["index_eu_100"],
        "flag": values["flag"], "flag_meaning": values["flag"].map(flag_meaning), "note": values["note"],
        "source": values["indicator"].map(lambda i: citations[i]["citation"]),
        "source_url": values["indicator"].map(lambda i: citations[i]["url"])})
    order = {code: n for n, code in enumerate(regions)}
    series = series.sort_values(["region", "indicator", "year"], key=lambda s: s.map(order) if s.name == "region"
                                else s)
    priorities = []
    for region in regions:
        found = dataset.strategies_for(region)
        for strategy in found[found["in_force"]].itertuples():
            for p in dataset.priority_records(strategy.strategy_id):
                codes = [f"{c['taxonomy']}:{c['code']} ({c['method']})" for c in p["codes"] if c["on_map"]]
                priorities.append({
                    "record": "priority", "region": region, "name": dataset.region_name(region),
                    "strategy_id": strategy.strategy_id, "strategy": strategy.title,
                    "strategy_territory": strategy.territory, "period": strategy.period, "priority": p["name"],
                    "priority_codes": "; ".join(codes), "source": p["source_type"], "source_url": p["source_url"]})
    columns = ["record", "region", "name", "indicator", "label", "year", "value", "unit", "index_eu_100", "flag",
               "flag_meaning", "note", "strategy_id", "strategy", "strategy_territory", "period", "priority",
               "priority_codes", "source", "source_url"]
    table = pd.concat([series, pd.DataFrame(priorities, columns=[c for c in columns if c in
                                                                 (priorities[0] if priorities else {})])],
                      ignore_index=True).reindex(columns=columns)
    table["year"] = table["year"].astype("Int64")
    with_list = {row["region"] for row in priorities}
    gaps = [f"{dataset.region_name(r)} ({r}): no priority list in force is recorded"
            + ("; a current strategy is known, its priorities are not yet sourced" if len(dataset.unlisted_for(r))
               else "") for r in regions if r not in with_list]
    lines = [f"Compared regions: {', '.join(f'{dataset.region_name(r)} ({r})' for r in regions) or 'none'}", *gaps,
             "record=value: every year of every indicator; record=priority: the priorities of the strategies in "
             "force on each region (its own, NUTS 1 or national), with their codes as on the map (reviewed or "
             "curated: by a person; coder: the automatic coder's top proposal)"]
    return _csv(header_block(state, dataset, notices, "comparison", lines), table)


# ---- the map as a picture ------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _geometry(folder: str, name: str) -> dict:
    with open(f"{folder}/geo/{name}", encoding="utf-8") as handle:
        return json.load(handle)


def static_map_figure(dataset, search: str | None) -> go.Figure:
    """The map of a view with its geometry inline, a title, the legend and the attribution in the picture."""
    state, _ = parse(search, dataset)
    geometry = {level: _geometry(str(dataset.folder), name) for level, name in dataset.geo_files.items()}
    figure = base_figure(geometry, dataset.context_countries)
    target = figure.to_plotly_json()
    apply_update(target, map_update_for(state, dataset))
    selected = ([state.region] if state.region else []) + list(state.compare)
    apply_update(target, selection_update(selected))
    if state.view:
        apply_update(target, view_update(state.view))
    figure = go.Figure(target)
    subtitle = "; ".join(active_filters(state, for_file=True)) or "All EU NUTS 2 regions"
    if state.mode == "indicator":
        subtitle = f"{dataset.indicators[state.indicator].unit} · " + subtitle
    width, height = IMAGE_SIZE
    source = (f"Source: {indicator_citations(dataset)[state.indicator]['citation']}"
              if state.mode == "indicator" else "Source: s3map curated S3 dataset")
    figure.update_layout(
        width=width, height=height, paper_bgcolor="#ffffff", dragmode=False,
        title={"text": title_of(state, dataset), "x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top",
               "font": {"size": 30}, "subtitle": {"text": subtitle, "font": {"size": 20, "color": "#444"}}},
        margin={"l": 10, "r": 10, "t": 120, "b": 10}, legend={"font": {"size": 18}, "y": 0.97},
    )
    figure.update_layout(annotations=[{
        "text": f"{ATTRIBUTION.split(' · ')[0]} · {source} · {APP_ADDRESS}", "xref": "paper", "yref": "paper", "x": 0.005,
        "y": 0.0, "xanchor": "left", "yanchor": "bottom", "showarrow": False, "bgcolor": "rgba(255,255,255,0.9)",
        "font": {"size": 16, "color": "#333"}}])
    figure.update_coloraxes(colorbar_tickfont_size=17, colorbar_title_font_size=18, colorbar_len=0.6)
    return figure


# plotly.js asks for its world base map even with every base layer hidden; the app answers with an
# empty topology (/topojson/), here a data: address does (the text after '#' is the file name it appends).
EMPTY_TOPOJSON = 'data:application/json,{"type":"Topology","objects":{},"arcs":[]}#'
_image_lock = threading.Lock()  # one Chromium at a time: it is heavy on a small machine


def map_image(dataset, search: str | None, image_format: str) -> bytes:
    """PNG or SVG of the view's map, memoised per view (Kaleido drives the system Chromium)."""
    if image_format not in ("png", "svg"):
        raise ValueError(image_format)
    state, _ = parse(search, dataset)
    key = ("map_image", to_search(state), image_format)

    def render():
        figure = static_map_figure(dataset, to_search(state))
        width, height = IMAGE_SIZE
        with _image_lock:
            return kaleido.calc_fig_sync(figure.to_plotly_json(), opts={"format": image_format, "width": width,
                                                                       "height": height, "scale": 1},
                                         topojson=EMPTY_TOPOJSON)
    return dataset.memo(key, render, limit=512)
