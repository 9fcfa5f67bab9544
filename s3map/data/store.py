"""The built dataset, loaded once per process, and the small queries the app makes of it.

No Dash here: the notebook, the API and the tests use the same functions.
"""

from __future__ import annotations

import json
import re
import threading
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
        self.regions = pd.read_parquet(self.folder / "regions.parquet").set_index("code", drop=False)
        self.values = pd.read_parquet(self.folder / "indicators.parquet")
        self.eu_reference = pd.read_parquet(self.folder / "eu_reference.parquet")
        self.ris_groups = pd.read_parquet(self.folder / "ris_groups.parquet").set_index("region")
        self.strategies = pd.read_parquet(self.folder / "strategies.parquet")
        # The reference date of the statuses (in force, expired...): the build's S3MAP_AS_OF or its day.
        self.s3_as_of = str(self.strategies["status_as_of"].iloc[0]) if len(self.strategies) else ""
        unlisted = self.folder / "strategies_unlisted.parquet"  # absent from builds before it existed
        self.unlisted = pd.read_parquet(unlisted) if unlisted.is_file() else pd.DataFrame(
            columns=["strategy_id", "territory", "title", "period", "level", "country"])
        self.priorities = pd.read_parquet(self.folder / "priorities.parquet")
        self.priority_codes = pd.read_parquet(self.folder / "priority_codes.parquet")
        self.taxonomy = pd.read_parquet(self.folder / "taxonomy.parquet")
        self.partnerships = pd.read_parquet(self.folder / "partnerships.parquet")
        self.rci = pd.read_parquet(self.folder / "rci.parquet")
        self.manufacturing = pd.read_parquet(self.folder / "manufacturing.parquet")
        meta = json.loads((self.folder / "indicators.json").read_text(encoding="utf-8"))
        self.indicators = {
            m["id"]: IndicatorMeta(m["id"], m["label"], m["unit"], m["source"], m["source_title"],
                                   m["source_url"], m["licence"], m["decimals"], m["higher_is_better"],
                                   m["description"])
            for m in meta
        }
        self.geo_files = json.loads((self.folder / "geo" / "index.json").read_text())
        # indicator -> its rows of the tidy table; every indicator query starts from one of these
        self._by_indicator = {key: group for key, group in self.values.groupby("indicator")}
        self._memo: dict = {}
        self._memo_lock = threading.Lock()

    def memo(self, key, compute, limit: int = 4096):
        """A per-process cache for derived views (map updates, rankings): same key, same answer.
        Least recently used out first: the shared tables (z-scores, code sets) every entry is built
        from stay in, and every region's peers and partners (~730 entries) fit."""
        memo = self._memo
        with self._memo_lock:  # gunicorn's threads share it; two may compute the same entry, never break it
            if key in memo:
                memo[key] = value = memo.pop(key)  # most recent last
                return value
        value = compute()
        with self._memo_lock:
            if len(memo) >= limit:
                memo.pop(next(iter(memo)))
            memo[key] = value
        return value

    def warm_up(self) -> None:
        """Compute the derived tables every first request would otherwise pay for (ranks, panel
        lookups, filters, strategy coverage). Called once when the app starts."""
        for name in ("_names", "_ranks", "_series_by_region", "_rank_lookup", "_eu_lookup", "_priority_groups",
                     "_priority_records", "_code_records", "region_attributes", "nuts2_with_current_strategy",
                     "nuts2_with_strategy_but_no_list", "nuts2_eu_drawn", "drawable_codes", "eu_countries"):
            getattr(self, name)

    def values_at(self, indicator: str, year: int) -> pd.Series:
        """region -> value for one indicator and year, all levels."""
        return self.memo(("values_at", indicator, year), lambda: self._by_indicator[indicator]
                         .loc[lambda g: g["year"] == year].set_index("region")["value"])

    # ---- regions -------------------------------------------------------------------------
    def region_name(self, code: str) -> str | None:
        return self._names.get(code)

    @cached_property
    def _names(self) -> dict[str, str]:
        # A dict: tables and rankings ask for thousands of names per answer (a pandas lookup is ~40 µs).
        return dict(zip(self.regions["code"], self.regions["name"]))

    def has_region(self, code: str) -> bool:
        return code in self.regions.index

    def nuts2_children(self, code: str) -> list[str]:
        r = self.regions
        return r.loc[(r["level"] == 2) & r["code"].str.startswith(code), "code"].tolist()

    def nuts2_of(self, code: str | None) -> str | None:
        """The NUTS 2 region a selection stands for in the analyses that need one (peers, LQs):
        itself; a NUTS 3 region's parent; a country or NUTS 1 region made of a single NUTS 2
        region (LU -> LU00, DE8 -> DE80). None when the selection spans several."""
        if not code or not self.has_region(code):
            return None
        if len(code) >= 4:
            return code[:4]
        children = self.nuts2_children(code)
        return children[0] if len(children) == 1 else None

    @cached_property
    def nuts2_eu_drawn(self) -> pd.Index:
        r = self.regions
        return pd.Index(r.loc[(r["level"] == 2) & r["has_geometry"] & r["eu"], "code"])

    @cached_property
    def drawable_codes(self) -> set[str]:
        return set(self.regions.loc[self.regions["has_geometry"], "code"])

    @cached_property
    def context_countries(self) -> list[str]:
        """Non-EU countries in the geometry, drawn grey for context."""
        r = self.regions
        return r.loc[(r["level"] == 0) & ~r["eu"] & r["has_geometry"], "code"].tolist()

    def searchable_regions(self) -> pd.DataFrame:
        """EU countries and NUTS 1/2 regions, and the NUTS 3 regions that have a strategy of their own,
        ordered by country, level and name (columns code, name, name_native, level, country)."""
        r = self.regions
        wanted = (r["level"] <= 2) | r["code"].isin(self.strategy_territories)
        return r[r["eu"] & wanted].sort_values(["country", "level", "name"], kind="stable")

    def outermost_without_geometry(self) -> list[tuple[str, str]]:
        """(code, name) of the outermost NUTS 2 regions the geometry has no boundary for."""
        return list(self._outermost_without_geometry)

    @cached_property
    def _outermost_without_geometry(self) -> tuple[tuple[str, str], ...]:
        r = self.regions
        missing = r[r["outermost_without_geometry"] & (r["level"] == 2)]
        return tuple(zip(missing["code"], missing["name"]))

    def partnerships_of(self, code: str) -> list[str]:
        """S3 partnerships a NUTS 2 region takes part in (empty for other levels)."""
        attributes = self.region_attributes
        return list(attributes["partnerships"].get(code, [])) if code in attributes.index else []

    # ---- indicators ----------------------------------------------------------------------
    def taxonomy_entries(self, taxonomy: str) -> list[tuple[str, str]]:
        """(code, label) of one taxonomy (nace, nabs, sdg) in its published order."""
        rows = self.taxonomy[self.taxonomy["taxonomy"] == taxonomy]
        return list(zip(rows["code"], rows["label"]))

    def map_coverage(self, indicator: str, year: int) -> tuple[int, int]:
        """(regions with a value, regions drawn) on the map for an indicator and year."""
        frame = self.map_values(indicator, year)
        return int(frame["value"].notna().sum()), len(frame)

    @lru_cache(maxsize=64)
    def years(self, indicator: str) -> tuple[int, ...]:
        """The indicator's years with NUTS 2 data (else any data), ascending. Asked several times per
        request (URL check, slider, stale marks): computed once."""
        group = self._by_indicator[indicator]
        return tuple(sorted(group.loc[group["level"] == 2, "year"].unique().tolist())
                     or sorted(group["year"].unique().tolist()))

    @lru_cache(maxsize=64)
    def default_year(self, indicator: str) -> int:
        """The latest year with at least half the NUTS 2 coverage of the best-covered year.

        Eurostat's newest year often holds a handful of early reporters (GERD 2024: 5 regions);
        opening on it would show an almost empty map.
        """
        group = self._by_indicator[indicator]
        counts = group[group["level"] == 2].groupby("year")["region"].nunique()
        if counts.empty:
            return self.years(indicator)[-1]
        return int(counts[counts >= 0.5 * counts.max()].index.max())

    @lru_cache(maxsize=512)
    def map_values(self, indicator: str, year: int) -> pd.DataFrame:
        """One row per NUTS 2 region drawn on the map: value (NaN = no data), flag, note, level shown.

        A value reported only for the NUTS 1 parent (the RIS scores some countries at NUTS 1) is
        shown on its NUTS 2 regions with `shown_level` 1, and the hover says so.
        """
        group = self._by_indicator[indicator]
        group = group[group["year"] == year].set_index("region")
        # Non-EU regions carry data in some tables, but the observatory maps the EU; they are context.
        nuts2 = self.regions.loc[self.nuts2_eu_drawn, ["code", "name", "country", "nuts1"]].copy()
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
        return nuts2

    @cached_property
    def _ranks(self) -> pd.DataFrame:
        """EU rank of every NUTS 2 value among the EU NUTS 2 regions of the same indicator and year."""
        v = self.values[(self.values["level"] == 2) & self.values["region"].isin(self.region_attributes.index)].copy()
        better_low = {i for i, m in self.indicators.items() if m.higher_is_better is False}
        sign = v["indicator"].map(lambda i: 1 if i in better_low else -1)
        v["key"] = v["value"] * sign
        v["rank"] = v.groupby(["indicator", "year"])["key"].rank(method="min").astype(int)
        v["of"] = v.groupby(["indicator", "year"])["key"].transform("size").astype(int)
        return v.set_index(["indicator", "year", "region"])[["rank", "of"]]

    @cached_property
    def _series_by_region(self) -> dict:
        """region -> indicator -> [(year, value, flag)], sorted by year: the panel's one lookup."""
        out: dict = {}
        ordered = self.values.sort_values("year")
        for (region, indicator), group in ordered.groupby(["region", "indicator"], sort=False):
            out.setdefault(region, {})[indicator] = list(zip(group["year"].astype(int), group["value"].astype(float),
                                                             group["flag"]))
        return out

    @cached_property
    def _rank_lookup(self) -> dict:
        return {key: (int(r), int(o)) for key, r, o in zip(self._ranks.index, self._ranks["rank"], self._ranks["of"])}

    @cached_property
    def _eu_lookup(self) -> dict:
        return {(i, int(y)): float(v) for i, y, v in zip(self.eu_reference["indicator"], self.eu_reference["year"],
                                                          self.eu_reference["value"])}

    def region_profile(self, code: str) -> list[dict]:
        """Latest value of every indicator for a region, with EU rank, index EU = 100 and its series.

        A region without its own value shows its nearest parent's (a NUTS 3 region its NUTS 2,
        a region reported only through NUTS 1 its NUTS 1), named in `region_shown`; the rank is
        the parent's among NUTS 2 regions when the parent is one.
        """
        parents = [code[:n] for n in (4, 3) if len(code) > n]

        def compute():
            rows = []
            own = self._series_by_region.get(code, {})
            for indicator, meta in self.indicators.items():
                series, shown = own.get(indicator), code
                for parent in parents if not series else ():
                    if indicator in self._series_by_region.get(parent, {}):
                        series, shown = self._series_by_region[parent][indicator], parent
                        break
                row = {"indicator": indicator, "label": meta.label, "unit": meta.unit, "decimals": meta.decimals,
                       "value": None, "year": None, "flag": "", "region_shown": None, "rank": None, "of": None,
                       "index": None, "series": []}
                if series:
                    year, value, flag = series[-1]
                    row.update(value=value, year=year, flag=flag, region_shown=shown,
                               series=[(y, v) for y, v, _ in series])
                    rank = self._rank_lookup.get((indicator, year, shown))
                    if rank:
                        row.update(rank=rank[0], of=rank[1])
                    eu = self._eu_lookup.get((indicator, year))
                    if eu:
                        row["index"] = round(100 * value / eu, 1)
                rows.append(row)
            return rows
        return self.memo(("profile", code), compute)

    def ris_group_of(self, code: str) -> tuple[str | None, str | None]:
        """(RIS 2023 group, the region it is published for): the region's own or its nearest parent's."""
        for candidate in dict.fromkeys((code, code[:4], code[:3], code[:2])):
            if candidate in self.ris_groups.index:
                return str(self.ris_groups.loc[candidate, "group"]), candidate
        return None, None

    def ris_group(self, code: str) -> str | None:
        return self.ris_group_of(code)[0]

    @cached_property
    def strategy_territories(self) -> set[str]:
        """Every NUTS code that is the territory of a recorded strategy (with or without a list)."""
        codes = pd.concat([self.strategies["territory"], self.unlisted["territory"]]).str.split().explode()
        return set(codes.dropna())

    # ---- filters -------------------------------------------------------------------------
    @cached_property
    def eu_countries(self) -> list[str]:
        r = self.regions
        return sorted(r.loc[(r["level"] == 0) & r["eu"], "code"].tolist())

    @cached_property
    def partnership_names(self) -> list[str]:
        return sorted(self.partnerships["partnership"].unique().tolist())

    @cached_property
    def region_attributes(self) -> pd.DataFrame:
        """EU NUTS 2 regions (incl. those without geometry) with what the filters need.

        Cohesion-policy category from GDP per inhabitant in PPS, % of EU27 average, mean of
        2015-2017 (the reference years of the 2021-2027 allocation): less developed < 75,
        transition 75-100, more developed > 100 (Regulation (EU) 2021/1060, Art. 108).
        """
        r = self.regions
        nuts2 = r[(r["level"] == 2) & r["eu"]][["code", "name", "country", "nuts1", "has_geometry"]].copy()
        gdp = self.values[(self.values["indicator"] == "gdp_pps_hab_eu") & self.values["year"].between(2015, 2017)]
        mean = gdp.groupby("region")["value"].agg(["mean", "size"])
        nuts2["gdp_eu_2015_2017"] = mean["mean"].where(mean["size"] == 3).reindex(nuts2.index).astype(float)
        nuts2["category"] = pd.cut(nuts2["gdp_eu_2015_2017"], [-1, 75, 100, 1e9], right=False,
                                   labels=["less", "transition", "more"]).astype("object")
        nuts2["ris_group"] = [self.ris_group(code) for code in nuts2.index]
        members = self.partnerships[self.partnerships["nuts_code"] != ""]
        member_map: dict[str, set[str]] = {}
        for name, code in zip(members["partnership"], members["nuts_code"]):
            for region in nuts2.index[nuts2.index.str.startswith(code) | (nuts2.index == code[:4])]:
                member_map.setdefault(region, set()).add(name)
        nuts2["partnerships"] = [sorted(member_map.get(code, ())) for code in nuts2.index]
        return nuts2

    def filter_regions(self, countries=(), ris=(), category=(), partnership=None) -> pd.Index:
        """NUTS 2 codes that pass every active filter (all EU NUTS 2 when none is active)."""
        a = self.region_attributes
        mask = pd.Series(True, index=a.index)
        if countries:
            mask &= a["country"].isin(countries)
        if ris:
            mask &= a["ris_group"].isin(ris)
        if category:
            mask &= a["category"].isin(category)
        if partnership:
            mask &= a["partnerships"].map(lambda names: partnership in names)
        return a.index[mask.to_numpy()]

    # ---- priorities on the map -----------------------------------------------------------
    def has_code(self, code: str) -> bool:
        taxonomy, _, value = code.partition(":")
        return (taxonomy, value) in self._taxonomy_keys

    @cached_property
    def _taxonomy_keys(self) -> set:
        return set(zip(self.taxonomy["taxonomy"], self.taxonomy["code"]))

    @cached_property
    def in_force(self) -> pd.DataFrame:
        s = self.strategies
        return s[s["current"] & ~s["superseded"]]

    @cached_property
    def in_force_by_territory(self) -> pd.DataFrame:
        """One row per territory code of an in-force strategy: territory, territory_level, title."""
        rows = self.in_force[["territory", "title"]].assign(territory=self.in_force["territory"].str.split())
        rows = rows.explode("territory").dropna(subset=["territory"]).drop_duplicates("territory")
        return rows.assign(territory_level=rows["territory"].str.len() - 2).reset_index(drop=True)

    @cached_property
    def _on_map(self) -> pd.Series:
        """Which rows of priority_codes put their priority on the map: a person's codes (reviewed, else
        curated), else the coder's top proposal; a reviewed 'none fits' puts the priority under no code."""
        c = self.priority_codes
        return ((c["method"].isin(["reviewed", "curated"]) | (c["rank"] == 1)) & (c["code"] != "none")).astype(bool)

    @cached_property
    def map_codes(self) -> pd.DataFrame:
        """Codes used to put priorities on the map (`_on_map`)."""
        return self.priority_codes[self._on_map][["priority_id", "taxonomy", "code"]]

    def priority_ids_with_codes(self, codes) -> pd.Series:
        """priority_id of the map codes (`map_codes`) matching any of `codes` ("taxonomy:code"); a NACE
        section (nace:C) matches its divisions (C10...)."""
        c = self.map_codes
        selected = pd.Series(False, index=c.index)
        for code in codes:
            taxonomy, _, value = code.partition(":")
            section = taxonomy == "nace" and len(value) == 1
            selected |= (c["taxonomy"] == taxonomy) & (c["code"].str.startswith(value) if section else c["code"] == value)
        return c.loc[selected, "priority_id"]

    @lru_cache(maxsize=256)
    def priority_matches(self, codes: tuple[str, ...] = (), keyword: str = "") -> pd.DataFrame:
        """Per in-force strategy territory: how many of its priorities match the codes or keyword.

        A NACE section (C) matches its divisions (C10...). Columns: territory, level, strategy_id,
        title, matches, names.
        """
        columns = ["strategy_id", "matches", "names", "territory", "title", "level", "territory_level"]
        if not codes and not keyword:
            return pd.DataFrame(columns=columns)
        priorities = self.priorities[self.priorities["strategy_id"].isin(self.in_force["strategy_id"])]
        hit = pd.Series(False, index=priorities.index)
        if codes:
            hit |= priorities["priority_id"].isin(self.priority_ids_with_codes(codes))
        if keyword:
            hit |= keyword_hits(priorities, keyword)
        matched = priorities[hit]
        grouped = matched.groupby("strategy_id").agg(matches=("name", "size"), names=("name", lambda s: list(s)))
        strategies = self.in_force.set_index("strategy_id")[["territory", "title", "level"]]
        out = grouped.join(strategies, how="inner").reset_index()
        out = out.assign(territory=out["territory"].str.split()).explode("territory")
        out["territory_level"] = out["territory"].str.len() - 2
        return out.reset_index(drop=True)

    @cached_property
    def nuts2_with_current_strategy(self) -> set[str]:
        """EU NUTS 2 regions covered by an in-force strategy (own, NUTS 1, national or NUTS 3 within)."""
        return self.nuts2_covered_by(self.in_force["territory"].str.split().explode())

    def nuts2_covered_by(self, territories) -> set[str]:
        """EU NUTS 2 regions inside the given territories (a NUTS 3 territory: its NUTS 2 parent)."""
        nuts2 = self.region_attributes.index
        covered = set()
        for territory in territories:
            if len(territory) <= 4:
                covered |= set(nuts2[nuts2.str.startswith(territory)])
            else:
                covered.add(territory[:4])
        return covered

    # ---- strategies ----------------------------------------------------------------------
    @cached_property
    def _strategy_rows_by_territory(self) -> dict:
        return rows_by_territory(self.strategies)

    @cached_property
    def _unlisted_rows_by_territory(self) -> dict:
        return rows_by_territory(self.unlisted)

    def unlisted_for(self, code: str) -> pd.DataFrame:
        """Current strategies known to exist, without a sourced priority list, covering this region."""
        return self.unlisted.loc[rows_covering(self._unlisted_rows_by_territory, code)]

    @cached_property
    def nuts2_with_strategy_but_no_list(self) -> set[str]:
        """EU NUTS 2 regions whose only current strategy is one in the register (priorities not sourced)."""
        known = self.nuts2_covered_by(self.unlisted["territory"].str.split().explode().dropna())
        return known - self.nuts2_with_current_strategy

    def strategies_for(self, code: str) -> pd.DataFrame:
        """Strategies whose territory is this region or contains it (NUTS 2 -> its NUTS 1 and country)."""
        found = self.strategies.loc[rows_covering(self._strategy_rows_by_territory, code)].copy()
        found["territory_level"] = found["territory"].map(lambda t: min(len(c) for c in t.split()) - 2)
        found["in_force"] = found["current"] & ~found["superseded"]
        return found.sort_values(["in_force", "territory_level", "period_start"], ascending=[False, False, False])

    @cached_property
    def _priority_groups(self) -> dict:
        return {sid: group for sid, group in self.priorities.groupby("strategy_id", sort=False)}

    @cached_property
    def _labelled_codes(self) -> dict:
        # on_map: the code counts on the map and in exports of what the map shows
        codes = self.priority_codes.assign(on_map=self._on_map).merge(
            self.taxonomy[["taxonomy", "code", "label"]], on=["taxonomy", "code"], how="left")
        return {pid: group for pid, group in codes.groupby("priority_id", sort=False)}

    @cached_property
    def _priority_records(self) -> dict:
        return {sid: group.to_dict("records") for sid, group in self._priority_groups.items()}

    @cached_property
    def _code_records(self) -> dict:
        return {pid: group.to_dict("records") for pid, group in self._labelled_codes.items()}

    def priority_records(self, strategy_id: str) -> list[dict]:
        """A strategy's priorities, each with its codes (`codes`: list of dicts), as plain records."""
        return [{**p, "codes": self._code_records.get(p["priority_id"], [])}
                for p in self._priority_records.get(strategy_id, [])]

    def regional_strategies_in(self, country: str) -> pd.DataFrame:
        """In-force regional strategies of a country (territory, title)."""
        f = self.in_force
        return f[(f["country"] == country) & (f["level"] == "regional")]

    def national_strategy(self, country: str) -> dict | None:
        """The country's in-force national strategy as a record, or None."""
        f = self.in_force
        national = f[f["territory"] == country]
        return national.iloc[0].to_dict() if len(national) else None

    def priorities_of(self, strategy_id: str) -> pd.DataFrame:
        return self._priority_groups.get(strategy_id, self.priorities.iloc[0:0])


