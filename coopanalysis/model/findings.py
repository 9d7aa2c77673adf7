"""``Findings``: what :func:`coopanalysis.check` returns, for any dataset.

A list of :class:`~coopanalysis.checks.findings.Finding` (one findings type for every source)
with what an analyst asks of it: ``.errors``, ``.warnings``, ``.infos``, ``.counts``,
``.to_frame()`` (amounts numeric, million baht), a short ``repr`` and an HTML card.
"""

from __future__ import annotations

import html

import pandas as pd

from coopanalysis.checks.findings import SEVERITIES, Finding, findings_frame, summary_counts

__all__ = ["Findings"]

_SEVERITY_TH = {"error": "ข้อผิดพลาด", "warning": "คำเตือน", "info": "ข้อสังเกต"}


class Findings(list):
    """Findings of one check run, sorted as the checks sort them (errors first).

    ``compared`` and ``held`` count the printed totals compared and those that hold (None when
    the engine does not count them); ``note`` says what the run could not do (e.g. no printed
    totals were given).
    """

    def __init__(self, findings=(), *, title: str = "", compared: int | None = None, held: int | None = None,
                 note: str = ""):
        super().__init__(findings)
        for finding in self:
            if not isinstance(finding, Finding):
                raise TypeError(f"expected Finding, got {type(finding).__name__}")
        self.title, self.compared, self.held, self.note = title, compared, held, note

    def _of(self, severity: str) -> Findings:
        return Findings([f for f in self if f.severity == severity], title=self.title)

    @property
    def errors(self) -> Findings:
        return self._of("error")

    @property
    def warnings(self) -> Findings:
        return self._of("warning")

    @property
    def infos(self) -> Findings:
        return self._of("info")

    @property
    def counts(self) -> dict[str, int]:
        """``{"error": n, "warning": n, "info": n}``."""
        return summary_counts(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding; ``stated``, ``computed``, ``difference`` as numbers (million baht)."""
        frame = findings_frame(self)
        for column in ("stated", "computed", "difference"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        return frame

    def __repr__(self) -> str:
        counts = self.counts
        head = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in SEVERITIES)
        lines = [f"<Findings: {head}>"]
        for finding in list(self)[:5]:
            lines.append(f"  {finding.severity:7} {finding.check} {finding.level} {finding.id}"
                         + (f" {finding.fiscal_year}" if finding.fiscal_year else "")
                         + (f" difference {finding.difference}" if finding.difference is not None else ""))
        if len(self) > 5:
            lines.append(f"  … {len(self) - 5} more (.to_frame() shows all)")
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        counts = self.counts
        badges = " · ".join(f"{_SEVERITY_TH[s]} {counts[s]}" for s in SEVERITIES)
        rows = "".join(
            f"<tr><td>{html.escape(_SEVERITY_TH[f.severity])}</td><td>{html.escape(f.check)}</td>"
            f"<td>{html.escape(f.level)} {html.escape(f.id)}</td><td>{f.fiscal_year or ''}</td>"
            f"<td>{html.escape(f.message)}</td></tr>" for f in list(self)[:20])
        more = f"<div>… อีก {len(self) - 20} รายการ (ดูทั้งหมดด้วย <code>.to_frame()</code>)</div>" if len(self) > 20 else ""
        note = f"<div style='color:#555'>{html.escape(self.note)}</div>" if self.note else ""
        return (f"<div class='coopanalysis-card'><div style='font-weight:bold'>ผลการตรวจสอบ"
                f"{': ' + html.escape(self.title) if self.title else ''}</div><div>{badges}</div>{note}"
                f"<table><tr><th>ระดับ</th><th>รหัสตรวจ</th><th>ที่</th><th>ปี</th><th>ข้อความ</th></tr>{rows}</table>"
                f"{more}</div>")
