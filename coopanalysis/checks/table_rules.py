"""The rules of a budget table (a dataset read through a mapping): printed totals against the
sum beneath them, at any level and year, and the table's own problems (malformed amounts, float
noise, duplicated rows, subtotal rows).

Registered for the source kind ``budget_table`` in :data:`coopanalysis.checks.rules.SOURCES`
and run, like a plan's rules, by :func:`coopanalysis.checks.run_checks` (what
:func:`coopanalysis.check` and ``coopanalysis check`` call). Each rule reads a
:class:`TableContext`: the source's own record (a :class:`~coopanalysis.budget.BudgetDataset`,
its tables as printed text) and the model's :class:`~coopanalysis.model.dataset.Dataset` of it,
whose one roll-up (:meth:`~coopanalysis.model.dataset.Dataset.computed`, integer satang) gives
the sums printed totals are compared with: the figures an analyst sees.

Check codes (``level`` is the mapping's level key, ``id`` the node id):

======================  ========  ==========================================================
code                    severity  what
======================  ========  ==========================================================
``stated_total``        error     a printed total (stated.csv) differs from the sum of the
                                  item rows beneath its node for that year (``stated`` printed,
                                  ``computed`` sum); ``hint`` names a likely cause
``malformed_amount``    error     an amount cell that is not a number (left empty, not guessed)
``missing_amount``      warning   an item row without an amount
``float_noise``         warning   amounts that are not a whole satang (kept as printed in the
                                  items; the roll-up adds them rounded to the satang)
``duplicate_row``       warning   a row repeating an earlier row's names, year and amount
``suspected_subtotal``  warning   a row equal to the sum of the rows nested under it
``bad_fiscal_year``     error     rows with names whose fiscal year is empty, not a number or
                                  not a year of the mapping's era (``abc``, 1900, 9999): not
                                  items, so not summed; one finding per file with the count,
                                  every row listed in ingest_report.csv
``unread_rows``         info      source rows that are not items (blank, filtered, subtotals)
``merged_cells``        warning   an .xlsx whose vertically merged cells were filled down from
                                  their top cell (check that rows sit under the right parent)
``stated_unmatched``    warning   a total printed in the PDF whose name matches no node of the
                                  tables (``cells`` lists the closest names); info when the
                                  tables hold the ministry only in parts (``… (1)``, ``… (2)``)
                                  or a part's total cannot be told apart (:mod:`coopanalysis.budget.volumes`)
``name_noise``          warning   a name in the tables with stray characters glued on by the
                                  extraction (``…ชายฝั่ง ญ``); the message shows the clean name
``implausible_year``    warning   item rows in fiscal years far from the bill year (more than
                                  10 years before or after it)
``amount_is_year``      warning   an amount equal to a year written in its own row's description
                                  (``2535`` beside ``พ.ศ. ๒๕๓๕``): a year read as an amount?
``correction_applied``  info      a reviewed correction applied at ingest (row, printed and
                                  corrected value, reason), as for a plan
======================  ========  ==========================================================

A printed total whose ``node_id`` joins several ids with ``;`` (a category under an agency,
read from the PDF) is compared with the sum of those nodes. An amount the roll-up cannot add
exactly (more than :data:`~coopanalysis.model.dataset.MAX_EXACT_MB` million baht, about 90
million million baht) is refused (:class:`~coopanalysis.errors.InputError` naming the file and
row) before any printed total is compared.

Hints on ``stated_total`` come from the one hint engine (:func:`coopanalysis.checks.hints.gap_cause`,
the same as a plan's totals get), on the rows beneath: ``malformed_amount`` (a row beneath
has no amount), ``subtotal_double_count`` / ``duplicate_rows`` (the difference equals such
rows beneath), one row whose decimal point was lost (``lost_decimal``), a row repeating its
neighbour (``repeated_value``); when none fits,
``missing_rows`` (items add up to less), ``extra_rows`` (to more), ``no_items``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopanalysis.checks import hints
from coopanalysis.checks.findings import SEVERITIES, Finding
from coopanalysis.checks.registry import ANY, Check, Rule
from coopanalysis.checks.tolerance import differs
from coopanalysis.checks.wording import exact
from coopanalysis.errors import InputError
from coopanalysis.io.schema import id_sort_key
from coopanalysis.model.dataset import MAX_EXACT_MB, SATANG_PER_MB, decimal_mb
from coopanalysis.text.thai import to_arabic

if TYPE_CHECKING:
    from coopanalysis.budget.dataset import BudgetDataset

__all__ = ["RULES", "TableContext", "YEAR_SPAN", "compared_sums", "order", "stated_counts"]

#: Fiscal years further than this from the bill year are implausible for one bill's items.
YEAR_SPAN = 10
#: Amounts whose sizes add up to this many satang or more could overflow the roll-up's int64 sums.
_LARGEST_TOTAL_SATANG = 9 * 10**18


class TableContext:
    """What the table rules read: ``budget`` (the source's record, every column text),
    ``dataset`` (the model's dataset of it, built on first use when not given), ``tolerance``
    and ``rel_tolerance`` (validated Decimals)."""

    def __init__(self, budget, tolerance: Decimal, rel_tolerance: Decimal | None, dataset=None):
        self.budget, self.tolerance, self.rel_tolerance = budget, tolerance, rel_tolerance
        self._dataset = dataset

    @classmethod
    def build(cls, source, tolerance: Decimal, rel_tolerance: Decimal | None) -> TableContext:
        """The context of *source*: a model ``Dataset`` of a budget table (as loaded) or its
        ``BudgetDataset``."""
        from coopanalysis.model.dataset import Dataset

        if isinstance(source, Dataset):
            return cls(source.origin, tolerance, rel_tolerance, dataset=source)
        return cls(source, tolerance, rel_tolerance)

    @property
    def dataset(self):
        """The model's dataset of the table, built from ``budget`` when first asked for (only a
        printed total needs its sums)."""
        if self._dataset is None:
            from coopanalysis.model.build import from_budget

            self._dataset = from_budget(self.budget)
        return self._dataset

    def differs(self, stated: Decimal, computed: Decimal) -> bool:
        return differs(stated, computed, self.tolerance, self.rel_tolerance)

    def sums(self, years=None) -> dict[tuple[str, int], Decimal]:
        """``{(node_id, fiscal_year): exact sum of the amounts beneath}`` (million baht) for
        *years* (default every year), from the model's one roll-up; a node with no amount that
        year is absent."""
        _refuse_inexact(self.dataset.amounts)
        computed = self.dataset.computed(by_year=True).dropna(subset=["computed_satang", "fiscal_year"])
        if years is not None:
            computed = computed[computed["fiscal_year"].isin(sorted({int(y) for y in years}))]
        return {(node, int(year)): decimal_mb(satang)
                for node, year, satang in zip(computed["node_id"], computed["fiscal_year"], computed["computed_satang"])}


def compared_sums(source, years=None) -> dict[tuple[str, int], Decimal]:
    """The sums the printed totals of *source* (a budget table's Dataset as loaded, or its
    BudgetDataset) are compared with: ``{(node_id, fiscal_year): Decimal}``, million baht,
    every year or *years*."""
    return TableContext.build(source, Decimal(0), None).sums(years)


def _refuse_inexact(amounts: pd.DataFrame) -> None:
    """An :class:`InputError` naming the file and row of the first amount the roll-up cannot
    add exactly (or when the amounts together could overflow its integer sums)."""
    size = amounts["amount_mb"].abs()
    large = np.flatnonzero((size > MAX_EXACT_MB).to_numpy())
    if len(large):
        row = amounts.iloc[int(large[0])]
        raise InputError(f"amount {row['amount_mb']:,.0f} million baht is too large to sum exactly "
                         f"(at most {MAX_EXACT_MB:,.8f} million baht an amount)", path=row["source"] or None,
                         line=None if pd.isna(row["source_line"]) else int(row["source_line"]))
    if size.sum() * SATANG_PER_MB >= _LARGEST_TOTAL_SATANG:
        raise InputError(f"the amounts add up to more than {_LARGEST_TOTAL_SATANG // SATANG_PER_MB:,} million baht: "
                         "too much to sum exactly")


def order(findings, ctx: TableContext) -> list[Finding]:
    """Errors first, then by level (document-wide first, then top down), node and year."""
    rank = {key: i + 1 for i, key in enumerate(ctx.budget.level_keys)}
    sev = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (sev[f.severity], rank.get(f.level, 0), id_sort_key(f.id),
                                           f.fiscal_year or 0, f.check))


def _pointer(row: dict) -> str:
    page = f" หน้า {row['page']}" if row.get("page") else ""
    return f"{row['source_file']} แถว {row['source_row']} ITEM_ID {row['item_id']}{page}"


def _mb(value: Decimal, sign: bool = False) -> str:
    return exact(value, sign=sign) + " ล้านบาท"


class _Beneath:
    """The item rows beneath a node in a year, in table order: the parts of a printed total."""

    def __init__(self, items: pd.DataFrame):
        self.by_year = {year: rows for year, rows in items.groupby(items["fiscal_year"].astype(str), sort=False)}

    def rows(self, ids: list[str], year: int) -> list[dict]:
        """The rows beneath each of *ids* in turn (a total printed for several nodes sums them)."""
        frame = self.by_year.get(str(year))
        if frame is None:
            return []
        node = frame["node_id"].astype(str)
        return [row for i in ids for row in frame[(node == i) | node.str.startswith(i + ".")].to_dict("records")]


def _cause(rows: list[dict], stated: Decimal, diff: Decimal) -> tuple[str, list[dict], str, str]:
    """The likely cause of a printed total the *rows* beneath do not add up to (the one hint
    engine, :func:`coopanalysis.checks.hints.gap_cause`), else rows missing or extra: (code, the
    rows it names, the one to drop first, then those it repeats or sums; Thai; English)."""
    parts = [hints.Part(Decimal(r["amount_mb"]) if r["amount_mb"] else None, str(r["node_id"]),
                        frozenset(r["status"].split(";"))) for r in rows]
    hint = hints.gap_cause(parts, stated)
    if hint is None:
        code = "no_items" if not rows else "missing_rows" if diff < 0 else "extra_rows"
        return code, [], hints.PHRASES[code][0], hints.PHRASES[code][1]
    th, en = hints.describe(hint, stated, [f"แถว {r['source_row']}" for r in rows],
                            [f"row {r['source_row']}" for r in rows])
    named = [i for i, _, _ in hint.cells if i != hints.TOTAL] + list(hint.basis)
    return hint.code, [rows[i] for i in named], th.removeprefix(hints.CAUSE_TH), en.removeprefix(hints.CAUSE_EN)


def _flagged(ds: BudgetDataset) -> list[dict]:
    """The item rows whose status is not ``ok``, as row dicts (few, on a budget bill)."""
    status = ds.items["status"].to_numpy(dtype=object)
    return ds.items.iloc[np.flatnonzero(status != "ok")].to_dict("records")


def _node_ids(row: dict) -> list[str]:
    """The node ids of a stated row ('' or NaN: matched none; ``a;b``: the sum of several)."""
    value = row.get("node_id")
    if not isinstance(value, str) or value in ("", "nan"):
        return []
    return value.split(";")


def stated_counts(ds: BudgetDataset, findings) -> tuple[int, int]:
    """(printed totals compared, of which hold): the totals matched to nodes, less those with a
    ``stated_total`` finding."""
    compared = sum(1 for row in ds.stated.to_dict("records") if _node_ids(row))
    failed = sum(1 for f in findings if f.check == "stated_total")
    return compared, compared - failed


def check_stated_totals(ctx: TableContext) -> list[Finding]:
    """``stated_total``: each printed total matched to nodes against the model's sum beneath."""
    ds = ctx.budget
    stated = [r for r in ds.stated.to_dict("records") if _node_ids(r)]
    if not stated:
        return []
    sums = ctx.sums({int(r["fiscal_year"]) for r in stated})
    beneath = _Beneath(ds.items)
    labels = {lv["key"]: lv for lv in ds.levels}
    out = []
    for row in stated:
        ids, year = _node_ids(row), int(row["fiscal_year"])
        node = ids[0] if len(ids) == 1 else ";".join(ids)
        stated_mb = Decimal(row["amount_mb"])
        computed = sum((sums.get((i, year), Decimal(0)) for i in ids), Decimal(0))
        diff = computed - stated_mb
        if not ctx.differs(stated_mb, computed):
            continue
        hint, rows, th, en = _cause(beneath.rows(ids, year), stated_mb, diff)
        label = labels.get(row["level"], {"label_th": row["level"], "label_en": row["level"]})
        where = f"{row['source_file']}:{row['line']}"
        message = (f"{label['label_th']} {row['name']} ปี {year}: ยอดที่พิมพ์ {_mb(stated_mb)} แต่รายการรวมได้ "
                   f"{_mb(computed)} (ต่าง {_mb(diff, sign=True)}); สาเหตุที่เป็นไปได้: {th}")
        if rows:
            message += " — " + "; ".join(_pointer(r) for r in rows[:3])
        message_en = (f"{label['label_en']} {row['name']} FY{year}: printed {exact(stated_mb)} million baht, "
                      f"items sum to {exact(computed)} (difference {exact(diff, sign=True)}); likely: {en}")
        out.append(Finding(
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


def check_rows(ctx: TableContext) -> list[Finding]:
    """The item rows the ingest flagged (their ``status``): one finding per row and flag, the
    float noise of a node in one finding."""
    ds = ctx.budget
    out: list[Finding] = []
    noise: dict[str, list[dict]] = {}
    item_key = ds.level_keys[-1]
    for row in _flagged(ds):
        for flag in row["status"].split(";"):
            if flag == "float_noise":
                noise.setdefault(row["node_id"], []).append(row)
                continue
            if flag not in _ROW_CHECKS:
                continue
            severity, check, th, en = _ROW_CHECKS[flag]
            name = row.get(item_key, "") or row["node_id"]
            level = _deepest_level(ds, row)
            out.append(Finding(
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
        out.append(Finding(
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


def check_unread(ctx: TableContext) -> list[Finding]:
    """Rows that are not items: an error per file for the rows lost to a bad fiscal year (they
    have names, so they were meant as items), one info for the rest, counted by kind."""
    report = ctx.budget.ingest_report
    if report.empty:
        return []
    unread = report[~report["disposition"].isin(["reported", "corrected"])]  # items used, noted
    bad_year = unread["note"].str.startswith("fiscal year")
    out = []
    for file, rows in unread[bad_year].groupby("file", sort=False):
        values = rows["note"].str.extract(r"fiscal year ('.*?') is", expand=False).drop_duplicates().head(5)
        shown = ", ".join(values.fillna("?"))
        out.append(Finding(
            "error", "bad_fiscal_year", "document", str(file),
            message=(f"{file}: {len(rows)} แถวมีชื่อรายการแต่ปีงบประมาณใช้ไม่ได้ (เช่น {shown}) จึงไม่ได้นับรวม "
                     f"ทุกแถวอยู่ใน ingest_report.csv"),
            message_en=(f"{file}: {len(rows)} rows with names have no usable fiscal year (e.g. {shown}), so "
                        f"they are not summed; every row is listed in ingest_report.csv"),
            cells=[f"{r['file']} แถว {r['row']}" for r in rows.head(10).to_dict("records")]))
    rest = unread[~bad_year]
    if not rest.empty:
        kinds = rest["note"].str.split(r"[:'(]", regex=True).str[0].str.strip().value_counts()
        detail = "; ".join(f"{kind} {count}" for kind, count in kinds.items())
        out.append(Finding(
            "info", "unread_rows", "document", "document",
            message=f"แถวที่ไม่ใช่รายการ {len(rest)} แถว ({detail}) ดู ingest_report.csv",
            message_en=f"{len(rest)} source rows are not items ({detail}); see ingest_report.csv",
            cells=[f"{r['file']} แถว {r['row']}" for r in rest.head(10).to_dict("records")]))
    return out


def check_corrections(ctx: TableContext) -> list[Finding]:
    """``correction_applied`` (info), as for a plan: each reviewed correction applied at ingest,
    with the row, the printed and the corrected value (the table's own unit) and the reason."""
    ds = ctx.budget
    if ds.corrections is None or ds.corrections.empty:
        return []
    items = {(r["source_file"], str(r["source_row"])): r for r in ds.items.to_dict("records")}
    out = []
    for c in ds.corrections.to_dict("records"):
        row = items.get((c["source_file"], str(c["source_row"])), {})
        year = int(c["fiscal_year"]) if str(c.get("fiscal_year", "")).isdigit() else None
        what = "ปีงบประมาณ" if c["field"] == "fiscal_year" else "จำนวนเงิน"
        name = str(row.get("item") or row.get(_deepest_level(ds, row), "")) if row else ""
        out.append(Finding(
            "info", "correction_applied", _deepest_level(ds, row) if row else "document",
            str(row.get("node_id") or c["source_file"]), fiscal_year=year, name=name,
            source_line=int(c["source_row"]) if str(c["source_row"]).isdigit() else None,
            cells=[f"{c['source_file']} แถว {c['source_row']} ITEM_ID {c['item_id']}: {c['printed']} → {c['corrected']}"],
            message=(f"{c['source_file']} แถว {c['source_row']} ITEM_ID {c['item_id']}: ใช้{what}ที่แก้แล้ว "
                     f"{c['corrected']} แทนค่าที่พิมพ์ {c['printed']} (การแก้ไขที่ตรวจทานแล้ว) — เหตุผล: {c['reason']}"),
            message_en=(f"{c['source_file']} row {c['source_row']} ITEM_ID {c['item_id']}: reviewed correction of the "
                        f"{c['field'].replace('_', ' ')} from {c['printed']} to {c['corrected']} — reason: {c['reason']}")))
    return out


def check_sources(ctx: TableContext) -> list[Finding]:
    """How a workbook was read, where it matters: merged cells filled down."""
    out = []
    for source in ctx.budget.plan.get("sources", []):
        for note in source.get("notes", []):
            if note.startswith("merged cells"):
                out.append(Finding(
                    "warning", "merged_cells", "document", str(source.get("file", "")),
                    message=(f"{source.get('file')}: เซลล์ที่ผสานในแนวตั้งถูกเติมลงด้วยค่าของเซลล์บนสุด "
                             f"ตรวจว่าแถวอยู่ใต้ระดับบนที่ถูกต้อง ({note.split(': ', 1)[1]})"),
                    message_en=f"{source.get('file')}: {note}; check that rows sit under the right parent"))
    return out


def check_unmatched(ctx: TableContext) -> list[Finding]:
    """Printed totals (from a PDF) whose name matches no node: listed with the closest names
    (info for a ministry's total when the tables hold it only in parts)."""
    from coopanalysis.budget.stated import candidates
    from coopanalysis.budget.volumes import Parts

    ds = ctx.budget
    rows = [r for r in ds.stated.to_dict("records") if not _node_ids(r)]
    if not rows:
        return []
    nodes = ds.nodes
    names_of = {level: sorted(set(nodes["name"][nodes["level"] == level].astype(str)))
                for level in {r["level"] for r in rows}}
    out = []
    split = Parts(ds.plan.get("parts"), ds.level_keys[0])
    for row in rows:
        level, name, year = row["level"], str(row["name"]), int(row["fiscal_year"])
        parts = split.not_compared(level, name, names_of.get(level, []))  # a ministry in volume parts
        where = f"{row['source_file']}:{row['line']}"
        if parts:
            out.append(Finding(
                severity="info", check="stated_unmatched", level=level, id="", fiscal_year=year,
                stated=Decimal(row["amount_mb"]), name=name, hint="split_across_volumes",
                message=f"{where}: ยอดที่พิมพ์ของ {name} ({_mb(Decimal(row['amount_mb']))}) {parts[0]}: ไม่ได้เปรียบเทียบ",
                message_en=f"{where}: the printed total of {name} {parts[1]}: not compared",
                cells=[f"ยอดที่พิมพ์ {where}"]))
            continue
        close = candidates(level, name, names_of.get(level, []))
        shown = " | ".join(close) if close else "ไม่มีชื่อใกล้เคียง"
        out.append(Finding(
            severity="warning", check="stated_unmatched", level=level, id="", fiscal_year=year,
            stated=Decimal(row["amount_mb"]), name=name, hint="no_such_node",
            message=(f"{where}: ยอดที่พิมพ์ {_mb(Decimal(row['amount_mb']))} ของ {level} {name!r} ไม่ตรงกับชื่อใดในตาราง "
                     f"(ชื่อใกล้เคียง: {shown}): ตารางอาจขาดทั้งหน่วย หรือชื่อสะกดต่างกัน"),
            message_en=(f"{where}: printed total of {level} {name!r} matches no name in the tables "
                        f"(closest: {shown}): the whole node missing from the extraction, or spelt differently?"),
            cells=[f"ยอดที่พิมพ์ {where}"] + [f"ใกล้เคียง: {c}" for c in close]))
    return out


def check_name_noise(ctx: TableContext) -> list[Finding]:
    """Names (above the item level) with stray characters glued on at their end."""
    from coopanalysis.budget.stated import strip_noise

    ds = ctx.budget
    out = []
    item_key = ds.level_keys[-1]
    nodes = None
    for key in ds.level_keys[:-1]:
        if key not in ds.items.columns or key == item_key:
            continue
        column = ds.items[key].to_numpy(dtype=object)
        for name in pd.unique(column).tolist():
            if not isinstance(name, str) or not _ENDS_ODD.search(name) or strip_noise(name) == name:
                continue
            clean = strip_noise(name)
            first = ds.items.iloc[int(np.flatnonzero(column == name)[0])]
            nodes = ds.nodes if nodes is None else nodes
            ids = nodes["node_id"][(nodes["level"] == key) & (nodes["name"] == name)].astype(str).tolist()
            out.append(Finding(
                severity="warning", check="name_noise", level=key, id=ids[0] if ids else "", name=name,
                hint="name_noise",
                message=f"ชื่อ {name!r} มีอักขระแปลกปลอมต่อท้ายจากการสกัดข้อมูล: ชื่อที่ถูกต้องน่าจะเป็น {clean!r}",
                message_en=f"name {name!r} has stray characters glued on by the extraction; clean name: {clean!r}",
                cells=[_pointer(first.to_dict())]))
    return out


# a name that strip_noise might shorten: a short token after a space, or a digit or Latin letter
# glued to Thai at its end
_ENDS_ODD = re.compile(r"(?:\s\S{1,4}|[\u0e01-\u0e4e][0-9A-Za-z]\S{0,2})$")
_YEAR_WORD = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def check_plausibility(ctx: TableContext) -> list[Finding]:
    """Fiscal years far from the bill year; amounts equal to a year in their own description."""
    ds = ctx.budget
    items = ds.items
    if items.empty:
        return []
    out = []
    years = items["fiscal_year"].astype(int).to_numpy()
    bill = int(ds.bill_year) if ds.bill_year else int(np.median(years))
    far = np.flatnonzero(np.abs(years - bill) > YEAR_SPAN)
    item_key = ds.level_keys[-1]
    by_node: dict[str, list[int]] = {}
    for i in far.tolist():
        by_node.setdefault(str(items["node_id"].iat[i]), []).append(i)
    for node, rows in by_node.items():
        first = items.iloc[rows[0]].to_dict()
        span = sorted({int(years[i]) for i in rows})
        shown = f"{span[0]}-{span[-1]}" if len(span) > 1 else str(span[0])
        name = str(first.get(item_key, "") or node)
        out.append(Finding(
            severity="warning", check="implausible_year", level=_deepest_level(ds, first), id=node,
            fiscal_year=span[0], name=name, hint="implausible_year",
            message=(f"{_pointer(first)}: {len(rows)} แถวในปีงบประมาณ {shown} ห่างจากปีของร่าง พ.ศ. {bill} "
                     f"เกิน {YEAR_SPAN} ปี: ปีอาจอ่านผิด ({name})"),
            message_en=(f"{first['source_file']} row {first['source_row']}: {len(rows)} rows in fiscal years {shown}, "
                        f"more than {YEAR_SPAN} years from the bill year {bill}: misread years?"),
            source_line=int(first["source_row"]) if str(first["source_row"]).isdigit() else None,
            cells=[_pointer(items.iloc[i].to_dict()) for i in rows[:10]]))
    text = items["amount_text"].astype(str)
    maybe = np.flatnonzero(text.str.fullmatch(r"\s*[\d๐-๙],?[\d๐-๙]{3}(?:\.[0๐]+)?\s*").to_numpy(dtype=bool))
    descriptions = items[item_key].to_numpy(dtype=object) if item_key in items.columns else None
    for i in maybe.tolist() if descriptions is not None else []:
        amount = int(Decimal(to_arabic(text.iat[i]).replace(",", "").strip()))
        if str(amount) not in _YEAR_WORD.findall(to_arabic(str(descriptions[i] or ""))):
            continue
        row = items.iloc[i].to_dict()
        out.append(Finding(
            severity="warning", check="amount_is_year", level=_deepest_level(ds, row), id=str(row["node_id"]),
            fiscal_year=int(row["fiscal_year"]), stated=Decimal(row["amount_mb"]) if row["amount_mb"] else None,
            name=str(row.get(item_key, "")), hint="amount_is_year",
            message=(f"{_pointer(row)}: จำนวนเงิน {row['amount_text']} เท่ากับปีที่เขียนในรายการเอง "
                     f"({row.get(item_key, '')}): อาจอ่านปีเป็นจำนวนเงิน"),
            message_en=(f"{row['source_file']} row {row['source_row']}: amount {row['amount_text']} equals a year "
                        "written in the row's own description: a year read as an amount?"),
            source_line=int(row["source_row"]) if str(row["source_row"]).isdigit() else None,
            cells=[_pointer(row)]))
    return out


#: The rules of a budget table, each function with the checks it declares, in the order their
#: findings are gathered (then sorted by :func:`order`).
RULES: tuple[Rule, ...] = (
    Rule(check_stated_totals, (Check("stated_total", "error", (ANY,), "ยอดที่พิมพ์เทียบกับผลรวมของรายการ"),)),
    Rule(check_unmatched, (Check("stated_unmatched", "warning", (ANY,), "ยอดที่พิมพ์ไม่ตรงกับชื่อใดในตาราง", also=("info",)),)),
    Rule(check_rows, (
        Check("malformed_amount", "error", (ANY,), "จำนวนเงินผิดรูปแบบ"),
        Check("missing_amount", "warning", (ANY,), "แถวที่ไม่มีจำนวนเงิน"),
        Check("duplicate_row", "warning", (ANY,), "แถวซ้ำ"),
        Check("suspected_subtotal", "warning", (ANY,), "แถวที่น่าจะเป็นยอดรวมย่อย"),
        Check("float_noise", "warning", (ANY,), "จำนวนเงินไม่ลงตัวเป็นสตางค์"),
    )),
    Rule(check_name_noise, (Check("name_noise", "warning", (ANY,), "ชื่อมีอักขระแปลกปลอมต่อท้าย"),)),
    Rule(check_plausibility, (
        Check("implausible_year", "warning", (ANY,), "ปีงบประมาณห่างจากปีของร่างเกินควร"),
        Check("amount_is_year", "warning", (ANY,), "จำนวนเงินเท่ากับปีที่เขียนในรายการ"),
    )),
    Rule(check_unread, (
        Check("bad_fiscal_year", "error", ("document",), "ปีงบประมาณใช้ไม่ได้"),
        Check("unread_rows", "info", ("document",), "แถวที่ไม่ได้อ่านเป็นรายการ"),
    )),
    Rule(check_sources, (Check("merged_cells", "warning", ("document",), "เซลล์ที่ผสานถูกเติมลง"),)),
    Rule(check_corrections, (Check("correction_applied", "info", (ANY,), "ใช้ค่าที่แก้ไขแล้ว"),)),
)
