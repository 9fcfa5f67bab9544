"""`python -m s3map.data import FILE`: add a user's strategy table (CSV/XLSX) to the curated data.

All or nothing: every row is checked first; any bad row is reported with its reason and nothing
is written. A good table is written next to the curated tables (as CSV, atomically) and the
dataset is rebuilt; if that rebuild fails, the table is removed again and the previous dataset
stays as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError
from s3map.data.strategies import (OPTIONAL_COLUMNS, REQUIRED_COLUMNS, priorities_dir, read_flat,
                                   validate_flat)


class TableRejected(BuildError):
    """A table with bad rows; `problems` lists (row, reason)."""

    def __init__(self, file: str, problems: list[tuple[int, str]]):
        self.problems = problems
        lines = "\n".join(f"  row {row}: {reason}" for row, reason in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(file, f"{len(problems)} bad row(s); nothing was imported\n{lines}{more}")


def check_table(path: Path, known_regions: set[str]) -> pd.DataFrame:
    frame = read_flat(path)
    if frame.empty:
        raise BuildError(path.name, "the table has no rows")
    existing = [read_flat(p) for p in sorted(priorities_dir().glob("*.csv")) if p.name != _target_name(path)]
    combined = pd.concat(existing + [frame], ignore_index=True) if existing else frame
    problems = [(row, reason) for file, row, reason in validate_flat(combined, known_regions) if file == path.name]
    if problems:
        raise TableRejected(path.name, sorted(set(problems)))
    return frame


def _target_name(path: Path, name: str | None = None) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name or path.stem).strip("_") or "imported"
    return f"import_{stem}.csv"


def import_table(file: str, name: str | None = None, log=print) -> Path:
    from s3map.data.build import build
    from s3map.data.store import get_dataset

    path = Path(file)
    if not path.is_file():
        raise BuildError(file, "no such file")
    build(log=lambda *_: None)  # region codes come from the built dataset (a no-op when up to date)
    known = set(get_dataset().regions["code"])
    frame = check_table(path, known)
    target = priorities_dir() / _target_name(path, name)
    if target.exists():
        raise BuildError(path.name, f"{target.name} already exists; import under another --name")
    columns = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".partial", delete=False,
                                     encoding="utf-8", newline="") as handle:
        frame[columns].to_csv(handle, index=False)
    os.replace(handle.name, target)
    try:
        build(log=log)
    except BaseException:
        target.unlink(missing_ok=True)  # the previous dataset is still in place; undo the table too
        raise
    log(f"imported {len(frame)} priorities from {path.name} as {target.name}")
    return target
