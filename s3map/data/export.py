"""Bulk downloads of the built dataset: a Frictionless Data Package (CSV) and Parquet, both zipped.

Each resource cites the publisher's dataset (code and address: Eurostat nama_10r_2gdp at the Eurostat
data browser), and the file it was read from (a mirror copy, with its checksum) only as such. The
Eurostat flags that occur in the values are explained in the package's `flags` resource.

Files are written on first request into the dataset's own folder (`downloads/`), so a rebuilt
dataset gets fresh downloads and a running app keeps serving the ones of the dataset it loaded.
No Dash here; frictionless itself is needed only to validate (tests), not to write.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import threading
import zipfile
from pathlib import Path

import pandas as pd

from s3map.data.csv_safe import neutralise_frame

EUROSTAT_FLAGS_URL = "https://ec.europa.eu/eurostat/web/main/data/database"
EUROSTAT_DATASET_URL = "https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"
EUROSTAT_REUSE_URL = "https://ec.europa.eu/eurostat/about-us/policies/copyright"
COMMISSION_REUSE_URL = "https://eur-lex.europa.eu/eli/dec/2011/833/oj"
S3_ATTRIBUTION = 's3map (S3 Observatory), compiled from the pages cited in each row'

# Eurostat's flags, as its database page lists them (observation and confidentiality status since
# 27 January 2025, and the earlier codes still found in older extracts).
EUROSTAT_FLAGS = {
    "b": "break in time series",
    "c": "confidential (code used before 27 January 2025; now C)",
    "C": "confidential",
    "d": "definition differs (see metadata)",
    "e": "estimated",
    "f": "forecast",
    "i": "value imputed by Eurostat or other receiving agencies (before 27 January 2025: s)",
    "m": "missing value, data cannot exist (before 27 January 2025: z)",
    "n": "not significant",
    "N": "not for publication",
    "p": "provisional",
    "P": "information under non-statistical secrecy arrangements",
    "r": "revised (code used in older extracts)",
    "s": "Eurostat estimate (code used before 27 January 2025; now i)",
    "u": "low reliability",
    "z": "not applicable (code used before 27 January 2025; now m)",
}

# Publishers' own pages for the sources that are not a Eurostat dataset with a code.
NON_EUROSTAT_SOURCES = {
    "rii": ("European Commission, DG Research and Innovation", "Regional Innovation Scoreboard 2023",
            "https://research-and-innovation.ec.europa.eu/statistics/performance-indicators/"
            "regional-innovation-scoreboard_en"),
    "rci": ("European Commission, DG Regional and Urban Policy", "EU Regional Competitiveness Index 2.0, 2022",
            "https://ec.europa.eu/regional_policy/information-sources/maps/regional-competitiveness_en"),
    "nace": ("Eurostat", "NACE Rev. 2 classification", "https://ec.europa.eu/eurostat/web/nace"),
    "nuts": ("Eurostat GISCO", "NUTS 2021",
             "https://ec.europa.eu/eurostat/web/gisco/geodata/statistical-units/territorial-units-statistics"),
}
SOURCE_KEYS = {"ris_2023": "rii", "rci_2022": "rci", "nace_rev2": "nace"}  # sources.toml id -> key above
DATASET_CODE = re.compile(r"\(([a-z][a-z0-9_]*\d[a-z0-9_]*)\)")  # nama_10r_2gdp, tgs00042, sbs_r_nuts2021

def eurostat_dataset_code(title: str) -> str | None:
    found = DATASET_CODE.findall(title or "")
    return found[-1] if found else None


def publisher_citation(source_id: str, title: str, publisher: str) -> dict:
    """Publisher, dataset and the publisher's address for one upstream source (not the mirror)."""
    if source_id in NON_EUROSTAT_SOURCES:
        name, dataset, url = NON_EUROSTAT_SOURCES[source_id]
        return {"publisher": name, "dataset": dataset, "url": url}
    code = eurostat_dataset_code(title)
    if publisher.startswith("Eurostat") and code:
        return {"publisher": "Eurostat", "dataset": code, "url": EUROSTAT_DATASET_URL.format(code=code)}
    return {"publisher": publisher.split(", via")[0].split("; ")[0], "dataset": title, "url": ""}


