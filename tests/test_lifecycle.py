"""Dataset versions on disk while servers run; checksums on every build; interrupted builds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests

from s3map import config
from s3map.data.build import build, version_in_use
from s3map.data.sources import SourceError, load_manifest
from serving_helpers import production_server

REPO = config.PROJECT_ROOT
pytestmark = pytest.mark.rebuild  # every test here builds a dataset or reads every upstream file


def run_build(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "s3map.data", "build", *args], cwd=REPO, text=True,
                          env={**os.environ, **env}, capture_output=True, timeout=600)


def test_a_running_server_keeps_its_geometry_through_three_rebuilds(tmp_path):
    data = tmp_path / "build"
    env = {"S3MAP_DATA": str(data)}
    assert run_build(env).returncode == 0
    versions = tmp_path / "build.versions"
    first = data.resolve()
    with production_server(workers=2, **env) as url:
        served = requests.get(f"{url}/healthz", timeout=5).json()["dataset"]["version"]
        assert served == first.name
        names = [name for name in os.listdir(first / "geo") if name.startswith("nuts") and name.endswith(".json")]
        for _ in range(3):
            result = run_build(env, "--force")
            assert result.returncode == 0, result.stderr
        assert data.resolve() != first
        assert first.is_dir() and version_in_use(first)  # held by the running server, so kept
        assert "kept 1 older version(s) still in use by a running server" in result.stdout
        for name in names:
            response = requests.get(f"{url}/geo/{name}", timeout=10)
            assert response.status_code == 200, name
            assert response.content == (first / "geo" / name).read_bytes()
        assert requests.get(f"{url}/healthz", timeout=5).json()["dataset"]["version"] == first.name
    # Rollout: a replica on the newest version also answers geometry of another version on its disk.
    other = versions / "20000101T000000000000" / "geo"
    other.mkdir(parents=True)
    (other / "nuts2.0123456789ab.json").write_text('{"type":"FeatureCollection","features":[]}')
    with production_server(workers=1, **env) as url:
        assert requests.get(f"{url}/healthz", timeout=5).json()["dataset"]["version"] == data.resolve().name
        response = requests.get(f"{url}/geo/nuts2.0123456789ab.json", timeout=10)
        assert response.status_code == 200 and response.json()["features"] == []
        assert "immutable" in response.headers["Cache-Control"]
        assert requests.get(f"{url}/geo/nuts2.ffffffffffff.json", timeout=10).status_code == 404
        escape = requests.get(f"{url}/geo/..%2Ffingerprint", timeout=10)  # Dash's page, never the file
        assert (data / "fingerprint").read_text().strip() not in escape.text
    shutil.rmtree(other.parent)
    # Once no process holds it, the next build removes it (newest and previous are kept).
    assert not version_in_use(first)
    assert run_build(env, "--force").returncode == 0
    assert not first.exists()
    assert len([p for p in versions.iterdir() if p.is_dir()]) == 2


def test_build_verifies_the_mirror_even_when_the_dataset_is_up_to_date(tmp_path, dataset, mirror, monkeypatch):
    copy = tmp_path / "mirror"
    shutil.copytree(mirror, copy)
    monkeypatch.setenv("S3MAP_MIRROR", str(copy))
    messages = []
    build(log=messages.append)
    assert messages[-1].startswith("dataset up to date") and f"{len(load_manifest())} upstream files verified" in messages[-1]
    source = load_manifest()["ris_2023"]
    with open(copy / source.mirror_path, "r+b") as handle:
        handle.seek(100)
        handle.write(b"\x00corrupt\x00")
    with pytest.raises(SourceError, match=r"ris_2023: checksum mismatch for .*"):
        build(log=messages.append)
    result = run_build({"S3MAP_MIRROR": str(copy)})
    assert result.returncode == 1 and "ris_2023: checksum mismatch" in result.stderr
    assert dataset.folder.is_dir()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_nothing_behind_and_says_one_line(tmp_path, signum):
    data = tmp_path / "build"
    versions = tmp_path / "build.versions"
    process = subprocess.Popen([sys.executable, "-m", "s3map.data", "build"], cwd=REPO, text=True,
                               env={**os.environ, "S3MAP_DATA": str(data)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while not (versions.is_dir() and list(versions.glob("*.partial"))) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # well into the build
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == (130 if signum == signal.SIGINT else 143)
    assert err.strip().splitlines() == [
        f"interrupted ({signal.Signals(signum).name}): nothing was changed; the previous dataset is still in place"]
    assert "Traceback" not in out + err
    assert not data.exists()
    assert [p.name for p in versions.iterdir() if p.is_dir()] == []
