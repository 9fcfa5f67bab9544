"""The /api/v1 endpoints. Thin: validate (pydantic, via flask-openapi3), ask queries.py, shape the answer."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, jsonify, request, send_file
from flask_openapi3 import APIBlueprint, Tag

from s3map.api import queries
from s3map.api.problems import ApiProblem, documented
from s3map.api.schemas import (
    DownloadPath, FlagList, Indicator, IndicatorList, IndicatorPath, IndicatorValuesQuery, PartnerList,
    PartnersQuery, PeerList, PeersQuery, PriorityPage, PriorityQuery, RegionDetail, RegionStrategyQuery, RegionPage, RegionPath, RegionQuery, SeriesQuery,
    StrategyDetail, StrategyPage, StrategyPath, StrategyQuery, ValuePage,
)
from s3map.data.export import EUROSTAT_FLAGS_URL, download_path

PREFIX = "/api/v1"

regions_tag = Tag(name="regions", description="NUTS 2021 regions: codes, names, levels, parents")
indicators_tag = Tag(name="indicators", description="Regional indicators: metadata and values with unit, flag "
                                                    "and source")
strategies_tag = Tag(name="strategies", description="Smart specialisation strategies and their coded priorities")
analysis_tag = Tag(name="analysis", description="Structural peers and partner strategies of a region")
downloads_tag = Tag(name="downloads", description="The whole dataset: Frictionless Data Package (CSV) or Parquet")

api = APIBlueprint("api_v1", __name__, url_prefix=PREFIX)

PEERS_METHOD = ("Structural similarity after the S3 Platform's benchmarking (Navarro et al. 2014) on the RCI 2022 "
                "raw indicators: z-scores, root mean square distance per dimension, mean over dimensions.")
PARTNERS_METHOD = ("In-force strategies sharing priority codes with the region's most specific in-force strategy; "
                   "overlap is a Jaccard index with each code weighted by its rarity (log N/n).")


def json_response(model) -> Response:
    return jsonify(model.model_dump(mode="json"))


def paged(model, items: list[dict], total: int, limit: int, offset: int, **extra) -> Response:
    following = None
    if offset + limit < total:
        args = {k: v for k, v in request.args.items() if k not in ("offset",)}
        following = f"{request.path}?{urlencode({**args, 'offset': offset + limit})}"
    return json_response(model(items=items, total=total, limit=limit, offset=offset, next=following, **extra))


def known_region(code: str) -> dict:
    found = queries.region(code)
    if found is None:
        raise ApiProblem(404, "Unknown region", f"no NUTS 2021 region {code!r} in the dataset")
    return found


def known_indicator(key: str) -> dict:
    found = queries.indicator(key)
    if found is None:
        raise ApiProblem(404, "Unknown indicator", f"no indicator {key!r}; known: {', '.join(queries.indicator_ids())}")
    return found


# ---- regions ------------------------------------------------------------------------------------

@api.get("/regions", tags=[regions_tag], summary="List regions",
         responses={200: RegionPage, **documented(400)})
def list_regions(query: RegionQuery):
    """NUTS 2021 regions of levels 0-3, filtered by level, country, EU membership or a name/code fragment."""
    frame = queries.find_regions(query.level, query.country, query.q, query.eu)
    items, total = queries.page(frame, query.limit, query.offset)
    return paged(RegionPage, items, total, query.limit, query.offset)


@api.get("/regions/<code>", tags=[regions_tag], summary="One region",
         responses={200: RegionDetail, **documented(400, 404)})
def get_region(path: RegionPath):
    """Code, names (Latin and native script), level, parent, country and the codes one level down."""
    return json_response(RegionDetail(**known_region(path.code)))


@api.get("/regions/<code>/series", tags=[regions_tag, indicators_tag], summary="Indicator series of a region",
         responses={200: ValuePage, **documented(400, 404)})
def region_series(path: RegionPath, query: SeriesQuery):
    """Every value of the region (one indicator or all), by indicator and year, each with unit, flag and source.

    Only the region's own values: a NUTS 3 region has none of its own in this dataset (a gap, not its parent's)."""
    known_region(path.code)
    if query.indicator:
        known_indicator(query.indicator)
    frame = queries.region_series(path.code, query.indicator)
    items, total = queries.page(frame, query.limit, query.offset)
    return paged(ValuePage, items, total, query.limit, query.offset)


@api.get("/regions/<code>/strategies", tags=[regions_tag, strategies_tag], summary="Strategies covering a region",
         responses={200: StrategyPage, **documented(400, 404)})
def region_strategies(path: RegionPath, query: RegionStrategyQuery):
    """Strategies on the region, on a territory containing it (NUTS 1, national) or within it (NUTS 3)."""
    known_region(path.code)
    frame = queries.find_strategies(None, path.code, query.status)
    items, total = queries.page(frame, query.limit, query.offset)
    return paged(StrategyPage, items, total, query.limit, query.offset)


@api.get("/regions/<code>/peers", tags=[analysis_tag], summary="Structurally similar regions",
         responses={200: PeerList, **documented(400, 404, 422)})
def region_peers(path: RegionPath, query: PeersQuery):
    """The closest NUTS 2 regions on structural conditions, with each dimension's distance and share.

    A NUTS 3 region is ranked as its NUTS 2 region; a country or NUTS 1 region only when it is one NUTS 2 region."""
    known_region(path.code)
    nuts2 = queries.nuts2_of(path.code)
    if nuts2 is None:
        raise ApiProblem(422, "The region cannot be used for this ranking",
                         f"{path.code} spans several NUTS 2 regions; peers are ranked for one NUTS 2 region")
    items = queries.peers(nuts2, query.count, query.exclude_own_country)
    return json_response(PeerList(region=path.code, nuts2=nuts2, method=PEERS_METHOD, items=items))


@api.get("/regions/<code>/partners", tags=[analysis_tag], summary="Strategies sharing priorities",
         responses={200: PartnerList, **documented(400, 404)})
def region_partners(path: RegionPath, query: PartnersQuery):
    """In-force strategies whose priorities share codes with the region's strategy (empty when it has none)."""
    known_region(path.code)
    items = queries.partners(path.code, query.count, query.order)
    return json_response(PartnerList(region=path.code, method=PARTNERS_METHOD, items=items))