def indicator_citations(dataset) -> dict[str, dict]:
    """indicator id -> publisher, dataset code, publisher's address, licence, and where the file was read."""
    provenance = {p["id"]: p for p in json.loads((dataset.folder / "provenance.json").read_text(encoding="utf-8"))}
    out = {}
    for indicator, meta in dataset.indicators.items():
        record = provenance.get(indicator) or provenance.get("ris_2023" if indicator == "rii" else "", {})
        citation = publisher_citation(indicator, meta.source_title, meta.source)
        out[indicator] = {**citation, "citation": f"{citation['publisher']}, {citation['dataset']}",
                          "licence": meta.licence, "read_from": meta.source_url,
                          "read_from_sha256": record.get("sha256", "")}
    return out


def flags_table() -> pd.DataFrame:
    return pd.DataFrame([{"flag": k, "meaning": v, "source": EUROSTAT_FLAGS_URL} for k, v in EUROSTAT_FLAGS.items()])


# ---- the tables of the package --------------------------------------------------------------------

def _field(name, type_, description, **constraints):
    field = {"name": name, "type": type_, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _type_of(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _all_fields(frame: pd.DataFrame, described: dict[str, str], required: tuple[str, ...] = ()) -> list[dict]:
    """A field for every column of the table (new build columns are exported too), typed from the data."""
    return [_field(c, _type_of(frame[c]), described.get(c, c.replace("_", " ")),
                   **({"required": True} if c in required else {})) for c in frame.columns]


def package_tables(dataset) -> list[dict]:
    """Every resource: name, title, description, frame, fields, keys, sources, licences."""
    citations = indicator_citations(dataset)
    provenance = {p["id"]: p for p in json.loads((dataset.folder / "provenance.json").read_text(encoding="utf-8"))}
    eurostat_licence = {"title": "Eurostat reuse policy: reuse allowed with acknowledgement (Source: Eurostat)",
                        "path": EUROSTAT_REUSE_URL}
    commission_licence = {"title": "Commission reuse policy (Decision 2011/833/EU): reuse with acknowledgement",
                          "path": COMMISSION_REUSE_URL}
    s3_licence = {"title": f"Compiled facts; reuse with attribution to {S3_ATTRIBUTION}",
                  "path": "https://creativecommons.org/licenses/by/4.0/"}

    def source_of(source_id: str) -> dict:
        record = provenance[source_id]
        key = "nuts" if source_id.startswith("nuts_") else SOURCE_KEYS.get(source_id, source_id)
        citation = publisher_citation(key, record["title"], record["publisher"])
        return {"title": f"{citation['publisher']}: {citation['dataset']}", "path": citation["url"],
                "description": f"read from {record['url']} (sha256 {record['sha256']})"}

    values = dataset.values.copy()
    values["source"] = values["indicator"].map(lambda i: citations[i]["citation"])
    values["source_url"] = values["indicator"].map(lambda i: citations[i]["url"])
    values = values[["region", "level", "indicator", "year", "value", "unit", "flag", "source", "source_url", "note"]]
    indicator_sources = {}
    for meta in citations.values():
        indicator_sources[meta["url"]] = {"title": meta["citation"], "path": meta["url"],
                                          "description": f"read from {meta['read_from']}"}

    meta_rows = pd.DataFrame([{
        "indicator": i, "label": m.label, "unit": m.unit, "description": m.description, "decimals": m.decimals,
        "higher_is_better": m.higher_is_better, "publisher": citations[i]["publisher"],
        "dataset": citations[i]["dataset"], "publisher_url": citations[i]["url"], "licence": m.licence,
        "read_from": citations[i]["read_from"], "read_from_sha256": citations[i]["read_from_sha256"],
    } for i, m in dataset.indicators.items()])

    regions = dataset.regions.reset_index(drop=True)[
        ["code", "level", "country", "name", "name_native", "nuts1", "nuts2", "eu", "has_geometry",
         "outermost_without_geometry", "lon", "lat"]]
    ris = dataset.ris_groups.reset_index()[["region", "year", "group"]]
    strategies = dataset.strategies.drop(columns=["file"])
    unlisted = dataset.unlisted
    priorities = dataset.priorities.drop(columns=["file"])
    codes = dataset.priority_codes
    rci = dataset.rci
    manufacturing = dataset.manufacturing
    region_fk = {"fields": "region", "reference": {"resource": "regions", "fields": "code"}}
    return [
        dict(name="regions", title="NUTS 2021 regions", frame=regions, primary_key=["code"],
             description="Every NUTS 2021 region of levels 0-3 in the geometry: code, Latin and native names, parent codes.",
             fields=[_field("code", "string", "NUTS 2021 code", required=True),
                     _field("level", "integer", "NUTS level (0 = country)", minimum=0, maximum=3),
                     _field("country", "string", "two-letter country code (NUTS: EL = Greece)"),
                     _field("name", "string", "name in Latin script"),
                     _field("name_native", "string", "name in its own script and language"),
                     _field("nuts1", "string", "NUTS 1 parent (empty for a country)"),
                     _field("nuts2", "string", "NUTS 2 parent or itself (levels 2-3)"),
                     _field("eu", "boolean", "in an EU member state"),
                     _field("has_geometry", "boolean", "drawn on the map (has a boundary in the build)"),
                     _field("outermost_without_geometry", "boolean", "outermost region with no boundary yet"),
                     _field("lon", "number", "label point longitude (EPSG:4326)"),
                     _field("lat", "number", "label point latitude (EPSG:4326)")],
             sources=[source_of("nuts_rg_2"), source_of("nuts_pt_2")],
             licenses=[{"title": provenance["nuts_rg_2"]["licence"],
                        "path": "https://ec.europa.eu/eurostat/web/gisco/geodata/administrative-units"}]),
        dict(name="indicators", title="Regional indicators, tidy (one value per region, indicator and year)",
             frame=values, primary_key=["region", "indicator", "year"], foreign_keys=[region_fk],
             description="Values as published, harmonised to NUTS 2021 codes (note says when a value was mapped). "
                         "flag: one or more Eurostat flag letters, each explained in the flags resource; empty = none.",
             fields=[_field("region", "string", "NUTS 2021 code", required=True),
                     _field("level", "integer", "NUTS level"),
                     _field("indicator", "string", "indicator id (see indicator_metadata)", required=True),
                     _field("year", "integer", "reference year", required=True),
                     _field("value", "number", "value in the unit given"),
                     _field("unit", "string", "unit of the value"),
                     _field("flag", "string", "Eurostat flag letters (see flags)"),
                     _field("source", "string", "publisher and dataset code"),
                     _field("source_url", "string", "the publisher's address of the dataset"),
                     _field("note", "string", "harmonisation note (NUTS 2024 code mapped back), else empty")],
             sources=list(indicator_sources.values()), licenses=[eurostat_licence, commission_licence]),
        dict(name="indicator_metadata", title="Indicator metadata and sources", frame=meta_rows,
             primary_key=["indicator"],
             description="One row per indicator: label, unit, publisher dataset and address, licence, and the "
                         "file the build read (a copy of the publisher's file) with its SHA-256.",
             fields=[_field("indicator", "string", "indicator id", required=True),
                     _field("label", "string", "label"), _field("unit", "string", "unit"),
                     _field("description", "string", "definition"),
                     _field("decimals", "integer", "decimals the app shows"),
                     _field("higher_is_better", "boolean", "direction of the EU rank (empty: no ranking direction)"),
                     _field("publisher", "string", "publisher"),
                     _field("dataset", "string", "publisher's dataset code or name"),
                     _field("publisher_url", "string", "publisher's address of the dataset"),
                     _field("licence", "string", "reuse terms"),
                     _field("read_from", "string", "address of the copy the build read"),
                     _field("read_from_sha256", "string", "SHA-256 of that file")],
             sources=list(indicator_sources.values()), licenses=[eurostat_licence, commission_licence]),
        dict(name="flags", title="Eurostat flags", frame=flags_table(), primary_key=["flag"],
             description="Meaning of each Eurostat flag letter, after Eurostat's database page "
                         f"({EUROSTAT_FLAGS_URL}, section 'Flags').",
             fields=[_field("flag", "string", "flag letter", required=True),
                     _field("meaning", "string", "meaning"), _field("source", "string", "where it is defined")],
             sources=[{"title": "Eurostat: database, flags and special values", "path": EUROSTAT_FLAGS_URL}],
             licenses=[eurostat_licence]),
        dict(name="eu_reference", title="EU27 reference values", frame=dataset.eu_reference,
             primary_key=["indicator", "year"],
             description="The EU27 value of an indicator and year where the source publishes one (index EU = 100).",
             fields=[_field("indicator", "string", "indicator id", required=True),
                     _field("year", "integer", "year", required=True), _field("value", "number", "EU27 value")],
             sources=list(indicator_sources.values()), licenses=[eurostat_licence]),
        dict(name="ris_groups", title="Regional Innovation Scoreboard 2023 performance groups", frame=ris,
             primary_key=["region"], foreign_keys=[region_fk],
             description="RIS 2023 group of each region scored (some countries at NUTS 1).",
             fields=[_field("region", "string", "NUTS code", required=True), _field("year", "integer", "edition"),
                     _field("group", "string", "Leader, Strong, Moderate or Emerging innovator")],
             sources=[source_of("ris_2023")], licenses=[commission_licence]),
        dict(name="strategies", title="Smart specialisation strategies", frame=strategies,
             primary_key=["strategy_id"],
             description="One row per strategy (national or regional) with its territory, period, status and the "
                         "pages that state it. current and not superseded = in force.",
             fields=_all_fields(strategies, {
                 "strategy_id": "id", "country": "country code", "level": "national or regional",
                 "territory": "NUTS codes covered, space-separated", "region_name": "name of the territory",
                 "title": "strategy title", "period": "programming period as stated",
                 "document_url": "strategy document", "source_urls": "pages that state it, ' | '-separated",
                 "retrieved": "date the pages were read", "completeness": "full or partial list of priorities",
                 "secondary_share": "share of priorities from secondary sources", "priorities": "number of priorities",
                 "period_start": "first year", "period_end": "last year",
                 "status": "status by date (data/s3/SCHEMA.md): in force, not yet in force, draft, superseded, "
                           "expired, history", "status_as_of": "the reference date of the status",
                 "in_force": "the one list in force for its territory",
                 "current": "older readers: covers the current period", "superseded": "older readers: replaced"},
                 required=("strategy_id",)),
             sources=[{"title": S3_ATTRIBUTION, "path": "https://s3platform.jrc.ec.europa.eu/"}],
             licenses=[s3_licence]),
        dict(name="strategies_without_list", title="Current strategies whose priorities are not yet sourced",
             frame=unlisted, primary_key=["strategy_id"],
             description="Register of strategies known to exist (pages cited) without a sourced priority list.",
             fields=_all_fields(unlisted, {}, required=("strategy_id",)),
             sources=[{"title": S3_ATTRIBUTION, "path": "https://s3platform.jrc.ec.europa.eu/"}],
             licenses=[s3_licence]),
        dict(name="priorities", title="S3 priorities", frame=priorities, primary_key=["priority_id"],
             foreign_keys=[{"fields": "strategy_id", "reference": {"resource": "strategies", "fields": "strategy_id"}}],
             description="One row per priority of a strategy, with the page it was read from and whether that page "
                         "is the official one or a secondary source.",
             fields=_all_fields(priorities, {
                 "priority_id": "id", "strategy_id": "strategy", "name": "priority name",
                 "description": "description", "note": "compiler's note", "source_url": "source pages",
                 "source_type": "official or secondary",
                 "caveats": "'|'-separated: partial, secondary, draft, period_inferred"},
                 required=("priority_id", "strategy_id")),
             sources=[{"title": S3_ATTRIBUTION, "path": "https://s3platform.jrc.ec.europa.eu/"}],
             licenses=[s3_licence]),
        dict(name="priority_codes", title="Taxonomy codes of the priorities", frame=codes,
             primary_key=["priority_id", "taxonomy", "code", "method"],
             foreign_keys=[{"fields": "priority_id", "reference": {"resource": "priorities", "fields": "priority_id"}}],
             description="NACE Rev.2, NABS 2007 and SDG codes of each priority. method: reviewed (checked by a "
                         "person), curated (the hand-coded evaluation sample) or coder (proposed by the project's "
                         "text coder, with score and rank); a reviewed code 'none' means no code of the taxonomy "
                         "fits.",
             fields=_all_fields(codes, {
                 "priority_id": "priority", "taxonomy": "nace, nabs or sdg", "code": "code in that taxonomy",
                 "method": "reviewed, curated or coder", "score": "coder's score (empty for a person's code)",
                 "rank": "rank among the priority's codes of that taxonomy",
                 "reason": "the reviewer's reason (reviewed only)"},
                 required=("priority_id", "taxonomy", "code", "method")),
             sources=[{"title": S3_ATTRIBUTION, "path": "https://s3platform.jrc.ec.europa.eu/"}],
             licenses=[s3_licence]),
        dict(name="taxonomy", title="Taxonomies (NACE Rev.2 sections and divisions, NABS 2007, SDGs)",
             frame=dataset.taxonomy.drop(columns=["text"], errors="ignore"), primary_key=["taxonomy", "code"],
             description="Codes and labels of the three taxonomies used to code priorities.",
             fields=[_field("taxonomy", "string", "nace, nabs or sdg", required=True),
                     _field("code", "string", "code", required=True), _field("label", "string", "label"),
                     _field("parent", "string", "parent code")],
             sources=[source_of("nace_rev2"), source_of("nabs_2007")], licenses=[eurostat_licence]),
        dict(name="partnerships", title="S3 thematic partnerships", frame=dataset.partnerships,
             description="Members of the S3 Platform's thematic partnerships, with the page that lists them.",
             fields=[_field(c, "string", c.replace("_", " ")) for c in dataset.partnerships.columns],
             sources=[{"title": "European Commission JRC, S3 Platform thematic partnerships",
                       "path": "https://s3platform.jrc.ec.europa.eu/"}], licenses=[commission_licence]),
        dict(name="rci_2022", title="Regional Competitiveness Index 2022, raw indicators", frame=rci,
             primary_key=["region", "variable"], foreign_keys=[region_fk],
             description="The raw indicators of the RCI 2.0 (2022) used for the structural peers.",
             fields=[_field("region", "string", "NUTS 2 code", required=True),
                     _field("variable", "string", "RCI variable", required=True),
                     _field("dimension", "string", "peer dimension"), _field("value", "number", "value"),
                     _field("note", "string", "note")],
             sources=[source_of("rci_2022")], licenses=[commission_licence]),
        dict(name="manufacturing_employment", title="Persons employed in manufacturing divisions, 2022",
             frame=manufacturing, primary_key=["region", "nace"], foreign_keys=[region_fk],
             description="Persons employed in local units by NACE division C10-C33 and the total C, NUTS 2, 2022 "
                         "(empty: confidential or not available).",
             fields=[_field("region", "string", "NUTS code", required=True),
                     _field("nace", "string", "NACE Rev.2 code", required=True),
                     _field("employment", "number", "persons employed")],
             sources=[source_of("manufacturing_employment")], licenses=[eurostat_licence]),
    ]


# ---- writing ---------------------------------------------------------------------------------------

FRICTIONLESS_TYPES = {"string", "integer", "number", "boolean"}


def _csv_bytes(frame: pd.DataFrame, fields: list[dict]) -> bytes:
    out = frame[[f["name"] for f in fields]].copy()
    for f in fields:
        column = out[f["name"]]
        if f["type"] == "boolean":
            out[f["name"]] = column.map(lambda v: "" if pd.isna(v) else ("true" if v else "false"))
        elif f["type"] == "integer":
            out[f["name"]] = pd.to_numeric(column, errors="coerce").astype("Int64")
    return neutralise_frame(out).to_csv(index=False, lineterminator="\n").encode("utf-8")


def datapackage_descriptor(dataset, tables: list[dict]) -> dict:
    build = json.loads((dataset.folder / "build.json").read_text(encoding="utf-8")) \
        if (dataset.folder / "build.json").is_file() else {}
    resources = []
    for t in tables:
        schema = {"fields": t["fields"]}
        if t.get("primary_key"):
            schema["primaryKey"] = t["primary_key"]
        if t.get("foreign_keys"):
            schema["foreignKeys"] = t["foreign_keys"]
        resources.append({
            "name": t["name"], "path": f"data/{t['name']}.csv", "profile": "tabular-data-resource",
            "title": t["title"], "description": t["description"], "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
            "schema": schema, "sources": t["sources"], "licenses": t["licenses"]})
    return {
        "profile": "tabular-data-package",
        "name": "s3map-s3-observatory",
        "title": "S3 Observatory: Smart Specialisation Strategies and regional indicators (NUTS 2021)",
        "description": "The whole built dataset of s3map. Text cells that begin with =, +, - or @ are prefixed "
                       "with an apostrophe so that spreadsheets do not run them as formulas.",
        "version": (dataset.folder / "fingerprint").read_text().strip()[:12],
        "created": build.get("built_at") or build.get("built") or None,
        "licenses": [{"title": "Per resource: Eurostat and Commission reuse policies, GISCO terms for boundaries, "
                               f"attribution to {S3_ATTRIBUTION} for the S3 tables",
                      "path": EUROSTAT_REUSE_URL}],
        "sources": [{"title": "Eurostat", "path": "https://ec.europa.eu/eurostat"},
                    {"title": "European Commission, S3 Platform", "path": "https://s3platform.jrc.ec.europa.eu/"}],
        "resources": resources,
    }


def write_datapackage(dataset, folder: Path) -> Path:
    """The package unzipped (datapackage.json + data/*.csv) into folder; returns datapackage.json."""
    tables = package_tables(dataset)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for t in tables:
        (folder / "data" / f"{t['name']}.csv").write_bytes(_csv_bytes(t["frame"], t["fields"]))
    descriptor = datapackage_descriptor(dataset, tables)
    descriptor = {k: v for k, v in descriptor.items() if v is not None}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def _zip_folder(folder: Path, target: Path, prefix: str) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{prefix}/{path.relative_to(folder).as_posix()}")


def _parquet_zip(dataset, target: Path) -> None:
    tables = package_tables(dataset)
    descriptor = datapackage_descriptor(dataset, tables)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:  # parquet is compressed already
        for t in tables:
            buffer = io.BytesIO()
            frame = t["frame"][[f["name"] for f in t["fields"]]]
            frame.to_parquet(buffer, index=False)
            archive.writestr(f"s3map-parquet/{t['name']}.parquet", buffer.getvalue())
        readme = {"description": "One Parquet file per table; the table schemas, sources and licences are those "
                                 "of the Data Package (datapackage.json, CSV edition).",
                  "resources": [{k: r[k] for k in ("name", "title", "description", "schema", "sources", "licenses")}
                                for r in descriptor["resources"]]}
        archive.writestr("s3map-parquet/metadata.json", json.dumps(readme, indent=1, ensure_ascii=False))


DOWNLOADS = {"datapackage.zip": "csv", "parquet.zip": "parquet"}
_lock = threading.Lock()


def download_path(dataset, name: str) -> Path:
    """The zip for `name` (datapackage.zip or parquet.zip), written once per dataset folder."""
    if name not in DOWNLOADS:
        raise KeyError(name)
    folder = Path(dataset.folder) / "downloads"
    target = folder / name
    with _lock:
        if target.is_file():
            return target
        folder.mkdir(exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        os.close(fd)
        try:
            if DOWNLOADS[name] == "csv":
                with tempfile.TemporaryDirectory(dir=folder) as staging:
                    write_datapackage(dataset, Path(staging))
                    _zip_folder(Path(staging), Path(temporary), "s3map-datapackage")
            else:
                _parquet_zip(dataset, Path(temporary))
            os.chmod(temporary, 0o644)  # mkstemp makes it private; it is a public download
            os.replace(temporary, target)  # atomic: a reader never sees half a zip
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return target
