"""``notebooks/strategy_report.ipynb`` runs through papermill once for every params file."""

from __future__ import annotations

import pytest

from coopanalysis import paths
from coopanalysis.report import params

papermill = pytest.importorskip("papermill")

PARAMS_FILES = sorted(paths.PARAMS.glob("strategy_*.yaml"))


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return paths.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


@pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")
@pytest.mark.parametrize("params_file", PARAMS_FILES, ids=lambda p: p.stem)
def test_strategy_report_runs(params_file, tmp_path):
    values = params.load_file(params_file, params.strategy_ids(paths.PLAN_DIR))
    values.update(source=str(paths.PLAN_DIR), output_dir=str(tmp_path))
    nb = papermill.execute_notebook(
        str(paths.NOTEBOOKS / "strategy_report.ipynb"),
        str(tmp_path / f"{params_file.stem}.ipynb"),
        parameters=values,
        kernel_name=paths.KERNEL_NAME,
        progress_bar=False,
        cwd=None,
    )
    sid = values["strategy_id"]
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    assert f"ยุทธศาสตร์ที่ {sid}" in text and "งบประมาณรวมตามเอกสาร (printed):" in text
    summaries = [o.metadata["coopanalysis"]["summary"] for o in outputs
                 if "coopanalysis" in o.get("metadata", {})]
    assert summaries and summaries[-1]["strategy_id"] == sid
    assert (tmp_path / f"strategy_{sid}_projects.csv").is_file()
