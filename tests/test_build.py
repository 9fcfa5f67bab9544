import json
import os
import shutil

import pandas as pd
import pytest

from s3map import config
from s3map.data import build as build_module
from s3map.data.errors import BuildError
from s3map.data.stats import dataset_stats

pytestmark = pytest.mark.rebuild  # every test here builds the dataset into a folder of its own


@pytest.fixture(scope="module")
def built(tmp_path_factory, dataset):
    """A complete, forced build (the real upstream files, from the mirror) into a temporary folder that
    already holds a build, as when a server runs on it: a copy of the current, fingerprint-checked
    dataset. One full build serves every test here. Yields (link, env patch, the previous build)."""
    folder = tmp_path_factory.mktemp("dataset") / "build"
    previous = folder.parent / "build.versions" / "19700101T000000000000"
    shutil.copytree(dataset.folder, previous)
    folder.symlink_to(os.path.relpath(previous, folder.parent))
    patch = pytest.MonkeyPatch()
    patch.setenv("S3MAP_DATA", str(folder))
    messages = []
    build_module.build(force=True, log=messages.append)
    yield folder, patch, previous
    patch.undo()


def test_build_outputs_and_stats(built):
    folder, *_ = built
    stats = dataset_stats(folder)
    # The complete upstream files plus the outermost regions from their insets (tests/test_geometry.py).
    assert stats["geometry"]["features_per_level"] == {"0": 37, "1": 125, "2": 334, "3": 1514}
    assert stats["geometry"]["regions_without_geometry"] == []
    indicators = stats["indicators"]
    assert len(indicators) >= 8
    for key in ("gdp_pps_hab", "gdp_pps_hab_eu", "population", "gerd_pc_gdp", "unemployment_rate",
                "employment_rate", "tertiary_attainment", "hrst_pc_act", "rii"):
        assert indicators[key]["unit"] and indicators[key]["regions_nuts2"] > 150, key
    assert stats["code_changes"]["mapped"]["NL35"] > 0
    assert "PT1A" in stats["code_changes"]["dropped"]
    values = pd.read_parquet(folder / "indicators.parquet")
    assert list(values.columns) == ["region", "level", "indicator", "year", "value", "unit", "flag", "source", "note"]
    assert not values.duplicated(["region", "indicator", "year"]).any()
    # A known published value: GDP per inhabitant of Małopolskie in 2023, 69% of the EU average.
    row = values[(values["region"] == "PL21") & (values["indicator"] == "gdp_pps_hab_eu") & (values["year"] == 2023)]
    assert row["value"].tolist() == [69.0]
    # Provenance travels with the dataset.
    provenance = json.loads((folder / "provenance.json").read_text())
    assert all(entry["sha256"] and entry["licence"] for entry in provenance)
    # Web geometry is light: level 2 under 300 kB, ids and names only.
    geo = json.loads((folder / "geo" / "index.json").read_text())
    level2 = folder / "geo" / geo["2"]
    assert level2.stat().st_size < 300_000
    feature = json.loads(level2.read_text())["features"][0]
    assert set(feature["properties"]) == {"id", "na"}


def test_second_build_is_a_no_op(built):
    folder, *_ = built
    before = folder.resolve()
    messages = []
    build_module.build(log=messages.append)
    # Up to date, and the upstream files were still checked against their checksums.
    assert len(messages) == 1 and messages[0].startswith(f"dataset up to date: {folder} (")
    assert messages[0].endswith("upstream files verified against their checksums)")
    assert folder.resolve() == before


def test_rebuild_keeps_the_previous_build_for_a_running_server(built):
    """An app started before a rebuild still serves its geometry files from the previous folder."""
    folder, _, previous = built
    after = folder.resolve()
    assert after != previous.resolve()
    assert (previous / "geo" / "index.json").is_file()
    versions = sorted(p for p in folder.parent.glob("build.versions/*"))
    assert versions == sorted([previous.resolve(), after])


def test_failed_build_leaves_previous_dataset_intact(built, tmp_path, monkeypatch):
    folder, *_ = built
    before_target = folder.resolve()
    before_files = sorted(p.name for p in before_target.iterdir())
    versions_before = sorted(folder.parent.glob("build.versions/*"))
    curated = tmp_path / "s3"
    shutil.copytree(config.curated_dir(), curated)
    seed = curated / "priorities" / "seed.csv"
    frame = pd.read_csv(seed, dtype=str, keep_default_na=False)
    frame.loc[5, "nuts_code"] = "ZZ99"
    frame.to_csv(seed, index=False)
    monkeypatch.setattr(config, "curated_dir", lambda: curated)
    with pytest.raises(BuildError, match=r"seed.csv, row 7: territory 'ZZ99' is not a NUTS 2021 code"):
        build_module.build(force=True, log=lambda *_: None)
    assert folder.resolve() == before_target
    assert sorted(p.name for p in before_target.iterdir()) == before_files
    assert sorted(folder.parent.glob("build.versions/*")) == versions_before  # no half-built folder left
