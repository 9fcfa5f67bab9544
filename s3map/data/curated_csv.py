"""Reading one of the project's hand-curated CSV side tables (data/s3/, FORMATS in SCHEMA.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError


def read_curated_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    """A curated CSV (FORMATS.md) as stripped strings with a `row` (spreadsheet row) column; missing file: empty."""
    if not path.is_file():
        return pd.DataFrame(columns=columns + ["row"])
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except Exception as exc:  # a damaged file can raise many different errors
        raise BuildError(path.name, f"cannot be read as a CSV table ({exc})") from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BuildError(path.name, f"missing column(s): {', '.join(missing)}")
    frame = frame[columns].apply(lambda s: s.astype(str).str.strip())
    frame["row"] = range(2, len(frame) + 2)
    return frame
