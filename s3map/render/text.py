"""The words around the map for a view state: year label, caption, filter summary."""

from __future__ import annotations

from s3map.render.map import describe_query, map_update
from s3map.ui.layout import CATEGORY_LABELS

# "less developed", ...: the filter's labels without their thresholds
CATEGORY_NAMES = {key: label.split(" (")[0].lower() for key, label in CATEGORY_LABELS.items()}


def year_label(state, year: int, dataset) -> str:
    return str(year)


def active_filters(state, for_file: bool = False) -> list[str]:
    """The view's filters in words, one per filter: short under the map; in an exported file (CSV
    header, image subtitle), with what a reader of the file alone needs to know."""
    active = []
    if state.countries:
        active.append("country " + ", ".join(state.countries))
    if state.ris:
        active.append(("RIS 2023 group " if for_file else "RIS ") + ", ".join(state.ris))
    if state.category:
        names = ", ".join(CATEGORY_NAMES[c] for c in state.category)
        active.append(f"cohesion category {names} (GDP PPS % EU27, mean 2015-2017; derived)" if for_file else names)
    if state.partnership:
        active.append(("S3 partnership " if for_file else "partnership ") + state.partnership)
    return active


def filter_summary(state, year: int, dataset) -> str:
    """What is filtered and how many regions it leaves (counts from the map update itself)."""
    active = active_filters(state)
    summary = map_update(state, year, dataset)["summary"]
    if state.mode == "priorities":
        counted = f"{summary['matched']} of {summary['shown']} regions have a matching priority"
    else:
        counted = f"{summary['shown']} of {summary['total']} regions shown, {summary['with_data']} with data"
    return ("Filtered by " + "; ".join(active) + f" — {counted}.") if active else f"No filter — {counted}."


def caption(state, year: int, dataset) -> list:
    if state.mode == "priorities":
        return [f"Smart specialisation strategies in force on {dataset.s3_as_of}, whose priorities match "
                f"{describe_query(state)}. Codes: checked by a person where reviewed, else the automatic "
                "coder's top proposal. Regions without a priority list in force are grey, not ‘no priority’; "
                "their tooltip says whether a strategy is known."]
    meta = dataset.indicators[state.indicator]
    with_data, total = dataset.map_coverage(state.indicator, year)
    return [f"{meta.label} ({meta.unit}), {year}. {with_data} of {total} EU NUTS 2 regions with a boundary "
            f"have data; the others are shown as ‘no data’. ", meta.description, " Source: ", meta.source, "."]
