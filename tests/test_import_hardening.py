"""Import limits, duplicates of curated strategies, encodings, formula text and interruption."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from s3map import config
from s3map.data import importer
from s3map.data.csv_safe import neutralise, neutralise_frame
from s3map.data.errors import BuildError
from s3map.data.importer import MAX_IMPORT_ROWS, import_table
from s3map.ui.benchmark import compare_csv
from test_strategies import GOOD, table

REPO = config.PROJECT_ROOT
# The curated Małopolska strategy (data/s3/priorities/east.csv): same territory, period and title.
CURATED_PL21 = {**GOOD, "region_name": "Małopolskie",
                "strategy_title": "Regional Innovation Strategy of the Małopolska Region 2030 (RIS 2030 / RSI WM 2030)",
                "priority_name": "Quantum sensing"}
# A curated strategy (seed.csv) that no hand-curated side table refers to: it can be replaced.
CURATED_AT11 = {**GOOD, "country": "AT", "nuts_code": "AT11", "region_name": "Burgenland", "period": "2015-2025",
                "strategy_title": "FTI-Strategie Burgenland 2025", "priority_name": "Quantum sensing"}


@pytest.fixture()
def scratch(tmp_path, monkeypatch):
    """A copy of the curated tables and an empty dataset folder, so imports touch nothing real."""
    curated = tmp_path / "s3"
    shutil.copytree(config.curated_dir(), curated)
    monkeypatch.setenv("S3MAP_CURATED", str(curated))
    monkeypatch.setenv("S3MAP_DATA", str(tmp_path / "build"))
    return curated


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_100000_row_import_is_refused_up_front_with_the_limit(tmp_path, scratch):
    rows = [{**GOOD, "priority_name": f"Priority {i}"} for i in range(100_000)]
    path = table(tmp_path, rows, "huge.csv")
    before = listing(scratch / "priorities")
    started = time.perf_counter()
    with pytest.raises(BuildError, match=r"huge.csv: \d+\.\d MB is more than an import takes \(5 MB\); split the table"):
        import_table(str(path), log=lambda *_: None)
    assert time.perf_counter() - started < 5  # refused before parsing or building, not after minutes
    assert listing(scratch / "priorities") == before
    assert not (tmp_path / "build").exists()


def test_too_many_rows_under_the_size_limit_are_refused_naming_the_limit(tmp_path, scratch, dataset, monkeypatch):
    monkeypatch.setenv("S3MAP_DATA", str(dataset.folder))  # the built dataset: no build needed here
    rows = [{**GOOD, "priority_name": f"P{i}"} for i in range(MAX_IMPORT_ROWS + 1)]
    path = table(tmp_path, rows, "many.csv")
    assert path.stat().st_size < importer.MAX_IMPORT_BYTES
    with pytest.raises(BuildError, match=r"many.csv: 5,001 rows is more than an import takes \(5,000\)"):
        import_table(str(path), log=lambda *_: None)


def test_a_latin1_csv_is_refused_naming_its_line_and_encoding(tmp_path, scratch):
    path = tmp_path / "latin.csv"
    rows = [{**GOOD, "region_name": "Malopolska", "priority_name": name} for name in ("Energy", "Énergie propre")]
    frame = pd.DataFrame(rows)
    path.write_bytes(frame.to_csv(index=False).encode("latin-1"))
    with pytest.raises(BuildError) as error:
        import_table(str(path), log=lambda *_: None)
    message = str(error.value)
    assert message.startswith("latin.csv, row 3: not UTF-8 text: byte 0xC9 at column")
    assert "it reads as cp1252 (save it as 'CSV UTF-8')" in message
    assert listing(scratch / "priorities") == listing(config.PROJECT_ROOT / "data" / "s3" / "priorities")


def test_a_row_matching_a_curated_strategy_is_refused_without_replace(tmp_path, scratch, dataset, monkeypatch):
    monkeypatch.setenv("S3MAP_DATA", str(dataset.folder))
    path = table(tmp_path, [CURATED_PL21], "pl21.csv")
    with pytest.raises(BuildError, match=r"row 2: strategy 'Regional Innovation Strategy of the Małopolska Region "
                                         r"2030 .*' \(PL21, 2021-2030\) already exists in east.csv; pass --replace"):
        import_table(str(path), log=lambda *_: None)
    assert not (scratch / "priorities" / "import_pl21.csv").exists()
    assert (scratch / "priorities" / "east.csv").read_bytes() == (
        config.PROJECT_ROOT / "data" / "s3" / "priorities" / "east.csv").read_bytes()


@pytest.mark.rebuild
def test_replace_swaps_the_curated_strategy_for_the_imported_rows(tmp_path, scratch):
    path = table(tmp_path, [CURATED_AT11], "at11.csv")
    messages = []
    import_table(str(path), replace=True, log=messages.append)
    built = tmp_path / "build"
    strategies = pd.read_parquet(built / "strategies.parquet")
    priorities = pd.read_parquet(built / "priorities.parquet")
    at11 = strategies[(strategies["territory"] == "AT11") & (strategies["period"] == "2015-2025")]
    assert len(at11) == 1
    names = priorities.loc[priorities["strategy_id"] == at11["strategy_id"].iloc[0], "name"].tolist()
    assert names == ["Quantum sensing"]  # replaced, not merged into the curated list
    seed = pd.read_csv(scratch / "priorities" / "seed.csv", dtype=str, keep_default_na=False)
    assert not ((seed["nuts_code"] == "AT11") & (seed["period"] == "2015-2025")).any()
    assert any(m.startswith("replaced 1 strategy from seed.csv") for m in messages)


def test_replace_is_refused_when_curated_side_tables_refer_to_the_strategy(tmp_path, scratch, dataset, monkeypatch):
    monkeypatch.setenv("S3MAP_DATA", str(dataset.folder))
    path = table(tmp_path, [CURATED_PL21], "pl21.csv")
    with pytest.raises(BuildError, match=r"pl21.csv: cannot replace strategy PL21-2021-\w+: hand-curated rows refer "
                                         r"to its priorities in .*priority_descriptions.csv \(\d+ rows\)"):
        import_table(str(path), replace=True, log=lambda *_: None)
    assert (scratch / "priorities" / "east.csv").read_bytes() == (
        config.PROJECT_ROOT / "data" / "s3" / "priorities" / "east.csv").read_bytes()
    assert not (scratch / "priorities" / "import_pl21.csv").exists()


def test_formula_text_is_kept_as_text_and_neutralised_in_csv_exports():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutralise(v) for v in ("+1", "-cmd", "@SUM(A1)", "\tx", "\rx")] == ["'+1", "'-cmd", "'@SUM(A1)",
                                                                                  "'\tx", "'\rx"]
    assert neutralise("Energy") == "Energy" and neutralise(-3.2) == -3.2 and neutralise(None) is None
    frame = neutralise_frame(pd.DataFrame({"name": ["=1+1", "Ok"], "value": [-1.5, 2.0]}))
    assert frame["name"].tolist() == ["'=1+1", "Ok"] and frame["value"].tolist() == [-1.5, 2.0]


def test_the_comparison_csv_neutralises_a_formula_in_a_region_name(dataset, monkeypatch):
    regions = dataset.regions.copy()
    regions.loc["PL21", "name"] = "=cmd|' /C calc'!A0"
    monkeypatch.setattr(dataset, "regions", regions)
    monkeypatch.setattr(dataset, "_names", {**dataset._names, "PL21": regions.loc["PL21", "name"]})  # names by code
    text = compare_csv(dataset, ["PL21"])
    rows = list(csv.DictReader(io.StringIO("\n".join(text.splitlines()[2:]))))
    names = {row["name"] for row in rows if row["region"] == "PL21"}
    assert names == {"'=cmd|' /C calc'!A0"}
    assert all(not row["value"].startswith("'") for row in rows)  # numbers stay numbers


def test_formula_text_in_an_import_is_stored_as_written(tmp_path, scratch, dataset, monkeypatch):
    monkeypatch.setenv("S3MAP_DATA", str(dataset.folder))
    row = {**GOOD, "nuts_code": "MT00", "country": "MT", "region_name": "Malta", "strategy_title": "Formula S3",
           "priority_name": "=HYPERLINK(\"http://evil.example\",\"click\")"}
    frame, _ = importer.check_table(table(tmp_path, [row], "f.csv"), set(dataset.regions["code"]))
    assert frame["priority_name"].tolist() == [row["priority_name"]]


@pytest.mark.rebuild
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_import_leaves_no_table_no_partial_folder_and_one_line(tmp_path, scratch, dataset, signum):
    """Stopped while its rebuild runs: the table goes again, the build's staging folder too."""
    data = tmp_path / "build"
    shutil.copytree(dataset.folder, tmp_path / "build.versions" / dataset.folder.name, symlinks=True)
    data.symlink_to(tmp_path / "build.versions" / dataset.folder.name)
    path = table(tmp_path, [{**GOOD, "nuts_code": "MT00", "country": "MT", "region_name": "Malta",
                              "strategy_title": "Interrupted S3", "priority_name": "Maritime"}], "stop.csv")
    env = {**os.environ, "S3MAP_CURATED": str(scratch), "S3MAP_DATA": str(data)}
    process = subprocess.Popen([sys.executable, "-m", "s3map.data", "import", str(path)], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    target = scratch / "priorities" / "import_stop.csv"
    deadline = time.time() + 120
    while not list((tmp_path / "build.versions").glob("*.partial")) and time.time() < deadline:
        time.sleep(0.05)
    assert target.exists(), "the import should be in its rebuild when it is stopped"
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == (130 if signum == signal.SIGINT else 143)
    assert err.strip().splitlines() == [
        f"interrupted ({signal.Signals(signum).name}): nothing was changed; the previous dataset is still in place"]
    assert "Traceback" not in out + err
    assert not target.exists()
    assert not [p for p in (scratch / "priorities").iterdir() if "partial" in p.name]
    assert not list((tmp_path / "build.versions").glob("*.partial"))
    assert data.resolve().name == dataset.folder.name
