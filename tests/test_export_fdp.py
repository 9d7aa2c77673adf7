"""The Fiscal Data Package export (``coopanalysis export --format fdp``) and exports of a budget
dataset (a table ingested through a mapping).

Validation is offline, twice: ``jsonschema`` against the real Fiscal Data Package profile
(``../shared/specs/fiscal-data-package.json``, the Frictionless Data v1 schema; those tests skip
when it is absent), and ``frictionless.validate`` for the tabular checks (types, required
values, primary key), with every HTTP request answered 404 from memory so nothing leaves the
machine. Expected figures come from ``data/plan/*.csv`` read with the csv module.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import requests
from helpers import REALDATA, SHARED  # tests/helpers.py

from coopanalysis.cli import main
from coopanalysis.exports import write_fdp, write_workbook

PLAN = Path(__file__).resolve().parent.parent / "data" / "plan"
SPEC = SHARED / "specs" / "fiscal-data-package.json"
needs_spec = pytest.mark.skipif(not SPEC.is_file(), reason=f"the Fiscal Data Package profile is not at {SPEC} "
                                "(../shared/specs/, see its README)")


class _Offline(requests.adapters.BaseAdapter):
    """Every URL is a 404 from memory (nothing leaves the machine); the URLs asked are kept."""

    asked: list[str] = []

    def send(self, request, **kwargs):
        self.asked.append(request.url)
        response = requests.Response()
        response.url = request.url
        response.status_code = 404
        response.raw = io.BytesIO(b"not here")
        response.request = request
        return response

    def close(self):
        pass


def validate(descriptor_path: Path):
    import frictionless

    session = requests.Session()
    session.mount("https://", _Offline())
    session.mount("http://", _Offline())
    with frictionless.system.use_context(http_session=session):
        return frictionless.validate(str(descriptor_path))


def profile_errors(descriptor: dict) -> list[str]:
    """The errors of *descriptor* against the real Fiscal Data Package profile (draft-04)."""
    import jsonschema

    schema = json.loads(SPEC.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(descriptor)]


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _expected_yearly() -> dict[tuple[str, int], Decimal]:
    """(project, year) -> amount: the table rows of a project, else its project-sheet rows."""
    rows = [r for r in _rows(PLAN / "budget.csv") if r["amount_mb"] != ""]
    with_table = {r["project_id"] for r in rows if r["source"] == "table"}
    return {(r["project_id"], int(r["fiscal_year"])): Decimal(r["amount_mb"]) for r in rows
            if r["source"] == ("table" if r["project_id"] in with_table else "project_sheet")}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return write_fdp(PLAN, tmp_path_factory.mktemp("fdp") / "fdp")


@needs_spec
def test_package_validates_against_the_real_fiscal_profile(package):
    """Issue 26: ``phase`` was "planned" and ``profile`` "fiscal-data-package"; both out of the
    real profile's enums."""
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    assert profile_errors(descriptor) == []


def test_package_validates_with_frictionless_offline(package):
    _Offline.asked.clear()
    report = validate(package)
    assert report.valid, report.flatten(["type", "note", "message"])
    assert [task.name for task in report.tasks] == ["budget", "printed_totals"]
    assert _Offline.asked == []  # no profile to fetch: it validates on a machine without network


@needs_spec
def test_the_real_profile_is_applied(package):
    """A measure without its currency, or with a phase out of the enum, fails: proof the profile is in force."""
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    del descriptor["model"]["measures"]["amount"]["currency"]
    assert any("currency" in e for e in profile_errors(descriptor))
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    descriptor["model"]["measures"]["amount"]["phase"] = "planned"
    assert any("phase" in e for e in profile_errors(descriptor))


def test_model_amount_in_million_baht_proposed_expenditure(package):
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    measure = descriptor["model"]["measures"]["amount"]
    assert measure == {"source": "amount", "resource": "budget", "currency": "THB", "factor": 1_000_000,
                       "direction": "expenditure", "phase": "proposed"}  # an action plan's amounts
    dims = descriptor["model"]["dimensions"]
    for level in ("strategy", "tactic", "project"):
        assert dims[level]["dimensionType"] == "classification"
    assert dims["administrative"]["classificationType"] == "administrative"
    assert dims["date"]["dimensionType"] == "datetime"
    assert descriptor["fiscalPeriod"] == {"start": "2016-10-01", "end": "2021-09-30"}  # FY 2560-2564 BE
    fields = {f["name"] for f in descriptor["resources"][0]["schema"]["fields"]}
    for dim in dims.values():  # every attribute names a column of budget.csv
        assert {a["source"] for a in dim["attributes"].values()} <= fields
    assert "f804e14bca5ff6e4505f8860564954b4b3514fccae1a640379ba1e69daac16ec" in descriptor["sources"][0]["title"]


