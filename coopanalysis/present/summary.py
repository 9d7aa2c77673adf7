"""What each report tells the index: a one-line summary and its fields (JSON values).

A notebook hands them over with :func:`coopanalysis.report.index.show_summary`; the index shows
the findings of each report (errors, warnings) apart from whether its notebook ran, and the
plan totals compared like with like.
"""

from __future__ import annotations

from coopanalysis.checks import summary_counts
from coopanalysis.present.plan_tables import comparable_totals, strategy_name
from coopanalysis.text.fmt import amount, count, digits
from coopanalysis.text.labels import MB

__all__ = ["plan_summary", "checks_summary", "strategy_summary", "units_summary"]


def _counts(findings) -> dict:
    counts = summary_counts(findings)
    return {"findings": len(findings), **{f"findings_{k}": v for k, v in counts.items()}}


def _line(findings, thai_digits: bool) -> str:
    counts = summary_counts(findings)
    return (f"ข้อตรวจพบ {count(len(findings), thai_digits)} รายการ: ผิดพลาด {count(counts['error'], thai_digits)}"
            f" · คำเตือน {count(counts['warning'], thai_digits)} · ข้อมูล {count(counts['info'], thai_digits)}")


def plan_summary(plan, findings, thai_digits: bool = False) -> tuple[str, dict]:
    """The overview's summary: strategies and projects, the like-with-like plan totals."""
    totals = comparable_totals(plan)
    ids = ", ".join(totals["compared"])
    text = f"{count(len(plan.strategies), thai_digits)} ยุทธศาสตร์ {count(len(plan.projects), thai_digits)} โครงการ"
    if totals["compared"]:
        text += (f" · ยุทธศาสตร์ที่ {digits(ids, thai_digits)}: ตามเอกสาร {amount(totals['stated_mb'], thai_digits)}"
                 f" / จากรายโครงการ {amount(totals['computed_mb'], thai_digits)} {MB}")
    fields = {**totals, "strategies": len(plan.strategies), "projects": len(plan.projects), **_counts(findings),
              "thai_digits": bool(thai_digits)}
    return text, fields


def checks_summary(findings, thai_digits: bool = False) -> tuple[str, dict]:
    """The checks report's summary: counts by severity, and per group of the report (``groups``:
    ``plan-wide`` and ``strategy-<id>`` -> counts), so the index can give the findings that no
    strategy report holds (the whole plan's, a strategy missing from the document) a row."""
    from coopanalysis.present.page import strategy_anchor

    groups: dict[str, list] = {}
    for f in findings:
        groups.setdefault(strategy_anchor(f.strategy_id), []).append(f)
    return _line(findings, thai_digits), {**_counts(findings), "groups": {k: _counts(v) for k, v in groups.items()},
                                          "thai_digits": bool(thai_digits)}


def strategy_summary(plan, strategy_id: str, findings, thai_digits: bool = False) -> tuple[str, dict]:
    """A strategy report's summary: its full name, printed and computed totals, its findings."""
    from coopanalysis.analysis import printed_vs_computed
    from coopanalysis.text.fmt import is_missing

    frame = printed_vs_computed(plan, "strategy")
    row = frame[frame["strategy_id"] == strategy_id].iloc[0]
    own = [f for f in findings if f.strategy_id == strategy_id]
    text = (f"ตามเอกสาร {amount(row['stated_mb'], thai_digits)} / จากรายโครงการ {amount(row['computed_mb'], thai_digits)}"
            f" {MB} · โครงการ {count(row['found_count'], thai_digits)}")
    name = strategy_name(plan, strategy_id, thai_digits)
    fields = {
        "strategy_id": strategy_id, "name": name,
        "stated_mb": None if is_missing(row["stated_mb"]) else float(row["stated_mb"]),
        "computed_mb": None if is_missing(row["computed_mb"]) else float(row["computed_mb"]),
        **_counts(own), "thai_digits": bool(thai_digits),
    }
    return text, fields


def units_summary(plan, thai_digits: bool = False) -> tuple[str, dict]:
    """The units report's summary: how many units, who gets most when amounts are split evenly."""
    from coopanalysis.analysis import NO_UNIT, TOTAL, by_unit

    frame = by_unit(plan, "equal")
    units = frame[~frame["unit"].isin([TOTAL, NO_UNIT])]
    text = f"หน่วยงานรับผิดชอบ {count(len(units), thai_digits)} แห่ง"
    fields = {"units": len(units), "thai_digits": bool(thai_digits)}
    if len(units):
        top = units.iloc[0]
        text += f" · แบ่งเท่ากัน: มากที่สุด {digits(top['unit'], thai_digits)} {amount(top[TOTAL], thai_digits)} {MB}"
        fields.update({"top_unit": str(top["unit"]), "top_unit_mb": float(top[TOTAL])})
    return text, fields
