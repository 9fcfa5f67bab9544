"""The view state that lives in the URL, declared once in `PARAMS`.

Every view parameter is one `Param` row: its URL key, its default, how a URL value is validated
(against the dataset where needed), how it is written back, and which control shows it. Parsing,
writing, the controller's inputs and outputs, and the sync between URL and controls are derived
from that table. Adding a parameter = one row here, its control in the layout, and a test.

Bad or hostile values are dropped with a notice; they never reach a query or the page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, make_dataclass, replace
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

from s3map.ui import ids

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


class Ignored(ValueError):
    """A URL value that is not accepted; the message is the notice the user sees."""


def shown_text(value: str) -> str:
    """A user-supplied value as it may be echoed in a notice: short and printable only."""
    cleaned = "".join(ch for ch in value if ch.isprintable() and ch not in "<>\"'`")
    return cleaned[:32] + ("…" if len(cleaned) > 32 else "")


@dataclass(frozen=True)
class Control:
    """The component that shows a parameter. `writes`: the controller sets it when the URL changes it;
    `pattern`: a pattern-matching id drawn inside the panel (input only); `extras`: further properties of
    the same component that follow the state, e.g. the year slider's range."""
    id: str
    prop: str = "value"
    writes: bool = True
    pattern: bool = False
    extras: dict[str, Callable] = field(default_factory=dict)  # prop -> fn(state, dataset)
    refresh_on: tuple[str, ...] = ()  # state fields whose change re-sends value and extras


@dataclass(frozen=True)
class Param:
    """One view parameter. `parse(text, dataset, state)` -> value or raises Ignored (state: the fields parsed
    so far, in table order); `write(value)` -> URL text (None: left out); `from_control(value, state, dataset)`
    -> the changes a control's new value makes (None: nothing); `to_control(state, dataset)` -> control value."""
    name: str  # the ViewState field
    key: str  # the URL key
    default: Any
    type: Any
    parse: Callable
    write: Callable = str
    control: Control | None = None
    from_control: Callable | None = None
    to_control: Callable | None = None
    listed: bool = False  # comma-separated in the URL; each item parsed on its own


# ---- validators ----------------------------------------------------------------------------
def one_of(allowed, convert=str, message=None):
    def parse(text, dataset, state):
        value = convert(text) if (convert is str or text.isdigit()) else None
        if value in allowed:
            return value
        raise Ignored(message.format(shown_text(text)) if message else None)
    return parse


def indicator_known(text, dataset, state):
    if text in dataset.indicators:
        return text
    raise Ignored(f"Ignored unknown indicator '{shown_text(text)}'.")


def year_of_indicator(text, dataset, state):
    years = dataset.years(state.indicator)
    if text.isdigit() and int(text) in years:
        return int(text)
    raise Ignored(f"Ignored year '{shown_text(text)}': {dataset.indicators[state.indicator].label} "
                  f"has data for {years[0]}–{years[-1]}.")


def taxonomy_code(text, dataset, state):
    if CODE_PATTERN.match(text) and dataset.has_code(text):
        return text
    raise Ignored(f"Ignored unknown taxonomy code '{shown_text(text)}'.")


def keyword_text(text, dataset, state):
    if KEYWORD_PATTERN.match(text):
        return text
    raise Ignored("Ignored the keyword: use letters, digits and spaces (up to 60).")


def eu_country(text, dataset, state):
    if text.upper() in dataset.eu_countries:
        return text.upper()
    raise Ignored(f"Ignored unknown country '{shown_text(text)}'.")


def partnership_known(text, dataset, state):
    if text in dataset.partnership_names:
        return text
    raise Ignored(f"Ignored unknown partnership '{shown_text(text)}'.")


def region_code(where: str = ""):
    def parse(text, dataset, state):
        code = text.upper()
        if REGION_PATTERN.match(code) and dataset.has_region(code):
            return code
        raise Ignored(f"Ignored unknown region code '{shown_text(text)}'{where}.")
    return parse


def map_position(text, dataset, state):
    try:
        lon, lat, scale = (float(p) for p in text.split(","))
        if all(math.isfinite(v) for v in (lon, lat, scale)) and -180 <= lon <= 180 and -90 <= lat <= 90 \
                and 0.5 <= scale <= 1000:
            return (round(lon, 3), round(lat, 3), round(scale, 3))
    except ValueError:
        pass
    raise Ignored("Ignored the map position: expected view=longitude,latitude,zoom.")


def joined(values) -> str | None:
    return ",".join(values) if values else None


# ---- what a control's new value changes ----------------------------------------------------
def set_to(name, **also):
    """The control's value becomes the field (validated afterwards like a URL value), plus `also`."""
    def changes(value, state, dataset):
        return {name: value, **also} if value != getattr(state, name) else None
    return changes


