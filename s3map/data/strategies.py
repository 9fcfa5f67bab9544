"""S3 strategies, priorities, taxonomy codes and partnerships: schema, validation, build step.

The project's curated data (data/s3/) is kept flat, one row per priority, in the same columns a
user imports (see data/s3/SCHEMA.md). The build normalises it into strategies and priorities
tables, validates every row and codes every priority on the three taxonomies.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd

from s3map import config
from s3map.data.curated_csv import read_curated_csv, read_string_table, split_urls
from s3map.data.errors import BuildError

REQUIRED_COLUMNS = ["country", "nuts_code", "region_name", "strategy_title", "period", "level",
                    "priority_name", "source_url", "completeness"]
OPTIONAL_COLUMNS = ["priority_description", "priority_note", "source_type", "document_url", "retrieved",
                    "period_basis", "extended_until", "extension_source"]
LEVELS = {"national", "regional"}
COMPLETENESS = {"full", "partial"}
SOURCE_TYPES = {"official", "secondary", "draft"}
PERIOD_PATTERN = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{4})$")
UNSTATED_PERIOD = "not stated on page"
PERIOD_BASES = {"stated", "inferred"}
# Lists ending by 2021 belong to earlier programming periods (2014-2020): history, whatever the date.
HISTORY_END_YEAR = 2021
# Register rows must be of the current programming period (ending 2022 or later).
CURRENT_FROM_END_YEAR = HISTORY_END_YEAR + 1
# Status of a list at the reference date (config.as_of), see SCHEMA.md "Status by date".
IN_FORCE, EXPIRED, DRAFT, SUPERSEDED, HISTORY, NOT_YET = (
    "in force", "expired", "draft", "superseded", "history", "not yet in force")
STATUSES = (IN_FORCE, EXPIRED, DRAFT, SUPERSEDED, HISTORY, NOT_YET)
# The standard caveats a priority can carry on screen (the search trail stays in compilation-notes/).
CAVEATS = {
    "partial": "partial list",
    "secondary": "secondary source",
    "draft": "draft",
    "period_inferred": "inferred period",
}
INFERRED_PERIOD_PATTERN = re.compile(r"\bperiod\b[^;]{0,40}?\binferred\b|\binferred period\b", re.IGNORECASE)


def priorities_dir() -> Path:
    return config.curated_dir() / "priorities"


def period_bounds(period: str) -> tuple[int | None, int | None]:
    match = PERIOD_PATTERN.match(period or "")
    if not match:
        return None, None
    return int(match["start"]), int(match["end"])


def is_current(period: str) -> bool:
    """Of the current programming period (horizon ending 2022 or later), whatever the date."""
    _, end = period_bounds(period)
    return end is not None and end >= CURRENT_FROM_END_YEAR


def normalised_title(title: str) -> str:
    """A title as compared for duplicates: case, accents kept; spacing and punctuation ignored."""
    return re.sub(r"[\W_]+", " ", title.casefold()).strip()


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
    frame = read_string_table(path, required, optional, kinds="CSV or XLSX")
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
    urls = split_urls(row["source_url"])
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
    if row["period_basis"] and row["period_basis"] not in PERIOD_BASES:
        problems.append(f"period_basis {row['period_basis']!r} is not stated or inferred")
    problems += extension_problems(row)
    return problems


def extension_problems(row) -> list[str]:
    """A list stays in force past its horizon only where a page says so: year and page together."""
    until, source = row["extended_until"], row["extension_source"]
    if not until and not source:
        return []
    if not (until and source):
        return ["extended_until and extension_source go together (the year and the page that states it)"]
    problems = []
    if not re.fullmatch(r"\d{4}", until):
        problems.append(f"extended_until {until!r} is not a year YYYY")
    else:
        _, end = period_bounds(row["period"])
        if end is None or int(until) <= end:
            problems.append(f"extended_until {until} does not extend the period {row['period']!r}")
    if not source.startswith(("http://", "https://")):
        problems.append("extension_source must be an http(s) address")
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
    errors += duplicate_strategy_errors(frame)
    return errors


def duplicate_strategy_errors(frame: pd.DataFrame) -> list[tuple[str, int, str]]:
    """The same strategy recorded twice: same territory and period, titles equal but for spacing,
    case or punctuation. One strategy has one record (one title), so its priorities are counted once."""
    if frame.empty:
        return []
    records = frame.assign(territory=frame["nuts_code"].map(lambda n: " ".join(territories(n))),
                           key=frame["strategy_title"].map(normalised_title))
    first_rows = records.drop_duplicates(["territory", "period", "strategy_title"])
    errors = []
    for _, group in first_rows.groupby(["territory", "period", "key"], sort=False):
        if len(group) < 2:
            continue
        keep = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            errors.append((other["file"], int(other["row"]),
                           f"duplicate strategy: {other['strategy_title']!r} is {keep['strategy_title']!r} "
                           f"({keep['file']}, row {int(keep['row'])}); write one title so the records merge"))
    return errors


def duplicate_priority_id_errors(priorities: pd.DataFrame) -> list[tuple[str, int, str]]:
    """Two priorities of a strategy whose names give the same id (e.g. 'R&D' and 'R D')."""
    dup = priorities[priorities["priority_id"].duplicated()]
    return [(row["file"], int(row["row"]), f"duplicate priority id {row['priority_id']!r}") for _, row in dup.iterrows()]


def normalise(frame: pd.DataFrame, as_of: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flat rows -> (strategies with their status at `as_of`, priorities with their caveats)."""
    frame = frame.copy()
    for column in ("period_basis", "extended_until", "extension_source"):
        if column not in frame.columns:
            frame[column] = ""
    frame["strategy_id"] = [strategy_id(n, p, t) for n, p, t in
                            zip(frame["nuts_code"], frame["period"], frame["strategy_title"])]
    grouped = frame.groupby("strategy_id", sort=False)
    first = lambda s: next((u for u in s if u), "")  # noqa: E731 - the first non-empty value of a strategy's rows
    strategies = grouped.agg(
        country=("country", "first"), level=("level", "first"), territory=("nuts_code", "first"),
        region_name=("region_name", "first"), title=("strategy_title", "first"), period=("period", "first"),
        document_url=("document_url", first),
        source_urls=("source_url", lambda s: " | ".join(dict.fromkeys(u for v in s for u in split_urls(v)))),
        retrieved=("retrieved", first),
        # full when one source page gives the whole list (further rows may add to it)
        completeness=("completeness", lambda s: "full" if (s == "full").any() else "partial"),
        secondary_share=("source_type", lambda s: round(float((s != "official").mean()), 2)),
        draft=("source_type", lambda s: bool((s == "draft").all())),
        extended_until=("extended_until", first),
        extension_source=("extension_source", first),
        priorities=("priority_name", "size"),
        file=("file", "first"),
        row=("row", "first"),
    ).reset_index()
    strategies["territory"] = strategies["territory"].map(lambda n: " ".join(territories(n)))
    strategies["period_start"] = strategies["period"].map(lambda p: period_bounds(p)[0]).astype("Int64")
    strategies["period_end"] = strategies["period"].map(lambda p: period_bounds(p)[1]).astype("Int64")
    strategies = with_status(strategies, config.as_of() if as_of is None else as_of)
    completeness = frame["strategy_id"].map(strategies.set_index("strategy_id")["completeness"])
    inferred = frame["period_basis"].eq("inferred") | (
        frame["period_basis"].eq("") & frame["priority_note"].str.contains(INFERRED_PERIOD_PATTERN))
    caveats = [
        "|".join(kind for kind, applies in (("partial", c == "partial"), ("secondary", t == "secondary"),
                                            ("draft", t == "draft"), ("period_inferred", i)) if applies)
        for c, t, i in zip(completeness, frame["source_type"], inferred)]
    priorities = pd.DataFrame({
        "priority_id": frame["strategy_id"] + "/" + frame["priority_name"].map(slug),
        "strategy_id": frame["strategy_id"],
        "name": frame["priority_name"],
        "description": frame["priority_description"],
        "description_source": frame["source_url"].where(frame["priority_description"] != "", "").str.split("|").str[0].str.strip(),
        "note": frame["priority_note"],
        "source_url": frame["source_url"],
        "source_type": frame["source_type"],
        "period_inferred": inferred.astype(bool),
        "caveats": caveats,
        "file": frame["file"],
        "row": frame["row"],
    })
    return strategies, priorities


