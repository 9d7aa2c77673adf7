"""Findings as data for readers: counts per check (a pivot) and findings grouped by strategy."""

from __future__ import annotations

import pandas as pd

from coopanalysis.checks.findings import SEVERITIES, Finding
from coopanalysis.checks.rules import DECLARED
from coopanalysis.io.schema import id_sort_key
from coopanalysis.text.fmt import is_missing
from coopanalysis.text.labels import node_label

__all__ = ["PIVOT_COLUMNS", "PLAN_WIDE_TITLE", "check_label", "findings_pivot", "group_findings"]

PIVOT_COLUMNS = ["check", "label_th", *SEVERITIES, "total"]
#: Title of the group of findings that belong to no strategy.
PLAN_WIDE_TITLE = "ทั้งแผนและทั้งเอกสาร"

_LABELS = {c.code: c.label_th for c in DECLARED}
_ORDER = {c.code: i for i, c in enumerate(DECLARED)}


def check_label(code: str) -> str:
    """The short Thai name of a check code (the code itself when it is not declared).

    >>> check_label("plan_total"), check_label("no_such_check")
    ('ยอดรวมทั้งแผนไม่ตรง', 'no_such_check')
    """
    return _LABELS.get(code, code)


def findings_pivot(findings) -> pd.DataFrame:
    """One row per check that has findings, in code order (undeclared codes last, by name):
    ``check``, ``label_th``, then the count of ``error``, ``warning``, ``info`` and ``total``
    (ints). No findings: an empty frame with these columns.

    >>> f = [Finding("warning", "no_detail", "strategy", "7"), Finding("error", "plan_total", "plan", "plan"),
    ...      Finding("warning", "no_detail", "tactic", "7.1")]
    >>> list(findings_pivot(f)["check"])
    ['no_detail', 'plan_total']
    >>> findings_pivot(f).to_dict("records")[0]
    {'check': 'no_detail', 'label_th': 'ไม่มีรายละเอียดโครงการ', 'error': 0, 'warning': 2, 'info': 0, 'total': 2}
    """
    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        row = counts.setdefault(f.check, {s: 0 for s in SEVERITIES})
        row[f.severity] += 1
    order = sorted(counts, key=lambda c: (0, _ORDER[c], "") if c in _ORDER else (1, 0, c))
    rows = [{"check": c, "label_th": check_label(c), **counts[c], "total": sum(counts[c].values())} for c in order]
    frame = pd.DataFrame(rows, columns=PIVOT_COLUMNS)
    return frame.astype({c: "int64" for c in (*SEVERITIES, "total")})


def group_findings(findings, strategy_names: dict | None = None) -> list[tuple[str | None, str, list[Finding]]]:
    """Findings grouped as a reader goes through them: ``(strategy_id, title, findings)``,
    plan-wide findings first (strategy_id None, title :data:`PLAN_WIDE_TITLE`), then one group
    per strategy in id order, titled with its label and name. Order within a group is kept.

    >>> f = [Finding("error", "strategy_total", "strategy", "10", strategy_id="10"),
    ...      Finding("warning", "no_detail", "strategy", "7", strategy_id="7"),
    ...      Finding("error", "plan_total", "plan", "plan")]
    >>> [(s, t, len(g)) for s, t, g in group_findings(f, {"7": "การพัฒนา"})]
    [(None, 'ทั้งแผนและทั้งเอกสาร', 1), ('7', 'ยุทธศาสตร์ที่ 7 การพัฒนา', 1), ('10', 'ยุทธศาสตร์ที่ 10', 1)]
    """
    names = {str(k): ("" if is_missing(v) else str(v)) for k, v in (strategy_names or {}).items()}
    grouped: dict[str | None, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.strategy_id or None, []).append(f)
    out = []
    for sid in sorted(grouped, key=lambda k: (0, ()) if k is None else (1, id_sort_key(k))):
        if sid is None:
            title = PLAN_WIDE_TITLE
        else:
            name = names.get(sid, "").strip()
            title = node_label("strategy", sid) + (f" {name}" if name else "")
        out.append((sid, title, grouped[sid]))
    return out
