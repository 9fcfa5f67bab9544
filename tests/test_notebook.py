from pathlib import Path

import pytest
import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

pytestmark = pytest.mark.slow  # each executes a notebook in a kernel


def test_top_gerd_notebook_runs_and_shows_ten_regions(dataset):
    notebook = nbformat.read(NOTEBOOKS / "top_regions_gerd.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if o.get("output_type") == "execute_result" and "text/html" in o.get("data", {})]
    table = html[-1]
    assert table.split("<tbody>")[1].count("<tr>") == 10  # top 10 rows
    top = dataset.values[(dataset.values["indicator"] == "gerd_pc_gdp") & (dataset.values["level"] == 2)]
    coverage = top.groupby("year")["region"].nunique()
    latest = coverage[coverage >= 100].index.max()
    best = top[top["year"] == latest].sort_values("value", ascending=False).iloc[0]
    assert best["region"] in table