def keyword_hits(priorities: pd.DataFrame, keyword: str) -> pd.Series:
    """Which priorities have a word starting with `keyword` (any case) in their name or description."""
    pattern = r"(?<!\w)" + re.escape(keyword.strip())
    text = priorities["name"].fillna("") + " " + priorities["description"].fillna("")
    return pd.Series(text.str.contains(pattern, case=False, regex=True).to_numpy(dtype=bool), index=priorities.index)


def rows_by_territory(strategies: pd.DataFrame) -> dict:
    """NUTS code -> index labels of the strategies whose territory includes that code."""
    out: dict = {}
    for index, territory in zip(strategies.index, strategies["territory"]):
        for code in territory.split():
            out.setdefault(code, []).append(index)
    return out


def rows_covering(rows: dict, code: str) -> list:
    """Index labels of the strategies on this region or a territory containing it (its NUTS 2, NUTS 1, country)."""
    return sorted({i for n in range(2, len(code) + 1) for i in rows.get(code[:n], [])})


@lru_cache(maxsize=4)
def _load(folder: str) -> Dataset:
    return Dataset(Path(folder))


@lru_cache(maxsize=8)
def _version_folder(folder: str) -> str:
    """The version folder `folder` (the build's link) pointed to when this process first asked."""
    return str(Path(folder).resolve())


def get_dataset(folder: Path | None = None) -> Dataset:
    """The dataset for this process: the version the data link pointed to when it was first asked
    for. A process keeps serving that version whatever builds switch the link meanwhile (restart it
    to serve a newer one), and callbacks need not resolve the link on every request."""
    folder = config.data_dir() if folder is None else folder
    return _load(_version_folder(str(folder)))
