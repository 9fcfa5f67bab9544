"""Every read the API makes of the dataset, in one place.

The API's routes never touch the store directly: the calls below are the whole of its use of
s3map.data.store (get_dataset, the Dataset's tables and a few of its queries), so a change of the
store's surface is adapted here. Results are plain records (dicts, lists), NaN turned into None.
"""

from __future__ import annotations

import math

import pandas as pd

from s3map.analysis.partners import partner_regions
from s3map.analysis.peers import similar_regions
from s3map.data.export import EUROSTAT_FLAGS, indicator_citations
from s3map.data.curated_csv import split_urls
from s3map.data.store import get_dataset, keyword_hits


def dataset():
    return get_dataset()


def clean(value):
    """JSON-ready scalar: NaN/NA -> None, numpy numbers -> Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def page(frame: pd.DataFrame, limit: int, offset: int) -> tuple[list[dict], int]:
    return records(frame.iloc[offset:offset + limit]), len(frame)


# ---- regions -----------------------------------------------------------------------------------

def _parent(code: str, level: int) -> str | None:
    return None if level == 0 else code[:-1]


def region_frame(ds=None) -> pd.DataFrame:
    ds = ds or dataset()

    def compute():
        r = ds.regions.reset_index(drop=True)
        out = r[["code", "name", "name_native", "level", "country", "eu", "has_geometry"]].copy()
        out["parent"] = [_parent(c, lvl) for c, lvl in zip(r["code"], r["level"])]
        return out.sort_values(["level", "code"]).reset_index(drop=True)
    return ds.memo(("api", "regions"), compute)


def find_regions(level=None, country=None, q=None, eu=None) -> pd.DataFrame:
    frame = region_frame()
    if level is not None:
        frame = frame[frame["level"] == level]
    if country:
        frame = frame[frame["country"] == country]
    if eu is not None:
        frame = frame[frame["eu"] == eu]
    if q:
        text = (frame["code"] + " " + frame["name"] + " " + frame["name_native"].fillna("")).str.casefold()
        frame = frame[text.str.contains(q.casefold(), regex=False)]
    return frame


def region(code: str) -> dict | None:
    ds = dataset()
    if not ds.has_region(code):
        return None
    frame = region_frame(ds)
    row = records(frame[frame["code"] == code])[0]
    children = frame.loc[frame["parent"] == code, "code"].tolist()
    return {**row, "children": children}


def nuts2_of(code: str) -> str | None:
    return dataset().nuts2_of(code)


# ---- indicators --------------------------------------------------------------------------------

def indicator_ids() -> list[str]:
    return list(dataset().indicators)


def indicators() -> list[dict]:
    ds = dataset()
    citations = ds.memo(("api", "citations"), lambda: indicator_citations(ds))
    out = []
    for key, meta in ds.indicators.items():
        years = list(ds.years(key))
        out.append({"id": key, "label": meta.label, "unit": meta.unit, "description": meta.description,
                    "decimals": meta.decimals, "higher_is_better": meta.higher_is_better,
                    "years": years, "default_year": ds.default_year(key),
                    "source": {k: citations[key][k] for k in ("publisher", "dataset", "url", "licence", "read_from")}})
    return out


def indicator(key: str) -> dict | None:
    return next((i for i in indicators() if i["id"] == key), None)


def _with_sources(frame: pd.DataFrame) -> pd.DataFrame:
    ds = dataset()
    citations = ds.memo(("api", "citations"), lambda: indicator_citations(ds))
    out = frame[["region", "level", "indicator", "year", "value", "unit", "flag", "note"]].copy()
    out["source"] = out["indicator"].map(lambda i: citations[i]["citation"])
    out["source_url"] = out["indicator"].map(lambda i: citations[i]["url"])
    return out


def indicator_values(key: str, year=None, level=None, country=None) -> pd.DataFrame:
    v = dataset().values
    frame = v[v["indicator"] == key]
    if year is not None:
        frame = frame[frame["year"] == year]
    if level is not None:
        frame = frame[frame["level"] == level]
    if country:
        frame = frame[frame["region"].str.startswith(country)]
    return _with_sources(frame.sort_values(["year", "region"]))


def region_series(code: str, key=None) -> pd.DataFrame:
    v = dataset().values
    frame = v[v["region"] == code]
    if key:
        frame = frame[frame["indicator"] == key]
    return _with_sources(frame.sort_values(["indicator", "year"]))


def flags() -> list[dict]:
    return [{"flag": k, "meaning": v} for k, v in EUROSTAT_FLAGS.items()]


# ---- strategies --------------------------------------------------------------------------------

def _status(status: str) -> str:
    """The build's status by date ('in force', 'not yet in force', ...) as an API token (in_force, ...)."""
    return str(status).strip().replace(" ", "_")


