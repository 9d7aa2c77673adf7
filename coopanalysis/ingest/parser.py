"""The parser: one pass over the lines of a plan's text, recognising each line's section.

Every line gets a disposition: ``blank``, ``layout`` (titles, headers, unit words), ``used``
or ``unparsed`` (listed in ingest_report.csv). Nothing is dropped silently.
"""

from __future__ import annotations

import re

from coopanalysis.errors import InputError
from coopanalysis.ingest import cells as C
from coopanalysis.ingest import sections
from coopanalysis.ingest.model import Document, KpiRow, Listing, Project, Strategy, Tactic
from coopanalysis.ingest.table import TableState, amounts_text, split_targets, tokenize
from coopanalysis.text.thai import match_key, normalize_text, to_arabic

TITLE = re.compile(r"^แผนปฏิบัติการ(?P<org>.*?)\s*(?:\d+\s*ปี)?\s*\(พ\.ศ\.\s*(?P<y1>\d{4})\s*-\s*(?P<y2>\d{4})\)")
HEADER_WORDS = ("ตัวชี้วัด", "ค่าเป้าหมาย", "โครงการ/กิจกรรม", "วงเงินงบประมาณ", "รับผิดชอบ", "หน่วยนับ")
LAYOUT_TITLES = ("รายละเอียดแผนปฏิบัติการ", "รายละเอียดโครงการ", "(ภายใต้แผน", "โครงการภายใต้แผน")


def looks_like_years_row(raw: str) -> bool:
    r"""A row of four-digit years (and ``รวม``): the second line of a table header.

    >>> looks_like_years_row("\t\t\t๒๕๖๐\t๒๕๖๑\tรวม"), looks_like_years_row("\t๑.๑ โครงการ\t๕")
    (True, False)
    """
    cells = [c for c in C.split_cells(raw) if c]
    return bool(cells) and all(re.fullmatch(r"\d{4}|รวม", to_arabic(c)) for c in cells) and any(
        c != "รวม" for c in cells)


