"""The one place that knows where things live (cf. cookiecutter-data-science's config).

Notebooks and scripts import these instead of relying on the working directory.
Set ``COOPANALYSIS_ROOT`` to point the toolkit at another checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("COOPANALYSIS_ROOT", Path(__file__).resolve().parents[1])).resolve()
DATA = ROOT / "data"
RAW = DATA / "raw"
PLAN_DIR = DATA / "plan"
CORRECTIONS = DATA / "corrections.yaml"
PARAMS = ROOT / "params"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
FIGURES = ROOT / "docs" / "figures"
SEED = RAW / "cpd_action_plan_2560_2564.txt"

KERNEL_NAME = "coopanalysis"