def test_round_trip_gives_the_plan_totals(package):
    rows = _rows(package.parent / "budget.csv")
    got = {(r["project_id"], int(r["fiscal_year"])): Decimal(r["amount"]) for r in rows}
    assert len(got) == len(rows)
    expected = _expected_yearly()
    assert got == expected
    assert [got[("5.3", y)] for y in range(2560, 2565)] == [Decimal(v) for v in ("0", "5", "3", "3", "3")]
    by_strategy: dict[str, Decimal] = {}
    for r in rows:
        by_strategy[r["strategy_id"]] = by_strategy.get(r["strategy_id"], Decimal(0)) + Decimal(r["amount"])
    assert by_strategy["6"] == Decimal("20")  # strategy 6's printed total, once 6.1 is corrected
    two_561 = next(r for r in rows if r["project_id"] == "5.3" and r["fiscal_year"] == "2561")
    assert (two_561["fiscal_period_start"], two_561["fiscal_period_end"]) == ("2017-10-01", "2018-09-30")
    printed = {r["strategy_id"]: r["stated_total_mb"] for r in _rows(PLAN / "strategies.csv")}
    totals = {(r["level"], r["id"]): r for r in _rows(package.parent / "printed_totals.csv")}
    for sid in ("5", "6", "7", "8"):
        assert Decimal(totals[("strategy", sid)]["printed_amount"]) == Decimal(printed[sid])


def test_export_leaves_other_files_and_no_staging(tmp_path, capsys):
    out = tmp_path / "fdp"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["export", str(PLAN), "--format", "fdp", "--out", str(out)]) == 0
    assert main(["export", str(PLAN), "--format", "fdp", "--out", str(out)]) == 0  # replaces its own files
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "budget.csv").read_text(encoding="utf-8").startswith("strategy_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fdp"]  # nothing staged beside it
    assert sorted(p.name for p in out.iterdir()) == [".coopanalysis-fdp-manifest.json", "budget.csv",
                                                    "datapackage.json", "notes.txt", "printed_totals.csv"]
    assert main(["export", str(PLAN), "--format", "fdp", "--out", str(out / "notes.txt")]) == 2


