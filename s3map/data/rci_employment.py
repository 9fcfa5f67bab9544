"""Structural data for peers and specialisation: RCI 2022 raw indicators, manufacturing employment.

RCI 2022 (DG REGIO) merges seven capital regions with their commuting zones under codes of its own
(sheet "Info aggregated capital regions"); each member NUTS 2 region takes the merged values,
with a note. Employment: persons employed in local units, NACE C and divisions C10-C33, 2022
(sbs_r_nuts2021); only manufacturing is available, which the app says wherever it is used.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError

# From the workbook's sheet "Info aggregated capital regions" (it writes B10/B24/B31 for BE10/BE24/BE31).
RCI_MERGED_CAPITALS = {
    "AT_C": ("AT12", "AT13"), "BE_C": ("BE10", "BE24", "BE31"), "HR_C": ("HR05", "HR06"),
    "CZ_C": ("CZ01", "CZ02"), "DE_C": ("DE30", "DE40"), "HU_C": ("HU11", "HU12"), "NL_C": ("NL23", "NL32"),
}

# Navarro et al. (2014)'s structural dimensions, filled with the RCI 2022 raw indicators that
# describe conditions a region cannot change quickly (no policy-outcome or national-only indicators).
PEER_DIMENSIONS = {
    "Demography and geography": ["Potential market size expressed in population", "Accessibility to passenger flights",
                                 "Road transport performance", "Healthy life expectancy"],
    "Economic structure": ["GDP per capita (PPS, EU27=100, 2018-2020)", "Employment (K-N sectors)",
                           "Gross value added (GVA) (K-N sectors)", "Labour productivity",
                           "Disposable income per capita"],
    "Technology and human capital": ["Higher educational attainment", "Human Resources in Science and Technology",
                                     "Employment in technology and knowledge-intensive sectors",
                                     "Total intramural research and development expenditure",
                                     "Total patent applications", "Scientific publications"],
    "Institutions": ["Quality and accountability", "Impartiality", "Corruption"],
}


def read_rci(path: Path, known: set[str]) -> pd.DataFrame:
    """Long table: region, variable, value, dimension, note (NUTS 2021 codes; merged capitals expanded)."""
    try:
        raw = pd.read_excel(path, sheet_name="RCI_2022_raw_data", engine="calamine")
        gdp = pd.read_excel(path, sheet_name="RCI_2022_population_GDP", engine="calamine", header=None)
    except Exception as exc:
        raise BuildError(path.name, f"cannot be read as the RCI 2022 workbook ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    if "NUTS" not in raw.columns:
        raise BuildError(path.name, "sheet RCI_2022_raw_data has no NUTS column")
    # GDP per capita average 2018-2020 (index EU27 = 100) from the population/GDP sheet: column 10.
    gdp = gdp.iloc[3:, [0, 10]].dropna()
    gdp.columns = ["NUTS", "GDP per capita (PPS, EU27=100, 2018-2020)"]
    raw = raw.merge(gdp, on="NUTS", how="left")
    rows = []
    wanted = {variable: dimension for dimension, variables in PEER_DIMENSIONS.items() for variable in variables}
    missing = [variable for variable in wanted if variable not in raw.columns]
    if missing:
        raise BuildError(path.name, f"missing RCI variable(s): {', '.join(missing)}")
    for index, record in raw.iterrows():
        code = str(record["NUTS"]).strip()
        members = RCI_MERGED_CAPITALS.get(code, (code,))
        for member in members:
            if member not in known:
                raise BuildError(path.name, f"unknown region code {member!r}", row=index + 2)
            note = f"value of RCI region {code} (capital with commuting zone)" if code in RCI_MERGED_CAPITALS else ""
            for variable, dimension in wanted.items():
                value = pd.to_numeric(record[variable], errors="coerce")
                if pd.notna(value):
                    rows.append({"region": member, "variable": variable, "dimension": dimension,
                                 "value": float(value), "note": note})
    return pd.DataFrame(rows)


def read_manufacturing(path: Path, known: set[str]) -> pd.DataFrame:
    """region, nace (C or C10..C33), employment (persons; confidential cells stay missing)."""
    try:
        frame = pd.read_excel(path, engine="calamine")
    except Exception as exc:
        raise BuildError(path.name, f"cannot be read as an Excel table ({exc})") from exc
    for column in ("NUTS_ID", "Sector", "Empl_pers"):
        if column not in frame.columns:
            raise BuildError(path.name, f"missing column {column}")
    frame = frame.dropna(subset=["NUTS_ID", "Sector"])
    frame["row"] = frame.index + 2
    unknown = frame[~frame["NUTS_ID"].isin(known)]
    if not unknown.empty:
        raise BuildError(path.name, f"unknown region code {unknown.iloc[0]['NUTS_ID']!r}", row=int(unknown.iloc[0]["row"]))
    out = pd.DataFrame({"region": frame["NUTS_ID"].astype(str), "nace": frame["Sector"].astype(str),
                        "employment": pd.to_numeric(frame["Empl_pers"], errors="coerce")})
    if out.duplicated(["region", "nace"]).any():
        dup = frame[out.duplicated(["region", "nace"]).to_numpy()].iloc[0]
        raise BuildError(path.name, f"duplicate value for {dup['NUTS_ID']} {dup['Sector']}", row=int(dup["row"]))
    return out
