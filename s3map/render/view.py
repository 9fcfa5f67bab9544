"""Everything the page shows for a view state, each output rebuilt only when what it reads changed."""

from __future__ import annotations

from collections import OrderedDict

from dash import Patch, no_update

from s3map.figures.map import apply_update
from s3map.render.map import COLOUR_FIELDS, INITIAL_KEYS, MAP_PARTS, colour_key
from s3map.render.pieces import Piece
from s3map.render.text import caption, filter_summary, year_label
from s3map.ui import ids
from s3map.ui.benchmark import compare_tab, peers_tab, specialisation_tab
from s3map.ui.panel import empty_panel, outermost_list, region_panel

SHOWN = {"display": "block"}
HIDDEN = {"display": "none"}


_TABS: OrderedDict = OrderedDict()  # (dataset, tab, what it reads) -> built tab, most recent last
TAB_CACHE_SIZE = 64


def cached_tab(dataset, key: tuple, build):
    """Analysis tabs (charts, rankings) are the same for every visitor with the same inputs: build once.
    The key names every state field the tab reads (presenter mode sets the charts' type size)."""
    key = (id(dataset), *key)
    if key in _TABS:
        _TABS.move_to_end(key)
        return _TABS[key]
    _TABS[key] = value = build()
    if len(_TABS) > TAB_CACHE_SIZE:
        _TABS.popitem(last=False)
    return value


def panel_content(state, year: int, dataset) -> list:
    if state.tab == "compare":
        return cached_tab(dataset, ("compare", state.compare, state.indicator, state.chart, state.present),
                          lambda: compare_tab(dataset, state))
    # A selection that is not one NUTS 2 region gets links built from the whole view: not shared.
    nuts2 = state.region is not None and dataset.nuts2_of(state.region) == state.region
    if state.tab == "peers":
        if not nuts2:
            return peers_tab(dataset, state)
        return cached_tab(dataset, ("peers", state.region, state.peers, state.exclude_own_country, state.order,
                                    state.present), lambda: peers_tab(dataset, state))
    if state.tab == "specialisation":
        if not nuts2:
            return specialisation_tab(dataset, state)
        return cached_tab(dataset, ("specialisation", state.region, state.present),
                          lambda: specialisation_tab(dataset, state))
    return region_panel(dataset, state.region, state) if state.region else empty_panel()


def panel_key(state, year):
    # The indicator matters to the panel only on the compare tab (its chart over time).
    return [state.tab, state.region, list(state.compare), state.peers, state.exclude_own_country, state.order,
            state.indicator if state.tab == "compare" else None, state.chart if state.tab == "compare" else None,
            state.present]  # present: the charts' type size


def app_class(state, year=None, dataset=None) -> str:
    """Presenter mode enlarges type; the analysis tabs widen the side panel."""
    return " ".join(["app"] + (["present"] if state.present else []) + (["wide-panel"] if state.tab != "region" else []))


PIECES = (
    Piece("panel", ("tab", "region", "compare", "peers", "exclude_own_country", "order", "indicator", "chart",
                    "present"),
          panel_content, key=panel_key, target=(ids.PANEL, "children")),
    Piece("year_label", ("year",), year_label, target=(ids.YEAR_LABEL, "children")),
    Piece("caption", ("mode", "indicator", "year", "codes", "keyword"), caption, key=colour_key,
          target=(ids.MAP_CAPTION, "children")),
    Piece("filter_summary", COLOUR_FIELDS, filter_summary, key=colour_key, target=(ids.FILTER_SUMMARY, "children")),
    # The outermost list carries values and links built from the whole view; it follows the colours.
    Piece("outermost", ("mode", "indicator", "year"), lambda state, year, dataset: outermost_list(dataset, state, year),
          key=colour_key, target=(ids.OUTERMOST, "children")),
    Piece("indicator_box", ("mode",), lambda state, year, dataset: SHOWN if state.mode == "indicator" else HIDDEN,
          target=(ids.INDICATOR_BOX, "style")),
    Piece("priority_box", ("mode",), lambda state, year, dataset: HIDDEN if state.mode == "indicator" else SHOWN,
          target=(ids.PRIORITY_BOX, "style")),
    Piece("app_class", ("present", "tab"), app_class, target=(ids.APP, "className")),
)
# Output name -> (component id, property): the map gets one Patch; `shown` is what the browser now shows.
TARGETS = {"map": (ids.MAP, "figure"), **{piece.output: piece.target for piece in PIECES},
           "shown": (ids.VIEW_SHOWN, "data")}


def render_view(state, shown: dict | None, dataset) -> dict:
    """Output name -> value for the page, `no_update` where the browser already shows it.

    `shown`: what the browser shows (the previous call's `shown` output; {} on a fresh page). The
    map gets one Patch with only the parts that changed; geometry is never sent.
    """
    shown = shown or {}
    year = state.year or dataset.default_year(state.indicator)
    now, out = {}, {}
    patch, patched = Patch(), False
    for part in MAP_PARTS:
        key = part.key_for(state, year)
        now[part.output] = key
        if shown.get(part.output, INITIAL_KEYS.get(part.output)) != key:
            apply_update(patch, part.build(state, year, dataset))
            patched = True
    out["map"] = patch if patched else no_update
    for piece in PIECES:
        key = piece.key_for(state, year)
        now[piece.output] = key
        out[piece.output] = no_update if shown.get(piece.output) == key else piece.build(state, year, dataset)
    out["shown"] = now
    return out
