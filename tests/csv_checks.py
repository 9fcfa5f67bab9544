"""What the CSV export tests look for: cells a spreadsheet would run as a formula."""

from __future__ import annotations


def formula_cells(cells) -> list[str]:
    """The cells starting =, + or @, or - without being a number (a negative value stays a number)."""
    return [cell for cell in cells if cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and not _is_number(cell))]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
