"""S3 strategies, priorities, taxonomy codes and partnerships: schema, validation, build step.

The project's curated data (data/s3/) is kept flat, one row per priority, in the same columns a
user imports (see data/s3/SCHEMA.md). The build normalises it into strategies and priorities
tables, validates every row and codes every priority on the three taxonomies.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd

from s3map import config
from s3map.data.errors import BuildError

REQUIRED_COLUMNS = ["country", "nuts_code", "region_name", "strategy_title", "period", "level",
                    "priority_name", "source_url", "completeness"]
OPTIONAL_COLUMNS = ["priority_description", "priority_note", "source_type", "document_url", "retrieved"]
LEVELS = {"national", "regional"}
COMPLETENESS = {"full", "partial"}
SOURCE_TYPES = {"official", "secondary", "draft"}
PERIOD_PATTERN = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{4})$")
UNSTATED_PERIOD = "not stated on page"
# A list is "current" when the strategy's horizon reaches the 2021-2027 programming period's
# later years; 2014-2020 (and other lists ending by 2021) are history.
CURRENT_FROM_END_YEAR = 2025


def priorities_dir() -> Path:
    return config.curated_dir() / "priorities"


def period_bounds(period: str) -> tuple[int | None, int | None]:
    match = PERIOD_PATTERN.match(period or "")
    if not match:
        return None, None
    return int(match["start"]), int(match["end"])


def is_current(period: str) -> bool:
    _, end = period_bounds(period)
    return end is not None and end >= CURRENT_FROM_END_YEAR


def territories(nuts_code: str) -> list[str]:
    return [code for code in re.split(r"[;,\s]+", nuts_code.strip()) if code]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def strategy_id(nuts_code: str, period: str, title: str) -> str:
    start, _ = period_bounds(period)
    digest = hashlib.sha1(f"{nuts_code}|{period}|{title}".encode()).hexdigest()[:4]
    return f"{'-'.join(territories(nuts_code))}-{start or 'x'}-{digest}"


def read_table(path: Path, required: list[str], optional: list[str]) -> pd.DataFrame:
    """A curated or uploaded table (CSV or XLSX) as stripped strings with the given columns."""
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            frame = pd.read_excel(path, dtype=str, engine="calamine").fillna("")
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # a corrupt upload can raise many different errors
        raise BuildError(path.name, f"cannot be read as a CSV or XLSX table ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BuildError(path.name, f"missing column(s): {', '.join(missing)}")
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[required + optional].apply(lambda s: s.astype(str).str.strip())
    frame["source_type"] = frame["source_type"].replace("", "official")
    return frame


def read_flat(path: Path) -> pd.DataFrame:
    """A flat priority table (CSV or XLSX) as strings, with the spreadsheet row number of each row."""
    frame = read_table(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    frame["file"] = path.name
    frame["row"] = range(2, len(frame) + 2)
    return frame


def strategy_problems(row, known_regions: set[str], required: list[str]) -> list[str]:
    """What is wrong with the strategy fields of a row (territory, level, period, sources)."""
    problems = [f"{column} is empty" for column in required if not row[column]]
    codes = territories(row["nuts_code"])
    for code in codes:
        if code not in known_regions:
            problems.append(f"territory {code!r} is not a NUTS 2021 code")
        elif code[:2] != row["country"]:
            problems.append(f"territory {code} is not in country {row['country']!r}")
    if row["level"] and row["level"] not in LEVELS:
        problems.append(f"level {row['level']!r} is not national or regional")
    if row["level"] == "national" and codes and any(len(code) != 2 for code in codes):
        problems.append("a national strategy's territory must be a country code")
    if row["period"] and row["period"] != UNSTATED_PERIOD:
        start, end = period_bounds(row["period"])
        if start is None or not (1990 <= start <= end <= 2060):
            problems.append(f"period {row['period']!r} is not YYYY-YYYY or {UNSTATED_PERIOD!r}")
    if row["source_type"] not in SOURCE_TYPES:
        problems.append(f"source_type {row['source_type']!r} is not official, secondary or draft")
    urls = [u.strip() for u in row["source_url"].split("|") if u.strip()]
    if row["source_url"] and not all(u.startswith(("http://", "https://")) for u in urls):
        problems.append("source_url must be one or more http(s) addresses separated by |")
    if row["document_url"] and not row["document_url"].startswith(("http://", "https://")):
        problems.append("document_url must be an http(s) address")
    return problems


def row_problems(row: pd.Series, known_regions: set[str]) -> list[str]:
    """Everything wrong with one flat priority row (empty list when it is valid)."""
    problems = strategy_problems(row, known_regions, REQUIRED_COLUMNS)
    if row["completeness"] and row["completeness"] not in COMPLETENESS:
        problems.append(f"completeness {row['completeness']!r} is not full or partial")
    return problems


def validate_flat(frame: pd.DataFrame, known_regions: set[str]) -> list[tuple[str, int, str]]:
    """(file, row, reason) for every bad row, including duplicate priorities."""
    errors = []
    for _, row in frame.iterrows():
        for problem in row_problems(row, known_regions):
            errors.append((row["file"], int(row["row"]), problem))
    keys = frame["nuts_code"] + "|" + frame["period"] + "|" + frame["strategy_title"] + "|" + frame["priority_name"].str.lower()
    for _, row in frame[keys.duplicated()].iterrows():
        errors.append((row["file"], int(row["row"]), f"duplicate priority {row['priority_name']!r} in this strategy"))
    return errors


def normalise(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flat rows -> (strategies, priorities)."""
    frame = frame.copy()
    frame["strategy_id"] = [strategy_id(n, p, t) for n, p, t in
                            zip(frame["nuts_code"], frame["period"], frame["strategy_title"])]
    grouped = frame.groupby("strategy_id", sort=False)
    strategies = grouped.agg(
        country=("country", "first"), level=("level", "first"), territory=("nuts_code", "first"),
        region_name=("region_name", "first"), title=("strategy_title", "first"), period=("period", "first"),
        document_url=("document_url", lambda s: next((u for u in s if u), "")),
        source_urls=("source_url", lambda s: " | ".join(dict.fromkeys(u.strip() for v in s for u in v.split("|") if u.strip()))),
        retrieved=("retrieved", lambda s: next((u for u in s if u), "")),
        completeness=("completeness", lambda s: "full" if (s == "full").all() else "partial"),
        secondary_share=("source_type", lambda s: round(float((s != "official").mean()), 2)),
        priorities=("priority_name", "size"),
        file=("file", "first"),
    ).reset_index()
    strategies["territory"] = strategies["territory"].map(lambda n: " ".join(territories(n)))
    strategies["period_start"] = strategies["period"].map(lambda p: period_bounds(p)[0]).astype("Int64")
    strategies["period_end"] = strategies["period"].map(lambda p: period_bounds(p)[1]).astype("Int64")
    strategies["current"] = strategies["period"].map(is_current)
    strategies["superseded"] = superseded(strategies)
    priorities = pd.DataFrame({
        "priority_id": frame["strategy_id"] + "/" + frame["priority_name"].map(slug),
        "strategy_id": frame["strategy_id"],
        "name": frame["priority_name"],
        "description": frame["priority_description"],
        "note": frame["priority_note"],
        "source_url": frame["source_url"],
        "source_type": frame["source_type"],
        "file": frame["file"],
        "row": frame["row"],
    })
    return strategies, priorities