def year_from_slider(value, state, dataset):
    if value is None:
        return None
    # The opening year stays out of the URL, so a shared link follows the data when it is updated.
    return {"year": None if int(value) == dataset.default_year(state.indicator) else int(value)}


def listed_from(name, **also):
    def changes(value, state, dataset):
        return {name: tuple(value or ()), **also}
    return changes


def peers_from_dropdown(value, state, dataset):
    return {"peers": int(value)} if value in PEER_COUNTS else None


def own_from_checklist(value, state, dataset):
    return {"exclude_own_country": bool(value)} if value is not None else None


def year_marks(years: list[int]) -> dict:
    """First and last year always; between them every few years, never crowding the last label."""
    step = max(1, round(len(years) / 5))
    marks = {int(y): str(y) for y in years[:-1][::step] if years[-1] - y >= max(2, step)}
    marks[int(years[0])] = str(years[0])
    marks[int(years[-1])] = str(years[-1])
    return dict(sorted(marks.items()))


YEAR_SLIDER = Control(ids.YEAR, extras={
    "min": lambda state, dataset: dataset.years(state.indicator)[0],
    "max": lambda state, dataset: dataset.years(state.indicator)[-1],
    "marks": lambda state, dataset: year_marks(dataset.years(state.indicator)),
}, refresh_on=("indicator",))

# Table order is parse order: a later row may depend on an earlier one (year on indicator).
PARAMS: tuple[Param, ...] = (
    Param("mode", "mode", "indicator", str, one_of(MODES, message="Ignored mode '{}'."),
          control=Control(ids.MODE), from_control=set_to("mode")),
    Param("indicator", "indicator", DEFAULT_INDICATOR, str, indicator_known,
          control=Control(ids.INDICATOR), from_control=set_to("indicator", year=None, mode="indicator")),
    Param("year", "year", None, "int | None", year_of_indicator,  # None: the indicator's opening year
          control=YEAR_SLIDER, from_control=year_from_slider,
          to_control=lambda state, dataset: state.year or dataset.default_year(state.indicator)),
    Param("classes", "classes", "continuous", str, one_of(CLASSES, message="Ignored classes '{}'."),
          control=Control(ids.CLASSES), from_control=set_to("classes")),
    Param("palette", "palette", PALETTES[0], str, one_of(PALETTES, message="Ignored palette '{}'."),
          control=Control(ids.PALETTE), from_control=set_to("palette")),
    Param("codes", "codes", (), tuple, taxonomy_code, joined, listed=True,
          control=Control(ids.CODES), from_control=listed_from("codes", mode="priorities")),
    Param("keyword", "q", "", str, keyword_text, lambda v: v or None, control=Control(ids.KEYWORD),
          from_control=lambda value, state, dataset: {"keyword": (value or "").strip()[:60], "mode": "priorities"}),
    Param("countries", "country", (), tuple, eu_country, joined, listed=True,
          control=Control(ids.COUNTRY), from_control=listed_from("countries")),
    Param("ris", "ris", (), tuple,
          one_of(RIS_GROUPS, message="Ignored an unknown RIS group (Leader, Strong, Moderate, Emerging)."),
          joined, listed=True, control=Control(ids.RIS), from_control=listed_from("ris")),
    Param("category", "category", (), tuple,
          one_of(CATEGORIES, message="Ignored an unknown region category (less, transition, more)."),
          joined, listed=True, control=Control(ids.CATEGORY), from_control=listed_from("category")),
    Param("partnership", "partnership", None, "str | None", partnership_known, lambda v: v or None,
          control=Control(ids.PARTNERSHIP),
          from_control=lambda value, state, dataset: {"partnership": value or None}),
    Param("region", "region", None, "str | None", region_code(), lambda v: v or None,
          control=Control(ids.REGION_SEARCH),
          from_control=lambda value, state, dataset: {"region": value} if value else None),
    Param("compare", "compare", (), tuple, region_code(" in the comparison"), joined, listed=True),
    Param("view", "view", None, "tuple | None", map_position,  # map centre lon, lat and zoom scale
          lambda v: ",".join(f"{x:g}" for x in v) if v else None,
          control=Control(ids.MAP_VIEW, "data", writes=False),
          from_control=lambda value, state, dataset: {"view": tuple(value)} if value else None),
    Param("present", "present", False, bool, lambda text, dataset, state: text in ("1", "true", "yes"),
          lambda v: "1" if v else None),
    Param("tab", "tab", "region", str, one_of(TABS, message="Ignored tab '{}'."),
          control=Control(ids.TABS, "active_tab"), from_control=set_to("tab")),
    Param("peers", "peers", 10, int, one_of(PEER_COUNTS, int, "Ignored peers '{}': choose 5, 10, 15 or 20."),
          control=Control(ids.PEER_COUNT, pattern=True), from_control=peers_from_dropdown),
    Param("exclude_own_country", "own", False, bool, lambda text, dataset, state: text == "0",
          lambda v: "0" if v else None,
          control=Control(ids.PEER_OWN, pattern=True), from_control=own_from_checklist),
    Param("order", "order", "overlap", str, one_of(ORDERS, message="Ignored order '{}'."),
          control=Control(ids.PARTNER_ORDER, pattern=True), from_control=set_to("order")),
)
PARAM_BY_NAME = {param.name: param for param in PARAMS}
CONTROLLED = tuple(param for param in PARAMS if param.control)
# The indicator is always written, so every URL names what the map shows.
ALWAYS_WRITTEN = ("indicator",)


