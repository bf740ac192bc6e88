"""examples/notebooks/planning.ipynb runs from top to bottom (nbclient) and says what it should."""
import json
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "planning.ipynb"


def test_planning_notebook_runs_and_reports(capsys):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    t0 = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    seconds = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n[planning.ipynb ran in {seconds:.1f} s]")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 5  # forecast, staffing, schedule, service level, weekly lines
    check = next(c for c in nb.cells if "check" in c.metadata.get("tags", []))
    facts = json.loads(check.outputs[0]["text"])
    assert facts["status"] in ("optimal", "feasible")
    assert facts["planned_service_level"] >= 0.8  # every interval meets 0.8 in the plan
    assert (facts["simulated_service_level_lower"] <= facts["simulated_service_level"]
            <= facts["simulated_service_level_upper"])
    assert facts["headcount"] > 0 and facts["intervals"] == 5 * 48 + 32
    report = Path(facts["report"]).read_text()
    assert report.count("data:image/png;base64,") == 6  # with the explanation chart
    summary = next(c for c in nb.cells if c.cell_type == "code" and "plan.summary.T" in c.source)
    html = summary.outputs[0]["data"]["text/html"]
    assert "service_level" in html and "simulated" in html
