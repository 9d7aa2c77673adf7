"""Reviewed corrections of printed numbers (``data/corrections.yaml``): one file format for a
plan's text and for budget tables.

Each entry names its target, the field, the value printed in the source, the corrected value and
the reason:

* a plan's cell: ``project_id``, ``field`` (``amount`` with a Buddhist-era ``fiscal_year``, or
  ``total``);
* a table row: ``source_file`` (the table's file name) and ``item_id`` (the row's id as
  ``items.csv`` records it: the mapping's id column, e.g. the budget bill's ``ITEM_ID``, else
  ``FILE:ROW``), ``field`` (``amount``, or ``fiscal_year``), the printed and corrected values in the
  table's own unit and era (applied by :func:`coopanalysis.budget.rows.correct_rows`).

A correction that points at no cell, or whose printed value no longer matches the source, fails
loudly: a stale correction must never apply silently. So do unknown keys and an empty reason.
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

#: The keys an entry may have, for a plan's cell and for a table row.
PLAN_KEYS = ("project_id", "field", "fiscal_year", "printed", "corrected", "reason")
TABLE_KEYS = ("source_file", "item_id", "field", "printed", "corrected", "reason")
#: The columns of ``corrections_applied.csv`` in a budget dataset (a plan's are in ingest.tables).
TABLE_APPLIED_COLUMNS = ["source_file", "item_id", "source_row", "fiscal_year", "field", "printed", "corrected",
                         "reason"]


@dataclass
class Correction:
    project_id: str  # a plan's project ('' for a table row)
    field: str  # amount | total (plan) | fiscal_year (table)
    fiscal_year: int | None
    printed: Decimal | None  # a plan's cell (None for a table row: see printed_text)
    corrected: Decimal | None
    reason: str
    entry: int  # 1-based position in the file, for messages
    path: str = ""  # the corrections file
    line: int | None = None  # line of the entry in that file
    source_file: str = ""  # a table row: its file and id, as items.csv records them
    item_id: str = ""
    printed_text: str = ""  # as written in the corrections file
    corrected_text: str = ""

    @property
    def on_table(self) -> bool:
        return bool(self.source_file)

    def where(self) -> str:
        """``correction #N (target field year)`` for messages."""
        if self.on_table:
            return f"correction #{self.entry} ({self.source_file} {self.item_id} {self.field})"
        year = f" {self.fiscal_year}" if self.fiscal_year else ""
        return f"correction #{self.entry} ({self.project_id} {self.field}{year})"

    def error(self, message: str) -> CorrectionError:
        """A :class:`CorrectionError` naming this entry, the corrections file and the entry's line."""
        return CorrectionError(f"{self.where()} {message}", path=self.path, line=self.line)


