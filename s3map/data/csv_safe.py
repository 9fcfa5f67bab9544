"""CSV cells a spreadsheet would run as a formula, made inert for every CSV the project exports.

A cell that starts with =, +, -, @, a tab or a carriage return is opened by Excel, LibreOffice and
Google Sheets as a formula (`=HYPERLINK(...)`, `@SUM(...)`): CSV injection. The data keep such
text as it was written; only an export prefixes it with an apostrophe, which spreadsheets show as
text and hide. Numbers are left alone (a negative value stays a number, not "'-3.2").
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """The cell as a spreadsheet will show it, never as a formula (non-text cells unchanged)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and text column header) neutralised."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out
