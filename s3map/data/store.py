"""The built dataset, loaded once per process, and the small queries the app makes of it.

No Dash here: the notebook, the API and the tests use the same functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from s3map import config


@dataclass(frozen=True)
class IndicatorMeta:
    id: str
    label: str
    unit: str
    source: str
    source_title: str
    source_url: str
    licence: str
    decimals: int
    higher_is_better: bool | None
    description: str


class Dataset:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if not (self.folder / "fingerprint").is_file():
            raise FileNotFoundError(f"no built dataset in {self.folder}: run `python -m s3map.data build`")
        self.version = (self.folder / "fingerprint").read_text().strip()[:12]
        self.regions = pd.read_parquet(self.folder / "regions.parquet").set_index("code", drop=False)
        self.values = pd.read_parquet(self.folder / "indicators.parquet")
        self.eu_reference = pd.read_parquet(self.folder / "eu_reference.parquet")
        self.ris_groups = pd.read_parquet(self.folder / "ris_groups.parquet").set_index("region")
        self.strategies = pd.read_parquet(self.folder / "strategies.parquet")
        self.priorities = pd.read_parquet(self.folder / "priorities.parquet")
        self.priority_codes = pd.read_parquet(self.folder / "priority_codes.parquet")
        self.taxonomy = pd.read_parquet(self.folder / "taxonomy.parquet")
        self.partnerships = pd.read_parquet(self.folder / "partnerships.parquet")
        meta = json.loads((self.folder / "indicators.json").read_text(encoding="utf-8"))
        self.indicators = {
            m["id"]: IndicatorMeta(m["id"], m["label"], m["unit"], m["source"], m["source_title"],
                                   m["source_url"], m["licence"], m["decimals"], m["higher_is_better"],
                                   m["description"])
            for m in meta
        }
        self.geo_files = json.loads((self.folder / "geo" / "index.json").read_text())
        self.provenance = json.loads((self.folder / "provenance.json").read_text(encoding="utf-8"))
        # (indicator, year) -> Series region -> value, for the NUTS 2 map layer
        self._by_indicator = {key: group for key, group in self.values.groupby("indicator")}

    # ---- regions -------------------------------------------------------------------------
    def region_name(self, code: str) -> str | None:
        return self.regions["name"].get(code)

    def has_region(self, code: str) -> bool:
        return code in self.regions.index

    @cached_property
    def nuts2_eu(self) -> pd.DataFrame:
        r = self.regions
        return r[(r["level"] == 2) & r["eu"]]

    @cached_property
    def nuts2_with_geometry(self) -> list[str]:
        r = self.regions
        return r.loc[(r["level"] == 2) & r["has_geometry"], "code"].tolist()

    @cached_property
    def context_countries(self) -> list[str]:
        """Non-EU countries in the geometry, drawn grey for context."""
        r = self.regions
        return r.loc[(r["level"] == 0) & ~r["eu"] & r["has_geometry"], "code"].tolist()

    # ---- indicators ----------------------------------------------------------------------
    def years(self, indicator: str) -> list[int]:
        group = self._by_indicator[indicator]
        return sorted(group.loc[group["level"] == 2, "year"].unique().tolist()) or sorted(group["year"].unique().tolist())

    def latest_year(self, indicator: str) -> int:
        return self.years(indicator)[-1]

    @lru_cache(maxsize=512)
    def map_values(self, indicator: str, year: int) -> pd.DataFrame:
        """One row per NUTS 2 region drawn on the map: value (NaN = no data), flag, note, level shown.

        A value reported only for the NUTS 1 parent (the RIS scores some countries at NUTS 1) is
        shown on its NUTS 2 regions with `shown_level` 1, and the hover says so.
        """
        group = self._by_indicator[indicator]
        group = group[group["year"] == year].set_index("region")
        nuts2 = self.regions.loc[self.nuts2_with_geometry, ["code", "name", "country", "nuts1", "eu"]].copy()
        direct = group[group["level"] == 2]
        nuts2["value"] = direct["value"].reindex(nuts2.index)
        nuts2["flag"] = direct["flag"].reindex(nuts2.index).fillna("")
        nuts2["note"] = direct["note"].reindex(nuts2.index).fillna("")
        nuts2["shown_level"] = 2
        parent = group[group["level"] == 1]
        fill = nuts2["value"].isna() & nuts2["nuts1"].isin(parent.index)
        if fill.any():
            nuts2.loc[fill, "value"] = parent["value"].reindex(nuts2.loc[fill, "nuts1"]).to_numpy()
            nuts2.loc[fill, "shown_level"] = 1
            nuts2.loc[fill, "note"] = "value of the NUTS 1 region " + nuts2.loc[fill, "nuts1"]
        # Non-EU regions carry data in some tables, but the observatory maps the EU; they are context.
        nuts2 = nuts2[nuts2["eu"]]
        return nuts2.drop(columns=["eu"])

    def region_values(self, code: str) -> pd.DataFrame:
        """Latest value of every indicator for one region (or its NUTS 1 parent where that is how it's reported)."""
        rows = []
        for indicator, meta in self.indicators.items():
            group = self._by_indicator[indicator]
            series = group[group["region"] == code]
            shown = code
            if series.empty and len(code) == 4:
                series = group[group["region"] == code[:3]]
                shown = code[:3]
            if series.empty:
                rows.append({"indicator": indicator, "label": meta.label, "unit": meta.unit, "year": None,
                             "value": None, "flag": "", "region_shown": None, "decimals": meta.decimals})
                continue
            last = series.sort_values("year").iloc[-1]
            rows.append({"indicator": indicator, "label": meta.label, "unit": meta.unit, "year": int(last["year"]),
                         "value": float(last["value"]), "flag": last["flag"], "region_shown": shown,
                         "decimals": meta.decimals})
        return pd.DataFrame(rows)

    def series(self, code: str, indicator: str) -> pd.DataFrame:
        group = self._by_indicator[indicator]
        return group[group["region"] == code][["year", "value", "flag"]].sort_values("year")

    def ris_group(self, code: str) -> str | None:
        for candidate in (code, code[:3], code[:2]):
            if candidate in self.ris_groups.index:
                return str(self.ris_groups.loc[candidate, "group"])
        return None

    # ---- strategies ----------------------------------------------------------------------
    def strategies_for(self, code: str) -> pd.DataFrame:
        """Strategies whose territory is this region or contains it (NUTS 2 -> its NUTS 1 and country)."""
        candidates = {code[: n] for n in range(2, len(code) + 1)}
        mask = self.strategies["territory"].map(lambda t: bool(candidates & set(t.split())))
        found = self.strategies[mask].copy()
        found["territory_level"] = found["territory"].map(lambda t: min(len(c) for c in t.split()) - 2)
        found["in_force"] = found["current"] & ~found["superseded"]
        return found.sort_values(["in_force", "territory_level", "period_start"], ascending=[False, False, False])

    def priorities_of(self, strategy_id: str) -> pd.DataFrame:
        return self.priorities[self.priorities["strategy_id"] == strategy_id]

    def codes_of(self, priority_ids: list[str]) -> pd.DataFrame:
        codes = self.priority_codes[self.priority_codes["priority_id"].isin(priority_ids)]
        return codes.merge(self.taxonomy[["taxonomy", "code", "label"]], on=["taxonomy", "code"], how="left")


@lru_cache(maxsize=4)
def _load(folder: str) -> Dataset:
    return Dataset(Path(folder))


def get_dataset(folder: Path | None = None) -> Dataset:
    """The dataset for this process (loaded once; the build switches folders, so resolve the link)."""
    folder = config.data_dir() if folder is None else folder
    return _load(str(Path(folder).resolve()))
