"""Helpers shared by test modules (pytest puts tests/ on sys.path: ``from helpers import ...``)."""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

#: ../shared beside the project (real data written by others, the seed, the specifications); a
#: copy of the project elsewhere (mutmut's ``mutants/``) names it in ``COOPANALYSIS_SHARED``.
SHARED = Path(os.environ.get("COOPANALYSIS_SHARED") or Path(__file__).resolve().parents[2] / "shared")
REALDATA = SHARED / "realdata" / "budget_bill_2565"


class LogCollector(logging.Handler):
    """Collects every log message, e.g. matplotlib's 'Glyph ... missing' warnings."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_tiny():
    """The tiny-plan builder in tests/fixtures/tinyplan.py, loaded by path."""
    spec = importlib.util.spec_from_file_location("tinyplan", Path(__file__).parent / "fixtures" / "tinyplan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# a budget-table mapping for small tables written in the tests (header ID,PAGE,AGENCY,PLAN,OUTPUT,
# PROJECT,ITEM,YEAR,AMOUNT,OBL; amounts in thousand baht, years BE)
TINY_MAPPING = """\
name: tiny
title: ตารางทดสอบ
phase: approved
levels:
  - {key: agency, label_th: หน่วยงาน, label_en: agency, columns: [AGENCY]}
  - {key: plan, label_th: แผนงาน, label_en: plan, columns: [PLAN]}
  - {key: output, label_th: ผลผลิต/โครงการ, label_en: output or project, columns: [OUTPUT, PROJECT]}
  - {key: item, label_th: รายการ, label_en: item, columns: [ITEM]}
fiscal_year: {column: YEAR, era: BE}
amount: {column: AMOUNT, unit: thousand_baht}
item_id: ID
page: PAGE
obligation: {column: OBL, true_values: ["yes"]}
"""


def need_real(name: str) -> Path:
    """The file *name* of ../shared/realdata/budget_bill_2565/ (real data written by others): the
    test is skipped with the reason when it is absent, and fails instead when CI=true."""
    import pytest

    path = REALDATA / name
    if not path.is_file():
        reason = f"real data absent: {path} (see /work/shared/realdata/README.md)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " — CI must have it")
        pytest.skip(reason)
    return path


def hand_dataset():
    """A plan-like ``Dataset`` typed by hand, every figure readable from these rows: strategy s1
    (printed 3.75): p11 (1.5 in 2565, 0 in 2567) and p12 (2.25 in 2566); strategy s2 (printed
    4): p21, 4 for the whole period with no year (unsplit)."""
    import pandas as pd

    from coopanalysis.model.dataset import Dataset, Level

    return Dataset(
        title="แผนทดสอบ", kind="test",
        levels=(Level("strategy", "ยุทธศาสตร์", "strategy"), Level("project", "โครงการ", "project")),
        nodes=pd.DataFrame({"node_id": ["s1", "s2", "p11", "p12", "p21"],
                            "level": ["strategy", "strategy", "project", "project", "project"],
                            "parent_id": ["", "", "s1", "s1", "s2"],
                            "name": ["สหกรณ์", "เกษตร", "อบรม", "ตลาด", "แปลงใหญ่"],
                            "label": ["1", "2", "1.1", "1.2", "2.1"]}),
        amounts=pd.DataFrame({"node_id": ["p11", "p11", "p12", "p21"], "fiscal_year": [2565, 2567, 2566, None],
                              "amount_mb": [1.5, 0.0, 2.25, 4.0]}),
        stated=pd.DataFrame({"node_id": ["s1", "s2"], "fiscal_year": [None, None], "amount_mb": [3.75, 4.0]}))
