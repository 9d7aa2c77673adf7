"""The :class:`Finding` record, its ordering and its tabular / JSON forms."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

import pandas as pd

from coopanalysis.model.plan import id_sort_key
from coopanalysis.text.thai import amount_text

__all__ = [
    "FIELDS", "LEVELS", "SEVERITIES", "Finding", "findings_frame", "sort_findings", "sort_key", "summary_counts",
]

SEVERITIES = ("error", "warning", "info")
#: The levels of a plan's findings, in their sort order. A finding on another dataset carries
#: that dataset's own level key (``ministry``, ``budgetary_unit`` …), sorted after these.
LEVELS = ("plan", "document", "strategy", "tactic", "project")
FIELDS = [
    "severity", "check", "level", "id", "fiscal_year", "stated", "computed", "difference",
    "message", "message_en", "source_line", "strategy_id", "hint", "cells", "name",
]


def _exact(value) -> str | None:
    """An amount as an exact decimal string (None stays None).

    >>> _exact(Decimal("50.50")), _exact("10"), _exact(None)
    ('50.5', '10', None)
    """
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    return amount_text(Decimal(str(value)))


@dataclass
class Finding:
    """One reconciliation finding.

    ``stated``/``computed``/``difference`` are exact decimal strings (million baht) or None;
    ``difference`` = computed - stated. ``message`` is Thai (amounts in ล้านบาท, BE years),
    ``message_en`` its English gloss. ``hint`` is the code of a likely cause
    (see :mod:`coopanalysis.checks.hints`), ``cells`` describes the printed cells involved.
    ``name`` is the name of the node the finding is about (strategy, tactic, project), '' when
    it has none (the whole plan, the document, a strategy the document omits).
    """

    severity: str
    check: str
    level: str
    id: str
    fiscal_year: int | None = None
    stated: str | None = None
    computed: str | None = None
    difference: str | None = None
    message: str = ""
    message_en: str = ""
    source_line: int | None = None
    strategy_id: str | None = None
    hint: str | None = None
    cells: list[str] = field(default_factory=list)
    name: str = ""

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}; got {self.severity!r}")
        if not isinstance(self.level, str) or not self.level.isidentifier():
            raise ValueError(f"level must be a level key such as {', '.join(LEVELS)}; got {self.level!r}")
        self.id = str(self.id)
        self.stated = _exact(self.stated)
        self.computed = _exact(self.computed)
        self.difference = _exact(self.difference)
        self.fiscal_year = int(self.fiscal_year) if self.fiscal_year is not None else None
        self.source_line = int(self.source_line) if self.source_line is not None else None
        self.cells = [str(c) for c in self.cells]
        self.name = "" if self.name is None else str(self.name)

    @property
    def key(self) -> tuple:
        """(check, level, id, fiscal_year): what a test or a diff compares."""
        return (self.check, self.level, self.id, self.fiscal_year)

    def to_json(self) -> dict:
        """A JSON-ready dict: amounts as numbers (float of the exact decimal), null when absent."""
        out = asdict(self)
        for name in ("stated", "computed", "difference"):
            out[name] = float(Decimal(out[name])) if out[name] is not None else None
        return out


_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_LEVEL_RANK = {s: i for i, s in enumerate(LEVELS)}


def sort_key(finding: Finding) -> tuple:
    """Grouped by strategy (plan-wide findings first), errors first, then level and id."""
    group = (0, ()) if not finding.strategy_id else (1, id_sort_key(finding.strategy_id))
    return (
        group,
        _SEVERITY_RANK[finding.severity],
        _LEVEL_RANK.get(finding.level, len(LEVELS)),
        id_sort_key(finding.id) if finding.level in ("strategy", "tactic", "project") else (),
        finding.fiscal_year or 0,
        finding.check,
    )


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=sort_key)


def findings_frame(findings) -> pd.DataFrame:
    """One row per finding; amounts as exact strings, ``cells`` joined with ``' | '``."""
    rows = []
    for f in findings:
        row = asdict(f)
        row["cells"] = " | ".join(f.cells)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=FIELDS)
    for column in ("fiscal_year", "source_line"):
        frame[column] = pd.array([None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64")
    return frame


def summary_counts(findings) -> dict:
    """Counts per severity (every severity present, 0 when none).

    >>> summary_counts([Finding("error", "x", "plan", "plan")])
    {'error': 1, 'warning': 0, 'info': 0}
    """
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    return counts
