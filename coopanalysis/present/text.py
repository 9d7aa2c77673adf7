"""Words of the reports that are not labels of the data: report titles and correction reasons
in Thai (dates in the Buddhist era: :func:`coopanalysis.text.fiscal.be_date`)."""

from __future__ import annotations

import re

from coopanalysis.text.fmt import amount, digits
from coopanalysis.text.labels import node_label

__all__ = ["REPORT_TITLES", "report_title", "reason_th", "is_thai", "readable_ids", "reader_message"]

#: Report (output stem) -> its Thai title.
REPORT_TITLES = {
    "index": "สารบัญรายงาน",
    "overview": "ภาพรวมแผน",
    "checks": "ผลการตรวจสอบ",
    "units": "หน่วยงานรับผิดชอบ",
}


def report_title(name: str, thai_digits: bool = False) -> str:
    """The Thai title of report *name* (``strategy_5`` -> ``ยุทธศาสตร์ที่ 5``).

    >>> report_title("checks"), report_title("strategy_5"), report_title("strategy_5", True)
    ('ผลการตรวจสอบ', 'ยุทธศาสตร์ที่ 5', 'ยุทธศาสตร์ที่ ๕')
    """
    if name.startswith("strategy_"):
        return node_label("strategy", name[len("strategy_"):], thai_digits)
    return REPORT_TITLES.get(name, name)


def is_thai(text) -> bool:
    """True when *text* has Thai letters.

    >>> is_thai("จุดทศนิยม"), is_thai("Lost decimal point")
    (True, False)
    """
    return bool(re.search(r"[\u0E01-\u0E4F]", str(text or "")))


#: Causes a reviewer writes at the start of an English reason -> Thai.
_CAUSES_TH = (
    (re.compile(r"^\s*lost decimal point", re.I), "จุดทศนิยมตกหล่น"),
    (re.compile(r"^\s*(typo|typing error|misprint)", re.I), "พิมพ์ผิด"),
    (re.compile(r"^\s*(transposed|swapped)", re.I), "ตัวเลขสลับตำแหน่ง"),
    (re.compile(r"^\s*(missing|dropped) digit", re.I), "ตัวเลขหลักหนึ่งตกหล่น"),
    (re.compile(r"^\s*(extra|duplicated?) digit", re.I), "ตัวเลขเกินมาหนึ่งหลัก"),
)


def reason_th(reason, project_id, fiscal_year, printed, corrected, thai_digits: bool = False) -> str:
    """A correction's reason in Thai: the reason itself when it is Thai; otherwise the cause
    (when a known one starts the English text) and what was changed, built from the figures.

    >>> reason_th("Lost decimal point (see 2562).", "6.1", 2563, "15", "1.5")
    'จุดทศนิยมตกหล่น: โครงการ 6.1 ปีงบประมาณ 2563 เอกสารพิมพ์ 15 ใช้ 1.5'
    >>> reason_th("Checked against the budget act", "6.1", None, "15", "1.5")
    'แก้ตามการตรวจทาน: โครงการ 6.1 เอกสารพิมพ์ 15 ใช้ 1.5'
    >>> reason_th("จุดทศนิยมหาย", "6.1", None, "15", "1.5")
    'จุดทศนิยมหาย'
    """
    if is_thai(reason):
        return digits(str(reason).strip(), thai_digits)
    cause = next((th for pattern, th in _CAUSES_TH if pattern.search(str(reason or ""))), "แก้ตามการตรวจทาน")
    where = node_label("project", project_id)
    if fiscal_year not in (None, "") and str(fiscal_year) != "nan":
        where += f" ปีงบประมาณ {int(float(fiscal_year))}"
    text = f"{cause}: {where} เอกสารพิมพ์ {amount(printed)} ใช้ {amount(corrected)}"
    return digits(text, thai_digits)


_UNNUMBERED = re.compile(r"(?<![\w.])(\d+)\.u(\d+)\b")


def readable_ids(text: str) -> str:
    """The project ids the toolkit makes for projects the document prints without a number
    (``8.u1``: the first unnumbered project of strategy 8) in Thai.

    >>> readable_ids("โครงการ 8.u1: ตัดค่า 20"), readable_ids("5.1 และ 10.u12")
    ('โครงการ 8.(ไม่มีเลข 1): ตัดค่า 20', '5.1 และ 10.(ไม่มีเลข 12)')
    """
    return _UNNUMBERED.sub(r"\1.(ไม่มีเลข \2)", str(text))


_INGEST_REPORT = "— ดู ingest_report.csv"
_REASON = " — เหตุผล: "


def reader_message(finding, thai_digits: bool = False) -> str:
    """A finding's message as a reader of the reports sees it: a correction's reason in Thai
    (:func:`reason_th`; the reviewer's English stays in the data files), the ingest report
    named as the file of the ingested data folder it is (not a file of the report folder),
    and the toolkit's ids of unnumbered projects in Thai (:func:`readable_ids`)."""
    message = str(finding.message)
    if finding.check == "correction_applied" and _REASON in message:
        head, _, reason = message.partition(_REASON)
        if not is_thai(reason):
            reason = reason_th(reason, finding.id, finding.fiscal_year, finding.stated, finding.computed)
            reason = reason.split(": ", 1)[0] if ": " in reason else reason
        message = head + _REASON + reason
    message = message.replace(_INGEST_REPORT, "— รายละเอียดอยู่ในไฟล์ ingest_report.csv ของโฟลเดอร์ข้อมูลที่นำเข้า"
                                              " (สร้างโดยคำสั่ง coopanalysis ingest ไม่ได้อยู่ในโฟลเดอร์รายงานนี้)")
    return digits(readable_ids(message), thai_digits)