def with_status(strategies: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Each list's status at the reference date (SCHEMA.md, "Status by date"), at most one in force per territory.

    - no dated period: history (until a page dates it);
    - a draft (every row from a draft) whose horizon has not ended: draft; ended: history;
    - horizon ended (and no page extends it): history when it ended by 2021, superseded when a later
      adopted list of the territory exists, else expired (with its end year);
    - horizon not ended (or extended by a cited page): the adopted list of the territory that starts
      latest is in force, whether its list is full or partial; the others are superseded.
    Two adopted lists of a territory starting the same year can't both be in force: BuildError
    naming both records (merge them if they are the same strategy, else mark one draft).
    """
    year = as_of.year
    out = strategies.copy()
    draft = out["draft"].astype(bool)
    # floats: an undated list compares False with everything
    start = out["period_start"].astype("float")
    end = out["period_end"].astype("float")
    extended = pd.to_numeric(out["extended_until"].where(out["extension_source"] != "", ""), errors="coerce")
    effective_end = pd.concat([end, extended], axis=1).max(axis=1)
    out["effective_end"] = effective_end.astype("Int64")
    dated = start.notna()
    adopted = dated & ~draft
    ended = dated & (effective_end < year)
    live = adopted & ~ended & (start <= year)
    latest_adopted_start = out["territory"].map(start[adopted].groupby(out["territory"]).max())
    status = pd.Series(HISTORY, index=out.index, dtype=object)
    status[draft & dated & ~ended] = DRAFT
    status[adopted & ended & (end > HISTORY_END_YEAR)] = EXPIRED
    status[adopted & ended & (end > HISTORY_END_YEAR) & (latest_adopted_start > start)] = SUPERSEDED
    status[adopted & ~ended & (start > year)] = NOT_YET
    newest = live & (start == out["territory"].map(start[live].groupby(out["territory"]).max()))
    status[live & ~newest] = SUPERSEDED
    status[newest] = IN_FORCE
    ties = out[newest]
    ties = ties[ties["territory"].duplicated(keep=False)]
    if not ties.empty:
        a, b = ties.iloc[0], ties[ties["territory"] == ties.iloc[0]["territory"]].iloc[1]
        raise BuildError(str(b.get("file", "strategies")), f"two lists of {b['territory']} would be in force in {year}: "
                         f"{b['title']!r} and {a['title']!r} ({a.get('file', '')}, row {int(a.get('row', 0))}); merge "
                         "them if they are the same strategy, else mark the draft as draft", row=int(b.get("row", 0)) or None)
    out["status"] = status
    out["status_year"] = out["effective_end"].where(status == EXPIRED).astype("Int64")
    out["in_force"] = status == IN_FORCE
    out["past_horizon"] = out["in_force"] & (end < year)  # only with a cited extension (extension_source)
    out["status_as_of"] = as_of.isoformat()
    # Kept for readers of earlier builds: in force == current and not superseded.
    out["current"] = out["in_force"] | status.isin([DRAFT, NOT_YET]) | ((status == SUPERSEDED) & ~ended)
    out["superseded"] = out["current"] & ~out["in_force"]
    return out


def status_label(status: str, status_year=None) -> str:
    """'expired 2025', 'in force', ... as the panel writes it."""
    return f"{status} {int(status_year)}" if status == EXPIRED and pd.notna(status_year) else status


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
                    "period_end", "document_url", "source_urls", "source_type", "note", "retrieved", "status",
                    "status_year"]


def load_unlisted(known_regions: set[str], strategies: pd.DataFrame,
                  path: Path | None = None, as_of: date | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Current strategies a page shows to exist but whose priorities no page we could read lists.

    They are kept apart from the priority tables (no row there may lack a priority) and shown as
    gaps: 'priorities not yet sourced'. A row whose territory has a current list (found later, or
    imported by a user) is superseded by it: left out, and its territory returned for the build log.
    Each row's status at the reference date: in force until its horizon ends, then expired.
    """
    path = config.curated_dir() / UNLISTED_FILE if path is None else path
    if not path.is_file():
        return pd.DataFrame(columns=UNLISTED_COLUMNS), []
    frame = read_table(path, UNLISTED_REQUIRED, UNLISTED_OPTIONAL)
    in_force = strategies["in_force"] if "in_force" in strategies else strategies["current"] & ~strategies["superseded"]
    listed = set(strategies.loc[in_force.astype(bool), "territory"])
    seen: dict = {}
    for index, row in frame.iterrows():
        problems = strategy_problems(row, known_regions, UNLISTED_REQUIRED)
        if row["period"] and not is_current(row["period"]):
            problems.append(f"period {row['period']!r} is not a current one (ending {CURRENT_FROM_END_YEAR} or later)")
        key = (" ".join(territories(row["nuts_code"])), row["period"], normalised_title(row["strategy_title"]))
        if key in seen:
            problems.append(f"duplicate strategy: the same as row {seen[key]}")
        seen.setdefault(key, index + 2)
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
    })
    year = (config.as_of() if as_of is None else as_of).year
    ended = unlisted["period_end"].astype("float") < year
    unlisted["status"] = [EXPIRED if e else NOT_YET if s > year else IN_FORCE
                          for e, s in zip(ended, unlisted["period_start"].astype("float"))]
    unlisted["status_year"] = unlisted["period_end"].where(ended).astype("Int64")
    return unlisted[UNLISTED_COLUMNS], superseded_territories