# ---- indicators ---------------------------------------------------------------------------------

@api.get("/indicators", tags=[indicators_tag], summary="List indicators", responses={200: IndicatorList})
def list_indicators():
    """Every indicator with unit, definition, years, and its source: publisher, dataset code and address."""
    return json_response(IndicatorList(items=queries.indicators()))


@api.get("/indicators/<indicator>", tags=[indicators_tag], summary="One indicator",
         responses={200: Indicator, **documented(400, 404)})
def get_indicator(path: IndicatorPath):
    return json_response(Indicator(**known_indicator(path.indicator)))


@api.get("/indicators/<indicator>/values", tags=[indicators_tag], summary="Values of an indicator",
         responses={200: ValuePage, **documented(400, 404)})
def indicator_values(path: IndicatorPath, query: IndicatorValuesQuery):
    """Values by region for one year (or all years), optionally one NUTS level or country."""
    known_indicator(path.indicator)
    frame = queries.indicator_values(path.indicator, query.year, query.level, query.country)
    items, total = queries.page(frame, query.limit, query.offset)
    return paged(ValuePage, items, total, query.limit, query.offset)


@api.get("/flags", tags=[indicators_tag], summary="Eurostat flags", responses={200: FlagList})
def list_flags():
    """The meaning of each flag letter a value may carry (a value's flag may combine several: 'bd')."""
    return json_response(FlagList(source=EUROSTAT_FLAGS_URL, items=queries.flags()))


# ---- strategies ---------------------------------------------------------------------------------

@api.get("/strategies", tags=[strategies_tag], summary="List strategies",
         responses={200: StrategyPage, **documented(400)})
def list_strategies(query: StrategyQuery):
    """Strategies with status, period, territory and sources; with or without a sourced priority list."""
    frame = queries.find_strategies(query.country, query.region, query.status)
    items, total = queries.page(frame, query.limit, query.offset)
    return paged(StrategyPage, items, total, query.limit, query.offset)


@api.get("/strategies/<strategy_id>", tags=[strategies_tag], summary="One strategy with its priorities",
         responses={200: StrategyDetail, **documented(400, 404)})
def get_strategy(path: StrategyPath):
    """The strategy and each priority with its taxonomy codes (method: reviewed, curated or coder; score) and
    sources."""
    found = queries.strategy(path.strategy_id)
    if found is None:
        raise ApiProblem(404, "Unknown strategy", f"no strategy {path.strategy_id!r}")
    return json_response(StrategyDetail(**found))


@api.get("/priorities", tags=[strategies_tag], summary="Find priorities",
         responses={200: PriorityPage, **documented(400)})
def find_priorities(query: PriorityQuery):
    """Priorities by keyword or taxonomy code (as the map's priority mode finds them), each with its strategy,
    territory, codes and sources: 'which regions prioritise hydrogen' in one request. Given both q and code, a
    priority matches both (the map colours either)."""
    items, total = queries.find_priorities(query.q, query.code, query.status, query.limit, query.offset)
    return paged(PriorityPage, items, total, query.limit, query.offset)


# ---- downloads ----------------------------------------------------------------------------------

ZIP_RESPONSE = {"description": "a zip archive", "content": {"application/zip": {"schema": {
    "type": "string", "contentMediaType": "application/zip"}}}}


@api.get("/downloads/<name>", tags=[downloads_tag], summary="Bulk download",
         responses={200: ZIP_RESPONSE, **documented(400, 404)})
def download(path: DownloadPath):
    """datapackage.zip: Frictionless Data Package (datapackage.json + CSV, table schemas, sources, licences);
    parquet.zip: the same tables as Parquet. Built on first request and cached for the dataset version."""
    target = download_path(queries.dataset(), path.name)
    return send_file(target, mimetype="application/zip", as_attachment=True, download_name=f"s3map-{path.name}",
                     max_age=3600)