class _StateMethods:
    def with_(self, **changes) -> "ViewState":
        return replace(self, **changes)

    @property
    def filters_active(self) -> bool:
        return bool(self.countries or self.ris or self.category or self.partnership)

    def without_filters(self) -> "ViewState":
        return replace(self, countries=(), ris=(), category=(), partnership=None)


# The state's fields are the table's rows (name, type, default), in table order.
ViewState = make_dataclass("ViewState", [(p.name, p.type, field(default=p.default)) for p in PARAMS],
                           bases=(_StateMethods,), frozen=True)
ViewState.__module__ = __name__
ViewState.__doc__ = "One view of the app; every field is a row of `PARAMS`."


def parse(search: str | None, dataset) -> tuple[ViewState, list[str]]:
    """`?mode=..&indicator=..&year=..` -> (state, notices about ignored parameters)."""
    try:
        params = parse_qs((search or "").lstrip("?"), keep_blank_values=True, max_num_fields=40)
    except ValueError:
        return ViewState(), ["Ignored the address parameters: there are too many."]
    notices: list[str] = []
    state = ViewState()
    for param in PARAMS:
        values = params.get(param.key)
        if not values:
            continue
        text = values[0].strip()
        if len(text) > MAX_PARAM_LENGTH:
            notices.append(f"Ignored the '{param.key}' parameter: it is too long.")
            continue
        if not text and not param.listed:
            continue
        value = _parse_value(param, text, dataset, state, notices)
        state = replace(state, **{param.name: value})
    known = {param.key for param in PARAMS}
    for name in sorted(set(params) - known):
        notices.append(f"Ignored unknown parameter '{shown_text(name)}'.")
    return state, notices


def _parse_value(param: Param, text: str, dataset, state, notices: list[str]):
    def one(item: str):
        try:
            return param.parse(item, dataset, state)
        except Ignored as problem:
            notice = str(problem) if problem.args and problem.args[0] else \
                f"Ignored {param.key} '{shown_text(item)}'."
            if notice not in notices:
                notices.append(notice)
            return None

    if not param.listed:
        value = one(text)
        return param.default if value is None else value
    items = [item.strip() for item in text.split(",") if item.strip()]
    kept = tuple(dict.fromkeys(v for v in map(one, items) if v is not None))
    if param.name == "compare" and len(kept) > MAX_COMPARE:
        notices.append(f"Kept the first {MAX_COMPARE} regions of the comparison.")
        kept = kept[:MAX_COMPARE]
    return kept


def to_search(state: ViewState) -> str:
    """The canonical URL query for a state: defaults are left out, so URLs stay short."""
    params: dict[str, str] = {}
    for param in PARAMS:
        value = getattr(state, param.name)
        if value == param.default and param.name not in ALWAYS_WRITTEN:
            continue
        text = param.write(value)
        if text is not None:
            params[param.key] = text
    return "?" + urlencode(params, safe=",:")


def control_value(param: Param, state: ViewState, dataset):
    """What the parameter's control shows for a state (lists for multi-value controls)."""
    if param.to_control:
        return param.to_control(state, dataset)
    value = getattr(state, param.name)
    return list(value) if isinstance(value, tuple) else value


def apply_changes(state: ViewState, changes: dict, dataset) -> ViewState:
    """A control's changes, each validated like its URL value; an invalid one changes nothing."""
    accepted = {}
    for name, value in changes.items():
        param = PARAM_BY_NAME[name]
        if value == param.default:  # cleared: a dropdown's None, an empty list or keyword
            accepted[name] = param.default
            continue
        if value is None:  # no value for a parameter that cannot be empty: nothing changes
            continue
        text = param.write(value)
        if text is None:
            accepted[name] = param.default
            continue
        notices: list[str] = []
        parsed = _parse_value(param, text, dataset, state.with_(**accepted), notices)
        if param.listed or not notices:
            accepted[name] = parsed
    return state.with_(**accepted)