def superseded(strategies: pd.DataFrame) -> pd.Series:
    """A current list is superseded when the same territory has a complete current list that starts
    later (a partial newer list does not hide a fuller older one; both stay shown)."""
    complete = strategies[strategies["current"] & (strategies["completeness"] == "full")]
    latest_start = complete.groupby("territory")["period_start"].max()
    later = strategies["territory"].map(latest_start)
    return (strategies["current"] & later.notna() & (strategies["period_start"] < later)).astype(bool)


def load_curated(known_regions: set[str], folder: Path | None = None) -> pd.DataFrame:
    folder = priorities_dir() if folder is None else folder
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise BuildError(str(folder), "no curated priority tables (*.csv)")
    frame = pd.concat([read_flat(path) for path in files], ignore_index=True)
    errors = validate_flat(frame, known_regions)
    if errors:
        file, row, reason = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise BuildError(file, reason + more, row=row)
    return frame


UNLISTED_FILE = "strategies_without_list.csv"
UNLISTED_REQUIRED = ["country", "nuts_code", "region_name", "strategy_title", "period", "level", "source_url", "note"]
UNLISTED_OPTIONAL = ["source_type", "document_url", "retrieved"]
UNLISTED_COLUMNS = ["strategy_id", "country", "level", "territory", "region_name", "title", "period", "period_start",
                    "period_end", "document_url", "source_urls", "source_type", "note", "retrieved"]


