"""Request and response models of the API (pydantic v2): they validate the input and are the
OpenAPI 3.1 document (flask-openapi3 turns them into it), so the spec cannot drift from the code."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 1_000_000

NUTS_CODE = r"^[A-Z]{2}[A-Z0-9]{0,3}$"
COUNTRY_CODE = r"^[A-Z]{2}$"
INDICATOR_ID = r"^[a-z][a-z0-9_]{0,39}$"
STRATEGY_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
TAXONOMY_CODE = r"^(nace|nabs|sdg):[A-Za-z0-9.]{1,6}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


# ---- input --------------------------------------------------------------------------------------

class Paging(Strict):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"rows per page (1-{MAX_LIMIT})")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip")


class RegionQuery(Paging):
    level: int | None = Field(None, ge=0, le=3, description="NUTS level (0 = country)")
    country: str | None = Field(None, pattern=COUNTRY_CODE, description="two-letter country code", json_schema_extra={"example": "PL"})
    eu: bool | None = Field(None, description="only regions in (true) or outside (false) the EU")
    q: str | None = Field(None, max_length=80, description="part of a code or name (any script); empty: any",
                          json_schema_extra={"example": "Mazow"})


class RegionPath(Strict):
    code: str = Field(..., pattern=NUTS_CODE, description="NUTS 2021 code", json_schema_extra={"example": "PL21"})


class IndicatorPath(Strict):
    indicator: str = Field(..., pattern=INDICATOR_ID, description="indicator id (GET /api/v1/indicators)",
                           json_schema_extra={"example": "gerd_pc_gdp"})


class IndicatorValuesQuery(Paging):
    year: int | None = Field(None, ge=1900, le=2100, description="reference year (all years when absent)",
                             json_schema_extra={"example": 2022})
    level: int | None = Field(None, ge=0, le=3, description="NUTS level")
    country: str | None = Field(None, pattern=COUNTRY_CODE, description="two-letter country code")


class SeriesQuery(Paging):
    indicator: str | None = Field(None, pattern=INDICATOR_ID, description="one indicator (all when absent)",
                                  json_schema_extra={"example": "gdp_pps_hab_eu"})


StrategyStatus = Literal["in_force", "not_yet_in_force", "draft", "superseded", "expired", "history"]
STATUS_HELP = ("status by date, computed at build (data/s3/SCHEMA.md): in_force (at most one list per territory), "
               "not_yet_in_force, draft, superseded (replaced by a later adopted list), expired (horizon ended, "
               "no successor recorded), history (earlier programming periods or undated)")


class RegionStrategyQuery(Paging):
    status: StrategyStatus | None = Field(None, description=STATUS_HELP)


class StrategyQuery(RegionStrategyQuery):
    country: str | None = Field(None, pattern=COUNTRY_CODE, description="two-letter country code")
    region: str | None = Field(None, pattern=NUTS_CODE, description="strategies on this region, a territory "
                               "containing it, or within it", json_schema_extra={"example": "ES21"})


class PriorityQuery(Paging):
    q: str | None = Field(None, max_length=60, description="a word or phrase that starts a word of the priority's "
                          "name or description (case-insensitive)", json_schema_extra={"example": "hydrogen"})
    code: str | None = Field(None, pattern=TAXONOMY_CODE, description="taxonomy:code, as coded on the map (a "
                             "person's code, else the coder's first proposal); a NACE section includes its divisions",
                             json_schema_extra={"example": "nace:C20"})
    status: Literal["in_force", "any"] = Field("in_force", description="priorities of strategies in force, or of "
                                               "any strategy")


class StrategyPath(Strict):
    strategy_id: str = Field(..., pattern=STRATEGY_ID, json_schema_extra={"example": "PL21-2021-c7cd"})


class PeersQuery(Strict):
    count: int = Field(10, ge=1, le=50, description="number of peers")
    exclude_own_country: bool = Field(False, description="leave out regions of the same country")


class PartnersQuery(Strict):
    count: int = Field(10, ge=1, le=50, description="number of partner strategies")
    order: Literal["overlap", "similarity"] = Field("overlap", description="rank by shared codes first, or by "
                                                     "structural similarity first")


class DownloadPath(Strict):
    name: Literal["datapackage.zip", "parquet.zip"]


# ---- output -------------------------------------------------------------------------------------

class Problem(BaseModel):
    """RFC 9457 problem details."""
    type: str = Field("about:blank", description="URI reference identifying the problem type")
    title: str
    status: int = Field(..., ge=400, le=599)
    detail: str | None = None
    instance: str | None = None
    errors: list[dict] | None = Field(None, description="each invalid parameter: where, what was wrong")


class PageInfo(BaseModel):
    total: int = Field(..., description="rows matching the query")
    limit: int
    offset: int
    next: str | None = Field(None, description="address of the next page, null on the last")


class Region(BaseModel):
    code: str
    name: str = Field(..., description="name in Latin script")
    name_native: str | None = Field(None, description="name in its own script and language")
    level: int
    parent: str | None = Field(None, description="code of the region one level up (null for a country)")
    country: str
    eu: bool
    has_geometry: bool


class RegionDetail(Region):
    children: list[str]


class RegionPage(PageInfo):
    items: list[Region]


class Source(BaseModel):
    publisher: str
    dataset: str = Field(..., description="publisher's dataset code (Eurostat) or title")
    url: str = Field(..., description="publisher's address of the dataset")
    licence: str
    read_from: str = Field(..., description="the copy of the publisher's file the build read")


class Indicator(BaseModel):
    id: str
    label: str
    unit: str
    description: str
    decimals: int
    higher_is_better: bool | None
    years: list[int]
    default_year: int = Field(..., description="latest year with broad NUTS 2 coverage")
    source: Source


class IndicatorList(BaseModel):
    items: list[Indicator]


class Value(BaseModel):
    region: str
    level: int
    indicator: str
    year: int
    value: float | None
    unit: str
    flag: str = Field(..., description="Eurostat flag letters (GET /api/v1/flags); empty: none")
    note: str
    source: str = Field(..., description="publisher and dataset code")
    source_url: str


class ValuePage(PageInfo):
    items: list[Value]


class Flag(BaseModel):
    flag: str
    meaning: str


class FlagList(BaseModel):
    source: str
    items: list[Flag]


class Code(BaseModel):
    taxonomy: str = Field(..., description="nace, nabs or sdg")
    code: str
    label: str | None
    method: str = Field(..., description="reviewed: checked by a person; curated: the hand-coded evaluation "
                        "sample; coder: proposed by the text coder (score, rank). Code 'none' (reviewed): no code "
                        "of the taxonomy fits")
    score: float | None
    rank: float | None


class Priority(BaseModel):
    priority_id: str
    name: str
    description: str | None
    source_type: str | None
    sources: list[str]
    codes: list[Code]


class Strategy(BaseModel):
    strategy_id: str
    title: str
    country: str
    level: str
    territory: list[str]
    period: str | None
    period_start: int | None
    period_end: int | None
    status: StrategyStatus = Field(..., description=STATUS_HELP)
    priorities_sourced: bool
    priority_count: int
    completeness: str | None
    document_url: str | None
    sources: list[str]


class PriorityItem(Priority):
    strategy_id: str
    strategy: str
    territory: list[str]
    status: StrategyStatus


class PriorityPage(PageInfo):
    items: list[PriorityItem]


class StrategyDetail(Strategy):
    priorities: list[Priority]


class StrategyPage(PageInfo):
    items: list[Strategy]


class PeerDimension(BaseModel):
    dimension: str
    distance: float | None
    share: float | None


class Peer(BaseModel):
    code: str
    name: str | None
    distance: float
    dimensions: list[PeerDimension]


class PeerList(BaseModel):
    region: str
    nuts2: str | None = Field(None, description="the NUTS 2 region the ranking is computed for")
    method: str
    items: list[Peer]


class Partner(BaseModel):
    strategy_id: str
    title: str | None
    territory: list[str]
    name: str | None
    overlap: float = Field(..., description="rarity-weighted Jaccard index of the priority codes")
    shared_codes: list[str]
    distance: float | None = Field(None, description="mean structural distance to the strategy's NUTS 2 regions")


class PartnerList(BaseModel):
    region: str
    method: str
    items: list[Partner]
