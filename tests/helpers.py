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
