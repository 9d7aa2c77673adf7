"""Checks of a budget dataset: printed totals against the sum beneath them, at any level and year,
and the table's own problems (malformed amounts, float noise, duplicated rows, subtotal rows).

Check codes (``level`` is the mapping's level key, ``id`` the node id):

======================  ========  ==========================================================
code                    severity  what
======================  ========  ==========================================================
``stated_total``        error     a printed total (stated.csv) differs from the sum of the
                                  item rows beneath its node for that year (``stated`` printed,
                                  ``computed`` sum); ``hint`` names a likely cause
``malformed_amount``    error     an amount cell that is not a number (left empty, not guessed)
``missing_amount``      warning   an item row without an amount
``float_noise``         warning   amounts that are not a whole satang (kept as printed)
``duplicate_row``       warning   a row repeating an earlier row's names, year and amount
``suspected_subtotal``  warning   a row equal to the sum of the rows nested under it
``unread_rows``         info      source rows that are not items (blank, filtered, subtotals)
======================  ========  ==========================================================

Hints on ``stated_total``: ``malformed_amount`` (a row beneath has no amount),
``subtotal_double_count`` / ``duplicate_rows`` (the difference equals such rows beneath),
``missing_rows`` (items add up to less), ``extra_rows`` (to more), ``no_items``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from ..checks.findings import LEVELS, SEVERITIES, Finding
from ..schema import id_sort_key
from .dataset import BudgetDataset, ancestors
from .sums import rollup_present

__all__ = ["BudgetFinding", "CHECKS", "HINTS", "exact", "run_checks", "sort_findings"]

CHECKS = ("stated_total", "malformed_amount", "missing_amount", "float_noise", "duplicate_row",
          "suspected_subtotal", "unread_rows")
HINTS = {
    "malformed_amount": ("แถวที่อยู่ใต้ยอดนี้มีจำนวนเงินผิดรูปแบบ (ไม่ได้นับรวม)",
                         "a row beneath has a malformed amount (not counted)"),
    "subtotal_double_count": ("มีแถวยอดรวมย่อยอยู่คู่กับรายการของมัน จึงนับซ้ำ",
                              "a subtotal row kept beside its items double-counts"),
    "duplicate_rows": ("มีแถวซ้ำกัน จึงนับซ้ำ", "duplicated rows are counted twice"),
    "missing_rows": ("รายการในตารางรวมได้น้อยกว่ายอดที่พิมพ์: อาจมีแถวตกหล่นจากการสกัดข้อมูล",
                     "the items add up to less than printed: rows missing from the extraction?"),
    "extra_rows": ("รายการในตารางรวมได้มากกว่ายอดที่พิมพ์: อาจมีแถวเกินหรือแถวของหน่วยอื่นปนมา",
                   "the items add up to more than printed: extra rows, or rows of another node?"),
    "no_items": ("ไม่มีรายการใต้ยอดนี้ในปีนั้น", "no item rows beneath this total in that year"),
}


@dataclass
class BudgetFinding(Finding):
    """A :class:`~coopanalysis.checks.findings.Finding` whose ``level`` is a budget level key
    (ministry, budgetary_unit …) and which carries the node's ``name``."""

    name: str = ""

    def __post_init__(self):
        level = self.level
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}; got {self.severity!r}")
        self.level = level if level in LEVELS else "document"
        super().__post_init__()
        self.level = level


def sort_findings(findings, level_keys: list[str]) -> list[BudgetFinding]:
    rank = {key: i + 1 for i, key in enumerate(level_keys)}
    sev = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (sev[f.severity], rank.get(f.level, 0), id_sort_key(f.id),
                                           f.fiscal_year or 0, f.check))


def _dec(value, name: str) -> Decimal:
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not result.is_finite() or result < 0:
        raise ValueError(f"{name} must be a non-negative number, got {value!r}")
    return result


def _pointer(row: dict) -> str:
    page = f" หน้า {row['page']}" if row.get("page") else ""
    return f"{row['source_file']} แถว {row['source_row']} ITEM_ID {row['item_id']}{page}"


