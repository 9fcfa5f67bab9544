from pathlib import Path

import pytest

from s3map.data.errors import BuildError
from s3map.data.harmonise import harmonise
from s3map.data.indicators import INDICATORS_BY_ID, read_indicator

HEADER = ("STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,freq,Time frequency,sex,Sex,unit,Unit,geo,Geo,"
          "TIME_PERIOD,Time,OBS_VALUE,Observation value,OBS_FLAG,Flag,CONF_STATUS,Conf\n")


def sdmx(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path = tmp_path / "tgs00007.csv"
    lines = [f"dataflow,X,Y,A,Annual,T,Total,PC,Percent,{geo},name,{year},,{value},,{flag},,,\n"
             for geo, year, value, flag in rows]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


KNOWN = {"AT11", "AT12", "NL31", "NL33", "PT16", "PT17"}


def test_reads_values_flags_and_skips_gaps(tmp_path):
    path = sdmx(tmp_path, [("AT11", "2020", "70.5", "b"), ("AT12", "2020", "", ""), ("AT12", "2021", ":", "")])
    frame = read_indicator(path, INDICATORS_BY_ID["employment_rate"])
    assert frame[["region", "year", "value", "flag"]].values.tolist() == [["AT11", 2020, 70.5, "b"]]


def test_non_numeric_value_names_file_and_row(tmp_path):
    path = sdmx(tmp_path, [("AT11", "2020", "70.5", ""), ("AT12", "2020", "seventy", "")])
    with pytest.raises(BuildError, match=r"tgs00007.csv, row 3: value 'seventy'"):
        read_indicator(path, INDICATORS_BY_ID["employment_rate"])


def test_unknown_region_code_stops_the_build(tmp_path):
    path = sdmx(tmp_path, [("AT11", "2020", "1", ""), ("XX99", "2020", "2", "")])
    raw = read_indicator(path, INDICATORS_BY_ID["employment_rate"])
    with pytest.raises(BuildError, match=r"row 3: unknown region code 'XX99'"):
        harmonise(raw, KNOWN, path.name, "employment_rate")


def test_duplicate_region_year_stops_the_build(tmp_path):
    path = sdmx(tmp_path, [("AT11", "2020", "1", ""), ("AT11", "2020", "2", "")])
    raw = read_indicator(path, INDICATORS_BY_ID["employment_rate"])
    with pytest.raises(BuildError, match=r"row 3: duplicate value for region AT11 in 2020"):
        harmonise(raw, KNOWN, path.name, "employment_rate")


def test_nuts2024_codes_are_mapped_or_dropped_and_logged(tmp_path):
    path = sdmx(tmp_path, [("NL35", "2022", "1", ""), ("NL31", "2021", "2", ""), ("NL35", "2021", "3", ""),
                           ("PT1A", "2022", "4", ""), ("ATZZ", "2022", "5", ""), ("HR04", "2015", "6", "")])
    raw = read_indicator(path, INDICATORS_BY_ID["employment_rate"])
    kept, reference, log = harmonise(raw, KNOWN, path.name, "employment_rate")
    assert sorted(zip(kept["region"], kept["year"], kept["value"])) == [("NL31", 2021, 2.0), ("NL31", 2022, 1.0)]
    assert "boundary shift" in kept.loc[kept["year"] == 2022, "note"].iloc[0]
    actions = {(entry["code"], entry["action"], entry["rows"]) for entry in log}
    assert ("NL35", "mapped", 1) in actions
    assert ("NL35", "dropped", 1) in actions  # 2021 already given under NL31: the NUTS 2021 value wins
    assert ("PT1A", "dropped", 1) in actions and ("ATZZ", "dropped", 1) in actions and ("HR04", "dropped", 1) in actions
    dropped = sum(entry["rows"] for entry in log if entry["action"] == "dropped")
    assert dropped + len(kept) + len(reference) == len(raw)  # every row is kept, mapped or logged as dropped
