"""Ingest: a plan's extracted text → tidy, traceable tables (see ``data/README.md``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from coopanalysis.errors import InputError
from coopanalysis.ingest.corrections import apply_corrections, load_corrections
from coopanalysis.ingest.model import Document
from coopanalysis.ingest.parser import Parser
from coopanalysis.ingest.sections import finalize_summary_counts
from coopanalysis.ingest.tables import build_tables, plan_json, reconcile, restatus_after_corrections, write_tables
from coopanalysis.io.safeio import display_path


@dataclass
class IngestResult:
    out_dir: Path
    document: Document
    tables: dict[str, list[dict]]
    accounting: dict[str, int]
    encoding: str

    def accounting_line(self) -> str:
        a = self.accounting
        return (f"{a['read']} lines read: {a['used']} used, {a['layout']} layout "
                f"({a['blank']} blank), {a['unparsed']} unparsed")


#: Sections every plan's text has. One that never appears means a document cut short (or badly
#: extracted): ingest_report.csv gets a ``missing`` row for it, and ingest warns on stderr.
ESSENTIAL_SECTIONS = {
    "summary": "no summary of strategy totals and project counts (the blocks headed งบประมาณรวม)",
    "detail": "no detail table of projects with yearly amounts",
}


def note_missing_sections(doc: Document, n_lines: int) -> None:
    """Add a ``missing`` ingest_report row (at the last line) for each essential section absent."""
    present = {kind for node in (*doc.strategies.values(), *doc.tactics.values()) for kind in node.present_in}
    if any(listing.values for p in doc.projects.values() for listing in p.listings):
        present.add("detail")
    for kind, what in ESSENTIAL_SECTIONS.items():
        if kind not in present:
            doc.report.append({"line": n_lines, "disposition": "missing", "text": "",
                               "note": f"{what} in the document's {n_lines} lines; is it cut short?"})


def parse_text(text: str, path: str = "<text>", corrections=None) -> Document:
    """Parse a plan's text into a :class:`Document` (no files written)."""
    if not text.strip():
        raise InputError("file is empty", path=path)
    doc = Parser(text, path).run()
    finalize_summary_counts(doc)
    reconcile(doc)
    note_missing_sections(doc, len(text.split("\n")) - (1 if text.endswith("\n") else 0))
    if corrections:
        apply_corrections(doc, corrections, path)
        restatus_after_corrections(doc)
    return doc


def accounting(doc: Document, n_lines: int) -> dict[str, int]:
    counts = {"blank": 0, "layout": 0, "used": 0, "unparsed": 0}
    for line in range(1, n_lines + 1):
        counts[doc.dispositions.get(line, "unparsed")] += 1
    return {"read": n_lines, "used": counts["used"], "layout": counts["layout"] + counts["blank"],
            "blank": counts["blank"], "unparsed": counts["unparsed"]}


def read_plan_text(path: Path) -> tuple[str, str]:
    from coopanalysis.io.decode import read_text

    return read_text(path)


def _read_plan(path: Path) -> tuple[str, str, bytes]:
    """(text, encoding, raw bytes) of the plan file: read once, bounded, regular files only."""
    from coopanalysis.io.decode import decode_bytes, read_raw

    raw = read_raw(path)
    text, encoding = decode_bytes(raw, name=display_path(path))
    return text, encoding, raw


def ingest_file(path, out_dir, corrections=None) -> IngestResult:
    """Ingest the plan text at *path* into *out_dir* (tables written atomically)."""
    path = Path(path)
    text, encoding, raw = _read_plan(path)
    entries = load_corrections(corrections) if corrections else None
    doc = parse_text(text, display_path(path), entries)
    lines = text.split("\n")
    n_lines = len(lines) - (1 if text.endswith("\n") else 0)
    acc = accounting(doc, n_lines)
    tables = build_tables(doc)
    meta = {
        "source_file": display_path(path.name),
        "encoding": encoding,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "corrections_file": display_path(Path(corrections).name) if corrections else None,
        "accounting": acc,
    }
    write_tables(out_dir, tables, plan_json(doc), meta)
    return IngestResult(Path(out_dir), doc, tables, acc, encoding)
