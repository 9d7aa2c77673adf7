"""Reviewed corrections of printed numbers (``data/corrections.yaml``).

Each entry names the cell (project, field, fiscal year), the value printed in the document, the
corrected value and the reason. A correction that points at no cell, or whose printed value no
longer matches the document, fails loudly: a stale correction must never apply silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from coopanalysis.errors import CorrectionError
from coopanalysis.io.safeio import display_path
from coopanalysis.io.yamlsafe import load_file_with_node
from coopanalysis.text.thai import AmountError, amount_text, parse_amount


@dataclass
class Correction:
    project_id: str
    field: str  # amount | total
    fiscal_year: int | None
    printed: Decimal
    corrected: Decimal
    reason: str
    entry: int  # 1-based position in the file, for messages
    path: str = ""  # the corrections file
    line: int | None = None  # line of the entry in that file


def load_corrections(path: str | Path) -> list[Correction]:
    path = Path(path)
    if not path.exists():
        raise CorrectionError("no such corrections file", path=display_path(path))
    data, root = load_file_with_node(path, error=CorrectionError)  # bounded: size, aliases, UTF-8
    data = data or {}
    lines = _entry_lines(root)
    entries = data.get("corrections", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorrectionError("expected a mapping with a 'corrections' list", path=path)
    out = []
    for i, entry in enumerate(entries, 1):
        where = f"correction #{i}"
        at = lines[i - 1] if i - 1 < len(lines) else None
        if not isinstance(entry, dict):
            raise CorrectionError(f"{where} is not a mapping", path=path, line=at)
        missing = [k for k in ("project_id", "printed", "corrected", "reason") if k not in entry]
        if missing:
            raise CorrectionError(f"{where} lacks {', '.join(missing)}", path=path, line=at)
        field = str(entry.get("field", "amount"))
        if field not in ("amount", "total"):
            raise CorrectionError(f"{where}: field must be 'amount' or 'total'; got {field!r}", path=path, line=at)
        year = entry.get("fiscal_year")
        if field == "amount" and (not isinstance(year, int) or isinstance(year, bool)):
            raise CorrectionError(f"{where}: field 'amount' needs a Buddhist-era fiscal_year", path=path, line=at)
        try:
            printed, corrected = parse_amount(str(entry["printed"])), parse_amount(str(entry["corrected"]))
        except AmountError as exc:
            raise CorrectionError(f"{where}: {exc}", path=path, line=at) from None
        out.append(Correction(str(entry["project_id"]), field, year, printed, corrected,
                              str(entry["reason"]).strip(), i, str(path), at))
    return out


def _entry_lines(root) -> list[int]:
    """1-based line of each entry of the 'corrections' list, for error messages."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "corrections" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def apply_corrections(doc, corrections: list[Correction], plan_path: str) -> None:
    """Apply corrections to placed project figures; record each in ``doc.corrections``.

    Errors name the corrections file and the entry's line there (the document is fine; the
    correction is what must be reviewed).
    """
    for c in corrections:
        path, line_of_entry = c.path or plan_path, c.line
        where = f"correction #{c.entry} ({c.project_id} {c.field}{' ' + str(c.fiscal_year) if c.fiscal_year else ''})"
        project = doc.projects.get(c.project_id)
        if project is None:
            raise CorrectionError(f"{where} points at no cell: no project {c.project_id} in the document", path=path, line=line_of_entry)
        if c.field == "total":
            current = project.total
            if current is None:
                raise CorrectionError(f"{where} points at no cell: the project has no printed total", path=path, line=line_of_entry)
            if current != c.printed:
                raise CorrectionError(f"{where} is stale: the document prints {amount_text(current)}, "
                                      f"the correction expects {amount_text(c.printed)}", path=path, line=line_of_entry)
            project.total_corrected_from = amount_text(current)
            project.total = c.corrected
            line = project.listings[0].values_line if project.listings else project.first_line
        else:
            if project.yearly is None or c.fiscal_year not in doc.years:
                raise CorrectionError(f"{where} points at no cell: the project has no placed amount for "
                                      f"fiscal year {c.fiscal_year}", path=path, line=line_of_entry)
            index = doc.years.index(c.fiscal_year)
            current = project.yearly[index]
            if current != c.printed:
                raise CorrectionError(f"{where} is stale: the document prints {amount_text(current)}, "
                                      f"the correction expects {amount_text(c.printed)}", path=path, line=line_of_entry)
            project.corrected_from[c.fiscal_year] = amount_text(current)
            project.yearly[index] = c.corrected
            line = project.listings[0].values_line
        project.notes.append(f"corrected {c.field}{' ' + str(c.fiscal_year) if c.fiscal_year else ''} "
                             f"from {amount_text(c.printed)} to {amount_text(c.corrected)}: {c.reason}")
        doc.corrections.append({
            "project_id": c.project_id, "field": c.field, "fiscal_year": c.fiscal_year or "",
            "printed": amount_text(c.printed), "corrected": amount_text(c.corrected),
            "reason": c.reason, "source_line": line or "",
        })