@pytest.mark.parametrize("name", ["budget.csv", "datapackage.json"])
def test_export_refuses_to_overwrite_a_users_file(tmp_path, capsys, name):
    """Issue 26, case 1: the user's own budget.csv (or datapackage.json) is not the export's to replace."""
    out = tmp_path / "fdp"
    out.mkdir()
    (out / name).write_text("my own work", encoding="utf-8")
    capsys.readouterr()
    assert main(["export", str(PLAN), "--format", "fdp", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"fdp/{name}: exists and was not written by coopanalysis export" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert (out / name).read_text(encoding="utf-8") == "my own work"
    assert sorted(p.name for p in out.iterdir()) == [name]


# ---- a budget dataset (issue 12), built here ------------------------------------------------

BILL = """MINISTRY,AGENCY,PROJECT,FISCAL_YEAR,AMOUNT,UNIT,OBLIGED
กระทรวงเกษตรและสหกรณ์,กรมส่งเสริมสหกรณ์,โครงการ ก,2022,"1,500,000",กตส.,
กระทรวงเกษตรและสหกรณ์,กรมส่งเสริมสหกรณ์,โครงการ ข,2022,"2,250,000.50",กตส.,
กระทรวงเกษตรและสหกรณ์,กรมตรวจบัญชีสหกรณ์,โครงการ ค,2022,"700,000",,
กระทรวงเกษตรและสหกรณ์,กรมตรวจบัญชีสหกรณ์,โครงการ ค,2023,"300,000",,True
"""
MAPPING = """name: tiny-bill
title: ร่างงบประมาณทดสอบ
phase: approved
levels:
  - {key: ministry, label_th: กระทรวง, label_en: ministry, columns: [MINISTRY]}
  - {key: agency, label_th: หน่วยรับงบประมาณ, label_en: agency, columns: [AGENCY]}
  - {key: project, label_th: โครงการ, label_en: project, columns: [PROJECT]}
fiscal_year: {column: FISCAL_YEAR, era: CE}
amount: {column: AMOUNT, unit: baht}
unit: UNIT
obligation: {column: OBLIGED, true_values: ["True"]}
bill_year: 2565
"""
STATED = """level,name,fiscal_year,amount,unit
agency,กรมส่งเสริมสหกรณ์,2565,3750000.5,baht
ministry,กระทรวงเกษตรและสหกรณ์,2565,4.5,million_baht
"""


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bill")
    (d / "bill.csv").write_text(BILL, encoding="utf-8")
    (d / "map.yaml").write_text(MAPPING, encoding="utf-8")
    (d / "stated.csv").write_text(STATED, encoding="utf-8")
    out = d / "dataset"
    assert main(["ingest", str(d / "bill.csv"), "--mapping", str(d / "map.yaml"), "--stated", str(d / "stated.csv"),
                 "--out", str(out)]) == 0
    return out


def test_budget_dataset_fdp(dataset, tmp_path):
    assert main(["export", str(dataset), "--format", "fdp", "--out", str(tmp_path / "fdp")]) == 0
    path = tmp_path / "fdp" / "datapackage.json"
    report = validate(path)
    assert report.valid, report.flatten(["type", "note", "message"])
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["model"]["measures"]["amount"]["phase"] == "approved"  # from the mapping
    if SPEC.is_file():
        assert profile_errors(descriptor) == []
    assert set(descriptor["model"]["dimensions"]) == {"ministry", "agency", "project", "administrative", "date"}
    rows = _rows(tmp_path / "fdp" / "budget.csv")
    by_year: dict[int, Decimal] = {}
    for r in rows:
        by_year[int(r["fiscal_year"])] = by_year.get(int(r["fiscal_year"]), Decimal(0)) + Decimal(r["amount"])
    # by hand from BILL: FY2022 CE = 2565 BE: 1,500,000 + 2,250,000.50 + 700,000 baht; 2566: 300,000
    assert by_year == {2565: Decimal("4.4500005"), 2566: Decimal("0.3")}
    agency = {r["agency_name"] for r in rows if r["project_name"] == "โครงการ ข"}
    assert agency == {"กรมส่งเสริมสหกรณ์"}
    assert [r["kind"] for r in rows if r["fiscal_year"] == "2566"] == ["obligation_other_year"]
    totals = {(r["level"], r["name"]): r for r in _rows(tmp_path / "fdp" / "printed_totals.csv")}
    ministry = totals[("ministry", "กระทรวงเกษตรและสหกรณ์")]
    assert (Decimal(ministry["printed_amount"]), Decimal(ministry["computed_amount"])) == (Decimal("4.5"),
                                                                                            Decimal("4.4500005"))


def test_budget_dataset_workbook(dataset, tmp_path):
    path = write_workbook(dataset, tmp_path / "bill.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:4] == ["อ่านก่อน README", "กระทรวง", "หน่วยรับงบประมาณ", "รายการ"]
    sheet = book["หน่วยรับงบประมาณ"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "กรมส่งเสริมสหกรณ์")))
    assert Decimal(repr(row["ปีงบประมาณ 2565"])) == Decimal("3.7500005")  # 1,500,000 + 2,250,000.50 baht
    assert Decimal(repr(row["ยอดตามเอกสาร ปี 2565"])) == Decimal("3.7500005")
    assert row["รวมงบรายปี (สูตร)"] == "=SUM(D2:E2)"
    ministry = dict(zip([c.value for c in book["กระทรวง"][1]], [c.value for c in book["กระทรวง"][2]]))
    assert Decimal(repr(ministry["ผลต่าง (รวม - ตามเอกสาร)"])) == Decimal("-0.0499995")
    findings = book["ผลการตรวจ"]
    checks = [r[1] for r in findings.iter_rows(min_row=2, values_only=True)]
    assert "stated_total" in checks  # the ministry's printed 4.5 against 4.4500005
    readme = "\n".join(str(c.value) for r in book.worksheets[0].iter_rows() for c in r if c.value)
    assert "bill.csv" in readme and "approved" in readme and "พ.ศ. 2565" in readme


# ---- the real budget bill (issue 12's data), when present ----------------------------------

REAL = REALDATA
CPD = "กรมส่งเสริมสหกรณ์"


@pytest.fixture(scope="module")
def real_dataset(tmp_path_factory) -> Path:
    import os

    if not (REAL / "2022-3-4.csv").is_file():
        reason = f"real data absent: {REAL}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " (CI must have it)")
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("real") / "bill"
    assert main(["ingest", str(REAL), "--mapping", "budget-bill", "--out", str(out)]) == 0
    return out


def test_real_budget_bill_fdp_validates_and_keeps_the_department_sum(real_dataset, tmp_path):
    import pandas as pd

    path = write_fdp(real_dataset, tmp_path / "fdp")
    report = validate(path)
    assert report.valid, report.flatten(["type", "note", "message"])[:5]
    raw = pd.read_csv(REAL / "2022-3-4.csv", dtype=str, keep_default_na=False)
    mine = raw[(raw.BUDGETARY_UNIT == CPD) & (raw.FISCAL_YEAR == "2022")]  # FY 2022 CE = 2565 BE
    expected = sum(Decimal(a.replace(",", "")) for a in mine.AMOUNT) / Decimal(1_000_000)
    rows = _rows(tmp_path / "fdp" / "budget.csv")
    got = sum(Decimal(r["amount"]) for r in rows if r["budgetary_unit_name"] == CPD and r["fiscal_year"] == "2565")
    assert got == expected
    assert sorted(r["source_item_id"] for r in rows
                  if r["budgetary_unit_name"] == CPD and r["fiscal_year"] == "2565") == sorted(mine.ITEM_ID)
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["model"]["measures"]["amount"]["phase"] == "proposed"  # the bundled mapping's
    if SPEC.is_file():
        assert profile_errors(descriptor) == []
    assert "budgetary_unit" in descriptor["model"]["dimensions"]


def test_budget_dataset_workbook_through_libreoffice(dataset, tmp_path):
    from test_export import _to_csv

    path = write_workbook(dataset, tmp_path / "bill.xlsx", thai_digits=True)
    sheets = _to_csv(path, tmp_path / "csv", tmp_path / "profile", shown=False)
    rows = sheets["หน่วยรับงบประมาณ"]
    header = rows[0]
    by_name = {r[header.index("ชื่อ")]: dict(zip(header, r)) for r in rows[1:]}
    # by hand from BILL: the audit department has 700,000 baht in 2565 and 300,000 in 2566
    audit = by_name["กรมตรวจบัญชีสหกรณ์"]
    assert (Decimal(audit["ปีงบประมาณ ๒๕๖๕"]), Decimal(audit["ปีงบประมาณ ๒๕๖๖"])) == (Decimal("0.7"), Decimal("0.3"))
    assert Decimal(audit["รวมงบรายปี (สูตร)"]) == Decimal("1.0")


def test_a_corrected_table_exports_its_corrections(tmp_path):
    """A table ingested with a reviewed correction: the workbook lists it (row id, the values as
    the table prints them, the reason) where its README points, and the package counts it."""
    from helpers import TINY_MAPPING  # tests/helpers.py

    (tmp_path / "t.csv").write_text(
        "ID,PAGE,AGENCY,PLAN,OUTPUT,PROJECT,ITEM,YEAR,AMOUNT,OBL\n"
        "a1,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าจ้าง,2567,\"1,000\",no\n"
        "a2,3,กรมหนึ่ง,แผน ก,ผลผลิต 1,,ค่าวัสดุ,2567,25,no\n", encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(TINY_MAPPING, encoding="utf-8")
    (tmp_path / "fix.yaml").write_text(
        "corrections:\n  - {source_file: t.csv, item_id: a2, field: amount, printed: \"25\", corrected: \"2.5\",\n"
        "     reason: \"the volume prints 2.5 on page 3\"}\n", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "t.csv"), "--mapping", str(tmp_path / "tiny.yaml"),
                 "--corrections", str(tmp_path / "fix.yaml"), "--out", str(tmp_path / "ds")]) == 0
    book = openpyxl.load_workbook(write_workbook(tmp_path / "ds", tmp_path / "t.xlsx"))
    readme = "\n".join(str(c.value) for r in book.worksheets[0].iter_rows() for c in r if c.value)
    assert "แก้ 1 ค่า ตามไฟล์ fix.yaml" in readme and "การแก้ไขตัวเลข" in book.sheetnames
    sheet = book["การแก้ไขตัวเลข"]
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]]))
    assert row == {"รหัสรายการในต้นฉบับ": "a2", "ช่อง": "amount", "ปีงบประมาณ": 2567,
                   "ค่าที่พิมพ์ (หน่วยตามต้นฉบับ)": 25, "ค่าที่แก้ (หน่วยตามต้นฉบับ)": 2.5,
                   "เหตุผล": "the volume prints 2.5 on page 3", "แถวในไฟล์": 3}
    # by hand: 1,000 + 2.5 thousand baht = 1.0025 million in 2567
    assert Decimal(repr(_row(book["หน่วยงาน"], "กรมหนึ่ง")["ปีงบประมาณ 2567"])) == Decimal("1.0025")
    descriptor = json.loads(write_fdp(tmp_path / "ds", tmp_path / "fdp").read_text(encoding="utf-8"))
    assert descriptor["x-corrections-applied"] == 1


def _row(sheet, name: str) -> dict:
    header = [c.value for c in sheet[1]]
    return next(dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True) if name in r)
