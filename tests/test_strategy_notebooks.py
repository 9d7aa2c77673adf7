"""``notebooks/node_report.ipynb`` runs through papermill once for every params file and
shows the strategy's key figures as a table (not printed text)."""

from __future__ import annotations

import papermill  # a dependency: missing is a failure, not a skip
import pytest

from coopanalysis import paths
from coopanalysis.report import params

PARAMS_FILES = sorted(paths.PARAMS.glob("strategy_*.yaml"))

#: Key figures of each strategy as the document prints them (summary page) and as its project
#: detail adds up (worked out by hand from data/raw/cpd_action_plan_2560_2564.txt).
KEY_FIGURES = {
    "5": ("125", "158", "+33 (ไม่ตรงกัน)"),
    "6": ("20", "20", "0 (ตรงกัน)"),
    "8": ("121", "161", "+40 (ไม่ตรงกัน)"),
    "7": ("161.5", "–", "เทียบไม่ได้: ไม่มีรายละเอียดโครงการ"),
}


def _kernel_available() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    return paths.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


@pytest.mark.slow
@pytest.mark.skipif(not _kernel_available(), reason="Jupyter kernel 'coopanalysis' not installed")
@pytest.mark.parametrize("params_file", PARAMS_FILES, ids=lambda p: p.stem)
def test_strategy_report_runs(params_file, tmp_path):
    values = params.load_file(params_file, params.strategy_ids(paths.PLAN_DIR))
    values.update(source=str(paths.PLAN_DIR), output_dir=str(tmp_path))
    nb = papermill.execute_notebook(
        str(paths.NOTEBOOKS / "node_report.ipynb"),
        str(tmp_path / f"{params_file.stem}.ipynb"),
        parameters=values,
        kernel_name=paths.KERNEL_NAME,
        progress_bar=False,
        cwd=None,
    )
    sid = values["strategy_id"]
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream"]  # nothing printed
    # no stray return value: every result is a table or a block with an HTML form
    assert not [o for o in outputs if o.output_type == "execute_result" and "text/html" not in o.data]
    texts = [o.data["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert any(t.startswith("แผนปฏิบัติการ") and f"\nยุทธศาสตร์ที่ {sid}" in t for t in texts)
    key = next(t for t in texts if t.startswith("รายการ"))
    if sid in KEY_FIGURES:
        stated, computed, difference = KEY_FIGURES[sid]
        lines = key.splitlines()
        assert lines[2].split()[-1] == stated and lines[3].split()[-1] == computed
        assert lines[4].endswith(difference)
    if sid == "5":  # the document's rows for 5.1, 5.2 and 5.7 cannot be placed in years
        assert any(t.startswith("โครงการ 5.1, 5.2, 5.7 แยกงบรายปีไม่ได้") for t in texts)
    summaries = [o.metadata["coopanalysis"]["summary"] for o in outputs
                 if "coopanalysis" in o.get("metadata", {})]
    assert summaries and summaries[-1]["strategy_id"] == sid
    # downloads of the projects table, for a strategy the document details (7: none, a note instead)
    written = {(tmp_path / f"strategy_{sid}_projects.{ext}").is_file() for ext in ("csv", "xlsx")}
    assert written == {sid != "7"}
