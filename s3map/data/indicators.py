"""Regional indicators: one reader per upstream format, one tidy table out.

Tidy columns: region, indicator, year, value, unit, flag, source, note.
`flag` is Eurostat's observation flag (b break, p provisional, e estimated, u low reliability, ...);
`note` says when a region code was harmonised to NUTS 2021.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from s3map.data.errors import BuildError


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    source: str  # key in sources.toml
    reader: str  # key in READERS
    filters: dict = field(default_factory=dict)
    higher_is_better: bool | None = True
    decimals: int = 1
    description: str = ""


INDICATORS: tuple[Indicator, ...] = (
    Indicator("gdp_pps_hab", "GDP per inhabitant (PPS)", "PPS per inhabitant", "gdp_pps_hab",
              "eurostat_api_cache", {"unit": "PPS_EU27_2020_HAB"}, decimals=0,
              description="Gross domestic product at current market prices, purchasing power standards per inhabitant (nama_10r_2gdp)."),
    Indicator("gdp_pps_hab_eu", "GDP per inhabitant, % of EU average", "% of EU27 average (PPS)",
              "gdp_pps_hab_eu", "eurostat_api_cache", {"unit": "PPS_HAB_EU27_2020"}, decimals=0,
              description="GDP per inhabitant in PPS as a percentage of the EU27 (from 2020) average; the basis of the cohesion-policy region categories."),
    Indicator("population", "Population", "persons", "population", "population_extract",
              higher_is_better=None, decimals=0,
              description="Population on 1 January (demo_r_d2jan)."),
    Indicator("gerd_pc_gdp", "R&D expenditure (GERD)", "% of GDP", "gerd_pc_gdp", "sdmx_csv",
              {"sectperf": "TOTAL", "unit": "PC_GDP"}, decimals=2,
              description="Intramural R&D expenditure, all sectors of performance, as % of GDP (tgs00042)."),
    Indicator("unemployment_rate", "Unemployment rate", "% of labour force (15-74)", "unemployment_rate",
              "sdmx_csv", {"sex": "T"}, higher_is_better=False,
              description="Unemployed persons as % of the labour force aged 15-74 (tgs00010)."),
    Indicator("employment_rate", "Employment rate", "% of population aged 15-64", "employment_rate",
              "sdmx_csv", {"sex": "T"},
              description="Employed persons as % of the population aged 15-64 (tgs00007)."),
    Indicator("tertiary_attainment", "Tertiary educational attainment", "% of population aged 25-64",
              "tertiary_attainment", "sdmx_csv", {"sex": "T"},
              description="Persons aged 25-64 with tertiary education (ISCED 5-8) (tgs00109)."),
    Indicator("hrst_pc_act", "Human resources in science and technology", "% of labour force",
              "hrst_pc_act", "eurito_long",
              description="HRST (by education or occupation) as % of the active population (hrst_st_rcat)."),
    Indicator("researchers_pc_act", "Researchers (FTE)", "% of active population", "researchers_pc_act",
              "eurito_long", decimals=2,
              description="Researchers in all sectors, full-time equivalent, as % of the active population (rd_p_persreg)."),
    Indicator("rii", "Regional Innovation Index", "index, EU 2016 = 100", "ris_2023", "ris_summary",
              description="Regional Innovation Scoreboard 2023 summary index, relative to the EU in 2016. Some countries are scored at NUTS 1."),
)

INDICATORS_BY_ID = {indicator.id: indicator for indicator in INDICATORS}

RAW_COLUMNS = ["region", "year", "value", "flag", "row"]


def _numeric(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Values must be numbers or empty; anything else stops the build naming the row."""
    text = frame["value"].astype("string").str.strip()
    missing = text.isna() | text.isin(["", ":"])
    numbers = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = numbers.isna() & ~missing
    if bad.any():
        first = frame.loc[bad].iloc[0]
        raise BuildError(file, f"value {first['value']!r} for {first['region']} {first['year']} is not a number",
                         row=int(first["row"]))
    out = frame.assign(value=numbers)
    return out.loc[~missing]