def exact(value: Decimal, sign: bool = False) -> str:
    """An exact amount with thousands separators (no rounding: a printed total is exact).

    >>> exact(Decimal("8250.74970")), exact(Decimal("0.000001")), exact(Decimal("-12.5"), sign=True)
    ('8,250.7497', '0.000001', '-12.5')
    """
    text = format(value, ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return ("+" + text) if sign and value > 0 else text


def _mb(value: Decimal, sign: bool = False) -> str:
    return exact(value, sign=sign) + " ล้านบาท"


class _Beneath:
    """Flagged item rows under each (node, year), for hints."""

    def __init__(self, items: list[dict]):
        self.rows: dict[tuple[str, int, str], list[dict]] = {}
        for row in items:
            flags = row["status"].split(";")
            for flag in flags:
                if flag == "ok":
                    continue
                for node in ancestors(row["node_id"]):
                    self.rows.setdefault((node, int(row["fiscal_year"]), flag), []).append(row)

    def get(self, node: str, year: int, flag: str) -> list[dict]:
        return self.rows.get((node, year, flag), [])


def _hint(node: str, year: int, diff: Decimal, beneath: _Beneath, has_items: bool) -> tuple[str, list[dict]]:
    malformed = beneath.get(node, year, "malformed_amount") + beneath.get(node, year, "missing_amount")
    if diff < 0 and malformed:
        return "malformed_amount", malformed
    for flag, hint in (("suspected_subtotal", "subtotal_double_count"), ("duplicate", "duplicate_rows")):
        rows = beneath.get(node, year, flag)
        if rows and diff > 0 and sum((Decimal(r["amount_mb"]) for r in rows if r["amount_mb"]), Decimal(0)) == diff:
            return hint, rows
    if not has_items:
        return "no_items", []
    return ("missing_rows" if diff < 0 else "extra_rows"), []


def _flagged(ds: BudgetDataset) -> list[dict]:
    """The item rows whose status is not ``ok``, as row dicts (few, on a budget bill)."""
    status = ds.items["status"].to_numpy(dtype=object)
    return ds.items.iloc[np.flatnonzero(status != "ok")].to_dict("records")


def _stated_findings(ds: BudgetDataset, flagged: list[dict], tolerance: Decimal,
                     rel: Decimal | None) -> list[BudgetFinding]:
    stated = ds.stated.to_dict("records")
    if not stated:
        return []
    years = {int(r["fiscal_year"]) for r in stated}
    depths = {len(r["node_id"].split(".")) for r in stated}
    sums, present = rollup_present(ds, years, depths)
    beneath = _Beneath(flagged)
    labels = {lv["key"]: lv for lv in ds.levels}
    out = []
    for row in stated:
        node, year = row["node_id"], int(row["fiscal_year"])
        stated_mb = Decimal(row["amount_mb"])
        computed = sums.get((node, year), Decimal(0))
        diff = computed - stated_mb
        if abs(diff) <= tolerance or (rel is not None and abs(diff) <= rel * abs(stated_mb)):
            continue
        hint, rows = _hint(node, year, diff, beneath, (node, year) in present)
        label = labels.get(row["level"], {"label_th": row["level"], "label_en": row["level"]})
        th, en = HINTS[hint]
        where = f"{row['source_file']}:{row['line']}"
        message = (f"{label['label_th']} {row['name']} ปี {year}: ยอดที่พิมพ์ {_mb(stated_mb)} แต่รายการรวมได้ "
                   f"{_mb(computed)} (ต่าง {_mb(diff, sign=True)}); สาเหตุที่เป็นไปได้: {th}")
        if rows:
            message += " — " + "; ".join(_pointer(r) for r in rows[:3])
        message_en = (f"{label['label_en']} {row['name']} FY{year}: printed {exact(stated_mb)} million baht, "
                      f"items sum to {exact(computed)} (difference {exact(diff, sign=True)}); likely: {en}")
        out.append(BudgetFinding(
            "error", "stated_total", row["level"], node, fiscal_year=year, stated=stated_mb, computed=computed,
            difference=diff, message=message, message_en=message_en,
            source_line=int(row["line"]) if str(row["line"]).isdigit() else None, hint=hint,
            cells=[f"ยอดที่พิมพ์ {where}"] + [_pointer(r) for r in rows[:10]], name=row["name"]))
    return out


_ROW_CHECKS = {
    "malformed_amount": ("error", "malformed_amount", "จำนวนเงิน {text!r} ผิดรูปแบบ: เว้นว่างไว้ ไม่เดา",
                         "amount {text!r} is malformed: left empty, never guessed"),
    "missing_amount": ("warning", "missing_amount", "ไม่มีจำนวนเงิน", "no amount"),
    "duplicate": ("warning", "duplicate_row", "แถวซ้ำกับแถวก่อนหน้า (ชื่อ ปี และจำนวนเงินเดียวกัน): นับซ้ำหรือไม่",
                  "repeats an earlier row (same names, year and amount): counted twice?"),
    "suspected_subtotal": ("warning", "suspected_subtotal",
                           "จำนวนเงินเท่ากับผลรวมของแถวที่อยู่ภายใต้: อาจเป็นยอดรวมย่อยที่นับซ้ำกับรายการ",
                           "equals the sum of the rows nested under it: a subtotal double-counting its items?"),
}


def _row_findings(ds: BudgetDataset, flagged: list[dict]) -> list[BudgetFinding]:
    out: list[BudgetFinding] = []
    noise: dict[str, list[dict]] = {}
    item_key = ds.level_keys[-1]
    for row in flagged:
        for flag in row["status"].split(";"):
            if flag == "float_noise":
                noise.setdefault(row["node_id"], []).append(row)
                continue
            if flag not in _ROW_CHECKS:
                continue
            severity, check, th, en = _ROW_CHECKS[flag]
            name = row.get(item_key, "") or row["node_id"]
            level = _deepest_level(ds, row)
            out.append(BudgetFinding(
                severity, check, level, row["node_id"], fiscal_year=int(row["fiscal_year"]),
                stated=Decimal(row["amount_mb"]) if row["amount_mb"] else None,
                message=f"{_pointer(row)}: {th.format(text=row['amount_text'])} ({name})",
                message_en=f"{row['source_file']} row {row['source_row']} ITEM_ID {row['item_id']}: "
                           f"{en.format(text=row['amount_text'])}",
                source_line=int(row["source_row"]), hint=flag, cells=[_pointer(row)], name=name))
    for node, rows in noise.items():
        row = rows[0]
        years = ", ".join(str(r["fiscal_year"]) for r in rows)
        name = row.get(item_key, "") or node
        out.append(BudgetFinding(
            "warning", "float_noise", _deepest_level(ds, row), node, fiscal_year=int(row["fiscal_year"]),
            stated=Decimal(row["amount_mb"]),
            message=(f"{_pointer(row)}: จำนวนเงิน {row['amount_text']!r} ไม่ลงตัวเป็นสตางค์ (ปี {years}) "
                     f"คงไว้ตามที่พิมพ์ ({name})"),
            message_en=f"{row['source_file']} row {row['source_row']}: amounts not a whole satang in years {years}",
            source_line=int(row["source_row"]), hint="float_noise", cells=[_pointer(r) for r in rows], name=name))
    return out


def _deepest_level(ds: BudgetDataset, row: dict) -> str:
    for key in reversed(ds.level_keys):
        if row.get(key):
            return key
    return ds.level_keys[-1]


def _unread(ds: BudgetDataset) -> list[BudgetFinding]:
    report = ds.ingest_report
    if report.empty:
        return []
    unread = report[report["disposition"] != "reported"]
    if unread.empty:
        return []
    notes = unread["note"].str.split(":").str[0].value_counts()
    detail = "; ".join(f"{note} {count}" for note, count in notes.items())
    return [BudgetFinding(
        "info", "unread_rows", "document", "document",
        message=f"แถวที่ไม่ใช่รายการ {len(unread)} แถว ({detail}) ดู ingest_report.csv",
        message_en=f"{len(unread)} source rows are not items ({detail}); see ingest_report.csv",
        cells=[f"{r['file']} แถว {r['row']}" for r in unread.head(10).to_dict("records")])]


def run_checks(dataset: BudgetDataset, tolerance=Decimal("0.005"), rel_tolerance=None) -> list[BudgetFinding]:
    """All findings for a budget dataset, errors first, then by level and node.

    *tolerance* absolute (million baht); *rel_tolerance* a fraction of the printed total (a
    difference counts only when it exceeds both).
    """
    tol = _dec(tolerance, "tolerance")
    rel = _dec(rel_tolerance, "rel_tolerance") if rel_tolerance is not None else None
    flagged = _flagged(dataset)
    findings = _stated_findings(dataset, flagged, tol, rel) + _row_findings(dataset, flagged) + _unread(dataset)
    return sort_findings(findings, dataset.level_keys)
