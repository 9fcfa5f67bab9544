"""The JSON summary printed by `python -m s3map.data stats`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from s3map import config
from s3map.data.strategies import strategy_summary


def dataset_stats(folder: Path | None = None) -> dict:
    folder = config.data_dir() if folder is None else folder
    if not (folder / "fingerprint").is_file():
        raise FileNotFoundError(f"no built dataset in {folder}")
    tables = {path.stem: pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}
    values = tables["indicators"]
    meta = {m["id"]: m for m in json.loads((folder / "indicators.json").read_text(encoding="utf-8"))}
    indicators = {}
    for indicator, group in values.groupby("indicator"):
        indicators[indicator] = {
            "label": meta[indicator]["label"], "unit": meta[indicator]["unit"],
            "years": [int(group["year"].min()), int(group["year"].max())],
            "regions": int(group["region"].nunique()),
            "regions_nuts2": int(group.loc[group["level"] == 2, "region"].nunique()),
            "rows": int(len(group)),
        }
    changes = pd.read_csv(folder / "code_changes.csv")
    build_info = json.loads((folder / "build.json").read_text())
    regions = tables["regions"]
    return {
        "dataset": str(folder.resolve()),
        "built_at": build_info["built_at"],
        "build_seconds": build_info["seconds"],
        "rows": {name: int(len(table)) for name, table in tables.items()},
        "indicators": indicators,
        "geometry": {
            "features_per_level": build_info["geometry"]["features_per_level"],
            # Every EU NUTS 2021 region at levels 0-3 (extra-regio codes have no territory and are not listed).
            "regions_without_geometry": sorted(regions.loc[~regions["has_geometry"] & regions["eu"]
                                                           & regions["level"].between(0, 3), "code"].tolist()),
        },
        "code_changes": {
            "mapped": changes[changes["action"] == "mapped"].groupby("code")["rows"].sum().astype(int).to_dict(),
            "dropped": changes[changes["action"] == "dropped"].groupby("code")["rows"].sum().astype(int).to_dict(),
            "rows_mapped": int(changes.loc[changes["action"] == "mapped", "rows"].sum()),
            "rows_dropped": int(changes.loc[changes["action"] == "dropped", "rows"].sum()),
        },
        "s3": strategy_summary(tables["strategies"], tables["priorities"], tables["priority_codes"],
                               tables.get("strategies_unlisted"), regions, tables.get("searched_not_found")),
    }
