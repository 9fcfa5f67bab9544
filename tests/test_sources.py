import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from s3map.data.sources import SourceError, fetch, load_manifest, sha256_of


def test_manifest_has_provenance_for_every_file():
    sources = load_manifest()
    assert len(sources) >= 20
    for source in sources.values():
        assert source.url.startswith(("https://", "pypi:")), source.id
        assert source.licence and source.publisher and source.title, source.id
        assert len(source.sha256) == 64, source.id


def test_mirror_copy_is_verified_and_used(mirror):
    source = load_manifest()["nuts_pt_0"]
    path = fetch(source, mirror=mirror, raw=Path("/nonexistent"))
    assert path == mirror / source.mirror_path
    assert sha256_of(path) == source.sha256


def test_checksum_mismatch_in_mirror_names_the_file(tmp_path):
    source = load_manifest()["nuts_pt_0"]
    bad = tmp_path / "mirror" / source.mirror_path
    bad.parent.mkdir(parents=True)
    bad.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(SourceError, match="nuts_pt_0: checksum mismatch"):
        fetch(source, mirror=tmp_path / "mirror", raw=tmp_path / "raw")


def test_download_when_no_mirror_is_verified_and_atomic(tmp_path, mirror):
    source = load_manifest()["nuts_pt_0"]
    upstream = tmp_path / "upstream.json"
    shutil.copy(mirror / source.mirror_path, upstream)
    local = replace(source, url=upstream.as_uri())
    path = fetch(local, mirror=tmp_path / "no-mirror", raw=tmp_path / "raw")
    assert path == tmp_path / "raw" / source.mirror_path and sha256_of(path) == source.sha256

    upstream.write_text("tampered")
    tampered = replace(source, url=upstream.as_uri(), mirror_path="other/nutspt_0.json")
    with pytest.raises(SourceError, match="checksum mismatch for the download"):
        fetch(tampered, mirror=tmp_path / "no-mirror", raw=tmp_path / "raw")
    assert not (tmp_path / "raw" / "other" / "nutspt_0.json").exists()  # nothing half-written
    assert list((tmp_path / "raw" / "other").iterdir()) == []


def test_mirror_only_file_without_mirror_says_so(tmp_path):
    source = load_manifest()["population"]  # a filtered extract, not a byte copy of an upstream file
    assert source.mirror_only
    with pytest.raises(SourceError, match="cannot be downloaded byte-identical"):
        fetch(source, mirror=tmp_path, raw=tmp_path / "raw")