def load_corrections(path: str | Path) -> list[Correction]:
    path = Path(path)
    if not path.exists():
        raise CorrectionError("no such corrections file", path=display_path(path))
    data, root = load_file_with_node(path, error=CorrectionError)  # bounded: size, aliases, UTF-8
    data = data or {}
    nodes = _entry_nodes(root)
    entries = data.get("corrections", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorrectionError("expected a mapping with a 'corrections' list", path=path)
    out = []
    for i, entry in enumerate(entries, 1):
        node = nodes[i - 1] if i - 1 < len(nodes) else None
        at = None if node is None else node.start_mark.line + 1
        out.append(_entry(entry, i, path, at, node))
    return out


def _entry(entry, i: int, path: Path, at: int | None, node) -> Correction:
    where = f"correction #{i}"
    if not isinstance(entry, dict):
        raise CorrectionError(f"{where} is not a mapping", path=path, line=at)
    on_table = "source_file" in entry or "item_id" in entry
    if on_table and "project_id" in entry:
        raise CorrectionError(f"{where} names both a plan's project (project_id) and a table row "
                              "(source_file, item_id); an entry corrects one of them", path=path, line=at)
    allowed = TABLE_KEYS if on_table else PLAN_KEYS
    for key in entry:
        if key not in allowed:
            raise CorrectionError(f"{where}: unknown key {str(key)!r} (an entry for a "
                                  f"{'table row' if on_table else 'plan'} has {', '.join(allowed)})",
                                  path=path, line=_key_line(node, key) or at)
    required = ("source_file", "item_id") if on_table else ("project_id",)
    missing = [k for k in (*required, "printed", "corrected", "reason") if k not in entry]
    if missing:
        raise CorrectionError(f"{where} lacks {', '.join(missing)}", path=path, line=at)
    reason = entry["reason"]
    if not isinstance(reason, str) or not reason.strip():
        raise CorrectionError(f"{where}: the reason must be text saying why (it is recorded with the correction)",
                              path=path, line=_key_line(node, "reason") or at)
    fields = ("amount", "fiscal_year") if on_table else ("amount", "total")
    field = str(entry.get("field", "amount"))
    if field not in fields:
        raise CorrectionError(f"{where}: field must be {' or '.join(repr(f) for f in fields)}; got {field!r}",
                              path=path, line=at)
    for key in ("printed", "corrected"):
        if isinstance(entry[key], bool) or not isinstance(entry[key], (str, int, float)):
            raise CorrectionError(f"{where}: {key} must be the value as printed, e.g. \"1,500\"; got {entry[key]!r}",
                                  path=path, line=_key_line(node, key) or at)
    if on_table:
        for key in ("source_file", "item_id"):
            if not isinstance(entry[key], (str, int)) or isinstance(entry[key], bool):
                raise CorrectionError(f"{where}: {key} must be text as the table prints it, in quotes "
                                      f"(YAML read {entry[key]!r})", path=path, line=_key_line(node, key) or at)
        return Correction("", field, None, None, None, reason.strip(), i, str(path), at,
                          source_file=str(entry["source_file"]), item_id=str(entry["item_id"]),
                          printed_text=str(entry["printed"]).strip(), corrected_text=str(entry["corrected"]).strip())
    if not isinstance(entry["project_id"], (str, int)) or isinstance(entry["project_id"], bool):
        raise CorrectionError(f"{where}: project_id must be the project's number in quotes, e.g. \"6.10\" "
                              f"(YAML read {entry['project_id']!r})", path=path, line=_key_line(node, "project_id") or at)
    year = entry.get("fiscal_year")
    if field == "amount" and (not isinstance(year, int) or isinstance(year, bool)):
        raise CorrectionError(f"{where}: field 'amount' needs a Buddhist-era fiscal_year", path=path, line=at)
    try:
        printed, corrected = parse_amount(str(entry["printed"])), parse_amount(str(entry["corrected"]))
    except AmountError as exc:
        raise CorrectionError(f"{where}: {exc}", path=path, line=at) from None
    return Correction(str(entry["project_id"]), field, year, printed, corrected, reason.strip(), i, str(path), at,
                      printed_text=str(entry["printed"]), corrected_text=str(entry["corrected"]))


def _entry_nodes(root) -> list:
    """The node of each entry of the 'corrections' list, for the lines of error messages."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "corrections" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _key_line(node, key) -> int | None:
    """1-based line of *key* in the entry *node* (None when not found)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, _ in node.value:
        if key_node.value == str(key):
            return key_node.start_mark.line + 1
    return None


def apply_corrections(doc, corrections: list[Correction], plan_path: str) -> None:
    """Apply corrections to placed project figures; record each in ``doc.corrections``.

    Errors name the corrections file and the entry's line there (the document is fine; the
    correction is what must be reviewed).
    """
    for c in corrections:
        path, line_of_entry = c.path or plan_path, c.line
        where = c.where()
        if c.on_table:
            raise CorrectionError(f"{where} names a table row; a plan's text has projects (give the corrections "
                                  "of budget tables to the ingest or check of those tables)", path=path,
                                  line=line_of_entry)
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
