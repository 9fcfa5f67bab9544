"""The view state that lives in the URL: parse and validate every parameter, and write it back.

Bad or hostile values are dropped with a notice; they never reach a query or the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

DEFAULT_INDICATOR = "gdp_pps_hab_eu"
MAX_PARAM_LENGTH = 64
REGION_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


@dataclass(frozen=True)
class ViewState:
    indicator: str = DEFAULT_INDICATOR
    year: int | None = None  # None: the latest year of the indicator
    region: str | None = None

    def with_(self, **changes) -> "ViewState":
        return replace(self, **changes)


def parse(search: str | None, dataset) -> tuple[ViewState, list[str]]:
    """`?indicator=..&year=..&region=..` -> (state, notices about ignored parameters)."""
    notices: list[str] = []
    params = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    state = ViewState()

    def first(name: str) -> str | None:
        values = params.get(name)
        if not values:
            return None
        value = values[0].strip()
        if len(value) > MAX_PARAM_LENGTH:
            notices.append(f"Ignored the '{name}' parameter: it is too long.")
            return None
        return value

    indicator = first("indicator")
    if indicator is not None:
        if indicator in dataset.indicators:
            state = state.with_(indicator=indicator)
        else:
            notices.append(f"Ignored unknown indicator '{_shown(indicator)}'.")
    year = first("year")
    if year is not None:
        years = dataset.years(state.indicator)
        if year.isdigit() and int(year) in years:
            state = state.with_(year=int(year))
        else:
            notices.append(f"Ignored year '{_shown(year)}': {dataset.indicators[state.indicator].label} "
                           f"has data for {years[0]}–{years[-1]}.")
    region = first("region")
    if region is not None:
        code = region.upper()
        if REGION_PATTERN.match(code) and dataset.has_region(code):
            state = state.with_(region=code)
        else:
            notices.append(f"Ignored unknown region code '{_shown(region)}'.")
    known = {"indicator", "year", "region"}
    for name in sorted(set(params) - known):
        notices.append(f"Ignored unknown parameter '{_shown(name)}'.")
    return state, notices


def to_search(state: ViewState) -> str:
    params = {"indicator": state.indicator}
    if state.year is not None:
        params["year"] = str(state.year)
    if state.region:
        params["region"] = state.region
    return "?" + urlencode(params)


def _shown(value: str) -> str:
    """A user-supplied value as it may be echoed in a notice: short and printable only."""
    cleaned = "".join(ch for ch in value if ch.isprintable())
    return cleaned[:32] + ("…" if len(cleaned) > 32 else "")
