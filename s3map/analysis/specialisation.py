"""Location quotients: does a declared priority build on an existing strength?

LQ(r, s) = (E[r, s] / E[r]) / (E[EU, s] / E[EU]), with E persons employed. With the data at hand
(sbs_r_nuts2021, 2022) the sectors are manufacturing divisions and E[r] is the region's manufacturing
employment, so the LQ says how specialised a region is within manufacturing. LQ > 1: more
specialised than the EU; missing or confidential cells give no LQ (a gap, never 0).
"""

from __future__ import annotations

import pandas as pd

from s3map.analysis.partners import own_strategy


def location_quotients(employment: pd.DataFrame, total_code: str = "C", eu_regions=None) -> pd.DataFrame:
    """employment: region, nace, employment (rows for the total and its parts). Returns region, nace, lq, share.

    The EU reference is the sum over `eu_regions` (default: every two-letter country code).
    """
    wide = employment.pivot_table(index="region", columns="nace", values="employment", aggfunc="first")
    if total_code not in wide.columns:
        raise ValueError(f"no total column {total_code!r}")
    eu_rows = wide.loc[[r for r in wide.index if (len(r) == 2 if eu_regions is None else r in eu_regions)]]
    parts = [c for c in wide.columns if c != total_code]
    eu_share = eu_rows[parts].sum(min_count=1) / eu_rows[total_code].sum()
    shares = wide[parts].div(wide[total_code], axis=0)
    lq = shares.div(eu_share, axis=1)
    out = lq.stack(future_stack=True).rename("lq").to_frame().join(shares.stack(future_stack=True).rename("share"))
    return out.reset_index().rename(columns={"level_1": "nace"})


def specialisation_check(dataset, code: str) -> pd.DataFrame:
    """Per priority of the region's strategy: its NACE codes, and the LQ of those manufacturing divisions."""
    lq = dataset.memo(("lq",), lambda: location_quotients(dataset.manufacturing))
    mine = lq[lq["region"] == code].set_index("nace")
    strategy = own_strategy(dataset, code)
    if strategy is None:
        return pd.DataFrame()
    priorities = dataset.priorities_of(strategy["strategy_id"])
    codes = dataset.map_codes
    rows = []
    for record in priorities.itertuples(index=False):
        nace = codes[(codes["priority_id"] == record.priority_id) & (codes["taxonomy"] == "nace")]["code"].tolist()
        manufacturing = [c for c in nace if c.startswith("C") and len(c) == 3]
        for division in manufacturing or [None]:
            value = mine["lq"].get(division) if division else None
            rows.append({"priority": record.name, "nace": ", ".join(nace) or "—", "division": division,
                         "lq": None if value is None or pd.isna(value) else round(float(value), 2)})
    return pd.DataFrame(rows)
