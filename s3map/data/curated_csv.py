"""Reading one of the project's hand-curated CSV side tables (data/s3/, FORMATS in SCHEMA.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError


def split_urls(text) -> list[str]:
    """The addresses of a `|`-separated source field (FORMATS.md), in order, blanks dropped."""
    return [u.strip() for u in str(text or "").split("|") if u.strip()]


def read_string_table(path: Path, required: list[str], optional: list[str] = (), kinds: str = "CSV") -> pd.DataFrame:
    """A table as stripped strings with the required columns (missing ones: BuildError naming them) and
    the optional ones (absent: empty). XLSX when the name says so, else CSV (`kinds`: what the error
    says is accepted)."""
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            frame = pd.read_excel(path, dtype=str, engine="calamine").fillna("")
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # a damaged file can raise many different errors
        raise BuildError(path.name, f"cannot be read as a {kinds} table ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BuildError(path.name, f"missing column(s): {', '.join(missing)}")
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
    return frame[list(required) + list(optional)].apply(lambda s: s.astype(str).str.strip())


def read_curated_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """A curated CSV (FORMATS.md) as stripped strings with a `row` (spreadsheet row) column; missing file: empty."""
    if not path.is_file():
        return pd.DataFrame(columns=columns + ["row"])
    frame = read_string_table(path, columns)
    frame["row"] = range(2, len(frame) + 2)
    return frame