def _years(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    years = pd.to_numeric(frame["year"], errors="coerce")
    bad = years.isna() | (years % 1 != 0)
    if bad.any():
        first = frame.loc[bad].iloc[0]
        raise BuildError(file, f"year {first['year']!r} is not a year", row=int(first["row"]))
    return frame.assign(year=years.astype(int))


def _require(frame: pd.DataFrame, columns: list[str], file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BuildError(file, f"missing column(s) {', '.join(missing)}")


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise BuildError(path.name, f"cannot be read as CSV ({exc})") from exc
    frame["row"] = range(2, len(frame) + 2)  # row numbers as a spreadsheet shows them (header = 1)
    return frame


def _filter(frame: pd.DataFrame, filters: dict, file: str) -> pd.DataFrame:
    _require(frame, list(filters), file)
    for column, value in filters.items():
        frame = frame[frame[column] == value]
    return frame


def read_eurostat_api_cache(path: Path, indicator: Indicator) -> pd.DataFrame:
    frame = _read_csv(path)
    _require(frame, ["unit", "geo", "time", "obs_value"], path.name)
    frame = _filter(frame, indicator.filters, path.name)
    return frame.rename(columns={"geo": "region", "time": "year", "obs_value": "value"}).assign(flag="")[RAW_COLUMNS]


def read_sdmx_csv(path: Path, indicator: Indicator) -> pd.DataFrame:
    frame = _read_csv(path)
    _require(frame, ["geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"], path.name)
    frame = _filter(frame, indicator.filters, path.name)
    return frame.rename(columns={"geo": "region", "TIME_PERIOD": "year", "OBS_VALUE": "value",
                                 "OBS_FLAG": "flag"})[RAW_COLUMNS]


def read_population_extract(path: Path, indicator: Indicator) -> pd.DataFrame:
    frame = _read_csv(path)
    _require(frame, ["nuts2_id", "year", "population"], path.name)
    return frame.rename(columns={"nuts2_id": "region", "population": "value"}).assign(flag="")[RAW_COLUMNS]


def read_eurito_long(path: Path, indicator: Indicator) -> pd.DataFrame:
    frame = _read_csv(path)
    _require(frame, ["year", "region_id", "region_level"], path.name)
    value_column = frame.columns[-2]  # the last upstream column holds the value ('row' is ours)
    return frame.rename(columns={"region_id": "region", value_column: "value"}).assign(flag="")[RAW_COLUMNS]


def read_ris(path: Path) -> pd.DataFrame:
    """The RIS 2023 sheet, all indicators (used for the summary index and the performance groups)."""
    try:
        frame = pd.read_excel(path, sheet_name="RIS", engine="calamine",
                              dtype={"Region": str, "performance group": str})
    except Exception as exc:  # openpyxl raises several types for a corrupt workbook
        raise BuildError(path.name, f"cannot be read as the RIS workbook ({exc})") from exc
    _require(frame, ["Indicator", "Year", "Region", "Value", "performance group"], path.name)
    frame["row"] = range(2, len(frame) + 2)
    return frame


def read_ris_summary(path: Path, indicator: Indicator) -> pd.DataFrame:
    frame = read_ris(path)
    frame = frame[frame["Indicator"] == "0 Summary Innovation Index"]
    return frame.rename(columns={"Region": "region", "Year": "year", "Value": "value"}).assign(flag="")[RAW_COLUMNS]


def ris_performance_groups(path: Path) -> pd.DataFrame:
    """Leader / Strong / Moderate / Emerging per region for the latest RIS year."""
    frame = read_ris(path)
    frame = frame[(frame["Indicator"] == "0 Summary Innovation Index") & (frame["Region"] != "EU")]
    latest = frame["Year"].max()
    frame = frame[frame["Year"] == latest]
    return pd.DataFrame({"region": frame["Region"].astype(str), "year": int(latest),
                         "group": frame["performance group"].astype(str), "row": frame["row"]})


READERS = {
    "eurostat_api_cache": read_eurostat_api_cache,
    "sdmx_csv": read_sdmx_csv,
    "population_extract": read_population_extract,
    "eurito_long": read_eurito_long,
    "ris_summary": read_ris_summary,
}


def read_indicator(path: Path, indicator: Indicator) -> pd.DataFrame:
    """Raw rows (region, year, numeric value, flag, row) for one indicator; gaps removed, not filled."""
    frame = READERS[indicator.reader](path, indicator)
    frame = _years(_numeric(frame, path.name), path.name)
    frame["flag"] = frame["flag"].fillna("").astype(str).str.strip()
    return frame
