"""Partner finder: strategies that share priority codes with a region's strategy.

Each in-force strategy is a set of codes (taxonomy:code) from its priorities: a person's codes where
assigned, else the coder's top proposal. Overlap is a weighted Jaccard index of two sets, each code
weighted by its rarity (log of strategies / strategies using it), so that sharing a specific domain
(NACE C30, aerospace) counts for more than sharing one nearly every strategy has (SDG 9). The shared
codes are listed. Ties are ordered by structural similarity (or the other way round).
"""

from __future__ import annotations

import math

import pandas as pd

from s3map.analysis.peers import similar_regions


def jaccard(a: set, b: set, weight: dict[str, float] | None = None) -> float:
    """|a ∩ b| / |a ∪ b|, each element counted with its weight (1 when none is given)."""
    if not (a or b):
        return 0.0
    w = (lambda code: weight.get(code, 1.0)) if weight else (lambda code: 1.0)
    union = sum(w(code) for code in a | b)
    return sum(w(code) for code in a & b) / union if union else 0.0


def rarity_weights(sets: dict[str, set[str]]) -> dict[str, float]:
    """log(N / n_code): 0 for a code every strategy has, higher for rarer ones (N = number of sets)."""
    counts: dict[str, int] = {}
    for codes in sets.values():
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    total = len(sets)
    return {code: math.log(total / n) for code, n in counts.items()}


def code_sets(codes: pd.DataFrame, priorities: pd.DataFrame, strategy_ids) -> dict[str, set[str]]:
    """strategy_id -> {'nace:C10', 'sdg:SDG7', ...}"""
    linked = codes.merge(priorities[["priority_id", "strategy_id"]], on="priority_id")
    linked = linked[linked["strategy_id"].isin(set(strategy_ids))]
    keys = linked["taxonomy"] + ":" + linked["code"]
    return {sid: set(group) for sid, group in keys.groupby(linked["strategy_id"])}


def rank_partners(own: set[str], candidates: dict[str, set[str]], similarity: dict[str, float] | None = None,
                  order: str = "overlap", weight: dict[str, float] | None = None) -> pd.DataFrame:
    """Candidates sharing at least one code: overlap, shared codes, structural distance; ordered by
    overlap then distance (order="overlap") or distance then overlap (order="similarity")."""
    rows = []
    for sid, codes in candidates.items():
        shared = own & codes
        if not shared:
            continue
        rows.append({"strategy_id": sid, "overlap": round(jaccard(own, codes, weight), 4), "shared": sorted(shared),
                     "shared_count": len(shared),
                     "distance": (similarity or {}).get(sid, float("nan"))})
    frame = pd.DataFrame(rows, columns=["strategy_id", "overlap", "shared", "shared_count", "distance"])
    if frame.empty:
        return frame
    frame["distance_key"] = frame["distance"].fillna(float("inf"))
    keys = ["overlap", "distance_key"] if order == "overlap" else ["distance_key", "overlap"]
    ascending = [False, True] if order == "overlap" else [True, False]
    return frame.sort_values(keys + ["strategy_id"], ascending=ascending + [True]).drop(columns="distance_key")


def own_strategy(dataset, code: str):
    """The most specific in-force strategy covering a region (its own, else NUTS 1, else national)."""
    found = dataset.strategies_for(code)
    found = found[found["in_force"]]
    return None if found.empty else found.iloc[0]


def strategy_nuts2(dataset) -> dict[str, list[str]]:
    """In-force strategy -> the EU NUTS 2 regions it covers (a NUTS 3 strategy: its NUTS 2 parent)."""
    return {sid: sorted(dataset.nuts2_covered_by(territory.split()))
            for sid, territory in zip(dataset.in_force["strategy_id"], dataset.in_force["territory"])}


def partner_regions(dataset, code: str, count: int = 10, order: str = "overlap") -> pd.DataFrame:
    ranked = dataset.memo(("partners", code, order), lambda: _rank(dataset, code, order))
    return ranked.head(count)


def _rank(dataset, code: str, order: str) -> pd.DataFrame:
    strategy = own_strategy(dataset, code)
    if strategy is None:
        return pd.DataFrame()
    in_force = dataset.in_force
    sets = dataset.memo(("code_sets",), lambda: code_sets(dataset.map_codes, dataset.priorities, in_force["strategy_id"]))
    own = sets.get(strategy["strategy_id"], set())
    candidates = {sid: s for sid, s in sets.items() if sid != strategy["strategy_id"]}
    peers = similar_regions(dataset, code, count=10_000)
    distance = peers["distance"].to_dict() if not peers.empty else {}
    similarity = {}
    for sid, members in dataset.memo(("strategy_nuts2",), lambda: strategy_nuts2(dataset)).items():
        values = [distance[m] for m in members if m in distance]
        if values:
            similarity[sid] = sum(values) / len(values)
    weight = dataset.memo(("code_rarity",), lambda: rarity_weights(sets))
    ranked = rank_partners(own, candidates, similarity, order, weight)
    info = dataset.memo(("strategy_info",), lambda: _strategy_info(dataset))
    return ranked.join(info, on="strategy_id").reset_index(drop=True)


def _strategy_info(dataset) -> pd.DataFrame:
    """In-force strategy -> territory, title, level and the territory's names, as the partner table shows them."""
    info = dataset.in_force.set_index("strategy_id")[["territory", "title", "level"]].copy()
    info["name"] = [", ".join(dataset.region_name(c) or c for c in t.split()) for t in info["territory"]]
    return info
