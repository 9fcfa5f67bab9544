"""The researcher notebooks run against the API (in-process) and their answers agree with the dataset."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from s3map.analysis.specialisation import location_quotients

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

pytestmark = pytest.mark.slow  # each executes a notebook in a kernel


def run(name: str) -> tuple[dict, list]:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    errors = [f"{o['ename']}: {o['evalue']}" for o in outputs if o.get("output_type") == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    summary = json.loads(re.search(r"^SUMMARY (.*)$", text, re.M).group(1))
    return summary, outputs


HYDROGEN = re.compile(r"hydrogen|wasserstoff|wod[oó]r|idrogeno|hidr[oó]geno|hydrog[eè]ne|vod[ií]k|vety|v[äa]te\b"
                      r"|waterstof|hidrog[eé]n", re.IGNORECASE)


def test_hydrogen_notebook_finds_the_in_force_hydrogen_priorities_and_their_lqs(dataset):
    summary, _ = run("hydrogen_priorities.ipynb")
    priorities = dataset.priorities[dataset.priorities["strategy_id"].isin(dataset.in_force["strategy_id"])]
    matched = priorities[(priorities["name"] + " " + priorities["description"]).str.contains(HYDROGEN)]
    assert summary["strategies"] == sorted(matched["strategy_id"].unique()) and summary["strategies"]
    assert summary["priorities"] == len(matched)
    lq = location_quotients(dataset.manufacturing).set_index(["region", "nace"])["lq"]
    assert summary["lq"], "at least one territory with employment data"
    for key, value in summary["lq"].items():
        region, division = key.split(":")
        assert value == pytest.approx(round(float(lq[(region, division)]), 2))


def test_less_developed_peers_notebook_uses_the_apps_categories(dataset):
    summary, outputs = run("less_developed_peers.ipynb")
    attributes = dataset.region_attributes
    assert summary["less_developed"] == sorted(attributes.index[attributes["category"] == "less"])
    assert summary["with_peers"] > 0 and 0 <= summary["share_peers_less_developed"] <= 1
    assert any("text/html" in o.get("data", {}) for o in outputs)


def test_priority_change_notebook_pairs_each_2014_strategy_with_its_successor(dataset):
    summary, _ = run("priorities_2014_vs_2021.ipynb")
    s = dataset.strategies
    past = s[(s["status"] == "history") & (s["period_start"] == 2014) & (s["priorities"] > 0)]
    in_force = dataset.in_force[dataset.in_force["priorities"] > 0]
    key = lambda t: " ".join(sorted(t.split()))  # noqa: E731
    current = in_force["territory"].map(key).tolist()
    # one row per pair: a territory with two strategies in force (EL52) is paired with each
    expected = sorted(key(t) for t in past["territory"] for other in current if other == key(t))
    assert summary["territories"] == expected and expected
    assert 0 <= summary["median_jaccard"] <= 1