class Parser:
    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = text.split("\n")
        self.doc = Document(source_name=path)
        self.mode = ""  # table | summary | list | sheet
        self.table = TableState()
        self.table_years: list[int] = []
        self.header_line: int | None = None
        self.header_rows = 0
        self.summary: sections.SummaryBlock | None = None
        self.sheet: sections.Sheet | None = None
        self.heading: sections.Heading | None = None
        self.unnamed_count: dict[str, int] = {}  # per strategy, for generated ids
        self.title_years: tuple[int, int] | None = None
        self.deferred_header: int | None = None  # a header line met inside a table, not yet placed

    # ---- bookkeeping -------------------------------------------------------------------
    def mark(self, line: int, disposition: str) -> None:
        self.doc.dispositions[line] = disposition

    def unparsed(self, line: int, text: str, note: str) -> None:
        self.mark(line, "unparsed")
        self.doc.report.append({"line": line, "disposition": "unparsed", "text": text, "note": note})

    def unplaced(self, line: int, cells: list[str], note: str) -> None:
        self.doc.report.append({"line": line, "disposition": "unplaced", "text": " ".join(cells), "note": note})

    def strategy(self, sid: str, line: int, section: str) -> Strategy:
        s = self.doc.strategies.get(sid)
        if s is None:
            s = self.doc.strategies[sid] = Strategy(sid, first_line=line)
        if section not in s.present_in:
            s.present_in.append(section)
        return s

    def tactic(self, tid: str, line: int, section: str, name: str = "") -> Tactic:
        sid = tid.split(".")[0]
        self.strategy(sid, line, section)
        t = self.doc.tactics.get(tid)
        if t is None:
            t = self.doc.tactics[tid] = Tactic(tid, sid, first_line=line)
        if section not in t.present_in:
            t.present_in.append(section)
        if name and section not in t.names:
            t.names[section] = (name, line)
        return t

    def project(self, pid: str, sid: str, line: int, name: str, source: str) -> Project:
        p = self.doc.projects.get(pid)
        if p is None:
            p = self.doc.projects[pid] = Project(pid, sid, first_line=line)
        if name:
            if source == "detail" and "detail" in p.names:
                known = p.names["detail"][0]
                if match_key(known) != match_key(name):
                    raise InputError(
                        f"two projects with id {pid} and different names: {known!r} "
                        f"(line {p.names['detail'][1]}) and {name!r}",
                        path=self.path,
                        line=line,
                    )
            else:
                p.names.setdefault(source, (name, line))
        return p

    # ---- main loop ---------------------------------------------------------------------
    def run(self) -> Document:
        for index, raw in enumerate(self.lines):
            line = index + 1
            cells = C.split_cells(raw)
            text = " ".join(c for c in cells if c)
            if not text:
                self.mark(line, "blank")
                continue
            self.dispatch(line, raw, text, cells)
        self.end_table(len(self.lines) + 1)
        if self.heading is not None:
            self.heading.flush(self)
        if not self.doc.years:
            raise InputError("no table of fiscal years found; is this an action plan's text?", path=self.path)
        return self.doc

    def dispatch(self, line: int, raw: str, text: str, cells: list[str]) -> None:
        first = cells[0]
        title = TITLE.match(text)
        if title:
            self.end_table(line)
            self.mode = ""
            if not self.doc.title:
                self.doc.title = normalize_text(raw.replace("\t", " "))
                self.doc.organisation = title.group("org").strip()
                self.title_years = (int(title.group("y1")), int(title.group("y2")))
                self.mark(line, "used")
            else:
                self.mark(line, "layout")
            return
        if any(text.startswith(t) for t in LAYOUT_TITLES):
            self.end_table(line)
            if self.mode in ("summary", "sheet"):
                self.mode = ""
            self.mark(line, "layout")
            return
        if "\t" in raw and sum(word in text for word in HEADER_WORDS) >= 3:
            if self.mode == "table" and self.table_years and self.header_rows:
                # a page header inside a table: a new table if a years row follows, else a stray repeat
                self.deferred_header = line
                self.mark(line, "layout")
                return
            self.end_table(line)
            self.mode = "table"
            self.header_line, self.header_rows = line, 0
            self.table_years = []
            self.mark(line, "layout")
            return
        if self.deferred_header is not None:
            header, self.deferred_header = self.deferred_header, None
            if self.mode == "table" and looks_like_years_row(raw):  # the next page's table starts
                carried = self.table
                self.end_table(header)
                self.header_line, self.header_rows, self.table_years = header, 0, []
                # a page break inside a tactic: rows under the new header still belong to it
                self.table.strategy_id, self.table.tactic_id = carried.strategy_id, carried.tactic_id
                self.table.tactic_note = carried.tactic_note
            # otherwise the header was a stray repeat (layout): the current table goes on
        if self.mode == "table" and self.header_line is not None and not self.table_years:
            years = self.year_header(line, raw)
            if years:
                return
        if first in sections.SUMMARY_LABELS or first.startswith("งบประมาณรวม"):
            self.end_table(line)
            if self.mode != "summary":
                self.summary = None
            self.mode = "summary"
            sections.summary_line(self, line, raw, first)
            return
        if self.mode == "summary" and not first:
            sections.summary_line(self, line, raw, first)
            return
        if self.mode == "summary":
            # a first-column amount such as '125 ล้านบาท' still belongs to the block
            if re.match(r"^[\d.,]+\s*(ล้านบาท|โครงการ)$", first):
                sections.summary_line(self, line, raw, first)
                return
        if "\t" not in raw and text.startswith("ยุทธศาสตร์ที่"):
            self.end_table(line)
            self.mode = "heading"
            sections.heading_line(self, line, text)
            return
        if text.startswith("โครงการที่"):
            self.end_table(line)
            self.mode = "sheet"
            sections.sheet_start(self, line, text)
            return
        if re.match(r"^[-•]\s*\d+\.\d+\s", text):
            self.mode = "list"
            sections.list_item(self, line, text)
            return
        if self.mode == "heading":
            sections.heading_line(self, line, text)
            return
        if self.mode == "sheet":
            sections.sheet_line(self, line, raw, text)
            return
        if self.mode == "table" and self.table_years:
            self.table_row(line, cells)
            return
        self.unparsed(line, text, "not part of any recognised section")

    # ---- detail tables -----------------------------------------------------------------
    def year_header(self, line: int, raw: str) -> list[int]:
        cells = [c for c in C.split_cells(raw) if c]
        if not cells or not all(C.be_year(c) or c == "รวม" for c in cells):
            if any(C.be_year(c) for c in cells) and all(re.fullmatch(r"\d{4}|รวม", c) for c in cells):
                raise InputError("year header is not a run of Buddhist-era years: " + " ".join(cells), self.path, line)
            return []
        years: list[int] = []
        for c in cells:
            y = C.be_year(c)
            if y and y not in years:
                years.append(y)
        if any(b - a != 1 for a, b in zip(years, years[1:])) or len(years) < 2:
            raise InputError(
                "year header is not a run of consecutive Buddhist-era years: " + " ".join(map(str, years)),
                path=self.path,
                line=line,
            )
        if self.doc.years and years != self.doc.years:
            raise InputError(
                f"table years {years[0]}-{years[-1]} differ from the plan's {self.doc.years[0]}-{self.doc.years[-1]}",
                path=self.path,
                line=line,
            )
        self.doc.years = years
        self.table_years = years
        self.mark(line, "layout")
        return years

    def end_table(self, line: int) -> None:
        """Close the current detail table.

        A header with no rows under it (a page header repeated where no table follows) is
        layout: its lines are already marked so, and it holds no figures to lose.
        """
        self.deferred_header = None
        if self.mode == "table":
            for listing in self.table.pending:
                self.doc.projects[listing.project_id].notes.append(
                    f"no budget values found for the listing on line {listing.line}"
                )
            self.table = TableState()
        self.header_line = None

    def table_row(self, line: int, cells: list[str]) -> None:
        n = len(self.table_years)
        row = tokenize(line, cells, self.table_years, self.path)
        st = self.table
        used = False
        if row.strategy:
            s = self.strategy(row.strategy["id"], line, "detail")
            s.names.setdefault("detail", (row.strategy["name"], line))
            if row.strategy["goal"] and not s.goal:
                s.goal = row.strategy["goal"]
            st.strategy_id = row.strategy["id"]
            st.tactic_id = ""
            used = True
        if row.tactics:
            for tid, name in row.tactics:
                self.tactic(tid, line, "detail", name)
            st.tactic_id = row.tactics[-1][0]
            st.tactic_note = (
                f"tactic taken as {st.tactic_id}, the last of the tactics "
                f"({', '.join(t for t, _ in row.tactics)}) printed in one merged cell"
                if len(row.tactics) > 1
                else ""
            )
            if not st.strategy_id or st.strategy_id != st.tactic_id.split(".")[0]:
                st.strategy_id = st.tactic_id.split(".")[0]
                self.strategy(st.strategy_id, line, "detail")
            used = True
        if row.kpis:
            st.kpi_group = [
                KpiRow(st.strategy_id, kid, name, row.uom, line) for kid, name in row.kpis
            ]
            self.doc.kpis.extend(st.kpi_group)
            st.kpi_cursor = 0
            used = True
        before, after = row.before, row.after
        has_kpi_part = bool(row.kpis or row.uom)
        if row.projects:
            if before:
                targets, extra = split_targets(before, n)
                self.assign_targets(line, targets, row.uom)
                if extra and any(v != "-" for v in extra):
                    self.unplaced(line, extra, "values between the targets and the project cell")
            listings = self.add_listings(line, row.projects)
            st.pending = list(listings)
            if after:
                self.give_amounts(line, after)
            for listing in listings:
                listing.units = list(row.units)
            used = True
        elif before:
            values = before
            if has_kpi_part:
                targets, values = split_targets(values, n)
                self.assign_targets(line, targets, row.uom)
                used = True
            if values:
                if row.units and not st.pending:
                    # figures and responsible units with no project name: an unnamed project
                    listing = self.unnamed_listing(line)
                    st.pending = [listing]
                    listing.units = list(row.units)
                if st.pending and len(values) in (n + 1, 2 * n + 1) and not has_kpi_part:
                    if len(values) == 2 * n + 1:
                        self.assign_targets(line, values[:n], row.uom)
                        values = values[n:]
                    self.give_amounts(line, values)
                    used = True
                elif st.pending and has_kpi_part:
                    self.give_amounts(line, values)
                    used = True
                elif not st.pending and not has_kpi_part and len(values) == n and st.kpi_group:
                    self.assign_targets(line, values, row.uom)
                    used = True
                elif all(v == "-" for v in values):
                    used = used or has_kpi_part
                else:
                    self.unplaced(line, values, "values that belong to no project or KPI on this row")
                    used = used or has_kpi_part
        elif row.units and st.pending:
            for listing in st.pending:
                listing.units = list(row.units)
            used = True
        if row.other:
            self.unplaced(line, row.other, "text not recognised as strategy, tactic, KPI, unit or project")
        if used:
            self.header_rows += 1
            self.mark(line, "used")
        elif row.inline_header and not (row.other or before or after):
            self.mark(line, "layout")
        else:
            self.unparsed(line, " ".join(c for c in cells if c), "table row with nothing to attach")

    def assign_targets(self, line: int, targets: list[str], uom: str) -> None:
        st = self.table
        if not st.kpi_group:
            if any(t != "-" for t in targets):
                self.unplaced(line, targets, "targets with no KPI to attach to")
            return
        if st.kpi_cursor < len(st.kpi_group):
            kpi = st.kpi_group[st.kpi_cursor]
            st.kpi_cursor += 1
        else:
            kpi = st.kpi_group[-1]
            kpi.notes[line] = f"another target row for KPI {kpi.kpi_id}, printed below its first"
        if uom and not kpi.unit:
            kpi.unit = uom
        for year, target in zip(self.table_years, targets):
            kpi.targets.append((year, "" if target == "-" else amounts_text([target])[0], line))
        if len(targets) < len(self.table_years):
            kpi.notes[line] = f"{len(targets)} targets for {len(self.table_years)} years"

    def add_listings(self, line: int, projects: list[tuple[str, str]]) -> list[Listing]:
        out = []
        for pid, name in projects:
            sid = pid.split(".")[0]
            p = self.project(pid, sid, line, name, "detail")
            if self.table.tactic_id and self.table.tactic_id.split(".")[0] == sid and not p.tactic_id:
                p.tactic_id = self.table.tactic_id
                if self.table.tactic_note:
                    p.notes.append(self.table.tactic_note)
            self.strategy(sid, line, "detail")
            listing = Listing(pid, name, line)
            p.listings.append(listing)
            out.append(listing)
        return out

    def unnamed_listing(self, line: int) -> Listing:
        st = self.table
        sid = st.strategy_id or "0"
        self.unnamed_count[sid] = self.unnamed_count.get(sid, 0) + 1
        pid = f"{sid}.u{self.unnamed_count[sid]}"
        p = self.project(pid, sid, line, "", "detail")
        p.generated_id = True
        p.tactic_id = st.tactic_id if st.tactic_id.split(".")[0] == sid else ""
        p.notes.append(f"no printed name or number: id {pid} generated (strategy {sid}, row on line {line})")
        listing = Listing(pid, "", line)
        p.listings.append(listing)
        return listing

    def give_amounts(self, line: int, values: list[str]) -> None:
        listing = self.table.pending.pop(0)
        listing.values = amounts_text(values)
        listing.values_line = line
