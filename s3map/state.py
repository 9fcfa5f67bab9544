"""The view state that lives in the URL: parse and validate every parameter, and write it back.

Bad or hostile values are dropped with a notice; they never reach a query or the page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

DEFAULT_INDICATOR = "gdp_pps_hab_eu"
MAX_PARAM_LENGTH = 200
MAX_COMPARE = 10
MODES = ("indicator", "priorities")
CLASSES = ("continuous", "quantile")
PALETTES = ("YlGnBu", "Viridis", "Cividis")
RIS_GROUPS = ("Leader", "Strong", "Moderate", "Emerging")
CATEGORIES = ("less", "transition", "more")
REGION_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
CODE_PATTERN = re.compile(r"^(nace|nabs|sdg):[A-Z0-9.]{1,6}$")
KEYWORD_PATTERN = re.compile(r"^[\w\s\-'’&/.,]{1,60}$", re.UNICODE)
TABS = ("region", "compare", "peers", "specialisation")
ORDERS = ("overlap", "similarity")
PEER_COUNTS = (5, 10, 15, 20)
PARAMS = ("mode", "indicator", "year", "classes", "palette", "codes", "q", "country", "ris", "category",
          "partnership", "region", "compare", "view", "present", "tab", "peers", "own", "order")


@dataclass(frozen=True)
class ViewState:
    mode: str = "indicator"
    indicator: str = DEFAULT_INDICATOR
    year: int | None = None  # None: the latest year of the indicator
    classes: str = "continuous"
    palette: str = PALETTES[0]
    codes: tuple[str, ...] = ()
    keyword: str = ""
    countries: tuple[str, ...] = ()
    ris: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    partnership: str | None = None
    region: str | None = None
    compare: tuple[str, ...] = ()
    view: tuple[float, float, float] | None = None  # map centre lon, lat and zoom scale
    present: bool = False
    tab: str = "region"
    peers: int = 10
    exclude_own_country: bool = False
    order: str = "overlap"

    def with_(self, **changes) -> "ViewState":
        return replace(self, **changes)

    @property
    def filters_active(self) -> bool:
        return bool(self.countries or self.ris or self.category or self.partnership)

    def without_filters(self) -> "ViewState":
        return replace(self, countries=(), ris=(), category=(), partnership=None)


def _shown(value: str) -> str:
    """A user-supplied value as it may be echoed in a notice: short and printable only."""
    cleaned = "".join(ch for ch in value if ch.isprintable() and ch not in "<>\"'`")
    return cleaned[:32] + ("…" if len(cleaned) > 32 else "")


def parse(search: str | None, dataset) -> tuple[ViewState, list[str]]:
    """`?mode=..&indicator=..&year=..` -> (state, notices about ignored parameters)."""
    notices: list[str] = []
    try:
        params = parse_qs((search or "").lstrip("?"), keep_blank_values=True, max_num_fields=40)
    except ValueError:
        return ViewState(), ["Ignored the address parameters: there are too many."]
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

    def listed(name: str) -> list[str]:
        value = first(name)
        return [item.strip() for item in value.split(",") if item.strip()] if value else []

    def choice(name: str, allowed: tuple[str, ...]) -> str | None:
        value = first(name)
        if value is None:
            return None
        if value in allowed:
            return value
        notices.append(f"Ignored {name} '{_shown(value)}'.")
        return None

    state = state.with_(mode=choice("mode", MODES) or state.mode)
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
    state = state.with_(classes=choice("classes", CLASSES) or state.classes,
                        palette=choice("palette", PALETTES) or state.palette)

    codes = []
    for code in listed("codes"):
        if CODE_PATTERN.match(code) and dataset.has_code(code):
            codes.append(code)
        else:
            notices.append(f"Ignored unknown taxonomy code '{_shown(code)}'.")
    keyword = first("q")
    if keyword:
        if KEYWORD_PATTERN.match(keyword):
            state = state.with_(keyword=keyword)
        else:
            notices.append("Ignored the keyword: use letters, digits and spaces (up to 60).")
    countries = []
    for country in listed("country"):
        if country.upper() in dataset.eu_countries:
            countries.append(country.upper())
        else:
            notices.append(f"Ignored unknown country '{_shown(country)}'.")
    ris = [g for g in listed("ris") if g in RIS_GROUPS]
    if len(ris) != len(listed("ris")):
        notices.append("Ignored an unknown RIS group (Leader, Strong, Moderate, Emerging).")
    category = [c for c in listed("category") if c in CATEGORIES]
    if len(category) != len(listed("category")):
        notices.append("Ignored an unknown region category (less, transition, more).")
    partnership = first("partnership")
    if partnership is not None and partnership not in dataset.partnership_names:
        notices.append(f"Ignored unknown partnership '{_shown(partnership)}'.")
        partnership = None
    state = state.with_(codes=tuple(dict.fromkeys(codes)), countries=tuple(dict.fromkeys(countries)),
                        ris=tuple(dict.fromkeys(ris)), category=tuple(dict.fromkeys(category)),
                        partnership=partnership)

    region = first("region")
    if region is not None:
        code = region.upper()
        if REGION_PATTERN.match(code) and dataset.has_region(code):
            state = state.with_(region=code)
        else:
            notices.append(f"Ignored unknown region code '{_shown(region)}'.")
    compare = []
    for code in listed("compare"):
        code = code.upper()
        if REGION_PATTERN.match(code) and dataset.has_region(code):
            compare.append(code)
        else:
            notices.append(f"Ignored unknown region code '{_shown(code)}' in the comparison.")
    if len(dict.fromkeys(compare)) > MAX_COMPARE:
        notices.append(f"Kept the first {MAX_COMPARE} regions of the comparison.")
    state = state.with_(compare=tuple(dict.fromkeys(compare))[:MAX_COMPARE])

    view = first("view")
    if view is not None:
        parts = view.split(",")
        try:
            lon, lat, scale = (float(p) for p in parts)
            if not (all(math.isfinite(v) for v in (lon, lat, scale)) and -180 <= lon <= 180
                    and -90 <= lat <= 90 and 0.5 <= scale <= 1000):
                raise ValueError
            state = state.with_(view=(round(lon, 3), round(lat, 3), round(scale, 3)))
        except ValueError:
            notices.append("Ignored the map position: expected view=longitude,latitude,zoom.")
    present = first("present")
    if present is not None:
        state = state.with_(present=present in ("1", "true", "yes"))

    state = state.with_(tab=choice("tab", TABS) or state.tab, order=choice("order", ORDERS) or state.order)
    peers = first("peers")
    if peers is not None:
        if peers.isdigit() and int(peers) in PEER_COUNTS:
            state = state.with_(peers=int(peers))
        else:
            notices.append(f"Ignored peers '{_shown(peers)}': choose 5, 10, 15 or 20.")
    own = first("own")
    if own is not None:
        state = state.with_(exclude_own_country=own == "0")

    for name in sorted(set(params) - set(PARAMS)):
        notices.append(f"Ignored unknown parameter '{_shown(name)}'.")
    return state, notices


def to_search(state: ViewState) -> str:
    """The canonical URL query for a state: defaults are left out, so URLs stay short."""
    default = ViewState()
    params: dict[str, str] = {}
    if state.mode != default.mode:
        params["mode"] = state.mode
    params["indicator"] = state.indicator
    if state.year is not None:
        params["year"] = str(state.year)
    if state.classes != default.classes:
        params["classes"] = state.classes
    if state.palette != default.palette:
        params["palette"] = state.palette
    if state.codes:
        params["codes"] = ",".join(state.codes)
    if state.keyword:
        params["q"] = state.keyword
    if state.countries:
        params["country"] = ",".join(state.countries)
    if state.ris:
        params["ris"] = ",".join(state.ris)
    if state.category:
        params["category"] = ",".join(state.category)
    if state.partnership:
        params["partnership"] = state.partnership
    if state.region:
        params["region"] = state.region
    if state.compare:
        params["compare"] = ",".join(state.compare)
    if state.view:
        params["view"] = ",".join(f"{v:g}" for v in state.view)
    if state.present:
        params["present"] = "1"
    if state.tab != default.tab:
        params["tab"] = state.tab
    if state.peers != default.peers:
        params["peers"] = str(state.peers)
    if state.exclude_own_country:
        params["own"] = "0"
    if state.order != default.order:
        params["order"] = state.order
    return "?" + urlencode(params, safe=",:")
