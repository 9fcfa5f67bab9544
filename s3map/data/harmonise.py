"""Region codes to NUTS 2021: what is kept, mapped or dropped, and why. Nothing is dropped silently."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError

RETIRED_CODES_FILE = Path(__file__).with_name("nuts_codes_retired.csv")
EU_REFERENCE_CODES = ("EU27_2020", "EU")
EXTRA_REGIO = r"[A-Z]{2}Z+"  # ATZ, ATZZ, ATZZZ: statistics for no territory (e.g. embassies)

# NUTS 2024 codes that Eurostat now uses for recent years, read back onto NUTS 2021 regions.
# Boundary shifts are mapped (the note travels with the value); splits have no 2021 equivalent.
NUTS2024_TO_2021 = {
    "NL35": ("NL31", "NUTS 2024 NL35 Utrecht, small boundary shift"),
    "NL36": ("NL33", "NUTS 2024 NL36 Zuid-Holland, small boundary shift"),
    "PT19": ("PT16", "NUTS 2024 PT19 Centro, smaller than NUTS 2021 Centro (Oeste e Vale do Tejo left it)"),
    "PT1C": ("PT18", "NUTS 2024 PT1C Alentejo, smaller than NUTS 2021 Alentejo (Oeste e Vale do Tejo left it)"),
}
NUTS2024_SPLITS = {
    "PT1A": "NUTS 2024 Grande Lisboa: half of NUTS 2021 PT17, no 2021 equivalent",
    "PT1B": "NUTS 2024 Península de Setúbal: half of NUTS 2021 PT17, no 2021 equivalent",
    "PT1D": "NUTS 2024 Oeste e Vale do Tejo: new region, no 2021 equivalent",
}


def retired_codes() -> pd.DataFrame:
    return pd.read_csv(RETIRED_CODES_FILE, dtype=str)


def harmonise(raw: pd.DataFrame, known_2021: set[str], file: str, indicator: str) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Split raw rows into (kept rows on NUTS 2021 codes, EU reference rows, log of what changed).

    Raises BuildError for a code that is in no list, and for a duplicate region-year.
    """
    retired = retired_codes().set_index("code")
    frame = raw.copy()
    frame["note"] = ""
    log: list[dict] = []

    def record(action: str, codes: pd.Series, reason_for) -> None:
        for code, count in codes.value_counts().sort_index().items():
            log.append({"indicator": indicator, "file": file, "code": code, "action": action,
                        "to": NUTS2024_TO_2021.get(code, ("",))[0], "rows": int(count), "reason": reason_for(code)})

    is_reference = frame["region"].isin(EU_REFERENCE_CODES)
    reference = frame[is_reference]
    frame = frame[~is_reference]

    is_extra_regio = frame["region"].str.fullmatch(EXTRA_REGIO)
    record("dropped", frame.loc[is_extra_regio, "region"], lambda code: "extra-regio territory: no geometry")
    frame = frame[~is_extra_regio]

    is_split = frame["region"].isin(list(NUTS2024_SPLITS))
    record("dropped", frame.loc[is_split, "region"], NUTS2024_SPLITS.get)
    frame = frame[~is_split]

    is_retired = frame["region"].isin(retired.index) & ~frame["region"].isin(known_2021)
    record("dropped", frame.loc[is_retired, "region"], lambda code: retired.loc[code, "reason"])
    frame = frame[~is_retired]

    unknown = ~frame["region"].isin(known_2021) & ~frame["region"].isin(list(NUTS2024_TO_2021))
    if unknown.any():
        first = frame.loc[unknown].iloc[0]
        raise BuildError(file, f"unknown region code {first['region']!r} (not NUTS 2021, not a known "
                               f"NUTS 2024 change, not in nuts_codes_retired.csv)", row=int(first["row"]))

    is_2024 = frame["region"].isin(list(NUTS2024_TO_2021))
    if is_2024.any():
        mapped = frame[is_2024].copy()
        mapped["note"] = mapped["region"].map(lambda code: NUTS2024_TO_2021[code][1])
        mapped["region"] = mapped["region"].map(lambda code: NUTS2024_TO_2021[code][0])
        # Where Eurostat still gives the NUTS 2021 code for the same year, that value wins.
        have = set(zip(frame.loc[~is_2024, "region"], frame.loc[~is_2024, "year"]))
        duplicate = [(r, y) in have for r, y in zip(mapped["region"], mapped["year"])]
        duplicate = pd.Series(duplicate, index=mapped.index, dtype=bool)
        original = frame.loc[is_2024, "region"]
        record("dropped", original[duplicate.values], lambda code: "same region-year given under its NUTS 2021 code")
        record("mapped", original[~duplicate.values], lambda code: NUTS2024_TO_2021[code][1])
        frame = pd.concat([frame[~is_2024], mapped[~duplicate.values]])

    dup = frame.duplicated(["region", "year"], keep=False)
    if dup.any():
        first = frame.loc[dup].sort_values("row").iloc[1]
        raise BuildError(file, f"duplicate value for region {first['region']} in {first['year']}", row=int(first["row"]))
    return frame, reference, log