def strategy_frame() -> pd.DataFrame:
    ds = dataset()

    def compute():
        s = ds.strategies
        listed = pd.DataFrame({
            "strategy_id": s["strategy_id"], "title": s["title"], "country": s["country"], "level": s["level"],
            "territory": s["territory"].str.split(), "period": s["period"], "period_start": s["period_start"],
            "period_end": s["period_end"], "status": s["status"].map(_status),
            "priorities_sourced": True, "priority_count": s["priorities"], "completeness": s["completeness"],
            "document_url": s["document_url"], "sources": s["source_urls"].map(split_urls)})
        u = ds.unlisted
        unlisted = pd.DataFrame({
            "strategy_id": u["strategy_id"], "title": u["title"], "country": u["country"], "level": u["level"],
            "territory": u["territory"].str.split(), "period": u["period"], "period_start": u["period_start"],
            "period_end": u["period_end"], "status": "in_force", "priorities_sourced": False, "priority_count": 0,
            "completeness": "not sourced", "document_url": u["document_url"],
            "sources": u["source_urls"].map(split_urls)})
        out = pd.concat([listed, unlisted], ignore_index=True)
        out["document_url"] = out["document_url"].fillna("").map(lambda x: x or None)
        return out.sort_values(["country", "strategy_id"]).reset_index(drop=True)
    return ds.memo(("api", "strategies"), compute)


def find_strategies(country=None, region=None, status=None) -> pd.DataFrame:
    frame = strategy_frame()
    if country:
        frame = frame[frame["country"] == country]
    if region:
        # the strategies on this region or a territory containing it (its NUTS 1, its country) or within it
        covers = [any(region.startswith(c) or c.startswith(region) for c in codes) for codes in frame["territory"]]
        frame = frame[pd.Series(covers, index=frame.index, dtype=bool)]  # a bool mask even when empty
    if status:
        frame = frame[frame["status"] == status]
    return frame


def strategy(strategy_id: str) -> dict | None:
    ds = dataset()
    frame = strategy_frame()
    found = frame[frame["strategy_id"] == strategy_id]
    if found.empty:
        return None
    row = records(found)[0]
    priorities = []
    for p in ds.priority_records(strategy_id):
        codes = [{"taxonomy": c["taxonomy"], "code": c["code"], "label": clean(c.get("label")),
                  "method": c["method"], "score": clean(c.get("score")), "rank": clean(c.get("rank"))}
                 for c in p["codes"]]
        priorities.append({"priority_id": p["priority_id"], "name": p["name"],
                           "description": clean(p["description"]) or None, "source_type": clean(p["source_type"]),
                           "sources": split_urls(p["source_url"]), "codes": codes})
    return {**row, "priorities": priorities}


def find_priorities(keyword=None, code=None, status="in_force", limit=100, offset=0) -> tuple[list[dict], int]:
    """One page of the priorities whose text or map codes match, each with its strategy and codes (as in
    strategy()), and how many match in all."""
    ds = dataset()
    priorities = ds.priorities
    if status == "in_force":
        priorities = priorities[priorities["strategy_id"].isin(ds.in_force["strategy_id"])]
    if keyword and keyword.strip():  # the map's matching rules (s3map.data.store), both must match here
        priorities = priorities[keyword_hits(priorities, keyword)]
    if code:
        priorities = priorities[priorities["priority_id"].isin(ds.priority_ids_with_codes([code]))]
    ordered = priorities.sort_values("strategy_id", kind="stable")  # a strategy's priorities in their own order
    shown = ordered.iloc[offset:offset + limit]
    strategies = strategy_frame().set_index("strategy_id")
    out = []
    for strategy_id, group in shown.groupby("strategy_id", sort=True):
        info = strategies.loc[strategy_id]
        wanted = set(group["priority_id"])
        for p in (strategy(strategy_id) or {}).get("priorities", []):
            if p["priority_id"] in wanted:
                out.append({**p, "strategy_id": strategy_id, "strategy": info["title"],
                            "territory": list(info["territory"]), "status": info["status"]})
    return out, len(ordered)


# ---- peers and partners ------------------------------------------------------------------------

def peers(code: str, count: int, exclude_own_country: bool) -> list[dict]:
    ranked = similar_regions(dataset(), code, count, exclude_own_country)
    if ranked.empty:
        return []
    out = []
    for region_code, row in ranked.iterrows():
        shares = {k.removeprefix("share: "): clean(v) for k, v in row.items() if k.startswith("share: ")}
        dims = {k: clean(v) for k, v in row.items()
                if not k.startswith("share: ") and k not in ("name", "distance")}
        out.append({"code": region_code, "name": row["name"], "distance": clean(row["distance"]),
                    "dimensions": [{"dimension": d, "distance": dims[d], "share": shares.get(d)} for d in dims]})
    return out


def partners(code: str, count: int, order: str) -> list[dict]:
    ranked = partner_regions(dataset(), code, count, order)
    if ranked.empty:
        return []
    return [{"strategy_id": r["strategy_id"], "title": r["title"], "territory": str(r["territory"]).split(),
             "name": r["name"], "overlap": clean(r["overlap"]), "shared_codes": list(r["shared"]),
             "distance": clean(r["distance"])} for r in ranked.to_dict("records")]
