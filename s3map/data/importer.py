"""`python -m s3map.data import FILE`: add a user's strategy table (CSV/XLSX) to the curated data.

All or nothing: every row is checked first; any bad row is reported with its reason and nothing
is written. A good table is written next to the curated tables (as CSV, atomically) and the
dataset is rebuilt; if that rebuild fails or is interrupted, the table is removed again (and a
replaced strategy restored) and the previous dataset stays as it was.

Refused up front, before anything is parsed: a file over MAX_IMPORT_BYTES, more than
MAX_IMPORT_ROWS priorities (the whole curated table has about 1,300; an import is a strategy or a
few, not a database), and a CSV that is not UTF-8 (the line is named). A strategy that already
exists (same territory, period and title) is refused unless `replace=True`: then its rows leave
the table they were in, and the imported rows stand for it.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError
from s3map.data.strategies import (OPTIONAL_COLUMNS, REQUIRED_COLUMNS, priorities_dir, read_flat, strategy_id,
                                   territories, validate_flat)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
# What other programs save "CSV" as when it is not UTF-8; named in the message as a hint.
LIKELY_ENCODINGS = ("cp1252", "latin-1")


class TableRejected(BuildError):
    """A table with bad rows; `problems` lists (row, reason)."""

    def __init__(self, file: str, problems: list[tuple[int, str]]):
        self.problems = problems
        lines = "\n".join(f"  row {row}: {reason}" for row, reason in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(file, f"{len(problems)} bad row(s); nothing was imported\n{lines}{more}")


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise BuildError(path.name, f"{size / 1e6:.1f} MB is more than an import takes "
                                    f"({MAX_IMPORT_BYTES / 1e6:.0f} MB); split the table; nothing was imported")


def check_encoding(path: Path) -> None:
    """A CSV must be UTF-8; otherwise name the first bad line and what it probably is."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return  # a workbook stores its own text encoding
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = next((name for name in LIKELY_ENCODINGS if _decodes(data, name)), None)
        hint = f"; it reads as {guess} (save it as 'CSV UTF-8')" if guess else ""
        raise BuildError(path.name, f"not UTF-8 text: byte 0x{data[exc.start]:02X} at column {column}"
                                    f"{hint}; nothing was imported", row=line) from None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def check_rows(path: Path, frame: pd.DataFrame) -> None:
    if len(frame) > MAX_IMPORT_ROWS:
        raise BuildError(path.name, f"{len(frame):,} rows is more than an import takes ({MAX_IMPORT_ROWS:,}); "
                                    "split the table; nothing was imported")


def strategy_key(frame: pd.DataFrame) -> pd.Series:
    """Territory, period and title, as the build identifies a strategy (title case-insensitive)."""
    territory = frame["nuts_code"].map(lambda n: " ".join(territories(n)))
    return territory + "|" + frame["period"].str.strip() + "|" + frame["strategy_title"].str.strip().str.casefold()


def existing_tables(exclude: str) -> dict[Path, pd.DataFrame]:
    return {p: read_flat(p) for p in sorted(priorities_dir().glob("*.csv")) if p.name != exclude}


def matching_strategies(frame: pd.DataFrame, existing: dict[Path, pd.DataFrame]) -> dict[Path, set[str]]:
    """Table -> keys of the strategies in it that the imported table also has."""
    wanted = set(strategy_key(frame))
    found = {}
    for path, table in existing.items():
        keys = set(strategy_key(table)) & wanted
        if keys:
            found[path] = keys
    return found