def load_unlisted(known_regions: set[str], strategies: pd.DataFrame,
                  path: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Current strategies a page shows to exist but whose priorities no page we could read lists.

    They are kept apart from the priority tables (no row there may lack a priority) and shown as
    gaps: 'priorities not yet sourced'. A row whose territory has a current list (found later, or
    imported by a user) is superseded by it: left out, and its territory returned for the build log.
    """
    path = config.curated_dir() / UNLISTED_FILE if path is None else path
    if not path.is_file():
        return pd.DataFrame(columns=UNLISTED_COLUMNS), []
    frame = read_table(path, UNLISTED_REQUIRED, UNLISTED_OPTIONAL)
    listed = set(strategies.loc[strategies["current"], "territory"])
    for index, row in frame.iterrows():
        problems = strategy_problems(row, known_regions, UNLISTED_REQUIRED)
        if row["period"] and not is_current(row["period"]):
            problems.append(f"period {row['period']!r} is not a current one (ending {CURRENT_FROM_END_YEAR} or later)")
        if problems:
            raise BuildError(path.name, problems[0], row=index + 2)
    territory = frame["nuts_code"].map(lambda n: " ".join(territories(n)))
    superseded_rows = territory.isin(listed)
    superseded_territories = sorted(territory[superseded_rows])
    frame, territory = frame[~superseded_rows], territory[~superseded_rows]
    bounds = frame["period"].map(period_bounds)
    unlisted = pd.DataFrame({
        "strategy_id": [strategy_id(n, p, t) for n, p, t in zip(frame["nuts_code"], frame["period"], frame["strategy_title"])],
        "country": frame["country"], "level": frame["level"], "territory": territory,
        "region_name": frame["region_name"], "title": frame["strategy_title"], "period": frame["period"],
        "period_start": bounds.map(lambda b: b[0]).astype("Int64"), "period_end": bounds.map(lambda b: b[1]).astype("Int64"),
        "document_url": frame["document_url"], "source_urls": frame["source_url"], "source_type": frame["source_type"],
        "note": frame["note"], "retrieved": frame["retrieved"],
    })[UNLISTED_COLUMNS]
    return unlisted, superseded_territories


def build_strategies(regions: pd.DataFrame, paths: dict[str, Path], out: Path) -> dict:
    known = set(regions["code"])
    flat = load_curated(known)
    strategies, priorities = normalise(flat)
    unlisted, register_superseded = load_unlisted(known, strategies)
    from s3map.data import taxonomy  # the coder and code lists
    codes = taxonomy.code_priorities(priorities, paths)
    partnerships = load_partnerships(known)
    strategies.to_parquet(out / "strategies.parquet", index=False)
    unlisted.to_parquet(out / "strategies_unlisted.parquet", index=False)
    priorities.drop(columns=["row"]).to_parquet(out / "priorities.parquet", index=False)
    codes.to_parquet(out / "priority_codes.parquet", index=False)
    partnerships.to_parquet(out / "partnerships.parquet", index=False)
    taxonomy.code_lists(paths).to_parquet(out / "taxonomy.parquet", index=False)
    return {"strategies": len(strategies), "priorities": len(priorities), "register_superseded": register_superseded}


PARTNERSHIP_COLUMNS = ["platform", "partnership", "region_name", "country", "nuts_code", "role", "source_url", "note"]


def load_partnerships(known_regions: set[str]) -> pd.DataFrame:
    path = config.curated_dir() / "partnerships.csv"
    if not path.is_file():
        return pd.DataFrame(columns=PARTNERSHIP_COLUMNS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in PARTNERSHIP_COLUMNS if c not in frame.columns]
    if missing:
        raise BuildError(path.name, f"missing column(s): {', '.join(missing)}")
    for index, row in frame.iterrows():
        if row["nuts_code"] and row["nuts_code"] not in known_regions:
            raise BuildError(path.name, f"region {row['nuts_code']!r} is not a NUTS 2021 code", row=index + 2)
        if not row["source_url"].startswith(("http://", "https://")):
            raise BuildError(path.name, "source_url must be an http(s) address", row=index + 2)
    return frame[PARTNERSHIP_COLUMNS]


def strategy_summary(strategies: pd.DataFrame, priorities: pd.DataFrame, codes: pd.DataFrame,
                     unlisted: pd.DataFrame | None = None) -> dict:
    """The `s3` block of `python -m s3map.data stats`. Strategy counts are of strategies with a
    priority list; `strategies_current_without_list` counts those known only to exist."""
    coded = codes.drop_duplicates(["priority_id", "taxonomy", "code"]) if len(codes) else codes
    total_codes = max(len(coded), 1)
    return {
        "strategies_total": int(len(strategies)),
        "strategies_national": int((strategies["level"] == "national").sum()),
        "strategies_regional": int((strategies["level"] == "regional").sum()),
        "strategies_current": int((strategies["current"] & ~strategies["superseded"]).sum()),
        "strategies_superseded": int(strategies["superseded"].sum()),
        "strategies_history": int((~strategies["current"]).sum()),
        "territories_with_current_list": int(strategies.loc[strategies["current"], "territory"].nunique()),
        "priorities_total": int(len(priorities)),
        "priorities_with_source_share": round(float((priorities["source_url"].str.startswith("http")).mean()), 4),
        "priorities_secondary_source_share": round(float((priorities["source_type"] != "official").mean()), 4),
        "codes_curated_share": round(float((coded["method"] == "curated").sum() / total_codes), 4) if len(coded) else 0.0,
        "codes_coder_share": round(float((coded["method"] == "coder").sum() / total_codes), 4) if len(coded) else 0.0,
        "codes_per_taxonomy": {k: int(v) for k, v in coded.groupby("taxonomy").size().items()} if len(coded) else {},
        "countries_covered": sorted(strategies.loc[strategies["current"], "country"].unique().tolist()),
        "strategies_current_without_list": 0 if unlisted is None else int(len(unlisted)),
    }