DOCUMENTS_FILE = "strategy_documents.csv"
DOCUMENT_COLUMNS = ["strategy_id", "document_url", "source_url", "retrieved", "note"]
DESCRIPTIONS_FILE = "priority_descriptions.csv"
DESCRIPTION_COLUMNS = ["priority_id", "description", "source_url", "retrieved"]
SEARCHED_FILE = "searched_not_found.csv"
SEARCHED_COLUMNS = ["country", "nuts_code", "region_name", "searched", "queries", "searched_on", "note"]
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_http(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _check(path: Path, frame: pd.DataFrame, key: str, known: set[str], what: str, url_columns: list[str],
           required: list[str]) -> None:
    """Stop at the first row with an unknown or duplicate key, an empty required field or a non-http address."""
    seen: dict = {}
    for _, row in frame.iterrows():
        problem = next((f"{c} is empty" for c in required if not row[c]), None)
        if problem is None and row[key] not in known:
            problem = f"unknown {what} {row[key]!r}"
        if problem is None and row[key] in seen:
            problem = f"duplicate {what} {row[key]!r} (also row {seen[row[key]]})"
        if problem is None:
            bad = next((c for c in url_columns if row[c] and not is_http(row[c])), None)
            problem = f"{bad} must be an http(s) address" if bad else None
        if problem is None and "retrieved" in row and row["retrieved"] and not DATE_PATTERN.match(row["retrieved"]):
            problem = f"retrieved {row['retrieved']!r} is not YYYY-MM-DD"
        if problem:
            raise BuildError(path.name, problem, row=int(row["row"]))
        seen[row[key]] = int(row["row"])


def load_documents(strategies: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """strategy_documents.csv: the strategy document of a strategy, where a page gives it."""
    path = config.curated_dir() / DOCUMENTS_FILE if path is None else path
    frame = read_curated_csv(path, DOCUMENT_COLUMNS)
    _check(path, frame, "strategy_id", set(strategies["strategy_id"]), "strategy_id",
           ["document_url", "source_url"], ["strategy_id", "document_url", "source_url"])
    return frame


def load_descriptions(priorities: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """priority_descriptions.csv: one sentence describing a priority, only where a page says it."""
    path = config.curated_dir() / DESCRIPTIONS_FILE if path is None else path
    frame = read_curated_csv(path, DESCRIPTION_COLUMNS)
    _check(path, frame, "priority_id", set(priorities["priority_id"]), "priority_id",
           ["source_url"], ["priority_id", "description", "source_url"])
    return frame


def load_searched_not_found(known_regions: set[str], path: Path | None = None) -> pd.DataFrame:
    """searched_not_found.csv: territories where no current S3 could be sourced, with what was searched."""
    path = config.curated_dir() / SEARCHED_FILE if path is None else path
    frame = read_curated_csv(path, SEARCHED_COLUMNS)
    seen: dict = {}
    for _, row in frame.iterrows():
        problems = [f"{c} is empty" for c in ("country", "nuts_code", "region_name", "searched", "searched_on")
                    if not row[c]]
        code = row["nuts_code"]
        if code and code not in known_regions:
            problems.append(f"territory {code!r} is not a NUTS 2021 code")
        elif code and code[:2] != row["country"]:
            problems.append(f"territory {code} is not in country {row['country']!r}")
        if code in seen:
            problems.append(f"duplicate territory {code!r} (also row {seen[code]})")
        pages = split_urls(row["searched"])
        if row["searched"] and not all(is_http(u) for u in pages):
            problems.append("searched must be the http(s) addresses read, separated by |")
        if row["searched_on"] and not DATE_PATTERN.match(row["searched_on"]):
            problems.append(f"searched_on {row['searched_on']!r} is not YYYY-MM-DD")
        if problems:
            raise BuildError(path.name, problems[0], row=int(row["row"]))
        seen[code] = int(row["row"])
    return frame.drop(columns="row")


def apply_overlays(strategies: pd.DataFrame, priorities: pd.DataFrame, documents: pd.DataFrame,
                   descriptions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents and descriptions found later fill `document_url` / `description` (with the page that gives them)."""
    strategies = strategies.copy()
    priorities = priorities.copy()
    strategies["document_source"] = strategies["document_url"].where(strategies["document_url"] == "", strategies["source_urls"].str.split("|").str[0].str.strip())
    doc = documents.set_index("strategy_id")
    found = strategies["strategy_id"].isin(doc.index)
    strategies.loc[found, "document_url"] = strategies.loc[found, "strategy_id"].map(doc["document_url"])
    strategies.loc[found, "document_source"] = strategies.loc[found, "strategy_id"].map(doc["source_url"])
    text = descriptions.set_index("priority_id")
    found = priorities["priority_id"].isin(text.index)
    priorities.loc[found, "description"] = priorities.loc[found, "priority_id"].map(text["description"])
    priorities.loc[found, "description_source"] = priorities.loc[found, "priority_id"].map(text["source_url"])
    return strategies, priorities


def build_strategies(regions: pd.DataFrame, paths: dict[str, Path], out: Path) -> dict:
    known = set(regions["code"])
    flat = load_curated(known)
    strategies, priorities = normalise(flat)
    errors = duplicate_priority_id_errors(priorities)
    if errors:
        raise BuildError(errors[0][0], errors[0][2], row=errors[0][1])
    strategies, priorities = apply_overlays(strategies, priorities, load_documents(strategies),
                                            load_descriptions(priorities))
    unlisted, register_superseded = load_unlisted(known, strategies)
    searched = load_searched_not_found(known)
    from s3map.data import taxonomy  # the coder and code lists
    codes = taxonomy.code_priorities(priorities, paths)
    partnerships = load_partnerships(known)
    strategies.drop(columns=["row"]).to_parquet(out / "strategies.parquet", index=False)
    unlisted.to_parquet(out / "strategies_unlisted.parquet", index=False)
    searched.to_parquet(out / "searched_not_found.parquet", index=False)
    priorities.drop(columns=["row"]).to_parquet(out / "priorities.parquet", index=False)
    codes.to_parquet(out / "priority_codes.parquet", index=False)
    partnerships.to_parquet(out / "partnerships.parquet", index=False)
    taxonomy.code_lists(paths).to_parquet(out / "taxonomy.parquet", index=False)
    return {"strategies": len(strategies), "priorities": len(priorities), "register_superseded": register_superseded,
            "as_of": str(strategies["status_as_of"].iloc[0]) if len(strategies) else ""}


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


COVERED, REGISTER, SEARCHED, UNCOVERED = "covered", "register", "searched_not_found", "none"


def _covered_nuts2(nuts2: pd.Index, territories_of: pd.Series, levels: pd.Series, regional_countries: set[str]) -> set[str]:
    """NUTS 2 codes inside these territories; a national territory counts only where the country has
    no regional strategy (a national S3 does not stand in for a region's own missing one)."""
    covered: set[str] = set()
    for territory, level in zip(territories_of, levels):
        for code in str(territory).split():
            if len(code) == 2 and (level != "national" or code in regional_countries):
                continue
            covered |= set(nuts2[nuts2.str.startswith(code[:4])]) if len(code) <= 4 else {code[:4]}
    return covered


def part_of_national(lists: pd.DataFrame) -> pd.Series:
    """Regional records that are the regional part of the country's national strategy (their title
    starts with the national list's title, e.g. Bulgaria's ISIS 'regional prioritisation'): not a
    regional S3 of their own."""
    if "title" not in lists or lists.empty:
        return pd.Series(False, index=lists.index)
    national = lists[lists["level"] == "national"].drop_duplicates("country").set_index("country")["title"]
    return pd.Series([level == "regional" and isinstance(national.get(country), str) and title.startswith(national[country])
                      for level, country, title in zip(lists["level"], lists["country"], lists["title"])],
                     index=lists.index)


def nuts2_coverage(regions: pd.DataFrame, strategies: pd.DataFrame, unlisted: pd.DataFrame | None = None,
                   searched: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every EU NUTS 2 region in exactly one state, first that applies: `covered` by an in-force list;
    in the `register` (a strategy in force whose list is not sourced); `searched_not_found`; else `none`."""
    nuts2 = regions[(regions["level"] == 2) & regions["eu"]]
    codes = pd.Index(sorted(nuts2["code"]))
    unlisted = pd.DataFrame(columns=["territory", "level", "status"]) if unlisted is None else unlisted
    if "status" not in unlisted:
        unlisted = unlisted.assign(status=IN_FORCE)
    register = unlisted[unlisted["status"] == IN_FORCE]
    in_force = strategies[strategies["in_force"]] if "in_force" in strategies else \
        strategies[strategies["current"] & ~strategies["superseded"]]
    regional_countries = set(in_force.loc[(in_force["level"] == "regional") & ~part_of_national(in_force), "country"]) | \
        set(register.loc[register["level"] == "regional", "territory"].str[:2])
    covered = _covered_nuts2(codes, in_force["territory"], in_force["level"], regional_countries)
    registered = _covered_nuts2(codes, register["territory"], register["level"], regional_countries)
    searched_codes = set()
    if searched is not None and len(searched):
        searched_codes = _covered_nuts2(codes, searched["nuts_code"], pd.Series("regional", index=searched.index), set())
    state = [COVERED if c in covered else REGISTER if c in registered else SEARCHED if c in searched_codes
             else UNCOVERED for c in codes]
    return pd.DataFrame({"code": codes, "country": codes.str[:2], "state": state})


def strategy_summary(strategies: pd.DataFrame, priorities: pd.DataFrame, codes: pd.DataFrame,
                     unlisted: pd.DataFrame | None = None, regions: pd.DataFrame | None = None,
                     searched: pd.DataFrame | None = None) -> dict:
    """The `s3` block of `python -m s3map.data stats`. Strategy counts are of strategies with a
    priority list; `strategies_current_without_list` counts those known only to exist."""
    coded = codes.drop_duplicates(["priority_id", "taxonomy", "code"]) if len(codes) else codes
    total_codes = max(len(coded), 1)
    in_force = strategies["in_force"].astype(bool)
    live = strategies[in_force]
    live_priorities = priorities[priorities["strategy_id"].isin(live["strategy_id"])]
    reviewed = set(codes.loc[codes["method"] == "reviewed", "priority_id"]) if len(codes) else set()
    share = lambda part, whole: round(float(part) / whole, 4) if whole else 0.0  # noqa: E731
    out = {
        "as_of": str(strategies["status_as_of"].iloc[0]) if len(strategies) else "",
        "strategies_total": int(len(strategies)),
        "strategies_national": int((strategies["level"] == "national").sum()),
        "strategies_regional": int((strategies["level"] == "regional").sum()),
        "strategies_in_force": int(in_force.sum()),
        "strategies_by_status": {k: int(v) for k, v in strategies["status"].value_counts().sort_index().items()},
        "territories_with_more_than_one_list_in_force": int((live["territory"].value_counts() > 1).sum()),
        "in_force_past_horizon_without_source": int(
            (in_force & (strategies["period_end"].astype("float") < int(str(strategies["status_as_of"].iloc[0])[:4]))
             & (strategies["extension_source"] == "")).sum()) if len(strategies) else 0,
        "territories_with_list_in_force": int(live["territory"].nunique()),
        "priorities_total": int(len(priorities)),
        "priorities_in_force": int(len(live_priorities)),
        "priorities_with_source_share": round(float((priorities["source_url"].str.startswith("http")).mean()), 4),
        "priorities_secondary_source_share": round(float((priorities["source_type"] != "official").mean()), 4),
        "priorities_in_force_secondary_or_draft_share": share((live_priorities["source_type"] != "official").sum(),
                                                               len(live_priorities)),
        "priorities_reviewed_share": share(live_priorities["priority_id"].isin(reviewed).sum(), len(live_priorities)),
        "strategies_with_document_share": share((live["document_url"] != "").sum(), len(live)),
        "priorities_with_description_share": share((live_priorities["description"] != "").sum(), len(live_priorities)),
        "codes_reviewed_share": round(float((coded["method"] == "reviewed").sum() / total_codes), 4) if len(coded) else 0.0,
        "codes_curated_share": round(float((coded["method"] == "curated").sum() / total_codes), 4) if len(coded) else 0.0,
        "codes_coder_share": round(float((coded["method"] == "coder").sum() / total_codes), 4) if len(coded) else 0.0,
        "codes_per_taxonomy": {k: int(v) for k, v in coded.groupby("taxonomy").size().items()} if len(coded) else {},
        "countries_covered": sorted(live["country"].unique().tolist()),
        "strategies_current_without_list": 0 if unlisted is None else int(
            (unlisted["status"] == IN_FORCE).sum() if "status" in unlisted else len(unlisted)),
    }
    if regions is not None:
        coverage = nuts2_coverage(regions, strategies, unlisted, searched)
        counts = coverage["state"].value_counts()
        out.update({
            "nuts2_eu": int(len(coverage)),
            "nuts2_covered": int(counts.get(COVERED, 0)),
            "nuts2_register": int(counts.get(REGISTER, 0)),
            "nuts2_searched_not_found": int(counts.get(SEARCHED, 0)),
            "nuts2_in_none": coverage.loc[coverage["state"] == UNCOVERED, "code"].tolist(),
        })
    return out