def check_nothing_depends_on(existing: dict[Path, pd.DataFrame], matches: dict[Path, set[str]], file: str) -> None:
    """Refuse to replace a strategy that hand-curated side tables (descriptions, reviewed codes,
    documents) refer to by id: they would be orphaned, and the rebuild would stop on them."""
    ids = set()
    for table, keys in matches.items():
        rows = existing[table][strategy_key(existing[table]).isin(keys)]
        ids |= {strategy_id(n, p, t) for n, p, t in zip(rows["nuts_code"], rows["period"], rows["strategy_title"])}
    curated = priorities_dir().parent
    users = {}
    for side in sorted(curated.rglob("*.csv")):
        if priorities_dir() in side.parents:
            continue
        text = side.read_text(encoding="utf-8", errors="replace")
        hits = sum(text.count(sid) for sid in ids)
        if hits:
            users[side.relative_to(curated).as_posix()] = hits
    if users:
        listed = ", ".join(f"{name} ({count} rows)" for name, count in users.items())
        raise BuildError(file, f"cannot replace strategy {', '.join(sorted(ids))}: hand-curated rows refer to "
                               f"its priorities in {listed}; edit or remove those first; nothing was imported")


def check_table(path: Path, known_regions: set[str], replace: bool = False,
                name: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The valid imported table and the existing strategies it replaces (table -> keys)."""
    frame = read_flat(path)
    if frame.empty:
        raise BuildError(path.name, "the table has no rows")
    check_rows(path, frame)
    existing = existing_tables(_target_name(path, name))
    matches = matching_strategies(frame, existing)
    if matches and not replace:
        keys = strategy_key(frame)
        problems = [(int(row), f"strategy {title!r} ({territory}, {period}) already exists in {table.name}; "
                               "pass --replace to replace it")
                    for table, matched in matches.items()
                    for row, title, territory, period, key in zip(frame["row"], frame["strategy_title"],
                                                                  frame["nuts_code"], frame["period"], keys)
                    if key in matched]
        raise TableRejected(path.name, sorted(set(problems)))
    if matches:
        check_nothing_depends_on(existing, matches, path.name)
    kept = [table[~strategy_key(table).isin(matches.get(p, set()))] for p, table in existing.items()]
    combined = pd.concat(kept + [frame], ignore_index=True)
    problems = [(row, reason) for file, row, reason in validate_flat(combined, known_regions) if file == path.name]
    if problems:
        raise TableRejected(path.name, sorted(set(problems)))
    return frame, matches


def _target_name(path: Path, name: str | None = None) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name or path.stem).strip("_") or "imported"
    return f"import_{stem}.csv"


def _write_atomically(frame: pd.DataFrame, target: Path) -> None:
    """Write beside the target and rename: an interruption leaves the old file or none, never half."""
    handle = tempfile.NamedTemporaryFile("w", dir=target.parent, prefix=".", suffix=".partial", delete=False,
                                         encoding="utf-8", newline="")
    try:
        with handle:
            frame.to_csv(handle, index=False)
        os.replace(handle.name, target)
    finally:
        Path(handle.name).unlink(missing_ok=True)


def import_table(file: str, name: str | None = None, replace: bool = False, log=print) -> Path:
    from s3map.data.build import build
    from s3map.data.store import get_dataset

    path = Path(file)
    if not path.is_file():
        raise BuildError(file, "no such file")
    check_size(path)
    check_encoding(path)
    build(log=lambda *_: None)  # region codes come from the built dataset (a no-op when up to date)
    known = set(get_dataset().regions["code"])
    frame, matches = check_table(path, known, replace, name)
    target = priorities_dir() / _target_name(path, name)
    if target.exists():
        raise BuildError(path.name, f"{target.name} already exists; import under another --name")
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    originals = {table: table.read_bytes() for table in matches}
    try:
        _write_atomically(frame[columns], target)
        for table, keys in matches.items():  # the replaced strategies leave their tables
            rows = pd.read_csv(table, dtype=str, keep_default_na=False, encoding="utf-8")
            _write_atomically(rows[~strategy_key(rows).isin(keys)], table)
        build(log=log)
    except BaseException:
        # The previous dataset is still in place; put the tables back as they were too.
        target.unlink(missing_ok=True)
        for table, content in originals.items():
            table.write_bytes(content)
        raise
    for table, keys in matches.items():
        log(f"replaced {len(keys)} strateg{'y' if len(keys) == 1 else 'ies'} from {table.name} "
            "(its rows were removed there; `git diff` shows them)")
    log(f"imported {len(frame)} priorities from {path.name} as {target.name}")
    return target
