"""The map for a view state: colours, selection outlines, type size, position (each a small update)."""

from __future__ import annotations

from s3map.figures.map import (EUROPE_VIEW, indicator_update, priority_update, selection_update,
                               type_size_update, view_update)
from s3map.render.pieces import Piece, digest

COLOUR_FIELDS = ("mode", "countries", "ris", "category", "partnership", "indicator", "year", "classes", "palette",
                 "codes", "keyword")


def colour_key(state, year: int) -> dict:
    """What determines the map's colours; when it is unchanged the values are not sent again."""
    key = {"mode": state.mode, "countries": list(state.countries), "ris": list(state.ris),
           "category": list(state.category), "partnership": state.partnership}
    if state.mode == "indicator":
        key.update(indicator=state.indicator, year=year, classes=state.classes, palette=state.palette)
    else:
        key.update(codes=list(state.codes), keyword=state.keyword)
    return key


def describe_query(state) -> str:
    """The priority query in words: 'NACE C10 or ‘hydrogen’'."""
    parts = [code.replace(":", " ").upper() for code in state.codes]
    if state.keyword:
        parts.append(f"‘{state.keyword}’")
    return " or ".join(parts) if parts else "(choose codes or a keyword)"


def map_update(state, year: int, dataset) -> dict:
    """The map's trace and layout changes for the colours (memoised: views are revisited often)."""
    key = ("map_update", repr(sorted(colour_key(state, year).items())))
    return dataset.memo(key, lambda: _map_update(state, year, dataset))


def _map_update(state, year: int, dataset) -> dict:
    keep = dataset.filter_regions(state.countries, state.ris, state.category, state.partnership)
    if state.mode == "indicator":
        meta = dataset.indicators[state.indicator]
        return indicator_update(dataset.map_values(state.indicator, year), keep, label=meta.label, unit=meta.unit,
                                year=year, decimals=meta.decimals, classes=state.classes, palette=state.palette)
    matches = dataset.priority_matches(state.codes, state.keyword)
    return priority_update(matches, dataset.nuts2_eu_drawn, dataset.nuts2_with_current_strategy, keep,
                           dataset.drawable_codes, description=describe_query(state),
                           unlisted=dataset.nuts2_with_strategy_but_no_list, own=dataset.in_force_by_territory)


def selected_regions(state) -> list[str]:
    return ([state.region] if state.region else []) + list(state.compare)


# Parts of the one map Patch, in the order they are written.
MAP_PARTS = (
    Piece("colours", COLOUR_FIELDS, map_update, key=colour_key),
    Piece("selected", ("region", "compare"), lambda state, year, dataset: selection_update(selected_regions(state)),
          key=lambda state, year: selected_regions(state)),
    Piece("present", ("present",), lambda state, year, dataset: type_size_update(state.present),
          key=lambda state, year: state.present),
    Piece("view", ("view",), lambda state, year, dataset: view_update(state.view or EUROPE_VIEW),
          key=lambda state, year: list(state.view or EUROPE_VIEW)),
)
# What the page shows before any update: the base figure's state.
INITIAL_KEYS = {"present": digest(False), "view": digest(list(EUROPE_VIEW))}
